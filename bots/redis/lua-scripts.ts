/**
 * drillbot's Lua scripts (bots/redis/scripts/*.lua, each with a header naming
 * its KEYS and ARGV), registered on an ioredis client as custom commands:
 * EVALSHA with a fallback to EVAL, one round trip each. Every script's keys
 * share one hash tag (keys.ts), so each runs on a Redis Cluster as well.
 */
import { readFileSync } from "node:fs";
import type { Cluster, Redis, Result } from "ioredis";

/** A script's text, with each "--! include <file>" line replaced by that file (Lua code shared by scripts). */
const script = (name: string): string =>
  readFileSync(new URL(`./scripts/${name}`, import.meta.url), "utf8").replace(/^--! include (\S+)$/gm, (_, file: string) => script(file));

export type LoadReply = [string[], string | null, string[], (string | null)[], string | null, string | null, string | null, string[]];

declare module "ioredis" {
  interface RedisCommander<Context> {
    drillbotLoad(...args: (string | number)[]): Result<LoadReply, Context>;
    drillbotRecord(...args: (string | number)[]): Result<[string, string], Context>;
    drillbotOpenSession(...args: (string | number)[]): Result<number, Context>;
    drillbotSaveStreak(...args: (string | number)[]): Result<number, Context>;
    drillbotRegisterQuestions(...args: string[]): Result<string[], Context>;
    drillbotSavePack(...args: (string | number | Buffer)[]): Result<string, Context>;
    drillbotRollbackPack(...args: string[]): Result<string | null, Context>;
    drillbotSwitchPack(...args: string[]): Result<number, Context>;
    drillbotRemovePack(...args: string[]): Result<string | null, Context>;
  }
}

export function defineDrillbotScripts(redis: Redis | Cluster): void {
  if (typeof (redis as unknown as { drillbotLoad?: unknown }).drillbotLoad === "function") return;
  redis.defineCommand("drillbotLoad", { numberOfKeys: 8, lua: script("load-snapshot.lua") });
  redis.defineCommand("drillbotRecord", { numberOfKeys: 18, lua: script("record-answer.lua") });
  redis.defineCommand("drillbotOpenSession", { numberOfKeys: 3, lua: script("open-session.lua") });
  redis.defineCommand("drillbotSaveStreak", { numberOfKeys: 1, lua: script("save-streak.lua") });
  redis.defineCommand("drillbotRegisterQuestions", { numberOfKeys: 1, lua: script("register-questions.lua") });
  redis.defineCommand("drillbotSavePack", { numberOfKeys: 3, lua: script("save-pack.lua") });
  redis.defineCommand("drillbotRollbackPack", { numberOfKeys: 3, lua: script("rollback-pack.lua") });
  redis.defineCommand("drillbotSwitchPack", { numberOfKeys: 1, lua: script("switch-pack.lua") });
  redis.defineCommand("drillbotRemovePack", { numberOfKeys: 3, lua: script("remove-pack.lua") });
}
