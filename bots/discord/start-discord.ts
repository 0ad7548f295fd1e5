/**
 * Starts the Discord bot: a discord.js client with only the Guilds intent
 * (slash commands and components arrive as interactions, no message content
 * needed), logged in and ready, routing every interaction to the study service.
 */
import { once } from "node:events";
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { ChartRenderer } from "../charts/chart-renderer.js";
import type { Logger } from "../logger.js";
import { observeDiscordRest } from "../ops/platform-metrics.js";
import { InteractionGate } from "../ops/interaction-gate.js";
import type { AdminRoleStore } from "./admin-roles.js";
import { createChartDrawer } from "./chart-images.js";
import { createInteractionRouter } from "./interaction-router.js";

export interface DiscordOptions {
  token: string;
  appId: string;
  /** Base of the REST API (DISCORD_API_URL); the gateway URL comes from its /gateway/bot. Default: Discord's. */
  apiUrl?: string;
  service: StudyService;
  log: Logger;
  /**
   * Each server's admin role (/settings admin-role), e.g. new DiscordAdminRoles(redis, prefix).
   * Without it only members with Manage Server may set up channel drills and challenges.
   */
  adminRoles?: AdminRoleStore;
  /**
   * Draws /stats and /team charts to PNGs attached to the reply (createChartRenderer()).
   * Without it charts are shown by their alt text. The caller owns it (and closes it).
   */
  charts?: ChartRenderer;
}

export interface DiscordBot {
  client: Client;
  /** Shutdown, first step: new interactions are told "restarting"; those in flight get until `deadline` (epoch ms). */
  drain(deadline: number): Promise<void>;
  stop(): Promise<void>;
}

export class DiscordStartError extends Error {
  override name = "DiscordStartError";
}

/** Start-up may wait this long for Discord (login and the gateway's READY) before giving up with a message. */
const READY_TIMEOUT_MS = 25_000;

/** The network error under discord.js's wrapping (undici puts it in cause), as a short code. */
function networkReason(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return e.code;
  }
  const message = err instanceof Error ? err.message : String(err);
  return /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up|aborted/i.test(message) ? message.slice(0, 80) : null;
}

function checkOptions(opts: DiscordOptions): void {
  if (!opts.token.trim()) throw new DiscordStartError("the Discord bot token is empty: set DISCORD_TOKEN (Developer Portal > Bot > Reset Token).");
  if (!/^\d{5,25}$/.test(opts.appId)) throw new DiscordStartError(`"${opts.appId}" is not a Discord application id: set DISCORD_APP_ID to the number under Developer Portal > General Information.`);
  if (opts.apiUrl !== undefined && !/^https?:\/\/[^/]+/.test(opts.apiUrl)) throw new DiscordStartError(`DISCORD_API_URL "${opts.apiUrl}" is not an http(s) URL, e.g. http://127.0.0.1:8080/api.`);
}

export async function startDiscord(opts: DiscordOptions): Promise<DiscordBot> {
  checkOptions(opts);
  const { log } = opts;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
  });
  observeDiscordRest(client.rest);
  const gate = new InteractionGate(log);
  const route = createInteractionRouter({
    service: opts.service,
    log,
    gate,
    ...(opts.adminRoles ? { adminRoles: opts.adminRoles } : {}),
    drawCharts: createChartDrawer(opts.charts, log),
  });
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (err) => log.error("discord client error", err));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`discord shard ${shard} disconnected (code ${event.code})`));
  client.on(Events.ShardReconnecting, (shard) => log.info(`discord shard ${shard} reconnecting`));
  client.on(Events.ShardResume, (shard) => log.info(`discord shard ${shard} resumed`));

  const waiting = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: waiting.signal });
  ready.catch(() => undefined); // settled below; never an unhandled rejection
  const where = opts.apiUrl ?? "discord.com";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DiscordStartError(`Discord did not accept the connection within ${READY_TIMEOUT_MS / 1000} s (${where}): check the network${opts.apiUrl ? " and DISCORD_API_URL" : ""}, then start again.`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([
      (async () => {
        await client.login(opts.token);
        if (!client.isReady()) await ready;
      })(),
      timeout,
    ]);
  } catch (err) {
    await client.destroy().catch(() => undefined);
    if (err instanceof DiscordStartError) throw err;
    if ((err as { code?: unknown }).code === "TokenInvalid" || (err as { status?: unknown }).status === 401) {
      throw new DiscordStartError("Discord rejected the bot token: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token).");
    }
    const network = networkReason(err);
    if (network) throw new DiscordStartError(`cannot reach Discord at ${where} (${network}): check the network${opts.apiUrl ? " and DISCORD_API_URL" : ""}, then start again.`);
    throw err;
  } finally {
    clearTimeout(timer);
    waiting.abort();
  }
  const appId = client.application?.id;
  if (appId && appId !== opts.appId) log.warn(`DISCORD_APP_ID is ${opts.appId} but the token belongs to application ${appId}; commands were probably deployed to the wrong application`);
  log.info(`discord: logged in as ${client.user?.tag ?? "?"}, in ${client.guilds.cache.size} server(s)`);

  let stopped = false;
  return {
    client,
    drain: async (deadline) => void (await gate.drain(deadline)),
    async stop() {
      if (stopped) return;
      stopped = true;
      client.removeAllListeners();
      await client.destroy();
    },
  };
}
