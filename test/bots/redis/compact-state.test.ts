import { describe, expect, it } from "vitest";
import { decodeAnswerRecord } from "../../../core/answer-record-codec.js";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import { decodeCard, encodeCard } from "../../../core/srs-codec.js";
import { Redis } from "ioredis";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { isQuestionCode } from "../../../bots/redis/question-codes.js";
import { review } from "../../../core/srs.js";
import { correctPosition, harness, only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const ann: LearnerKey = { platform: "shell", workspace: "team-a", user: "ann" };

describe("compact learner state on a real Redis", () => {
  it("an answer stores its card in about 21 bytes under the question's short code (the cards hash stays a listpack) and compact slot and event records", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-1" }, { kind: "answer", ref: q.ref, raw: String(await correctPosition(q)) });
    const id = learnerId(ann);
    const field = h.store.codes.fieldOf(q.ref.questionId);
    expect(isQuestionCode(field)).toBe(true);
    expect(field.length).toBeLessThanOrEqual(2);
    expect(await h.redis.hkeys(h.store.keys.cards(id))).toEqual([field]);
    const stored = (await h.redis.hget(h.store.keys.cards(id), field))!;
    expect(stored.startsWith("d")).toBe(true);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(24);
    expect(await h.redis.object("ENCODING", h.store.keys.cards(id))).toBe("listpack");
    const card = decodeCard(stored)!;
    expect(card.reps).toBe(1);
    // no separate due index: the card holds its due time, and the old index is gone
    expect(await h.redis.exists(h.store.keys.due(id))).toBe(0);
    // the slot's record after its expiry (6 characters), the event pointing at the slot
    const records = await h.redis.hgetall(h.store.keys.answers(id));
    const slotField = `s${q.ref.sessionId}:${q.ref.index}`;
    expect(records["eev-1"]!.slice(6)).toBe(slotField);
    const slot = records[slotField]!.slice(6);
    expect(slot.startsWith("r")).toBe(true);
    expect(Buffer.byteLength(slot)).toBeLessThanOrEqual(64);
    expect(await h.redis.object("ENCODING", h.store.keys.answers(id))).toBe("listpack");
    const record = decodeAnswerRecord(slot)!;
    // stored naming the question by its code and without the event id (its field says it)
    expect(record.ref).toEqual({ ...q.ref, questionId: field });
    expect(record.eventId).toBe("");
    expect(record.correct).toBe(true);
    expect(record.due).toBe(card.due);
    h.close();
  });

  it("a card stored as JSON under its question id (the old forms) is read, scheduled from, and rewritten compactly under its code on the next answer", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const id = learnerId(ann);
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    // Written by an older drillbot: two right answers, days ago.
    const old = review(review(null, new Date("2026-02-20T12:00:00Z"), true), new Date("2026-02-23T12:00:00Z"), true);
    const other = review(null, new Date("2026-02-21T12:00:00Z"), false);
    await h.redis.hset(h.store.keys.cards(id), q.ref.questionId, JSON.stringify(old), "some-other-question", JSON.stringify(other));
    await h.redis.zadd(h.store.keys.due(id), Date.parse(old.due), q.ref.questionId);
    await h.redis.hincrby(h.store.keys.learner(id), "version", 1); // as if written before this process started
    h.clock.set("2026-03-02T12:00:00Z");
    expect(await h.store.cardStates(ann)).toEqual({ [q.ref.questionId]: old, "some-other-question": other });

    await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-2" }, { kind: "answer", ref: q.ref, raw: String(await correctPosition(q)) });
    // moved: under the code now, and no longer under the question id
    expect(await h.redis.hexists(h.store.keys.cards(id), q.ref.questionId)).toBe(0);
    const stored = (await h.redis.hget(h.store.keys.cards(id), h.store.codes.fieldOf(q.ref.questionId)))!;
    expect(stored.startsWith("d")).toBe(true);
    const card = decodeCard(stored)!;
    expect(card.reps).toBe(old.reps + 1);
    // scheduled from the old card's memory, not from a new card
    const fromNew = review(null, new Date("2026-03-02T12:00:00Z"), true);
    expect(card.stability).toBeGreaterThan(fromNew.stability);
    // the card not answered stays as it was and still reads
    expect(await h.redis.hget(h.store.keys.cards(id), "some-other-question")).toBe(JSON.stringify(other));
    expect((await h.store.cardStates(ann))["some-other-question"]).toEqual(other);
    // due times come from the cards themselves, old and new forms alike, soonest first
    const due = await h.store.cards(ann);
    expect(due).toContainEqual({ questionId: "some-other-question", dueMs: Date.parse(other.due) });
    expect(due).toContainEqual({ questionId: q.ref.questionId, dueMs: Date.parse(card.due) });
    expect(due.map((d) => d.dueMs)).toEqual([...due.map((d) => d.dueMs)].sort((a, b) => a - b));
    h.close();
  });

  it("answer records an older drillbot left (JSON, one string key each) still answer a redelivered event and a second press", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const id = learnerId(ann);
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    const right = await correctPosition(q);
    const first = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-3" }, { kind: "answer", ref: q.ref, raw: String(right) });
    // Move both records into the old form, as an older drillbot wrote them: JSON in one string key each.
    const slotKey = h.store.keys.slot(id, `${q.ref.sessionId}:${q.ref.index}`);
    const eventKey = h.store.keys.event(id, "ev-3");
    const answersKey = h.store.keys.answers(id);
    const json = JSON.stringify({ ...decodeAnswerRecord((await h.redis.hget(answersKey, `s${q.ref.sessionId}:${q.ref.index}`))!.slice(6))!, eventId: "ev-3", ref: q.ref });
    expect(json.startsWith("{")).toBe(true);
    await h.redis.del(answersKey);
    await h.redis.set(slotKey, json, "EX", 86_400);
    await h.redis.set(eventKey, json, "EX", 3_600);
    await h.redis.hincrby(h.store.keys.learner(id), "version", 1); // other processes' caches are stale now

    const again = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-3" }, { kind: "answer", ref: q.ref, raw: String(right) });
    expect(only(again, "feedback")).toEqual(only(first, "feedback"));
    const press = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-4" }, { kind: "answer", ref: q.ref, raw: String(right === 1 ? 2 : 1) });
    expect(only(press, "notice").code).toBe("already-answered");
    expect(only(press, "feedback").correct).toBe(true);
    expect(only(await h.say(ann, "/stats"), "stats").answered).toBe(1);
    h.close();
  });

  it("every process gives a question the same code, whatever order they meet questions in, and a process reads codes another gave", async () => {
    const prefix = uniquePrefix();
    const [r1, r2] = [new Redis(redis.server.url), new Redis(redis.server.url)];
    const [one, two] = [new RedisProgressStore(r1, { prefix }), new RedisProgressStore(r2, { prefix })];
    const ids = Array.from({ length: 60 }, (_, i) => `lesson-${i}`);
    await Promise.all([one.useQuestions(ids), two.useQuestions([...ids].reverse())]);
    const codes = ids.map((q) => one.codes.fieldOf(q));
    expect(ids.map((q) => two.codes.fieldOf(q))).toEqual(codes);
    expect(new Set(codes).size).toBe(60);
    expect(codes.every((c) => isQuestionCode(c) && c.length <= 2)).toBe(true);
    // a third process registers a new question and writes its card; the first reads it by id
    const r3 = new Redis(redis.server.url);
    const three = new RedisProgressStore(r3, { prefix });
    await three.useQuestions(["brand-new"]);
    const card = review(null, new Date("2026-03-02T12:00:00Z"), true);
    await r3.hset(three.keys.cards(learnerId(ann)), three.codes.fieldOf("brand-new"), encodeCard(card));
    expect(Object.keys(await one.cardStates(ann))).toEqual(["brand-new"]);
    for (const r of [r1, r2, r3]) r.disconnect();
  });

  it("once sealed with the built-in course, uploaded questions keep their ids as fields: the shared code table does not grow, and their cards read back", async () => {
    const prefix = uniquePrefix();
    const r = new Redis(redis.server.url);
    const store = new RedisProgressStore(r, { prefix });
    await store.useQuestions(["course-1", "course-2"], { onlyThese: true });
    await store.useQuestions(["team-pack-q1"]);
    expect(store.codes.fieldOf("course-1")).toMatch(/^[A-Z]/);
    expect(store.codes.fieldOf("team-pack-q1")).toBe("team-pack-q1");
    expect(await r.hlen(store.keys.questionCodes())).toBe(3); // two codes and the "#" counter
    const card = review(null, new Date("2026-03-02T12:00:00Z"), true);
    await r.hset(store.keys.cards(learnerId(ann)), store.codes.fieldOf("team-pack-q1"), encodeCard(card));
    expect(Object.keys(await store.cardStates(ann))).toEqual(["team-pack-q1"]);
    r.disconnect();
  });

  it("an answer on a warm learner is still one round trip (one EVALSHA)", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    let sent: string[] = [];
    const original = h.redis.sendCommand.bind(h.redis);
    h.redis.sendCommand = ((...args: Parameters<typeof original>) => {
      sent.push(args[0].name);
      return original(...args);
    }) as typeof h.redis.sendCommand;
    sent = [];
    await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-5" }, { kind: "answer", ref: q.ref, raw: String(await correctPosition(q)) });
    expect(sent).toEqual(["evalsha"]);
    h.close();
  });
});
