/**
 * Counts over the schedule keys, which are spread over SCHEDULE_BUCKETS bucket
 * tags (bots/redis/keys.ts): how many subscriptions of a kind are stored, and
 * how many wait in the due sets.
 */
import type { Cluster, Redis } from "ioredis";
import { SCHEDULE_BUCKETS, type RedisKeys } from "../../bots/redis/keys.js";

const buckets = Array.from({ length: SCHEDULE_BUCKETS }, (_, b) => b);

/** Subscriptions stored (HLEN of every bucket's data hash). */
export async function storedSubscriptions(redis: Redis | Cluster, keys: RedisKeys, kind: "personal" | "channel"): Promise<number> {
  const counts = await Promise.all(buckets.map((b) => redis.hlen(keys.scheduleData(kind, b))));
  return counts.reduce((n, c) => n + c, 0);
}

/** Entries in the due sets (ZCARD of every bucket's due set). */
export async function scheduledRuns(redis: Redis | Cluster, keys: RedisKeys, kind: "personal" | "remind" | "channel"): Promise<number> {
  const counts = await Promise.all(buckets.map((b) => redis.zcard(keys.scheduleDue(kind, b))));
  return counts.reduce((n, c) => n + c, 0);
}
