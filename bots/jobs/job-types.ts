/**
 * Queue names and job payloads: the one place they are defined.
 *
 * Scheduling design (100,000 personal subscriptions): one BullMQ job scheduler
 * fires a "tick" every minute; the tick reads the subscriptions due from a
 * Redis sorted set (score = next run) and fans them out with addBulk, each job
 * with a deterministic id per target and local date. We chose this over one
 * BullMQ job scheduler per subscription because 100,000 schedulers would keep
 * 100,000 scheduler records and 100,000 delayed jobs in Redis at all times,
 * make every deploy re-upsert them one by one, and give each occurrence an id
 * derived from the scheduler rather than from the learner's local date. The
 * tick keeps one sorted-set entry per subscription, batches the fan-out, and
 * makes "at most one drill per target and local date" a property of the job
 * id plus a sent-marker. See docs/SCALING.md.
 */
import type { Platform } from "../../core/identity.js";

export const TICK_QUEUE = "drillbot-tick";
export const TICK_SCHEDULER_ID = "minute-tick";
export const TICK_EVERY_MS = 60_000;

export function deliveryQueueName(platform: Platform): string {
  return `drillbot-deliver-${platform}`;
}

export type DeliveryJob =
  | { kind: "personal-drill"; subscriptionId: string; localDate: string; scheduledAt: number }
  | { kind: "reminder"; subscriptionId: string; localDate: string; scheduledAt: number }
  | { kind: "channel-drill"; subscriptionId: string; localDate: string; scheduledAt: number }
  | { kind: "close-drill"; sessionId: string }
  | { kind: "close-challenge"; challengeId: string };

/** A job's deterministic id, which is also its sent-marker key. BullMQ ids may not contain ":". */
export function deliveryJobId(job: DeliveryJob): string {
  const safe = (s: string) => s.replace(/:/g, "~");
  switch (job.kind) {
    case "personal-drill":
    case "reminder":
    case "channel-drill":
      return `${job.kind}__${safe(job.subscriptionId)}__${job.localDate}`;
    case "close-drill":
      return `close-drill__${safe(job.sessionId)}`;
    case "close-challenge":
      return `close-challenge__${safe(job.challengeId)}`;
  }
}

/** Per-platform delivery limits: Discord allows 50 requests/s globally; Slack about 1 message/s per channel. */
export const PLATFORM_LIMITS: Record<Platform, { max: number; duration: number }> = {
  // The real cap is the shared request budget (bots/discord/rest-budget.ts, 48 requests/s per bot token); this one
  // only bounds jobs started across processes when the messenger runs without it.
  discord: { max: 50, duration: 1000 },
  // Each DM and channel is its own Slack channel, so a workspace-wide cap well above 1/s is safe;
  // a 429 from Slack still pauses the queue for its Retry-After (see delivery-worker.ts).
  slack: { max: 20, duration: 1000 },
  shell: { max: 1000, duration: 1000 },
};

/**
 * Deliveries in flight per worker process. Real sends wait on the network and
 * the platform limiter caps the rate anyway; 50 keeps a worker busy without
 * holding many jobs' locks at once.
 */
export const DELIVERY_CONCURRENCY = 50;

export const DELIVERY_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: "exponential" as const, delay: 2_000 },
  // The sent-marker is the record of a delivery: keep only a few completed jobs, for operators.
  removeOnComplete: { age: 3_600, count: 200 },
  removeOnFail: { age: 7 * 86_400, count: 5_000 },
};
