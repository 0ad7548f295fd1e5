/**
 * Starts the Slack adapter: a Bolt app on Socket Mode (when appToken is set)
 * or on HTTP with signature verification at /slack/events (commands, actions
 * and events), with the /study command, answer buttons/modals, the challenge
 * form, content uploads (a form, or a file sent in the DM) and App Home.
 * Scheduled sends (drills, results) use slack-messenger.ts.
 * One workspace (botToken), or OAuth distribution (HTTP only): the install
 * flow at /slack/install and a token per workspace (oauth-install.ts).
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, ErrorCode, HTTPReceiver, LogLevel, SocketModeReceiver, webApi, type CustomRoute } from "@slack/bolt";
import type { StudyService } from "../../core/service/study-service.js";
import type { ChartRenderer } from "../charts/chart-renderer.js";
import type { Logger } from "../logger.js";
import { registerAnswerHandlers } from "./answer-handlers.js";
import { boltLogger } from "./bolt-logger.js";
import { challengeSubcommand, registerChallengeForm } from "./challenge-handlers.js";
import { contentSubcommand, registerContentUploads, type ContentUploadOptions } from "./content-handlers.js";
import { registerCommand, type Subcommand } from "./command-handler.js";
import { DeliveryGuard } from "./delivery-guard.js";
import { DmUploader, type DmUploaderOptions } from "./dm-uploads.js";
import { gateMiddleware } from "./gate-middleware.js";
import { InteractionGate } from "../ops/interaction-gate.js";
import { observeSlackResponses, slackClientOptions } from "../ops/platform-metrics.js";
import type { HandlerDeps } from "./handler-deps.js";
import { registerHome } from "./home-handler.js";
import { NOT_INSTALLED } from "./installation-store.js";
import { installReceiverOptions, registerInstallEvents, type SlackDistribution } from "./oauth-install.js";
import { UserProfiles, type ProfileOptions } from "./user-profiles.js";

export const EVENTS_PATH = "/slack/events";

export interface SlackOptions {
  /** One workspace (SLACK_BOT_TOKEN); unset with `distribution`. */
  botToken?: string;
  /** OAuth distribution: installs at /slack/install, each workspace's token from the installation store (HTTP mode only). */
  distribution?: SlackDistribution;
  /** xapp- token: Socket Mode (no public URL needed). */
  appToken?: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** Web API base URL (default Slack's); a missing trailing "/" is added. */
  apiUrl?: string;
  /** HTTP listen port; 0 picks a free one. Unused in Socket Mode. */
  port: number;
  /** More routes on the same HTTP server (e.g. Discord's interactions endpoint, so both share PORT). HTTP mode only. */
  customRoutes?: CustomRoute[];
  service: StudyService;
  log: Logger;
  /** Slack user ids that may run admin subcommands besides workspace admins and owners (SLACK_ADMIN_USERS). */
  adminUsers?: string[];
  /** HTTP listen address; default all interfaces (Slack must reach it). Tests use 127.0.0.1. */
  host?: string;
  /** Web API retries; default Bolt's (10 in about 30 minutes, honouring Retry-After). Tests pass { retries: 0 }. */
  retryConfig?: webApi.RetryOptions;
  /** users.info cache settings. */
  profiles?: ProfileOptions;
  /** Slack-only subcommands, asked before the core grammar; they replace built-in ones of the same word. */
  subcommands?: ReadonlyMap<string, Subcommand>;
  /** Draws /study stats and /study team charts for upload to the learner's DM; without it only the text figures go. */
  charts?: ChartRenderer;
  /** Upload retries, per-request timeout and how long a reply waits to say "sent" (see DmUploaderOptions). */
  uploads?: Pick<DmUploaderOptions, "retryConfig" | "timeoutMs" | "waitMs">;
  /** Content uploads (/study content upload, a file sent in the DM): the upload limits and the download timeout. */
  content?: Pick<ContentUploadOptions, "limits" | "downloadTimeoutMs">;
}

export interface SlackAdapter {
  app: App;
  /** The HTTP port listened on (0 in Socket Mode). */
  port: number;
  /** Is the receiver up: the HTTP server listening, or the Socket Mode connection open? */
  ready(): boolean;
  /** Shutdown, first step: new requests are acknowledged with "restarting"; those in flight get until `deadline` (epoch ms). */
  drain(deadline: number): Promise<void>;
  stop(): Promise<void>;
}

export class SlackConfigError extends Error {
  override name = "SlackConfigError";
}

/** Start-up may wait this long for Slack before giving up with a message. */
const START_TIMEOUT_MS = 20_000;

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * auth.test with a short retry budget (Bolt's client retries for about 30
 * minutes), so a wrong token or an unreachable Slack stops start-up at once.
 */
async function checkToken(botToken: string, clientOptions: webApi.WebClientOptions): Promise<{ botId: string | undefined; botUserId: string | undefined }> {
  const client = new webApi.WebClient(botToken, { ...clientOptions, retryConfig: { retries: 2, factor: 1, minTimeout: 500, maxTimeout: 1_000 }, timeout: 5_000, logLevel: webApi.LogLevel.ERROR });
  const api = clientOptions.slackApiUrl ?? "https://slack.com/api/";
  try {
    const who = await withTimeout(client.auth.test(), START_TIMEOUT_MS, () => new Error("no answer"));
    return { botId: who.bot_id, botUserId: who.user_id };
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string }; original?: { code?: string; message?: string }; message?: string };
    if (e.code === webApi.ErrorCode.PlatformError) {
      throw new SlackConfigError(`Slack rejected SLACK_BOT_TOKEN (${e.data?.error ?? "auth.test failed"}): copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page.`);
    }
    const why = e.original?.code ?? e.original?.message ?? e.message ?? String(err);
    throw new SlackConfigError(`cannot reach Slack at ${api} (${why}): check the network${clientOptions.slackApiUrl ? " and SLACK_API_URL" : ""}, then start again.`);
  }
}

/** With distribution, a bare member id could name a person in any workspace: only TEAM:USER entries count. */
function adminSet(ids: string[], distributed: boolean, log: Logger): Set<string> {
  if (!distributed) return new Set(ids);
  const bare = ids.filter((id) => !id.includes(":"));
  if (bare.length > 0) log.warn(`slack: SLACK_ADMIN_USERS entries without a workspace (${bare.length}) are ignored with OAuth distribution; write them as TEAM:USER`);
  return new Set(ids.filter((id) => id.includes(":")));
}

export async function startSlack(opts: SlackOptions): Promise<SlackAdapter> {
  const dist = opts.distribution;
  if (dist) {
    if (opts.botToken) throw new SlackConfigError("SLACK_BOT_TOKEN is set together with Slack OAuth distribution: unset SLACK_BOT_TOKEN to distribute the app, or the SLACK_CLIENT_* settings for one workspace.");
    if (opts.appToken || !opts.signingSecret) throw new SlackConfigError("Slack OAuth distribution runs over HTTP: unset SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET.");
  } else if (!opts.botToken) throw new SlackConfigError("Slack needs a bot token (SLACK_BOT_TOKEN, xoxb-...).");
  if (!opts.appToken && !opts.signingSecret) {
    throw new SlackConfigError("Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP at /slack/events): set one of them.");
  }
  const logger = boltLogger(opts.log);
  // Every Web API client built from these options (Bolt's, the uploader's) counts its requests and rate-limit waits.
  const clientOptions: webApi.WebClientOptions = slackClientOptions({
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
    ...(opts.retryConfig ? { retryConfig: opts.retryConfig } : {}),
  });
  const socket = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logger, logLevel: LogLevel.INFO, installerOptions: { clientOptions: { ...clientOptions } } })
    : null;
  const http = socket
    ? null
    : new HTTPReceiver({ signingSecret: opts.signingSecret!, endpoints: EVENTS_PATH, logger, port: opts.port, ...(opts.customRoutes ? { customRoutes: opts.customRoutes } : {}), ...(dist ? installReceiverOptions(dist, clientOptions, opts.log) : {}) });
  // One workspace: auth.test once, with a short retry budget; Bolt is handed its answer rather than asking again.
  // Distribution: Bolt's authorize reads each request's installation from the store instead.
  const who = opts.botToken ? await checkToken(opts.botToken, clientOptions) : null;
  const app = new App({
    ...(opts.botToken ? { token: opts.botToken } : {}),
    ...(who?.botId ? { botId: who.botId } : {}),
    ...(who?.botUserId ? { botUserId: who.botUserId } : {}),
    tokenVerificationEnabled: false,
    receiver: (socket ?? http)!,
    logger,
    clientOptions,
    deferInitialization: true,
  });
  app.error(async (error) => {
    if (error.code === ErrorCode.AuthorizationError && error.message.startsWith(NOT_INSTALLED)) {
      opts.log.warn(`slack: a request was ignored: ${error.message}`);
      return;
    }
    opts.log.error(error.code === ErrorCode.AuthorizationError ? "slack: could not read the installation for a request" : "slack: unhandled error in a listener", error);
  });
  await app.init();
  observeSlackResponses(app);
  const gate = new InteractionGate(opts.log);
  app.use(gateMiddleware(gate));
  const drain = async (deadline: number) => void (await gate.drain(deadline));

  const deps: HandlerDeps = {
    service: opts.service,
    log: opts.log,
    profiles: new UserProfiles(app.client, opts.log, opts.profiles),
    guard: new DeliveryGuard(),
    adminUsers: adminSet(opts.adminUsers ?? [], Boolean(dist), opts.log),
    uploads: new DmUploader({ ...(opts.botToken ? { botToken: opts.botToken } : {}), clientOptions, charts: opts.charts ?? null, log: opts.log, ...(opts.uploads ?? {}) }),
  };
  if (dist) registerInstallEvents(app, dist, opts.log);
  if (!opts.charts) opts.log.info("slack: no chart renderer: /study stats and /study team send their figures as text only");
  // The token may go to Slack's file hosts, and to the configured API's origin (a stand-in, a proxy).
  const content: ContentUploadOptions = { ...(opts.content ?? {}), ...(clientOptions.slackApiUrl ? { extraOrigins: [new URL(clientOptions.slackApiUrl).origin] } : {}) };
  // "challenge write <duration>" alone opens a form, as does "content upload"; every other text goes to the core.
  const subcommands = new Map<string, Subcommand>([["challenge", challengeSubcommand], ["content", contentSubcommand(content)], ...(opts.subcommands ?? [])]);
  registerCommand(app, deps, subcommands);
  registerAnswerHandlers(app, deps);
  registerChallengeForm(app, deps);
  registerContentUploads(app, deps, content);
  registerHome(app, deps);

  if (socket) {
    await withTimeout(app.start(), START_TIMEOUT_MS, () => new SlackConfigError(`no Socket Mode connection to Slack within ${START_TIMEOUT_MS / 1000} s: check SLACK_APP_TOKEN (xapp-..., scope connections:write) and the network.`)).catch(
      async (err: unknown) => {
        await socket.client.disconnect().catch(() => undefined);
        if (err instanceof SlackConfigError) throw err;
        throw new SlackConfigError(`Slack refused the Socket Mode connection (${err instanceof Error ? err.message : String(err)}): check SLACK_APP_TOKEN (xapp-..., scope connections:write).`);
      },
    );
    opts.log.info("slack: connected in Socket Mode");
    let connected = true;
    socket.client.on("connected", () => (connected = true));
    socket.client.on("disconnected", () => (connected = false));
    socket.client.on("reconnecting", () => (connected = false));
    return {
      app,
      port: 0,
      ready: () => connected,
      drain,
      stop: async () => {
        await socket.client.disconnect();
      },
    };
  }
  let server: Server;
  try {
    server = (await app.start(opts.host ? { port: opts.port, host: opts.host } : opts.port)) as Server;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new SlackConfigError(`PORT ${opts.port} is already in use by another program: stop it, or set PORT to a free port (Slack's request URL must reach it).`);
    if (code === "EACCES") throw new SlackConfigError(`PORT ${opts.port} needs privileges this process lacks: set PORT to 1024 or above.`);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    app,
    port,
    ready: () => server.listening,
    drain,
    stop: async () => {
      const closing = app.stop();
      server.closeIdleConnections();
      await closing;
    },
  };
}
