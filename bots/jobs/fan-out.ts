/**
 * The minute tick: moves every subscription whose next run has come into a
 * delivery job (addBulk, 1,000 at a time), then advances its next run. A crash
 * between the two re-adds the same job ids on the next tick; BullMQ ignores an
 * id it already holds and the sent-marker stops a second delivery of one that
 * already finished. Several workers may tick at once: the effect is the same.
 * Schedules are spread over SCHEDULE_BUCKETS bucket tags (keys.ts); the tick
 * reads the buckets side by side, so on a cluster the work spreads over its nodes.
 */
import type { Queue } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import type { Platform } from "../../core/identity.js";
import type { ChannelDrill, PersonalDrill } from "../../core/schedule/model.js";
import { REMINDER_TIME } from "../../core/schedule/model.js";
import { EVERY_DAY, nextRun, type Recurrence } from "../../core/schedule/recurrence.js";
import { localDate } from "../../core/time.js";
import { SCHEDULE_BUCKETS, type RedisKeys } from "../redis/keys.js";
import { DELIVERY_JOB_OPTIONS, deliveryJobId, type DeliveryJob } from "./job-types.js";

const BATCH = 1_000;

type Kind = "personal" | "remind" | "channel";

export interface FanOutDeps {
  redis: Redis | Cluster;
  keys: RedisKeys;
  /** Delivery queues of the platforms this deployment serves. */
  queues: Partial<Record<Platform, Queue>>;
}

function recurrenceOf(kind: Kind, sub: PersonalDrill | ChannelDrill): Recurrence {
  if (kind === "remind") return { time: REMINDER_TIME, zone: sub.recurrence.zone, days: EVERY_DAY };
  return sub.recurrence;
}

function platformOf(sub: PersonalDrill | ChannelDrill): Platform {
  return "learner" in sub ? sub.learner.platform : sub.channel.platform;
}

/** Fans out one kind of subscription in every bucket; returns how many jobs were enqueued. */
async function fanOutKind(deps: FanOutDeps, kind: Kind, now: Date): Promise<number> {
  // Learners due in the same minute mostly share a time and zone: compute each next run once.
  const memo = { nextRuns: new Map<string, number>(), dates: new Map<string, string>() };
  const counts = await Promise.all(Array.from({ length: SCHEDULE_BUCKETS }, (_, b) => fanOutBucket(deps, kind, b, now, memo)));
  return counts.reduce((n, c) => n + c, 0);
}

async function fanOutBucket(deps: FanOutDeps, kind: Kind, bucket: number, now: Date, memo: { nextRuns: Map<string, number>; dates: Map<string, string> }): Promise<number> {
  const { redis, keys, queues } = deps;
  const dataKey = keys.scheduleData(kind === "channel" ? "channel" : "personal", bucket);
  const dueKey = keys.scheduleDue(kind, bucket);
  let total = 0;
  const { nextRuns, dates } = memo;
  const nextRunOf = (rec: Recurrence, after: number): number => {
    const key = `${rec.time}|${rec.zone}|${rec.days.join("")}|${after}`;
    let at = nextRuns.get(key);
    if (at === undefined) {
      at = nextRun(rec, new Date(after)).at.getTime();
      nextRuns.set(key, at);
    }
    return at;
  };
  const localDateOf = (ms: number, zone: string): string => {
    const key = `${ms}|${zone}`;
    let d = dates.get(key);
    if (d === undefined) {
      d = localDate(new Date(ms), zone);
      dates.set(key, d);
    }
    return d;
  };
  for (;;) {
    const flat = await redis.zrangebyscore(dueKey, "-inf", now.getTime(), "WITHSCORES", "LIMIT", 0, BATCH);
    if (flat.length === 0) return total;
    const ids: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      ids.push(flat[i]!);
      scores.push(Number(flat[i + 1]));
    }
    const raw = await redis.hmget(dataKey, ...ids);
    const byQueue = new Map<Queue, { name: string; data: DeliveryJob; opts: object }[]>();
    const advance: (string | number)[] = [];
    const orphans: string[] = [];
    ids.forEach((id, i) => {
      const sub = raw[i] ? (JSON.parse(raw[i]!) as PersonalDrill | ChannelDrill) : null;
      if (!sub || (kind === "remind" && !(sub as PersonalDrill).remind)) {
        orphans.push(id);
        return;
      }
      const rec = recurrenceOf(kind, sub);
      const scheduledAt = scores[i]!;
      // The occurrence belongs to the local date it was scheduled for, even when delivered late.
      const date = localDateOf(scheduledAt, rec.zone);
      const job: DeliveryJob = { kind: kind === "personal" ? "personal-drill" : kind === "remind" ? "reminder" : "channel-drill", subscriptionId: id, localDate: date, scheduledAt };
      const queue = queues[platformOf(sub)];
      if (queue) {
        const list = byQueue.get(queue) ?? [];
        list.push({ name: job.kind, data: job, opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(job) } });
        byQueue.set(queue, list);
      }
      advance.push(nextRunOf(rec, Math.max(now.getTime(), scheduledAt)), id);
    });
    for (const [queue, jobs] of byQueue) await queue.addBulk(jobs);
    const tx = redis.multi();
    if (advance.length) tx.zadd(dueKey, ...advance);
    if (orphans.length) tx.zrem(dueKey, ...orphans);
    await tx.exec();
    total += advance.length / 2;
    if (ids.length < BATCH) return total;
  }
}

export async function fanOut(deps: FanOutDeps, now: Date): Promise<{ personal: number; remind: number; channel: number }> {
  return {
    personal: await fanOutKind(deps, "personal", now),
    remind: await fanOutKind(deps, "remind", now),
    channel: await fanOutKind(deps, "channel", now),
  };
}
