/**
 * Breaks and quiet hours on the real delivery path: a controlled clock, a
 * real Redis and BullMQ, the real study and drill services; only the
 * messenger records instead of sending.
 */
import { describe, expect, it } from "vitest";
import type { LearnerKey } from "../../../core/identity.js";
import type { ChannelRef } from "../../../core/schedule/model.js";
import { DELIVERY_JOB_OPTIONS } from "../../../bots/jobs/job-types.js";
import { drillHarness, eventually, type DrillHarness } from "../../support/drill-harness.js";
import { only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { scheduleBucket } from "../../../bots/redis/keys.js";
import { drillLateness } from "../../../bots/ops/telemetry.js";

const redis = useTestRedis();

const ann: LearnerKey = { platform: "shell", workspace: "team", user: "ann" };
const bob: LearnerKey = { platform: "shell", workspace: "team", user: "bob" };
const general: ChannelRef = { platform: "shell", workspace: "team", channel: "general" };

const jobId = (kind: "personal-drill" | "reminder", who: LearnerKey, date: string) => `${kind}__shell~team~${who.user}__${date}`;
const dms = (h: DrillHarness, who: LearnerKey) => h.messenger.to(`dm:${who.user}`);

/** A job's sent-marker once it says why nothing went out ("claimed" stays on a first-attempt send). */
async function outcome(h: DrillHarness, id: string): Promise<string> {
  let value: string | null = null;
  await eventually(async () => {
    value = await h.redis.get(h.schedules.keys.sent(id));
    return value !== null && value !== "claimed";
  });
  return value!;
}

/** Sets the clock and runs the minute tick. */
async function tickAt(h: DrillHarness, iso: string): Promise<void> {
  h.clock.set(iso);
  await h.jobs.tick();
}

async function studyOnce(h: DrillHarness, who: LearnerKey): Promise<void> {
  only(await h.say(who, "/quiz alpha 1"), "question");
  only(await h.say(who, "1"), "feedback");
}

/** The job once BullMQ has put it back to delayed. */
async function delayedJob(h: DrillHarness, id: string) {
  await eventually(async () => (await (await h.jobs.queues.shell.getJob(id))?.isDelayed()) ?? false);
  return (await h.jobs.queues.shell.getJob(id))!;
}

/** Nothing more arrives for a while (a second delivery would have had time to show). */
const quietFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withHarness(startIso: string, body: (h: DrillHarness) => Promise<void>): Promise<void> {
  const h = await drillHarness(redis.server.url, uniquePrefix(), startIso);
  h.jobs.startDeliveryWorkers(h.drills, { shell: h.messenger });
  try {
    await body(h);
  } finally {
    await h.shutdown();
  }
}

describe("breaks pause drills and reminders", () => {
  it("a learner on a break gets no drill and no reminder on break days, and gets both again after it", () =>
    withHarness("2026-03-02T10:00:00Z", async (h) => {
      await studyOnce(h, ann); // a 1-day streak on March 2 (UTC)
      await h.as(ann, "/drill me 07:00 UTC");
      await tickAt(h, "2026-03-02T20:01:00Z");
      expect(await outcome(h, jobId("reminder", ann, "2026-03-02"))).toBe("nothing-to-send"); // studied today
      h.clock.set("2026-03-03T06:00:00Z");
      expect(only(await h.as(ann, "/break 2"), "notice").text).toContain("2026-03-04");

      for (const day of ["2026-03-03", "2026-03-04"]) {
        await tickAt(h, `${day}T07:01:00Z`);
        expect(await outcome(h, jobId("personal-drill", ann, day))).toBe("on-break");
        await tickAt(h, `${day}T20:01:00Z`);
        expect(await outcome(h, jobId("reminder", ann, day))).toBe("on-break");
      }
      expect(dms(h, ann)).toHaveLength(0);
      expect(await h.redis.zscore(h.schedules.keys.scheduleDue("personal", scheduleBucket("shell:team:ann")), "shell:team:ann")).not.toBeNull(); // the subscription stays

      await tickAt(h, "2026-03-05T07:01:00Z");
      await eventually(() => dms(h, ann).length === 1);
      expect(dms(h, ann)[0]!.key).toBe(jobId("personal-drill", ann, "2026-03-05"));
      only(dms(h, ann)[0]!.replies, "question");
      await tickAt(h, "2026-03-05T20:01:00Z");
      await eventually(() => dms(h, ann).length === 2);
      // the break held the streak: March 3 and 4 were neither missed nor counted
      expect(only(dms(h, ann)[1]!.replies, "notice").text).toContain("1-day streak");
    }));

  it("studying during a break ends it: the next day's drill arrives", () =>
    withHarness("2026-03-02T10:00:00Z", async (h) => {
      await studyOnce(h, ann);
      await h.as(ann, "/drill me 07:00 UTC");
      await h.as(ann, "/drill remind off");
      h.clock.set("2026-03-03T06:00:00Z");
      await h.as(ann, "/break 10");
      await tickAt(h, "2026-03-03T07:01:00Z");
      expect(await outcome(h, jobId("personal-drill", ann, "2026-03-03"))).toBe("on-break");
      h.clock.set("2026-03-03T12:00:00Z");
      await studyOnce(h, ann); // back early
      expect(only(await h.as(ann, "/streak"), "streak").view).toMatchObject({ current: 2, studiedToday: true });
      await tickAt(h, "2026-03-04T07:01:00Z");
      await eventually(() => dms(h, ann).length === 1);
      expect(dms(h, ann)[0]!.key).toBe(jobId("personal-drill", ann, "2026-03-04"));
    }));

  it("one learner's break does not hold another learner's drill", () =>
    withHarness("2026-03-02T10:00:00Z", async (h) => {
      await h.as(ann, "/drill me 07:00 UTC");
      await h.as(bob, "/drill me 07:00 UTC");
      await h.as(ann, "/break 3");
      await tickAt(h, "2026-03-03T07:01:00Z");
      await eventually(() => dms(h, bob).length === 1);
      expect(await outcome(h, jobId("personal-drill", ann, "2026-03-03"))).toBe("on-break");
      expect(dms(h, ann)).toHaveLength(0);
    }));
});

describe("quiet hours hold DMs until they end", () => {
  it("a drill due inside quiet hours is not sent then and is sent once right after they end; a channel drill posts on time", () =>
    withHarness("2026-03-02T12:00:00Z", async (h) => {
      expect(only(await h.as(ann, "/settings team quiet 22:00-07:00 Europe/Berlin", { admin: true }), "notice").level).not.toBe("warning");
      await h.as(bob, "/drill me 23:00 Europe/Berlin");
      await h.as(bob, "/drill remind off");
      await h.as(ann, "/drill channel 23:00 Europe/Berlin", { admin: true, channel: general });

      await tickAt(h, "2026-03-02T22:01:00Z"); // 23:01 in Berlin, inside 22:00-07:00
      const id = jobId("personal-drill", bob, "2026-03-02");
      await eventually(() => h.messenger.to("ch:shell:team:general").length === 1); // the channel post is not held
      expect(await outcome(h, id)).toBe("held");
      let job = await delayedJob(h, id);
      // back to delayed until 07:00 Berlin (06:00Z), 7 h 59 min of the service clock away
      expect(job.delay).toBeGreaterThan(7 * 3_600_000 + 59 * 60_000 - 5_000);
      expect(job.delay).toBeLessThanOrEqual(7 * 3_600_000 + 59 * 60_000);
      expect(job.attemptsMade).toBe(0); // a hold is not a failed attempt
      expect(dms(h, bob)).toHaveLength(0);

      // the tick re-adding the same occurrence (a crash before it advanced the schedule) changes nothing
      const sub = (await h.schedules.personalDrill(bob))!;
      await h.schedules.savePersonalDrill(sub, Date.parse("2026-03-02T22:00:00Z"), null);
      await h.jobs.tick();

      // run early (06:59 Berlin): still quiet, so it goes back to wait one more minute
      h.clock.set("2026-03-03T05:59:00Z");
      await job.promote();
      await eventually(async () => (await h.jobs.queues.shell.getJob(id))!.delay <= 60_000 && (await (await h.jobs.queues.shell.getJob(id))!.isDelayed()));
      expect(dms(h, bob)).toHaveLength(0);

      // 07:00:30 Berlin: the window is over
      h.clock.set("2026-03-03T06:00:30Z");
      job = await delayedJob(h, id);
      const lateness = async () => (await drillLateness.get()).values.find((v) => v.metricName === "drillbot_drill_lateness_seconds_sum" && v.labels.platform === "shell" && v.labels.kind === "personal-drill")?.value ?? 0;
      const latenessBefore = await lateness();
      await job.promote();
      await eventually(() => dms(h, bob).length === 1);
      // Counted 30 s late (from the end of the quiet hours), not 8 hours late (from 23:00).
      await eventually(async () => (await lateness()) > latenessBefore);
      expect((await lateness()) - latenessBefore).toBe(30);
      expect(dms(h, bob)[0]!.key).toBe(id);
      only(dms(h, bob)[0]!.replies, "question");
      await eventually(async () => (await h.redis.get(h.schedules.keys.sent(id))) === "sent");

      // the same job id added again after it completed is not delivered again
      await h.jobs.queues.shell.add("personal-drill", { kind: "personal-drill", subscriptionId: "shell:team:bob", localDate: "2026-03-02", scheduledAt: Date.parse("2026-03-02T22:00:00Z") }, { ...DELIVERY_JOB_OPTIONS, jobId: `${id}` });
      await quietFor(500);
      expect(dms(h, bob)).toHaveLength(1);
    }));

  it("across the spring-forward night the drill is released at 07:00 summer time, 7 hours after 23:00", () =>
    withHarness("2026-03-28T12:00:00Z", async (h) => {
      await h.as(ann, "/settings team quiet 22:00-07:00 Europe/Berlin", { admin: true });
      await h.as(bob, "/drill me 23:00 Europe/Berlin");
      await h.as(bob, "/drill remind off");
      await tickAt(h, "2026-03-28T22:00:30Z"); // 23:00:30 CET; Berlin moves to CEST at 02:00
      const id = jobId("personal-drill", bob, "2026-03-28");
      const job = await delayedJob(h, id);
      expect(job.delay).toBeGreaterThan(7 * 3_600_000 - 30_000 - 5_000);
      expect(job.delay).toBeLessThanOrEqual(7 * 3_600_000 - 30_000);
      h.clock.set("2026-03-29T05:00:00Z"); // 07:00 CEST
      await job.promote();
      await eventually(() => dms(h, bob).length === 1);
    }));

  it("a streak reminder that quiet hours would push past its day is dropped, not sent the next morning", () =>
    withHarness("2026-03-02T10:00:00Z", async (h) => {
      await h.as(ann, "/settings team quiet 19:00-07:00 UTC", { admin: true });
      await studyOnce(h, bob);
      await h.as(bob, "/drill me 07:30 UTC");
      await tickAt(h, "2026-03-02T20:01:00Z");
      expect(await outcome(h, jobId("reminder", bob, "2026-03-02"))).toBe("too-late");
      await tickAt(h, "2026-03-03T20:01:00Z"); // a 1-day streak, not studied today; the 20:00 reminder falls inside 19:00-07:00
      expect(await outcome(h, jobId("reminder", bob, "2026-03-03"))).toBe("too-late");
      expect(dms(h, bob)).toHaveLength(0);
    }));

  it("quiet hours of one workspace do not hold DMs in another", () =>
    withHarness("2026-03-02T12:00:00Z", async (h) => {
      const other: LearnerKey = { platform: "shell", workspace: "elsewhere", user: "cy" };
      await h.as(ann, "/settings team quiet 22:00-07:00 UTC", { admin: true });
      await h.as(other, "/drill me 23:00 UTC");
      await tickAt(h, "2026-03-02T23:00:30Z");
      await eventually(() => h.messenger.to("dm:cy").length === 1);
    }));
});
