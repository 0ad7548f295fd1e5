/**
 * One drillbot Discord bot for a test: the study service on a real Redis
 * (fresh key prefix), the fixture course, a fixed clock, and the real
 * discord.js client logged in to the stand-in.
 */
import { fileFixture } from "./file-fixture.js";
import { Redis } from "ioredis";
import { formatProblem, type Catalog } from "../../core/content/catalog.js";
import { StudyService } from "../../core/service/study-service.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import type { ChartRenderer } from "../../bots/charts/chart-renderer.js";
import { startDiscord, type DiscordBot } from "../../bots/discord/index.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { DiscordStandin } from "./discord-standin.js";
import type { StandinGuild } from "./discord-interactions.js";
import { fixedClock, uniquePrefix } from "./redis.js";

export const TOKEN = "standin-bot-token-0123456789";
export const APP_ID = "900000000000000001";
export const GUILD_A: StandinGuild = { id: "500000000000000001", name: "Team A", channelId: "510000000000000001" };
export const GUILD_B: StandinGuild = { id: "500000000000000002", name: "Team B", channelId: "510000000000000002" };

let cached: Catalog | null = null;
export async function fixtureCatalog(): Promise<Catalog> {
  if (cached) return cached;
  const result = await loadCatalog("test/fixtures/content");
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  cached = result.catalog;
  return cached;
}

export interface BotUnderTest {
  bot: DiscordBot;
  redis: Redis;
  logs: string[];
  stop(): Promise<void>;
}

export interface BotOptions {
  /** Draws chart replies (the caller closes it). */
  charts?: ChartRenderer;
}

/** Starts the bot against `standin`, storing progress in the Redis at `redisUrl` under a fresh prefix. */
export async function startBot(standin: DiscordStandin, redisUrl: string, opts: BotOptions = {}): Promise<BotUnderTest> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, retryStrategy: () => 50, connectTimeout: 1000 });
  redis.on("error", () => undefined); // expected while a test has Redis stopped
  const logs: string[] = [];
  const log = plainLogger("info", [TOKEN], (line) => logs.push(line));
  let ids = 0;
  const service = new StudyService({
    catalog: await fixtureCatalog(),
    store: new RedisProgressStore(redis, { prefix: uniquePrefix() }),
    clock: fixedClock("2025-03-10T12:00:00Z"),
    newId: () => `s${(++ids).toString(36).padStart(5, "0")}${Math.random().toString(36).slice(2, 4)}`,
    onError: (err) => log.warn("service error", err),
  });
  const bot = await startDiscord({ token: TOKEN, appId: APP_ID, apiUrl: standin.apiUrl, service, log, ...(opts.charts ? { charts: opts.charts } : {}) });
  return {
    bot,
    redis,
    logs,
    async stop() {
      await bot.stop();
      redis.disconnect();
    },
  };
}

export async function startStandin(guilds: StandinGuild[] = [GUILD_A, GUILD_B]): Promise<DiscordStandin> {
  return DiscordStandin.start({ token: TOKEN, appId: APP_ID, guilds });
}

/** One stand-in Discord for the whole test file (see fileFixture). */
export function useStandin(guilds?: StandinGuild[]): DiscordStandin {
  return fileFixture(() => startStandin(guilds), (s) => s.close());
}
