/**
 * Puts a discord.js REST client on a request budget shared through Redis:
 * every network attempt (DM-channel opens, posts, the REST's own retries)
 * waits for a slot of the bot's budget first, and a 429 on Discord's global
 * limit (`X-RateLimit-Global`, or `X-RateLimit-Scope: global`) holds every
 * process for its Retry-After. The REST's own per-route buckets and header
 * handling stay as they are (it reads X-RateLimit-* per process).
 */
import { createHash } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import type { REST } from "discord.js";
import type { RedisKeys } from "../redis/keys.js";
import { SharedRateBudget } from "../jobs/shared-rate-limit.js";

/**
 * Discord allows 50 requests/s per bot token: at most 47 start in any second
 * (46/s steady), so a request may be held up to three slots (65 ms) longer
 * than those sent after it (network, a busy event loop) before any second
 * at Discord can hold more than 50.
 */
export const DISCORD_REQUESTS_PER_SECOND = 47;

/** The budget's name for one bot token: a digest, so no part of the token reaches Redis. */
export function discordBudgetName(token: string): string {
  return `discord:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
}

export function discordBudget(redis: Redis | Cluster, keys: RedisKeys, token: string, perSecond = DISCORD_REQUESTS_PER_SECOND): SharedRateBudget {
  const name = discordBudgetName(token);
  return new SharedRateBudget({ redis, keyPrefix: keys.rateBudget(name), pauseKey: keys.ratePause(name), perSecond });
}

/** A response's global-limit wait in ms, or 0 when it is not a 429 on the global limit. */
export function globalRetryAfterMs(res: { status: number; headers: Headers }): number {
  if (res.status !== 429) return 0;
  const h = res.headers;
  const global = h.get("x-ratelimit-global") === "true" || h.get("x-ratelimit-scope") === "global";
  if (!global) return 0;
  const seconds = Number(h.get("retry-after") ?? h.get("x-ratelimit-reset-after") ?? "1");
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds * 1000) : 1000;
}

/** Wraps the REST's makeRequest (install before the metrics hook, so it counts what reaches the network). Returns the REST. */
export function shareRestBudget<T extends REST>(rest: T, budget: SharedRateBudget): T {
  const send = rest.options.makeRequest;
  rest.options.makeRequest = async function (this: unknown, url, init) {
    await budget.acquire(init.signal as AbortSignal | null | undefined);
    const res = await send.call(this, url, init);
    const pause = globalRetryAfterMs(res as { status: number; headers: Headers });
    if (pause > 0) await budget.pauseAll(pause);
    return res;
  };
  return rest;
}
