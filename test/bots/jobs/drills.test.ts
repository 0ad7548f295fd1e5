import { describe, expect, it } from "vitest";
import type { LearnerKey } from "../../../core/identity.js";
import type { ChannelRef } from "../../../core/schedule/model.js";
import { TICK_SCHEDULER_ID } from "../../../bots/jobs/job-types.js";
import { JobRuntime } from "../../../bots/jobs/job-runtime.js";
import { drillHarness, eventually } from "../../support/drill-harness.js";
import { correctPosition, only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { scheduledRuns, storedSubscriptions } from "../../support/schedule-counts.js";

const redis = useTestRedis();

const ann: LearnerKey = { platform: "shell", workspace: "team", user: "ann" };
const bob: LearnerKey = { platform: "shell", workspace: "team", user: "bob" };
const general: ChannelRef = { platform: "shell", workspace: "team", channel: "general" };

describe("scheduled drills on BullMQ", () => {
  it("a personal drill arrives once at the learner's local time, with due cards first, and never twice", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T06:00:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    expect(only(await h.as(ann, "/drill me 08:30 Europe/Berlin 3"), "notice").text).toContain("08:30 Europe/Berlin");
    expect(await h.jobs.tick()).toMatchObject({ personal: 0 }); // 07:00 in Berlin: not yet
    h.clock.set("2026-03-02T07:31:00Z"); // 08:31 in Berlin
    expect(await h.jobs.tick()).toMatchObject({ personal: 1 });
    await eventually(() => h.messenger.to("dm:ann").length === 1);
    const q = only(h.messenger.to("dm:ann")[0]!.replies, "question");
    expect(q.position.total).toBe(3);
    // the drill is a quiz: answering by typing works
    expect(only(await h.say(ann, "1"), "feedback").ref.sessionId).toBe(q.ref.sessionId);
    // a duplicate tick in the same minute, and a second process, change nothing
    expect(await h.jobs.tick()).toMatchObject({ personal: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.messenger.to("dm:ann")).toHaveLength(1);
    await h.shutdown();
  });

  it("the same job re-added after it ran (a crash before the schedule advanced) is not delivered again", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T07:31:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    await h.as(ann, "/drill me 08:30 Europe/Berlin");
    const sub = await h.schedules.personalDrill(ann);
    // Pretend the tick crashed after addBulk: the subscription is still due.
    await h.schedules.savePersonalDrill(sub!, Date.parse("2026-03-02T07:30:00Z"), null);
    await h.jobs.tick();
    await eventually(() => h.messenger.to("dm:ann").length === 1);
    await h.schedules.savePersonalDrill(sub!, Date.parse("2026-03-02T07:30:00Z"), null);
    await h.jobs.tick();
    await new Promise((r) => setTimeout(r, 500));
    expect(h.messenger.to("dm:ann")).toHaveLength(1);
    await h.shutdown();
  });

  it("the same tick schedule upserted by 50 restarts is one schedule with one pending job", async () => {
    const prefix = uniquePrefix();
    const h = await drillHarness(redis.server.url, prefix, "2026-03-02T07:31:00Z");
    for (let i = 0; i < 50; i++) {
      const restarted = new JobRuntime({ connection: { host: "127.0.0.1", port: redis.server.port, maxRetriesPerRequest: null }, redis: h.redis, keys: h.schedules.keys, schedules: h.schedules, clock: h.clock, log: { debug() {}, info() {}, warn() {}, error() {} } });
      await restarted.ensureTickScheduler();
      await restarted.close();
    }
    const schedulers = await h.jobs.tickQueue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([TICK_SCHEDULER_ID]);
    const counts = await h.jobs.tickQueue.getJobCounts("delayed", "waiting", "prioritized");
    expect((counts.delayed ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0)).toBe(1);
    await h.shutdown();
  });

  it("changing a drill's time replaces it: one schedule per learner", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T06:00:00Z");
    for (let i = 0; i < 50; i++) await h.as(ann, `/drill me 0${i % 10}:15 Asia/Tokyo`);
    expect(await scheduledRuns(h.redis, h.schedules.keys, "personal")).toBe(1);
    expect(await storedSubscriptions(h.redis, h.schedules.keys, "personal")).toBe(1);
    expect((await h.schedules.personalDrill(ann))!.recurrence.time).toBe("09:15");
    await h.shutdown();
  });

  it("a streak reminder is sent once when the learner has a streak and has not studied today", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T10:00:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    only(await h.say(ann, "/quiz alpha 1"), "question");
    await h.say(ann, "1"); // studied on March 2 (UTC)
    await h.as(ann, "/drill me 07:00 UTC");
    h.clock.set("2026-03-03T20:01:00Z"); // March 3, 20:01: not studied today
    await h.jobs.tick();
    await eventually(() => h.messenger.to("dm:ann").some((s) => s.key.startsWith("reminder")));
    const reminders = h.messenger.to("dm:ann").filter((s) => s.key.startsWith("reminder"));
    expect(only(reminders[0]!.replies, "notice").text).toContain("1-day streak");
    await h.jobs.tick();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.messenger.to("dm:ann").filter((s) => s.key.startsWith("reminder"))).toHaveLength(1);
    await h.shutdown();
  });

  it("no reminder after the learner studied that day", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T10:00:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    await h.as(ann, "/drill me 07:00 UTC");
    only(await h.say(ann, "/quiz alpha 1"), "question");
    await h.say(ann, "1");
    h.clock.set("2026-03-02T20:01:00Z");
    const before = h.messenger.sent.length;
    await h.jobs.tick();
    await new Promise((r) => setTimeout(r, 500));
    expect(h.messenger.sent.slice(before).filter((s) => s.key.startsWith("reminder"))).toHaveLength(0);
    expect(await h.redis.get(h.schedules.keys.sent("reminder__shell~team~ann__2026-03-02"))).toBe("nothing-to-send");
    await h.shutdown();
  });

  it("a channel drill posts one question, answers are private, and results post when the next drill comes", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    expect(only(await h.as(ann, "/drill channel 09:00 UTC weekdays", { admin: true, channel: general }), "notice").text).toContain("weekdays");
    h.clock.set("2026-03-02T09:00:30Z");
    await h.jobs.tick();
    await eventually(() => h.messenger.to("ch:shell:team:general").length === 1);
    const q = only(h.messenger.to("ch:shell:team:general")[0]!.replies, "question");
    const right = String(await correctPosition(q));
    const wrong = right === "1" ? "2" : "1";
    const a = await h.service.handle({ learner: ann, displayName: "ann", eventId: "x1" }, { kind: "answer", ref: q.ref, raw: right });
    const b = await h.service.handle({ learner: bob, displayName: "bob", eventId: "x2" }, { kind: "answer", ref: q.ref, raw: wrong });
    expect(only(a, "feedback").correct).toBe(true);
    expect(only(b, "feedback").correct).toBe(false);
    // the next weekday's drill closes this one
    h.clock.set("2026-03-03T09:00:30Z");
    await h.jobs.tick();
    await eventually(() => h.messenger.to("ch:shell:team:general").some((s) => s.replies.some((r) => r.type === "results")));
    const results = h.messenger.to("ch:shell:team:general").flatMap((s) => s.replies).find((r) => r.type === "results")!;
    expect(results).toMatchObject({ answered: 2, correct: 1, firstCorrect: ["ann"] });
    await h.shutdown();
  });

  it("non-admins cannot set up channel drills or challenges, and nothing is scheduled", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z");
    expect(only(await h.as(bob, "/drill channel 09:00 UTC", { channel: general }), "notice").code).toBe("not-admin");
    expect(only(await h.as(bob, "/challenge post alpha 1h", { channel: general }), "notice").text).toMatch(/^Only admins can/);
    expect(await scheduledRuns(h.redis, h.schedules.keys, "channel")).toBe(0);
    const counts = await h.jobs.queues.shell.getJobCounts("delayed", "waiting");
    expect((counts.delayed ?? 0) + (counts.waiting ?? 0)).toBe(0);
    await h.shutdown();
  });

  it("a challenge counts answers until its deadline, refuses later ones, posts results once, and pays early answers more", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z");
    h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
    const posted = await h.as(ann, "/challenge write 30m Which letter is first? | Beta | *Alpha | Gamma | Alpha starts the alphabet.", { admin: true, channel: general });
    const q = only(posted, "question");
    const right = String(q.choices.findIndex((c) => c.label === "Alpha") + 1);
    h.clock.advance(3 * 60_000);
    const early = only(await h.service.handle({ learner: bob, displayName: "bob", eventId: "c1" }, { kind: "answer", ref: q.ref, raw: right }), "feedback");
    h.clock.advance(20 * 60_000);
    const late = only(await h.service.handle({ learner: ann, displayName: "ann", eventId: "c2" }, { kind: "answer", ref: q.ref, raw: right }), "feedback");
    expect(early.correct && late.correct).toBe(true);
    expect(early.pointsAwarded).toBeGreaterThan(late.pointsAwarded);
    // answers are final
    expect(only(await h.service.handle({ learner: bob, displayName: "bob", eventId: "c3" }, { kind: "answer", ref: q.ref, raw: "1" }), "notice").code).toBe("already-answered");
    h.clock.advance(10 * 60_000); // past the deadline
    const after = await h.service.handle({ learner: { ...bob, user: "cy" }, displayName: "cy", eventId: "c4" }, { kind: "answer", ref: q.ref, raw: right });
    expect(only(after, "notice").code).toBe("closed");
    // the close job was planned with the real queue; run it now
    const job = (await h.jobs.queues.shell.getJobs(["delayed"]))[0]!;
    await job.promote();
    await eventually(() => h.messenger.sent.some((s) => s.replies.some((r) => r.type === "results")));
    await job.promote().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const results = h.messenger.sent.filter((s) => s.replies.some((r) => r.type === "results"));
    expect(results).toHaveLength(1);
    expect(only(results[0]!.replies, "results")).toMatchObject({ kind: "challenge", answered: 2, correct: 2, firstCorrect: ["bob", "ann"] });
    const board = only(await h.say(bob, "/leaderboard all"), "leaderboard");
    expect(board.rows[0]).toMatchObject({ name: "bob", points: early.pointsAwarded });
    await h.shutdown();
  });
});
