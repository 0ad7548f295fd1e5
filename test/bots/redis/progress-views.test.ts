/**
 * Charts, settings, the review log and team exports on a real Redis: what
 * /stats, /team, /team export and /settings read and write.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { LearnerKey } from "../../../core/identity.js";
import type { Reply } from "../../../core/replies.js";
import { review } from "../../../core/srs.js";
import { correctPosition, harness, only, type Harness } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();

const ann: LearnerKey = { platform: "shell", workspace: "team-a", user: "ann" };
const bob: LearnerKey = { platform: "shell", workspace: "team-a", user: "bob" };
const WS = "shell:team-a";

const charts = (replies: Reply[]) => replies.filter((r): r is Extract<Reply, { type: "chart" }> => r.type === "chart");

/** Answers the open question right (or wrong) and returns the replies. */
async function answer(h: Harness, who: LearnerKey, right: boolean): Promise<Reply[]> {
  const snap = await h.store.snapshot(who);
  const s = snap.session!;
  const q = (await h.say(who, "/quiz")).find((r) => r.type === "question") as Extract<Reply, { type: "question" }>;
  expect(q.ref.sessionId).toBe(s.id);
  const pos = await correctPosition(q);
  return h.say(who, String(right ? pos : pos === 1 ? 2 : 1));
}

async function logEntries(h: Harness): Promise<Record<string, string>[]> {
  const raw = await h.redis.xrange(h.store.keys.reviewLog(WS), "-", "+");
  return raw.map(([, fields]) => Object.fromEntries(fields.flatMap((_, i) => (i % 2 ? [] : [[fields[i]!, fields[i + 1]!]]))));
}

describe("the review log", () => {
  it("gets one entry per graded answer, with the learner, question, rating and local date, and none for a refused answer", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T23:30:00Z");
    await h.say(ann, "/tz Asia/Tokyo");
    only(await h.say(ann, "/quiz alpha 3"), "question");
    await answer(h, ann, true);
    await h.say(ann, "not a choice");
    await answer(h, ann, false);
    const log = await logEntries(h);
    expect(log).toHaveLength(2);
    expect(log.map((e) => e.r)).toEqual(["3", "1"]);
    expect(log.every((e) => e.l === "shell:team-a:ann" && e.d === "2026-03-03" && /^\w/.test(e.q!))).toBe(true);
    h.close();
  });

  it("stays bounded by its length cap however many answers come", async () => {
    const prefix = uniquePrefix();
    const h = await harness(redis.server.url, prefix);
    const { RedisProgressStore } = await import("../../../bots/redis/progress-store.js");
    const capped = new RedisProgressStore(h.redis, { prefix, reviewLogMaxEntries: 100 });
    const key = capped.keys.reviewLog(WS);
    // 600 answers' worth of writes through the store's own script, via the real service.
    const { StudyService } = await import("../../../core/service/study-service.js");
    const service = new StudyService({ catalog: h.service.catalog, store: capped, clock: h.clock, newId: (() => { let n = 0; return () => `c${++n}`; })() });
    for (let i = 0; i < 60; i++) {
      await service.handle({ learner: { ...ann, user: `u${i}` }, displayName: `u${i}`, eventId: `q${i}` }, { kind: "quiz", topic: "alpha", count: 10 });
      for (let j = 0; j < 10; j++) await service.handle({ learner: { ...ann, user: `u${i}` }, displayName: `u${i}`, eventId: `a${i}-${j}` }, { kind: "answer", raw: "1" });
    }
    const length = await h.redis.xlen(key);
    // MAXLEN ~ trims whole stream nodes (100 entries each by default): never far past the cap.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(200);
    h.close();
  });

  it("drops entries older than its age cap", async () => {
    const prefix = uniquePrefix();
    const h = await harness(redis.server.url, prefix);
    const { RedisProgressStore } = await import("../../../bots/redis/progress-store.js");
    const key = h.store.keys.reviewLog(WS);
    // 300 old entries, then one answer through a store that keeps one second of log.
    for (let i = 0; i < 300; i++) await h.redis.xadd(key, `${1_000 + i}-0`, "l", "x", "q", "q", "r", "3", "d", "2020-01-01");
    const short = new RedisProgressStore(h.redis, { prefix, reviewLogMaxAgeDays: 1 / 86_400 });
    const { StudyService } = await import("../../../core/service/study-service.js");
    const clock = { now: () => new Date() };
    const service = new StudyService({ catalog: h.service.catalog, store: short, clock, newId: () => "age1" });
    await service.handle({ learner: ann, displayName: "ann", eventId: "qa" }, { kind: "quiz", topic: "alpha", count: 2 });
    await service.handle({ learner: ann, displayName: "ann", eventId: "aa" }, { kind: "answer", raw: "1" });
    const left = await h.redis.xrange(key, "-", "+");
    expect(left.length).toBeLessThan(301);
    expect(left.filter(([id]) => Number(id.split("-")[0]) < 2_000).length).toBeLessThanOrEqual(100);
    expect(left.at(-1)![1]).toContain("shell:team-a:ann");
    h.close();
  });
});

describe("scheduling with the workspace's settings", () => {
  it("an answer decided on a cached snapshot is scheduled again with weights saved meanwhile", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    only(await h.say(ann, "/quiz alpha 3"), "question");
    await answer(h, ann, true);
    const before = await h.store.cardStates(ann);
    // Weights that make stability grow much faster than the defaults.
    const weights = [4, 8, 16, 32, 7.2, 0.5, 1.5, 0.005, 2.5, 0.3, 1.2, 1.5, 0.05, 0.3, 2.0, 0.2, 3.0, 0.5, 0.3, 0.1, 0.15];
    await h.store.saveWorkspaceSettings(WS, { fsrs: { weights, fittedAt: "2026-03-01T00:00:00Z", reviews: 5000, cards: 900 } });
    const snap = await h.store.snapshot(ann);
    const qid = snap.session!.questionIds[snap.session!.index]!;
    expect(before[qid]).toBeUndefined();
    h.clock.advance(60_000);
    await answer(h, ann, true);
    const card = (await h.store.cardStates(ann))[qid]!;
    const expected = review(null, h.clock.now(), true, { weights, retention: null });
    // Stability is stored to 0.015% (core/srs-codec).
    expect(Math.abs(card.stability - expected.stability)).toBeLessThan(expected.stability * 2e-4);
    expect(card.stability).not.toBeCloseTo(review(null, h.clock.now(), true).stability, 3);
    h.close();
  });

  it("a learner's desired retention brings cards back sooner than the team's default", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const reply = only(await h.say(ann, "/settings retention 0.97"), "notice");
    expect(reply.text).toContain("0.97");
    expect((await h.store.snapshot(ann)).settings.retention).toBe(0.97);
    const dues: Record<string, number> = {};
    for (const who of [ann, bob]) {
      h.clock.set("2026-03-02T12:00:00Z");
      only(await h.say(who, "/quiz alpha 1"), "question");
      await answer(h, who, true);
      h.clock.set("2026-03-03T12:00:00Z");
      only(await h.say(who, "/review"), "question");
      await answer(h, who, true);
      const cards = Object.values(await h.store.cardStates(who));
      expect(cards).toHaveLength(1);
      dues[who.user] = Date.parse(cards[0]!.due);
    }
    expect(dues.ann).toBeLessThan(dues.bob!);
    h.close();
  });

  it("refuses a retention outside 0.85-0.97 or a quiet window it cannot read, saving nothing", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    for (const line of ["/settings retention 2", "/settings retention 0.5", "/settings retention abc", "/settings team quiet 25:00-07:00", "/settings team quiet 22:00-22:00", "/settings team quiet 22:00-07:00 Mars/Base"]) {
      const n = only(await h.say(ann, line), "notice");
      expect(n.code, line).toBe("bad-option");
      expect(n.text.length, line).toBeLessThan(500);
    }
    expect((await h.store.snapshot(ann)).settings.retention).toBeNull();
    expect(await h.store.workspaceSettings(WS)).toMatchObject({ version: 0, retention: null, quiet: null });
    h.close();
  });

  it("team retention and quiet hours are for admins only", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const asMember = await h.service.handle({ learner: ann, displayName: "ann", eventId: "m1" }, { kind: "settings", action: "team-retention", value: 0.95 });
    expect(only(asMember, "notice").code).toBe("not-admin");
    const asAdmin = await h.service.handle({ learner: ann, displayName: "ann", eventId: "m2", isAdmin: true }, { kind: "settings", action: "quiet-hours", quiet: { start: "22:00", end: "07:00", zone: "Europe/Berlin" } });
    expect(only(asAdmin, "notice").text).toContain("22:00 to 07:00 (Europe/Berlin)");
    expect((await h.store.workspaceSettings(WS)).quiet).toEqual({ start: "22:00", end: "07:00", zone: "Europe/Berlin" });
    h.close();
  });
});

describe("/stats and /team with charts", () => {
  it("/stats adds a heatmap of answers per local day and mastery by lesson, with alt text and a text version", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T23:30:00Z");
    await h.say(ann, "/tz America/New_York");
    only(await h.say(ann, "/quiz alpha 3"), "question");
    await answer(h, ann, true);
    await answer(h, ann, true);
    const replies = await h.say(ann, "/stats");
    const stats = only(replies, "stats");
    expect(stats.answered).toBe(2);
    const [heat, mastery] = charts(replies);
    expect(heat!.spec.kind).toBe("heatmap");
    if (heat!.spec.kind !== "heatmap") throw new Error("heatmap first");
    // 23:30 UTC is 18:30 in New York: the answers count on the 2nd there.
    expect(heat!.spec.data.end).toBe("2026-03-02");
    expect(heat!.spec.data.weeks.flat().find((c) => c?.date === "2026-03-02")?.answers).toBe(2);
    expect(heat!.alt).toMatch(/2 answers/);
    expect(heat!.text.split("\n").length).toBeGreaterThan(7);
    expect(mastery!.spec.kind).toBe("mastery");
    if (mastery!.spec.kind !== "mastery") throw new Error("mastery second");
    const alpha = mastery!.spec.rows.find((r) => r.lessonId === "alpha-lesson")!;
    expect(alpha.seen + alpha.mastered).toBe(2);
    expect(alpha.mastered + alpha.seen + alpha.notSeen).toBe(alpha.cards);
    expect(heat!.fileName).toMatch(/\.png$/);
    h.close();
  });

  it("/team adds the last 8 weeks and the team's mastery, and shows no one by name", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    for (const who of [ann, bob]) {
      only(await h.say(who, "/quiz alpha 2"), "question");
      await answer(h, who, who === ann);
    }
    const replies = await h.say(ann, "/team");
    expect(only(replies, "team").learners).toBe(2);
    const [weeks, mastery] = charts(replies);
    if (weeks!.spec.kind !== "team-weeks" || mastery!.spec.kind !== "mastery") throw new Error("team-weeks then mastery");
    expect(weeks!.spec.data.weeks).toHaveLength(8);
    expect(weeks!.spec.data.weeks.at(-1)).toMatchObject({ learners: 2, answered: 2, correct: 1 });
    expect(mastery!.spec.scope).toBe("team");
    const alphaQuestions = h.service.catalog.questions.filter((q) => q.setId === "alpha-lesson").length;
    expect(mastery!.spec.rows.find((r) => r.lessonId === "alpha-lesson")!.cards).toBe(2 * alphaQuestions);
    expect(JSON.stringify(replies)).not.toMatch(/\bbob\b/);
    h.close();
  });
});

describe("privacy and the team export", () => {
  it("a private learner is anonymous on the leaderboard at once, in channel tallies and in the export; off brings the name back", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    only(await h.say(bob, "/quiz alpha 2"), "question");
    await answer(h, bob, true);
    expect(only(await h.say(ann, "/leaderboard"), "leaderboard").rows.map((r) => r.name)).toEqual(["bob"]);
    await h.say(bob, "/settings private on");
    expect(only(await h.say(ann, "/leaderboard"), "leaderboard").rows.map((r) => r.name)).toEqual(["anonymous"]);
    await answer(h, bob, true);
    expect(only(await h.say(ann, "/leaderboard all"), "leaderboard").rows.map((r) => r.name)).toEqual(["anonymous"]);
    const exported = await h.service.handle({ learner: ann, displayName: "ann", eventId: "x1", isAdmin: true }, { kind: "team", export: true });
    const file = only(exported, "file");
    expect(file.contentType).toBe("text/csv");
    expect(file.content).not.toMatch(/\bbob\b/);
    const rows = parse(file.content, { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => Object.values(r).includes("anonymous"))).toHaveLength(1);
    await h.say(bob, "/settings private off");
    expect(only(await h.say(ann, "/leaderboard"), "leaderboard").rows.map((r) => r.name)).toEqual(["bob"]);
    h.close();
  });

  it("/team export is for admins: others get a short refusal and no file", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const replies = await h.say(ann, "/team export");
    expect(replies.some((r) => r.type === "file")).toBe(false);
    expect(only(replies, "notice").code).toBe("not-admin");
    expect(only(await h.say(ann, "/team everything"), "notice").code).toBe("bad-option");
    h.close();
  });

  it("the export counts every answer per lesson and concept from the all-time figures", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    only(await h.say(ann, "/quiz alpha 3"), "question");
    await answer(h, ann, true);
    await answer(h, ann, false);
    const totals = await h.store.teamTotals(WS);
    expect(totals.bySet["alpha-lesson"]).toEqual({ answered: 2, correct: 1 });
    expect(totals.byConcept.alpha!.answered).toBe(2);
    const members = await h.store.teamMembers(WS);
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ name: "ann", answered: 2, correct: 1, private: false });
    expect(Object.keys(members[0]!.cards)).toHaveLength(2);
    h.close();
  });
});

describe("/break on a real Redis", () => {
  it("holds the streak through the break without spending freezes, and studying ends it early", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T12:00:00Z");
    for (const day of ["2026-03-02", "2026-03-03", "2026-03-04"]) {
      h.clock.set(`${day}T12:00:00Z`);
      only(await h.say(ann, "/quiz alpha 1"), "question");
      await answer(h, ann, true);
    }
    h.clock.set("2026-03-05T09:00:00Z");
    expect(only(await h.say(ann, "/break 5"), "notice").text).toMatch(/through 2026-03-09.*3-day streak is held/);
    expect(only(await h.say(ann, "/break"), "notice").text).toContain("on a break through 2026-03-09");
    h.clock.set("2026-03-08T12:00:00Z");
    expect(only(await h.say(ann, "/streak"), "streak").view.current).toBe(3);
    only(await h.say(ann, "/quiz alpha 1"), "question");
    const fb = only(await answer(h, ann, true), "feedback");
    expect(fb.streak).toMatchObject({ current: 4, freezesSpent: 0 });
    expect(only(await h.say(ann, "/break"), "notice").text).toContain("not on a break");
    h.close();
  });

  it("refuses a break length outside 1-30 days and says so when there is no break to end", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    for (const line of ["/break 0", "/break 31", "/break soon", "/break -2"]) expect(only(await h.say(ann, line), "notice").code, line).toBe("bad-option");
    expect(only(await h.say(ann, "/break off"), "notice").text).toContain("not on a break");
    expect((await h.store.snapshot(ann)).streak.pause ?? null).toBeNull();
    h.close();
  });
});
