/**
 * Delivers one scheduled job at most once: a sent-marker is leased
 * ("sending", with an expiry) before sending and set to "sent" after. A worker
 * that dies mid-send leaves the lease to expire, so the retry delivers (never
 * lost); a finished delivery is never repeated. The only gap is a crash after
 * the platform accepted the message and before "sent" was written; messengers
 * close it where the platform allows (Discord message nonces).
 */
import type { Redis } from "ioredis";
import type { DueCard, Messenger } from "../../core/ports.js";
import type { PersonalDrill } from "../../core/schedule/model.js";
import type { DrillService } from "../../core/service/drill-service.js";
import type { RedisKeys } from "../redis/keys.js";
import type { RedisScheduleStore } from "../redis/schedule-store.js";
import type { PlannerLike } from "./planner.js";
import { deliveryJobId, type DeliveryJob } from "./job-types.js";

export interface DeliveryDeps {
  redis: Redis;
  keys: RedisKeys;
  schedules: RedisScheduleStore;
  drills: DrillService;
  messenger: Messenger;
  planner: PlannerLike;
  /** How long a delivery may hold its lease before another worker may retry it. */
  leaseMs?: number;
}

export type DeliveryOutcome = "sent" | "already-sent" | "nothing-to-send" | "gone";

export class DeliveryInProgressError extends Error {
  constructor(id: string) {
    super(`delivery ${id} is held by another worker; retrying later`);
    this.name = "DeliveryInProgressError";
  }
}

const SENT_TTL_SECONDS = 3 * 86_400;

export async function deliver(deps: DeliveryDeps, job: DeliveryJob): Promise<DeliveryOutcome> {
  const id = deliveryJobId(job);
  const marker = deps.keys.sent(id);
  const leaseMs = deps.leaseMs ?? 60_000;
  let prefetched: Prefetched | undefined;
  let claimed: boolean;
  let state: string | null;
  if (job.kind === "personal-drill" || job.kind === "reminder") {
    // The hot path of a fan-out: lease and read in one round trip.
    const c = await deps.schedules.claimPersonalDelivery(marker, leaseMs, job.subscriptionId, job.kind === "personal-drill");
    claimed = c.claimed;
    state = c.state;
    prefetched = { sub: c.sub, cards: c.cards };
  } else {
    claimed = (await deps.redis.set(marker, "sending", "PX", leaseMs, "NX")) === "OK";
    state = claimed ? "sending" : await deps.redis.get(marker);
  }
  if (!claimed) {
    if (state === "sending") throw new DeliveryInProgressError(id);
    return "already-sent";
  }
  try {
    const outcome = await send(deps, job, id, prefetched);
    await deps.redis.set(marker, outcome === "sent" ? "sent" : outcome, "EX", SENT_TTL_SECONDS);
    return outcome;
  } catch (err) {
    await deps.redis.del(marker); // not sent: let the retry claim it at once
    throw err;
  }
}

interface Prefetched {
  sub: PersonalDrill | null;
  cards: DueCard[];
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

