/**
 * Delivers one scheduled job at most once per job id, and never loses it.
 *
 * The first attempt of a job claims it by creating its sent-marker. A later
 * attempt of the same BullMQ job (a retry after an error, the recovery of a
 * job whose worker died, or a DM held through quiet hours coming back) goes
 * on despite the marker: that job has not finished. Any other job with the
 * same id (the tick re-adding one that already completed and was removed)
 * finds the marker and stops. The one gap: a worker that dies after the
 * platform accepted a message and before BullMQ recorded the job as done
 * sends it again on recovery; messengers pass the job id as an idempotency
 * key, which Discord honours (message nonce).
 *
 * DMs (personal drills, reminders) are not sent on the learner's break days
 * and wait out the workspace's quiet hours; channel posts are never held.
 */
import type { Cluster, Redis } from "ioredis";
import { workspaceId } from "../../core/identity.js";
import type { DueCard, JobPlanner, Messenger } from "../../core/ports.js";
import type { QuietHours } from "../../core/quiet-hours.js";
import type { PersonalDrill } from "../../core/schedule/model.js";
import type { DrillService } from "../../core/service/drill-service.js";
import type { RedisKeys } from "../redis/keys.js";
import type { RedisScheduleStore } from "../redis/schedule-store.js";
import { deliveryJobId, type DeliveryJob } from "./job-types.js";

export interface DeliveryDeps {
  redis: Redis | Cluster;
  keys: RedisKeys;
  schedules: RedisScheduleStore;
  drills: DrillService;
  messenger: Messenger;
  planner: JobPlanner;
  /** A workspace's quiet hours (workspace id as core/identity builds it). */
  quietHours: { get(workspace: string): Promise<QuietHours | null> };
}

/** What became of a job; also written to its sent-marker for operators ("sent" only after a retry or a hold). */
export type DeliveryOutcome = "sent" | "already-sent" | "nothing-to-send" | "gone" | "on-break" | "too-late";

/** A DM that falls in quiet hours is held: the caller puts the job back until then. */
export type DeliveryResult = DeliveryOutcome | { heldUntil: Date };

/**
 * How long a sent-marker outlives its delivery: longer than any window in
 * which the same job id can be added again (a tick re-adding a due
 * subscription: minutes; closing a channel drill at the next drill: up to a week).
 */
function markerTtlSeconds(job: DeliveryJob): number {
  return job.kind === "close-drill" || job.kind === "close-challenge" ? 9 * 86_400 : 2 * 86_400;
}

/** `attempt` is BullMQ's attemptsStarted for this job (1 on its first run). */
export async function deliver(deps: DeliveryDeps, job: DeliveryJob, attempt = 1): Promise<DeliveryResult> {
  const id = deliveryJobId(job);
  const marker = deps.keys.sent(id);
  const personal = job.kind === "personal-drill" || job.kind === "reminder" ? { subscriptionId: job.subscriptionId, withCards: job.kind === "personal-drill" } : undefined;
  const claim = await deps.schedules.claimDelivery(marker, markerTtlSeconds(job), attempt > 1, personal);
  if (!claim.claimed) return "already-sent";
  let outcome: DeliveryOutcome;
  if (job.kind === "personal-drill" || job.kind === "reminder") {
    const sub = claim.sub;
    if (!sub || (job.kind === "reminder" && !sub.remind)) outcome = "gone";
    else {
      const quiet = await deps.quietHours.get(workspaceId(sub.learner));
      const timing = deps.drills.dmTiming(job.kind === "reminder" ? "reminder" : "drill", claim.learner, sub.recurrence.zone, quiet);
      if ("holdUntil" in timing) {
        // The claim stands (a re-added job with this id stops at the marker); the marker lives on past the hold.
        await deps.redis.set(marker, "held", "EX", markerTtlSeconds(job));
        return { heldUntil: timing.holdUntil };
      }
      outcome = timing.send ? await sendDm(deps, job, id, sub, claim.cards) : timing.reason;
    }
  } else outcome = await post(deps, job, id);
  // Record why nothing went out (for operators); a first-attempt "sent" needs no second write.
  if (outcome !== "sent" || attempt > 1) await deps.redis.set(marker, outcome, "KEEPTTL");
  return outcome;
}

async function sendDm(deps: DeliveryDeps, job: DeliveryJob & { kind: "personal-drill" | "reminder" }, id: string, sub: PersonalDrill, cards: DueCard[]): Promise<DeliveryOutcome> {
  const replies = job.kind === "personal-drill" ? await deps.drills.personalDrill(sub, cards, id) : await deps.drills.reminder(sub.learner, sub.recurrence.zone);
  if (replies.length === 0) return "nothing-to-send";
  await deps.messenger.toLearner(sub.learner, replies, { idempotencyKey: id });
  return "sent";
}

async function post(deps: DeliveryDeps, job: DeliveryJob & { kind: "channel-drill" | "close-drill" | "close-challenge" }, id: string): Promise<DeliveryOutcome> {
  const { schedules, drills, messenger } = deps;
  const opts = { idempotencyKey: id };
  switch (job.kind) {
    case "channel-drill": {
      const sub = await schedules.channelDrillById(job.subscriptionId);
      if (!sub) return "gone";
      const { posted, replies } = await drills.channelDrill(sub, job.localDate);
      await messenger.toChannel(sub.channel, replies, opts);
      const previous = await schedules.swapLastPosted(sub.channel, posted.sessionId);
      if (previous) await deps.planner.closeDrillAt(previous, new Date(0));
      if (sub.windowMinutes) await deps.planner.closeDrillAt(posted.sessionId, new Date(Date.parse(posted.postedAt) + sub.windowMinutes * 60_000));
      return "sent";
    }
    case "close-drill": {
      const results = await drills.drillResults(job.sessionId);
      if (!results) return "gone";
      await messenger.toChannel(results.channel, results.replies, opts);
      return "sent";
    }
    case "close-challenge": {
      const results = await drills.challengeResults(job.challengeId);
      if (!results) return "gone";
      await messenger.toChannel(results.channel, results.replies, opts);
      return "sent";
    }
  }
}
