/**
 * Slack app distribution: Bolt's install flow on the HTTP receiver
 * (GET /slack/install sets the state cookie and redirects to Slack's
 * authorize page; GET /slack/oauth_redirect checks the state against that
 * cookie, trades the code with oauth.v2.access and stores the installation),
 * the Redis installation store behind Bolt's authorize, and the events that
 * end an installation (app_uninstalled, tokens_revoked).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { App, HTTPReceiverOptions, Installation, webApi } from "@slack/bolt";
import type { Logger } from "../logger.js";
import { boltLogger, withoutDebug } from "./bolt-logger.js";
import { ownerOf, type SlackInstallationStore } from "./installation-store.js";

/** The bot scopes drillbot asks for: the same as bots/slack/manifest.yml and manifest-distributed.yml (a test keeps them equal). */
export const BOT_SCOPES: readonly string[] = ["commands", "chat:write", "chat:write.public", "users:read", "im:write", "files:write", "files:read", "im:history"];

export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";

export interface SlackDistribution {
  clientId: string;
  clientSecret: string;
  /** Signs the state of each install link (checked against the installer's cookie). */
  stateSecret: string;
  installations: SlackInstallationStore;
  /** The public URL of /slack/oauth_redirect; needed only when the app lists several redirect URLs. */
  redirectUri?: string;
  /** Default BOT_SCOPES. */
  scopes?: readonly string[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`);
}

/** What went wrong with an install, for the person installing; the same words go to the log. */
function whyInstallFailed(code: string | undefined, message: string): { status: number; text: string } {
  switch (code) {
    case "slack_oauth_missing_state":
    case "slack_oauth_invalid_state":
      return { status: 400, text: `This install link is not valid here (${message.replace(/\s+/g, " ").slice(0, 120)}). Start again from ${INSTALL_PATH} in this browser; a link works once, for 10 minutes.` };
    case "slack_oauth_missing_code":
      return { status: 400, text: `Slack sent no authorization code. Start again from ${INSTALL_PATH}.` };
    case "slack_oauth_installer_authorization_error":
      return { status: 400, text: `The installation was cancelled in Slack. Start again from ${INSTALL_PATH} to install drillbot.` };
    default:
      return { status: 500, text: `drillbot could not finish the installation; nothing was stored. Please try again from ${INSTALL_PATH} in a minute.` };
  }
}

/** The HTTPReceiver options that turn on the install flow. */
export function installReceiverOptions(
  d: SlackDistribution,
  clientOptions: webApi.WebClientOptions,
  log: Logger,
): Pick<HTTPReceiverOptions, "clientId" | "clientSecret" | "stateSecret" | "installationStore" | "scopes" | "redirectUri" | "installerOptions"> {
  return {
    clientId: d.clientId,
    clientSecret: d.clientSecret,
    stateSecret: d.stateSecret,
    installationStore: d.installations,
    scopes: [...(d.scopes ?? BOT_SCOPES)],
    ...(d.redirectUri ? { redirectUri: d.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // /slack/install redirects to Slack at once (no page with a button in between).
      directInstall: true,
      stateVerification: true,
      // The code exchange's answer holds the new tokens: its client never logs at debug level. (The type
      // leaves `logger` out as InstallProvider brings its own, but it applies these options after its own.)
      clientOptions: { ...clientOptions, logger: boltLogger(withoutDebug(log)) } as Omit<webApi.WebClientOptions, "logger" | "logLevel">,
      callbackOptions: {
        success: (installation: Installation, _o: unknown, _req: IncomingMessage, res: ServerResponse) => {
          const where = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
          page(res, 200, "drillbot is installed", `drillbot is installed${where ? ` in ${where}` : ""}. In Slack, type /study help in any channel to start.`);
        },
        failure: (error: Error & { code?: string }, _o: unknown, _req: IncomingMessage, res: ServerResponse) => {
          const why = whyInstallFailed(error.code, error.message);
          log.warn(`slack: an install did not finish (${error.code ?? error.name}): ${why.text}`);
          page(res, why.status, "drillbot was not installed", why.text);
        },
      },
    },
  };
}

type EventBody = { team_id?: string; enterprise_id?: string; authorizations?: { team_id: string | null; enterprise_id: string | null; is_enterprise_install?: boolean }[] };

/** Whose installation an event is about: the first authorization, as Bolt reads it. */
function eventOwner(body: EventBody): string | null {
  const a = body.authorizations?.[0];
  const isEnterpriseInstall = a?.is_enterprise_install === true;
  return ownerOf({ teamId: a?.team_id ?? body.team_id, enterpriseId: a?.enterprise_id ?? body.enterprise_id, isEnterpriseInstall });
}

/**
 * app_uninstalled and tokens_revoked (bot tokens) delete the installation
 * (Bolt skips authorize for both). Requests through an org-wide install link
 * the team to its enterprise, so scheduled sends there find the token.
 */
export function registerInstallEvents(app: App, d: SlackDistribution, log: Logger): void {
  const remove = async (body: EventBody, why: string) => {
    const owner = eventOwner(body);
    if (!owner) {
      log.warn(`slack: ${why}, but the event names no workspace; nothing deleted`);
      return;
    }
    log.info(`slack: ${why} in ${owner}`);
    await d.installations.remove(owner);
  };
  app.event("app_uninstalled", async ({ body }) => remove(body as EventBody, "drillbot was uninstalled"));
  app.event("tokens_revoked", async ({ event, body }) => {
    const bots = event.tokens?.bot ?? [];
    if (bots.length === 0) {
      log.info(`slack: user tokens revoked in ${eventOwner(body as EventBody) ?? "a workspace"}; drillbot keeps none, nothing to do`);
      return;
    }
    await remove(body as EventBody, "drillbot's bot token was revoked");
  });
  app.use(async ({ context, next }) => {
    if (context.isEnterpriseInstall && context.teamId && context.enterpriseId) {
      await d.installations.linkTeam(context.teamId, context.enterpriseId).catch((err: unknown) => log.warn(`slack: could not note that ${context.teamId} belongs to ${context.enterpriseId}`, err));
    }
    await next();
  });
}
