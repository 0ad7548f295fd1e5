/**
 * Starts the Slack adapter: a Bolt app on Socket Mode (when appToken is set)
 * or on HTTP with signature verification at /slack/events (commands, actions
 * and events), with the /study command, answer buttons/modals, the challenge
 * form and App Home. Scheduled sends (drills, results) use slack-messenger.ts.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { StudyService } from "../../core/service/study-service.js";
import type { Logger } from "../logger.js";
import { registerAnswerHandlers } from "./answer-handlers.js";
import { boltLogger } from "./bolt-logger.js";
import { challengeSubcommand, registerChallengeForm } from "./challenge-handlers.js";
import { registerCommand, type Subcommand } from "./command-handler.js";
import { DeliveryGuard } from "./delivery-guard.js";
import type { HandlerDeps } from "./handler-deps.js";
import { registerHome } from "./home-handler.js";
import { UserProfiles, type ProfileOptions } from "./user-profiles.js";

export const EVENTS_PATH = "/slack/events";

export interface SlackOptions {
  botToken: string;
  /** xapp- token: Socket Mode (no public URL needed). */
  appToken?: string;
  /** HTTP mode: requests to /slack/events are verified with it. */
  signingSecret?: string;
  /** Web API base URL (default Slack's); a missing trailing "/" is added. */
  apiUrl?: string;
  /** HTTP listen port; 0 picks a free one. Unused in Socket Mode. */
  port: number;
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
}

export interface SlackAdapter {
  app: App;
  /** The HTTP port listened on (0 in Socket Mode). */
  port: number;
  stop(): Promise<void>;
}

export class SlackConfigError extends Error {
  override name = "SlackConfigError";
}

export async function startSlack(opts: SlackOptions): Promise<SlackAdapter> {
  if (!opts.botToken) throw new SlackConfigError("Slack needs a bot token (SLACK_BOT_TOKEN, xoxb-...).");
  if (!opts.appToken && !opts.signingSecret) {
    throw new SlackConfigError("Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP at /slack/events): set one of them.");
  }
  const logger = boltLogger(opts.log);
  const clientOptions: webApi.WebClientOptions = {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
    ...(opts.retryConfig ? { retryConfig: opts.retryConfig } : {}),
  };
  const socket = opts.appToken
    ? new SocketModeReceiver({ appToken: opts.appToken, logger, logLevel: LogLevel.INFO, installerOptions: { clientOptions: { ...clientOptions } } })
    : null;
  const http = socket ? null : new HTTPReceiver({ signingSecret: opts.signingSecret!, endpoints: EVENTS_PATH, logger, port: opts.port });
  const app = new App({
    token: opts.botToken,
    receiver: (socket ?? http)!,
    logger,
    clientOptions,
    // auth.test runs in init() below, so a bad token fails start-up with a clear error.
    deferInitialization: true,
  });
  app.error(async (error) => {
    opts.log.error("slack: unhandled error in a listener", error);
  });
  try {
    await app.init();
  } catch (err) {
    throw new SlackConfigError(`Slack rejected the bot token or could not be reached (auth.test): ${err instanceof Error ? err.message : String(err)}`);
  }

  const deps: HandlerDeps = {
    service: opts.service,
    log: opts.log,
    profiles: new UserProfiles(app.client, opts.log, opts.profiles),
    guard: new DeliveryGuard(),
    adminUsers: new Set(opts.adminUsers ?? []),
  };
  // "challenge write <duration>" alone opens a form; every other challenge text goes to the core.
  const subcommands = new Map<string, Subcommand>([["challenge", challengeSubcommand], ...(opts.subcommands ?? [])]);
  registerCommand(app, deps, subcommands);
  registerAnswerHandlers(app, deps);
  registerChallengeForm(app, deps);
  registerHome(app, deps);

  if (socket) {
    await app.start();
    opts.log.info("slack: connected in Socket Mode");
    return {
      app,
      port: 0,
      stop: async () => {
        await socket.client.disconnect();
      },
    };
  }
  const server = (await app.start(opts.host ? { port: opts.port, host: opts.host } : opts.port)) as Server;
  const port = (server.address() as AddressInfo).port;
  opts.log.info(`slack: listening for HTTP requests on port ${port} at ${EVENTS_PATH}`);
  return {
    app,
    port,
    stop: async () => {
      const closing = app.stop();
      server.closeIdleConnections();
      await closing;
    },
  };
}
