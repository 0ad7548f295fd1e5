import { describe, expect, it } from "vitest";
import type { LearnerKey } from "../../../core/identity.js";
import type { Reply } from "../../../core/replies.js";
import { correctPosition, fixtureCatalog, harness, only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();

const ann: LearnerKey = { platform: "shell", workspace: "team-a", user: "ann" };
const bob: LearnerKey = { platform: "shell", workspace: "team-a", user: "bob" };
const cy: LearnerKey = { platform: "shell", workspace: "team-b", user: "cy" };

describe("studying on a real Redis", () => {
  it("a right answer gives points, a streak of one day and the next question", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    const replies = await h.say(ann, String(await correctPosition(q)));
    const fb = only(replies, "feedback");
    expect(fb.correct).toBe(true);
    expect(fb.pointsAwarded).toBeGreaterThan(0);
    expect(fb.streak.current).toBe(1);
    expect(only(replies, "question").position.index).toBe(1);
    h.close();
  });

  it("the same button press delivered twice counts once and gets the same feedback", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    const cmd = { kind: "answer" as const, ref: q.ref, raw: String(await correctPosition(q)) };
    const ctx = { learner: ann, displayName: "ann", eventId: "interaction-1" };
    const first = await h.service.handle(ctx, cmd);
    const again = await h.service.handle(ctx, cmd);
    expect(only(again, "feedback")).toEqual(only(first, "feedback"));
    // the repeat also shows the question that is open now, as the first delivery did
    expect(only(again, "question").ref).toEqual(only(first, "question").ref);
    const stats = only(await h.say(ann, "/stats"), "stats");
    expect(stats.answered).toBe(1);
    expect(stats.points).toBe(only(first, "feedback").pointsAwarded);
    h.close();
  });

  it("a second press on an answered question (another event) keeps the first answer", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    const right = await correctPosition(q);
    const wrong = right === 1 ? 2 : 1;
    await h.service.handle({ learner: ann, displayName: "ann", eventId: "p1" }, { kind: "answer", ref: q.ref, raw: String(wrong) });
    const second = await h.service.handle({ learner: ann, displayName: "ann", eventId: "p2" }, { kind: "answer", ref: q.ref, raw: String(right) });
    expect(only(second, "notice").code).toBe("already-answered");
    expect(only(second, "feedback").correct).toBe(false);
    expect(only(await h.say(ann, "/stats"), "stats").answered).toBe(1);
    h.close();
  });

  it("answer records live in one hash per learner: the event for an hour, the answered slot for a day, the hash as long as its longest record", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-ttl" }, { kind: "answer", ref: q.ref, raw: "1" });
    const { learnerId } = await import("../../../core/identity.js");
    const key = h.store.keys.answers(learnerId(ann));
    const records = await h.redis.hgetall(key);
    expect(Object.keys(records).sort()).toEqual(["e" + "ev-ttl", `s${q.ref.sessionId}:0`, "~"]);
    const now = Number((await h.redis.time())[0]) - Date.UTC(2020, 0, 1) / 1000;
    const expiresIn = (field: string) => parseInt(records[field]!.slice(0, 6), 36) - now;
    expect(expiresIn("eev-ttl")).toBeGreaterThan(3_500);
    expect(expiresIn("eev-ttl")).toBeLessThanOrEqual(3_600);
    expect(expiresIn(`s${q.ref.sessionId}:0`)).toBeGreaterThan(86_000);
    expect(expiresIn(`s${q.ref.sessionId}:0`)).toBeLessThanOrEqual(86_400);
    // no string key per record any more
    expect(await h.redis.exists(h.store.keys.slot(learnerId(ann), `${q.ref.sessionId}:0`), h.store.keys.event(learnerId(ann), "ev-ttl"))).toBe(0);
    expect(await h.redis.ttl(key)).toBeGreaterThan(86_000);
    h.close();
  });

  it("an expired record stops counting at once and a later answer drops it from the hash", async () => {
    const prefix = uniquePrefix();
    const h = await harness(redis.server.url, prefix);
    const { RedisProgressStore } = await import("../../../bots/redis/progress-store.js");
    const { StudyService } = await import("../../../core/service/study-service.js");
    const { learnerId } = await import("../../../core/identity.js");
    const store = new RedisProgressStore(h.redis, { prefix, eventTtlSeconds: 1, recordTtlSeconds: 60 });
    let n = 0;
    const service = new StudyService({ catalog: await fixtureCatalog(), store, clock: h.clock, newId: () => `x${++n}` });
    const q = only(await service.handle({ learner: bob, displayName: "bob", eventId: "q-1" }, { kind: "quiz", count: 3 }), "question");
    const right = await correctPosition(q);
    const first = await service.handle({ learner: bob, displayName: "bob", eventId: "ev-a" }, { kind: "answer", ref: q.ref, raw: String(right) });
    expect(only(first, "feedback").correct).toBe(true);
    // within its life, the same event is a duplicate: same feedback, counted once
    expect(only(await service.handle({ learner: bob, displayName: "bob", eventId: "ev-a" }, { kind: "answer", ref: q.ref, raw: String(right) }), "feedback")).toEqual(only(first, "feedback"));
    await new Promise((r) => setTimeout(r, 2_100));
    // past its life the event is not remembered (Redis' clock, as with a TTL) though still in the hash; the slot still is
    const key = store.keys.answers(learnerId(bob));
    const [slotField, eventField] = [`s${q.ref.sessionId}:0`, "eev-a"];
    const load = await h.redis.drillbotLoad(
      store.keys.learner(learnerId(bob)), store.keys.session(learnerId(bob)), store.keys.cards(learnerId(bob)), "-", "-", store.keys.parked(learnerId(bob)), store.keys.workspaceSettings("shell:team-a"), key, slotField, eventField,
    );
    expect(load[4]).toMatch(/^r/);
    expect(load[5]).toBeNull();
    expect(await h.redis.hexists(key, eventField)).toBe(1);
    const again = await service.handle({ learner: bob, displayName: "bob", eventId: "ev-a" }, { kind: "answer", ref: q.ref, raw: String(right) });
    expect(only(again, "notice").code).toBe("already-answered");
    // the next answer after the drop time clears them out
    await h.redis.hset(key, "~", "000000");
    const next = only(first, "question");
    await service.handle({ learner: bob, displayName: "bob", eventId: "ev-b" }, { kind: "answer", ref: next.ref, raw: String(await correctPosition(next)) });
    const left = Object.keys(await h.redis.hgetall(key)).sort();
    expect(left).toEqual(["eev-b", slotField, `s${q.ref.sessionId}:1`, "~"]);
    expect(only(await service.handle({ learner: bob, displayName: "bob", eventId: "s-1" }, { kind: "stats" }), "stats").answered).toBe(2);
    h.close();
  });

  it("a restart mid-quiz resumes at the open question", async () => {
    const prefix = uniquePrefix();
    const h1 = await harness(redis.server.url, prefix);
    const q1 = only(await h1.say(ann, "/quiz alpha 3"), "question");
    const next = only(await h1.say(ann, String(await correctPosition(q1))), "question");
    h1.close();
    // a new process: fresh client, empty cache
    const h2 = await harness(redis.server.url, prefix);
    const fb = await h2.say(ann, "1");
    expect(only(fb, "feedback").ref).toEqual(next.ref);
    h2.close();
  });

  it("one answer costs one Redis round trip once the learner is warm", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    let sent = 0;
    const original = h.redis.sendCommand.bind(h.redis);
    h.redis.sendCommand = ((...args: Parameters<typeof original>) => {
      sent += 1;
      return original(...args);
    }) as typeof h.redis.sendCommand;
    only(await h.say(ann, "/quiz alpha 3"), "question");
    const before = sent;
    await h.say(ann, "1");
    await h.say(ann, "1");
    expect(sent - before).toBe(2);
    h.close();
  });

  it("two processes answering for one learner never lose an answer", async () => {
    const prefix = uniquePrefix();
    const a = await harness(redis.server.url, prefix);
    const b = await harness(redis.server.url, prefix);
    only(await a.say(ann, "/quiz alpha 3"), "question");
    await a.say(ann, "1"); // a's cache is warm
    await b.say(ann, "1"); // b answers question 2 behind a's back
    const third = await a.say(ann, "1"); // a's snapshot is stale: must reload, not overwrite
    expect(only(third, "feedback").ref.index).toBe(2);
    expect(only(third, "summary").total).toBe(3);
    expect(only(await a.say(ann, "/stats"), "stats").answered).toBe(3);
    a.close();
    b.close();
  });

  it("leaderboards are per workspace and rank by points", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    for (const who of [ann, bob, cy]) {
      const q = only(await h.say(who, "/quiz alpha 1"), "question");
      await h.say(who, who === bob ? "9" : String(await correctPosition(q)));
      if (who === bob) await h.say(who, String(await correctPosition(q)));
    }
    const board = only(await h.say(ann, "/leaderboard week"), "leaderboard");
    expect(board.rows.map((r) => r.name).sort()).toEqual(["ann", "bob"]);
    const other = only(await h.say(cy, "/leaderboard all"), "leaderboard");
    expect(other.rows.map((r) => r.name)).toEqual(["cy"]);
    expect(other.rows[0]!.isYou).toBe(true);
    h.close();
  });

  it("the streak follows the learner's days and survives a missed day with a freeze", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-01T10:00:00Z");
    for (let day = 0; day < 7; day++) {
      only(await h.say(ann, "/quiz alpha 1"), "question");
      await h.say(ann, "1");
      h.clock.advance(86_400_000);
    }
    h.clock.advance(86_400_000); // skip a day
    only(await h.say(ann, "/quiz alpha 1"), "question");
    const fb = only(await h.say(ann, "1"), "feedback");
    expect(fb.streak).toMatchObject({ current: 8, freezesSpent: 1 });
    const streak = only(await h.say(ann, "/streak"), "streak");
    expect(streak.view).toMatchObject({ current: 8, freezes: 0, studiedToday: true });
    h.close();
  });

  it("a time zone set by the learner decides which day an answer counts for", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-01T23:30:00Z");
    await h.say(ann, "/tz Asia/Tokyo"); // 08:30 on March 2 in Tokyo
    only(await h.say(ann, "/quiz alpha 1"), "question");
    await h.say(ann, "1");
    const streak = only(await h.say(ann, "/streak"), "streak");
    expect(streak.zone).toBe("Asia/Tokyo");
    expect(streak.lastDays.at(-1)).toEqual({ date: "2026-03-02", active: true });
    h.close();
  });

  it("bad input gets a clear answer and records nothing", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    expect(only(await h.say(bob, "2"), "notice").code).toBe("no-open-question");
    expect(only(await h.say(bob, "/tz Mars/Base"), "notice").text).toContain("Europe/Berlin");
    expect(only(await h.say(bob, "/quiz unicorns"), "notice").code).toBe("unknown-topic");
    only(await h.say(bob, "/quiz alpha 1"), "question");
    const bad = only(await h.say(bob, "7"), "notice");
    expect(bad.text).toContain("1-3");
    expect(only(await h.say(bob, "/stats"), "stats").answered).toBe(0);
    h.close();
  });

  it("review brings back cards that are due, most overdue first", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    only(await h.say(ann, "/quiz alpha 2"), "question");
    await h.say(ann, "9 9");
    await h.say(ann, "1");
    await h.say(ann, "1");
    expect(only(await h.say(ann, "/review"), "notice").code).toBe("nothing-due");
    h.clock.advance(30 * 86_400_000);
    const q = only(await h.say(ann, "/review"), "question");
    expect(q.title).toBe("Alpha basics");
    expect(q.position.total).toBe(2);
    h.close();
  });
});

describe("the team view", () => {
  it("counts the workspace's learners and answers this week and names its weakest lessons", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T10:00:00Z");
    // ann answers three alpha questions right; bob gets three beta questions wrong
    only(await h.say(ann, "/quiz alpha 3"), "question");
    for (let i = 0; i < 3; i++) {
      const replies = await h.say(ann, "1");
      expect(replies.some((r) => r.type === "feedback")).toBe(true);
    }
    let open: Reply | undefined = only(await h.say(bob, "/quiz beta 3"), "question");
    while (open?.type === "question") {
      const replies = await h.say(bob, await wrongTyped(open));
      expect(only(replies, "feedback").correct).toBe(false);
      open = replies.find((r) => r.type === "question");
    }
    const team = only(await h.say(cy, "/team"), "team");
    expect(team).toMatchObject({ learners: 0, answered: 0 }); // cy is in another workspace
    const mine = only(await h.say(ann, "/team"), "team");
    expect(mine.label).toBe("This week (2026-W10)");
    expect(mine.learners).toBe(2);
    expect(mine.answered).toBe(6);
    expect(mine.weakest[0]).toMatchObject({ lessonId: "beta-lesson", title: "Beta in depth", answered: 3 });
    h.close();
  });
});

/** A typed answer that is surely wrong for the fixture question on screen. */
async function wrongTyped(q: Extract<Reply, { type: "question" }>): Promise<string> {
  const question = (await fixtureCatalog()).question(q.ref.questionId)!.question;
  if (question.type === "numeric") return String(question.answer.value + question.answer.tolerance + 100);
  if (question.type === "text") return "definitely not it";
  if (question.type === "order") {
    const positions = question.answer.map((id) => q.choices.findIndex((c) => c.id === id) + 1);
    [positions[0], positions[1]] = [positions[1]!, positions[0]!];
    return positions.join(" ");
  }
  const right = await correctPosition(q);
  return right === 1 ? "2" : "1";
}
