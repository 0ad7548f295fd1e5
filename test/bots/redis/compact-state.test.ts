import { describe, expect, it } from "vitest";
import { decodeAnswerRecord } from "../../../core/answer-record-codec.js";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import { decodeCard } from "../../../core/srs-codec.js";
import { review } from "../../../core/srs.js";
import { correctPosition, harness, only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const ann: LearnerKey = { platform: "shell", workspace: "team-a", user: "ann" };

describe("compact learner state on a real Redis", () => {
  it("an answer stores its card compactly (under 64 bytes, the cards hash stays a listpack) and compact slot and event records", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-1" }, { kind: "answer", ref: q.ref, raw: String(await correctPosition(q)) });
    const id = learnerId(ann);
    const stored = (await h.redis.hget(h.store.keys.cards(id), q.ref.questionId))!;
    expect(stored.startsWith("c")).toBe(true);
    expect(Buffer.byteLength(stored)).toBeLessThan(64);
    expect(await h.redis.object("ENCODING", h.store.keys.cards(id))).toBe("listpack");
    const card = decodeCard(stored)!;
    expect(card.reps).toBe(1);
    // no separate due index: the card holds its due time, and the old index is gone
    expect(await h.redis.exists(h.store.keys.due(id))).toBe(0);
    const slot = (await h.redis.get(h.store.keys.slot(id, `${q.ref.sessionId}:${q.ref.index}`)))!;
    const event = (await h.redis.get(h.store.keys.event(id, "ev-1")))!;
    expect(slot).toBe(event);
    expect(slot.startsWith("r")).toBe(true);
    const record = decodeAnswerRecord(slot)!;
    expect(record.ref).toEqual(q.ref);
    expect(record.eventId).toBe("ev-1");
    expect(record.correct).toBe(true);
    expect(record.due).toBe(card.due);
    h.close();
  });

  it("a card stored as JSON (the old form) is read, scheduled from, and rewritten compactly on the next answer", async () => {
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
    const stored = (await h.redis.hget(h.store.keys.cards(id), q.ref.questionId))!;
    expect(stored.startsWith("c")).toBe(true);
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

  it("answer records stored as JSON (the old form) still answer a redelivered event and a second press", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const id = learnerId(ann);
    const q = only(await h.say(ann, "/quiz alpha 2"), "question");
    const right = await correctPosition(q);
    const first = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-3" }, { kind: "answer", ref: q.ref, raw: String(right) });
    // Turn both records into the old JSON form, as an older drillbot wrote them.
    const slotKey = h.store.keys.slot(id, `${q.ref.sessionId}:${q.ref.index}`);
    const eventKey = h.store.keys.event(id, "ev-3");
    const json = JSON.stringify(decodeAnswerRecord(await h.redis.get(slotKey))!);
    expect(json.startsWith("{")).toBe(true);
    await h.redis.set(slotKey, json, "KEEPTTL");
    await h.redis.set(eventKey, json, "KEEPTTL");
    await h.redis.hincrby(h.store.keys.learner(id), "version", 1); // other processes' caches are stale now

    const again = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-3" }, { kind: "answer", ref: q.ref, raw: String(right) });
    expect(only(again, "feedback")).toEqual(only(first, "feedback"));
    const press = await h.service.handle({ learner: ann, displayName: "ann", eventId: "ev-4" }, { kind: "answer", ref: q.ref, raw: String(right === 1 ? 2 : 1) });
    expect(only(press, "notice").code).toBe("already-answered");
    expect(only(press, "feedback").correct).toBe(true);
    expect(only(await h.say(ann, "/stats"), "stats").answered).toBe(1);
    h.close();
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
