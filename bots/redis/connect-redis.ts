/**
 * Where drillbot's Redis is: one server (a redis:// URL) or a Redis Cluster
 * (REDIS_CLUSTER_NODES). Builds the app's client, the options BullMQ's
 * connections are made from, and a readable address without any password.
 */
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { RedisClusterConfig } from "../config.js";
import { clusterOptions, reconnectDelay, type ConnectionTarget } from "../jobs/connection-pool.js";
import { probeRedis, redisAddress, RedisUnreachableError } from "./probe-redis.js";

export type RedisTarget = { url: string; cluster?: undefined } | { cluster: RedisClusterConfig; url?: undefined };

/** host:port of the server, or of each startup node; never a password. */
export function targetAddress(target: RedisTarget): string {
  return target.cluster ? target.cluster.nodes.map((n) => `${n.host}:${n.port}`).join(",") : redisAddress(target.url);
}

/** Fails fast (RedisUnreachableError) unless the server, or at least one startup node, answers. */
export async function probeTarget(target: RedisTarget, timeoutMs = 5_000): Promise<void> {
  if (!target.cluster) return probeRedis(target.url, timeoutMs);
  let last: unknown;
  for (const node of target.cluster.nodes) {
    const auth = target.cluster.password ? `:${encodeURIComponent(target.cluster.password)}@` : "";
    try {
      return await probeRedis(`redis://${auth}${node.host.includes(":") ? `[${node.host}]` : node.host}:${node.port}`, timeoutMs);
    } catch (err) {
      last = err;
    }
  }
  throw last instanceof RedisUnreachableError ? new RedisUnreachableError(`no node of REDIS_CLUSTER_NODES answers (${targetAddress(target)}); the last said: ${last.message}`) : last;
}

/** The app's client: commands fail after `maxRetriesPerRequest` reconnects; auto-pipelined. */
export function appClient(target: RedisTarget, options: RedisOptions = {}): Redis | Cluster {
  const base: RedisOptions = { maxRetriesPerRequest: 2, retryStrategy: reconnectDelay, ...options };
  if (!target.cluster) return new Redis(target.url, { enableAutoPipelining: true, ...base });
  return new Cluster(target.cluster.nodes, {
    ...clusterOptions({ ...base, ...(target.cluster.password ? { password: target.cluster.password } : {}) }),
    enableAutoPipelining: true,
  });
}

/** What BullMQ's connections (connection-pool.ts) are made from. */
export function bullConnection(target: RedisTarget): ConnectionTarget {
  if (target.cluster) {
    return { clusterNodes: target.cluster.nodes, maxRetriesPerRequest: null, ...(target.cluster.password ? { password: target.cluster.password } : {}) };
  }
  const parsed = new URL(target.url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
