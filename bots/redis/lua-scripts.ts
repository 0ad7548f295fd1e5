/**
 * drillbot's Lua scripts (bots/redis/scripts/*.lua, each with a header naming
 * its KEYS and ARGV), registered on an ioredis client as custom commands:
 * EVALSHA with a fallback to EVAL, one round trip each.
 */
import { readFileSync } from "node:fs";
import type { Redis, Result } from "ioredis";

const script = (name: string) => readFileSync(new URL(`./scripts/${name}`, import.meta.url), "utf8");

export type LoadReply = [string[], string | null, string[], (string | null)[], string | null, string | null, string | null, string[]];

declare module "ioredis" {
  interface RedisCommander<Context> {
    drillbotLoad(...args: (string | number)[]): Result<LoadReply, Context>;
    drillbotRecord(...args: (string | number)[]): Result<[string, string], Context>;
    drillbotOpenSession(...args: (string | number)[]): Result<number, Context>;
    drillbotSaveStreak(...args: (string | number)[]): Result<number, Context>;
    drillbotClaimDelivery(...args: (string | number)[]): Result<[number, string | null, string[]], Context>;
  }
}

export function defineDrillbotScripts(redis: Redis): void {
  if (typeof (redis as unknown as { drillbotLoad?: unknown }).drillbotLoad === "function") return;
  redis.defineCommand("drillbotLoad", { numberOfKeys: 7, lua: script("load-snapshot.lua") });
  redis.defineCommand("drillbotRecord", { numberOfKeys: 17, lua: script("record-answer.lua") });
  redis.defineCommand("drillbotOpenSession", { numberOfKeys: 3, lua: script("open-session.lua") });
  redis.defineCommand("drillbotSaveStreak", { numberOfKeys: 1, lua: script("save-streak.lua") });
  redis.defineCommand("drillbotClaimDelivery", { numberOfKeys: 3, lua: script("claim-delivery.lua") });
}
