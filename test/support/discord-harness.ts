/**
 * One drillbot Discord bot for a test: the study service on a real Redis
 * (fresh key prefix), the fixture course, a fixed clock, and the real
 * discord.js client logged in to the stand-in's gateway, or (mode "http")
 * serving interactions on a loopback port set as the stand-in's
 * Interactions Endpoint URL.
 */
import { fileFixture } from "./file-fixture.js";
import { Redis } from "ioredis";
import { formatProblem, type Catalog } from "../../core/content/catalog.js";
import { StudyService } from "../../core/service/study-service.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import type { ChartRenderer } from "../../bots/charts/chart-renderer.js";
import { DiscordAdminRoles, startDiscord, type DiscordBot } from "../../bots/discord/index.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { DiscordStandin, type StandinOptions } from "./discord-standin.js";
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
  /** The Redis key prefix of this bot's progress. */
  prefix: string;
  logs: string[];
  stop(): Promise<void>;
}

export interface BotOptions {
  /** Draws chart replies (the caller closes it). */
  charts?: ChartRenderer;
  /** "http": interactions over HTTP (the stand-in's endpoint is set to this bot); default the gateway. */
  mode?: "gateway" | "http";
  /** Gateway shards (default "auto"). */
  shards?: "auto" | number;
  /** Share progress with another bot (default: a fresh prefix). */
  prefix?: string;
  /** Keep admin roles in Redis (/settings admin-role). */
  adminRoles?: boolean;
}

/** Starts the bot against `standin`, storing progress in the Redis at `redisUrl` under a fresh prefix. */
export async function startBot(standin: DiscordStandin, redisUrl: string, opts: BotOptions = {}): Promise<BotUnderTest> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, retryStrategy: () => 50, connectTimeout: 1000 });
  redis.on("error", () => undefined); // expected while a test has Redis stopped
  const logs: string[] = [];
  const log = plainLogger("info", [TOKEN], (line) => logs.push(line));
  let ids = 0;
  const prefix = opts.prefix ?? uniquePrefix();
  const service = new StudyService({
    catalog: await fixtureCatalog(),
    store: new RedisProgressStore(redis, { prefix }),
    clock: fixedClock("2025-03-10T12:00:00Z"),
    newId: () => `s${(++ids).toString(36).padStart(5, "0")}${Math.random().toString(36).slice(2, 4)}`,
    onError: (err) => log.warn("service error", err),
  });
  const started = startDiscord({
    token: TOKEN,
    appId: APP_ID,
    apiUrl: standin.apiUrl,
    service,
    log,
    ...(opts.charts ? { charts: opts.charts } : {}),
    ...(opts.shards !== undefined ? { shards: opts.shards } : {}),
    ...(opts.adminRoles ? { adminRoles: new DiscordAdminRoles(redis, prefix) } : {}),
    ...(opts.mode === "http" ? { mode: "http" as const, publicKey: standin.publicKeyHex, port: 0, host: "127.0.0.1" } : {}),
  });
  const bot = await started.catch((err: unknown) => {
    redis.disconnect();
    throw err;
  });
  if (opts.mode === "http") {
    try {
      await standin.setInteractionsEndpoint(bot.http!.url!);
    } catch (err) {
      await bot.stop();
      redis.disconnect();
      throw err;
    }
  }
  return {
    bot,
    redis,
    prefix,
    logs,
    async stop() {
      if (bot.http?.url && standin.interactionsEndpoint === bot.http.url) standin.interactionsEndpoint = null;
      await bot.stop();
      redis.disconnect();
    },
  };
}

export async function startStandin(guilds: StandinGuild[] = [GUILD_A, GUILD_B], extra: Partial<StandinOptions> = {}): Promise<DiscordStandin> {
  return DiscordStandin.start({ token: TOKEN, appId: APP_ID, guilds, ...extra });
}

/** One stand-in Discord for the whole test file (see fileFixture). */
export function useStandin(guilds?: StandinGuild[], extra: Partial<StandinOptions> = {}): DiscordStandin {
  return fileFixture(() => startStandin(guilds, extra), (s) => s.close());
}
