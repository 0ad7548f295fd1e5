/**
 * Delivers one scheduled job at most once per job id, and never loses it.
 *
 * The first attempt of a job claims it by creating its sent-marker. A later
 * attempt of the same BullMQ job (a retry after an error, or the recovery of
 * a job whose worker died) goes on despite the marker: that job has not
 * finished. Any other job with the same id (the tick re-adding one that
 * already completed and was removed) finds the marker and stops. The one
 * gap: a worker that dies after the platform accepted a message and before
 * BullMQ recorded the job as done sends it again on recovery; messengers pass
 * the job id as an idempotency key, which Discord honours (message nonce).
 */
import type { Redis } from "ioredis";
import type { DueCard, JobPlanner, Messenger } from "../../core/ports.js";
import type { PersonalDrill } from "../../core/schedule/model.js";
import type { DrillService } from "../../core/service/drill-service.js";
import type { RedisKeys } from "../redis/keys.js";
import type { RedisScheduleStore } from "../redis/schedule-store.js";
import { deliveryJobId, type DeliveryJob } from "./job-types.js";

export interface DeliveryDeps {
  redis: Redis;
  keys: RedisKeys;
  schedules: RedisScheduleStore;
  drills: DrillService;
  messenger: Messenger;
  planner: JobPlanner;
}

export type DeliveryOutcome = "sent" | "already-sent" | "nothing-to-send" | "gone";

/**
 * How long a sent-marker outlives its delivery: longer than any window in
 * which the same job id can be added again (a tick re-adding a due
 * subscription: minutes; closing a channel drill at the next drill: up to a week).
 */
function markerTtlSeconds(job: DeliveryJob): number {
  return job.kind === "close-drill" || job.kind === "close-challenge" ? 9 * 86_400 : 2 * 86_400;
}

interface Prefetched {
  sub: PersonalDrill | null;
  cards: DueCard[];
}

/** `attempt` is BullMQ's attemptsStarted for this job (1 on its first run). */
export async function deliver(deps: DeliveryDeps, job: DeliveryJob, attempt = 1): Promise<DeliveryOutcome> {
  const id = deliveryJobId(job);
  const marker = deps.keys.sent(id);
  const personal = job.kind === "personal-drill" || job.kind === "reminder" ? { subscriptionId: job.subscriptionId, withCards: job.kind === "personal-drill" } : undefined;
  const claim = await deps.schedules.claimDelivery(marker, markerTtlSeconds(job), attempt > 1, personal);
  if (!claim.claimed) return "already-sent";
  const outcome = await send(deps, job, id, personal ? { sub: claim.sub, cards: claim.cards } : undefined);
  // Record why nothing went out (for operators); "sent" needs no second write.
  if (outcome !== "sent") await deps.redis.set(marker, outcome, "KEEPTTL");
  return outcome;
}

async function send(deps: DeliveryDeps, job: DeliveryJob, id: string, prefetched?: Prefetched): Promise<DeliveryOutcome> {
  const { schedules, drills, messenger } = deps;
  const opts = { idempotencyKey: id };
  switch (job.kind) {
    case "personal-drill": {
      const sub = prefetched ? prefetched.sub : await schedules.personalDrillById(job.subscriptionId);
      if (!sub) return "gone";
      const replies = await drills.personalDrill(sub, prefetched?.cards, id);
      if (replies.length === 0) return "nothing-to-send";
      await messenger.toLearner(sub.learner, replies, opts);
      return "sent";
    }
    case "reminder": {
      const sub = prefetched ? prefetched.sub : await schedules.personalDrillById(job.subscriptionId);
      if (!sub || !sub.remind) return "gone";
      const replies = await drills.reminder(sub.learner, sub.recurrence.zone);
      if (replies.length === 0) return "nothing-to-send";
      await messenger.toLearner(sub.learner, replies, opts);
      return "sent";
    }
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
