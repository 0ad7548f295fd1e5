/**
 * drillbot on Discord with drills and challenges: the drill harness (study
 * and drill services on a real Redis, a real BullMQ JobRuntime, a fixed
 * clock) behind the real discord.js client logged in to the stand-in (or,
 * mode "http", serving the stand-in's HTTP interactions), with
 * admin roles kept in the same Redis, and the REST-only messenger the
 * delivery workers send with.
 */
import { createDiscordMessenger, DiscordAdminRoles, startDiscord, type AdminRoleStore, type DiscordBot, type DiscordMessenger } from "../../bots/discord/index.js";
import { plainLogger, type Logger } from "../../bots/logger.js";
import type { LearnerKey } from "../../core/identity.js";
import { drillHarness, type DrillHarness } from "./drill-harness.js";
import { APP_ID, TOKEN } from "./discord-harness.js";
import type { StandinGuild } from "./discord-interactions.js";
import type { DiscordStandin } from "./discord-standin.js";
import { uniquePrefix } from "./redis.js";

export interface DrillBotUnderTest {
  h: DrillHarness;
  bot: DiscordBot | null;
  adminRoles: DiscordAdminRoles;
  logs: string[];
  log: Logger;
  /** A messenger on the stand-in's REST API (fresh per call: rate-limit buckets are per client). */
  messenger(opts?: { maxWaitMs?: number }): DiscordMessenger;
  stop(): Promise<void>;
}

export interface DrillBotOptions {
  /** Start the gateway bot too (default true); false for messenger-only tests. */
  bot?: boolean;
  /** Give the bot the admin-role store (default true), or this one instead. */
  adminRoles?: boolean | AdminRoleStore;
  /** "http": interactions over HTTP (the stand-in's endpoint is set to this bot); default the gateway. */
  mode?: "gateway" | "http";
}

export async function startDrillBot(standin: DiscordStandin, redisUrl: string, startIso: string, opts: DrillBotOptions = {}): Promise<DrillBotUnderTest> {
  const prefix = uniquePrefix();
  const h = await drillHarness(redisUrl, prefix, startIso);
  const logs: string[] = [];
  const log = plainLogger("info", [TOKEN], (line) => logs.push(line));
  const adminRoles = new DiscordAdminRoles(h.redis, prefix);
  const bot =
    opts.bot === false
      ? null
      : await startDiscord({
          token: TOKEN,
          appId: APP_ID,
          apiUrl: standin.apiUrl,
          service: h.service,
          log,
          ...(opts.adminRoles === false ? {} : { adminRoles: typeof opts.adminRoles === "object" ? opts.adminRoles : adminRoles }),
          ...(opts.mode === "http" ? { mode: "http" as const, publicKey: standin.publicKeyHex, port: 0, host: "127.0.0.1" } : {}),
        });
  if (bot?.http?.url) await standin.setInteractionsEndpoint(bot.http.url);
  const messengers: DiscordMessenger[] = [];
  return {
    h,
    bot,
    adminRoles,
    logs,
    log,
    messenger(o = {}) {
      const m = createDiscordMessenger({ token: TOKEN, apiUrl: standin.apiUrl, log, ...o });
      messengers.push(m);
      return m;
    },
    async stop() {
      if (bot?.http?.url && standin.interactionsEndpoint === bot.http.url) standin.interactionsEndpoint = null;
      await bot?.stop();
      for (const m of messengers) m.close();
      await h.shutdown();
    },
  };
}

export function discordLearner(guild: StandinGuild | null, userId: string): LearnerKey {
  return { platform: "discord", workspace: guild?.id ?? "dm", user: userId };
}
