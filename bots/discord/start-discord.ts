/**
 * Starts the Discord bot in one of two modes:
 * - gateway (default): a discord.js client with only the Guilds intent
 *   (slash commands and components arrive as interactions, no message content
 *   needed), logged in with the shard count Discord recommends, or a fixed one;
 * - http: no gateway at all; Discord POSTs interactions to
 *   /discord/interactions (start-discord-http.ts).
 * Either way every interaction goes to the same router and handlers.
 */
import { once } from "node:events";
import { Client, Events, GatewayIntentBits } from "discord.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { ChartRenderer } from "../charts/chart-renderer.js";
import type { Logger } from "../logger.js";
import { observeDiscordRest } from "../ops/platform-metrics.js";
import { InteractionGate } from "../ops/interaction-gate.js";
import type { AdminRoleStore } from "./admin-roles.js";
import { createChartDrawer } from "./chart-images.js";
import { DiscordStartError, READY_TIMEOUT_MS, startFailure } from "./discord-start.js";
import type { PackIdSource } from "./handle-autocomplete.js";
import { createInteractionRouter } from "./interaction-router.js";
import type { RequestListener } from "./interactions-endpoint.js";
import { startHttpDiscord } from "./start-discord-http.js";

export { DiscordStartError };

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
  /**
   * Every pack id of a workspace (built-in and uploaded, switched off too), for the pack option's
   * suggestions in /content enable etc. Without it, the packs the workspace studies are suggested.
   */
  packIds?: PackIdSource;
  /** The upload limits the content service checks with (createWorkspaceContent's `limits`); files over them are not downloaded. */
  uploadLimits?: Partial<UploadLimits>;
  /** How interactions arrive: "gateway" (default) or "http" (Discord POSTs them to /discord/interactions). */
  mode?: "gateway" | "http";
  /** Gateway: "auto" (default) runs the shard count Discord recommends in GET /gateway/bot; a number fixes it. */
  shards?: "auto" | number;
  /** HTTP: the application's public key, 64 hex characters (Developer Portal > General Information). */
  publicKey?: string;
  /** HTTP: the port to listen on (0: any free one). Without it no server starts: mount `bot.http.listener` on one. */
  port?: number;
  /** HTTP: the address to listen on (default: every interface). */
  host?: string;
}

export interface DiscordBot {
  client: Client;
  mode: "gateway" | "http";
  /** For readiness probes: gateway, every shard ready; http, the endpoint is up. */
  ready(): boolean;
  /** HTTP mode: the endpoint's request listener, and where it listens when it has its own server. */
  http?: { listener: RequestListener; port?: number; url?: string };
  /** Shutdown, first step: new interactions are told "restarting"; those in flight get until `deadline` (epoch ms). */
  drain(deadline: number): Promise<void>;
  stop(): Promise<void>;
}

/** Gateway close codes after which discord.js does not reconnect, and what to do about each. */
const FATAL_CLOSE: Record<number, string> = {
  4004: "the bot token was rejected: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token).",
  4010: "the shard count is not one Discord accepts: set DISCORD_SHARDS=auto (or the count Discord asked for).",
  4011: "this bot is in too many servers for its shard count (at most 2,500 a shard): set DISCORD_SHARDS=auto or a larger number.",
  4013: "the gateway intents are invalid: this is a drillbot bug, please report it.",
  4014: "an intent is not enabled for this application: drillbot needs only Guilds; check the Developer Portal > Bot settings.",
};

function checkOptions(opts: DiscordOptions): void {
  if (!opts.token.trim()) throw new DiscordStartError("the Discord bot token is empty: set DISCORD_TOKEN (Developer Portal > Bot > Reset Token).");
  if (!/^\d{5,25}$/.test(opts.appId)) throw new DiscordStartError(`"${opts.appId}" is not a Discord application id: set DISCORD_APP_ID to the number under Developer Portal > General Information.`);
  if (opts.apiUrl !== undefined && !/^https?:\/\/[^/]+/.test(opts.apiUrl)) throw new DiscordStartError(`DISCORD_API_URL "${opts.apiUrl}" is not an http(s) URL, e.g. http://127.0.0.1:8080/api.`);
  if (opts.shards !== undefined && opts.shards !== "auto" && !(Number.isInteger(opts.shards) && opts.shards >= 1)) {
    throw new DiscordStartError(`DISCORD_SHARDS "${opts.shards}" is not a shard count: set it to auto or a whole number from 1.`);
  }
}

export async function startDiscord(opts: DiscordOptions): Promise<DiscordBot> {
  checkOptions(opts);
  const { log } = opts;
  const gate = new InteractionGate(log);
  const route = createInteractionRouter({
    service: opts.service,
    log,
    gate,
    ...(opts.adminRoles ? { adminRoles: opts.adminRoles } : {}),
    drawCharts: createChartDrawer(opts.charts, log),
    ...(opts.packIds ? { packIds: opts.packIds } : {}),
    // Uploaded files come from Discord's CDN, or from the host DISCORD_API_URL names (a stand-in, a proxy).
    uploads: { ...(opts.uploadLimits ? { limits: opts.uploadLimits } : {}), ...(opts.apiUrl ? { extraOrigins: [new URL(opts.apiUrl).origin] } : {}) },
  });
  if (opts.mode === "http") return startHttpDiscord(opts, gate, route);

  const shards = opts.shards ?? "auto";
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(shards === "auto" ? { shards: "auto" as const } : { shardCount: shards }),
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
  });
  observeDiscordRest(client.rest);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (err) => log.error("discord client error", err));
  client.on(Events.Warn, (message) => log.warn(`discord: ${message}`));
  client.on(Events.ShardReady, (shard) => log.info(`discord shard ${shard} ready`));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn(`discord shard ${shard} disconnected (code ${event.code})`));
  client.on(Events.ShardReconnecting, (shard) => log.info(`discord shard ${shard} reconnecting`));
  client.on(Events.ShardResume, (shard) => log.info(`discord shard ${shard} resumed`));

  const waiting = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: waiting.signal });
  ready.catch(() => undefined); // settled below; never an unhandled rejection
  const where = opts.apiUrl ?? "discord.com";
  // Shards identify one bucket at a time (max_concurrency per 5 s), so the wait restarts with every shard that turns ready.
  let timer: NodeJS.Timeout | undefined;
  let rejectLate: (err: Error) => void = () => undefined;
  const late = new Promise<never>((_, reject) => (rejectLate = reject));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => rejectLate(new DiscordStartError(`Discord did not accept the connection within ${READY_TIMEOUT_MS / 1000} s (${where}): check the network${opts.apiUrl ? " and DISCORD_API_URL" : ""}, then start again.`)),
      READY_TIMEOUT_MS,
    );
  };
  // A shard closed for good while starting (a bad token, too few shards): say why now rather than at the timeout.
  const fatal = (event: { code: number }, shard: number) => {
    const why = FATAL_CLOSE[event.code];
    if (why) rejectLate(new DiscordStartError(`Discord closed shard ${shard} (code ${event.code}): ${why}`));
  };
  client.on(Events.ShardReady, arm);
  client.on(Events.ShardDisconnect, fatal);
  arm();
  try {
    await Promise.race([
      (async () => {
        await client.login(opts.token);
        if (!client.isReady()) await ready;
      })(),
      late,
    ]);
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw startFailure(err, where, opts.apiUrl !== undefined);
  } finally {
    clearTimeout(timer);
    client.off(Events.ShardReady, arm);
    client.off(Events.ShardDisconnect, fatal);
    waiting.abort();
  }
  const appId = client.application?.id;
  if (appId && appId !== opts.appId) log.warn(`DISCORD_APP_ID is ${opts.appId} but the token belongs to application ${appId}; commands were probably deployed to the wrong application`);
  const shardCount = client.options.shardCount ?? 1;
  log.info(`discord: logged in as ${client.user?.tag ?? "?"}, in ${client.guilds.cache.size} server(s), ${shardCount} shard(s)`);

  let stopped = false;
  return {
    client,
    mode: "gateway",
    ready: () => client.isReady(),
    drain: async (deadline) => void (await gate.drain(deadline)),
    async stop() {
      if (stopped) return;
      stopped = true;
      client.removeAllListeners();
      await client.destroy();
    },
  };
}
