/**
 * Which Slack mode the environment asks for, checked in one place for
 * bots/config.ts: OAuth distribution (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,
 * SLACK_STATE_SECRET: drillbot serves /slack/install and keeps a token per
 * workspace) or none of it (SLACK_BOT_TOKEN's single workspace, unchanged).
 * Returns the typed settings, or one line saying what is wrong and what to do.
 */
import { parseSecretKey } from "./token-crypto.js";

export interface SlackDistributionSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** DRILLBOT_SECRET_KEY, 32 bytes. */
  secretKey: Buffer;
  /** SLACK_REDIRECT_URI: the public URL of /slack/oauth_redirect; needed only when the app lists several redirect URLs. */
  redirectUri: string | undefined;
  /** Values that must never appear in logs. */
  secrets: string[];
}

export type SlackDistributionResult = { ok: true; distribution: SlackDistributionSettings | undefined } | { ok: false; message: string };

/** A state secret signs the install links' state (JWT, HS256); shorter ones can be guessed. */
export const MIN_STATE_SECRET = 16;

type Env = Record<string, string | undefined>;

const OAUTH_VARS = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

export function slackDistributionConfig(env: Env): SlackDistributionResult {
  const v = (name: string) => env[name]?.trim() || undefined;
  const set = OAUTH_VARS.filter((n) => v(n));
  if (set.length === 0) {
    if (v("SLACK_REDIRECT_URI")) return { ok: false, message: "SLACK_REDIRECT_URI is set without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: it is used only by OAuth distribution; set those three, or unset it." };
    return { ok: true, distribution: undefined };
  }
  const fail = (message: string) => ({ ok: false as const, message });
  if (set.length < OAUTH_VARS.length) {
    const missing = OAUTH_VARS.filter((n) => !v(n));
    return fail(`Slack OAuth distribution needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set: copy the client id and secret from the app's Basic Information page and set SLACK_STATE_SECRET to a random string (\`openssl rand -base64 24\`).`);
  }
  if (v("SLACK_BOT_TOKEN")) {
    return fail("SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID: a bot token serves one workspace, OAuth distribution keeps a token per installed workspace. Unset SLACK_BOT_TOKEN to distribute the app, or the three SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET for one workspace.");
  }
  if (v("SLACK_APP_TOKEN")) {
    return fail("Slack OAuth distribution runs over HTTP, not Socket Mode: Slack must reach /slack/install and /slack/oauth_redirect on drillbot's PORT. Unset SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET.");
  }
  if (!v("SLACK_SIGNING_SECRET")) {
    return fail("Slack OAuth distribution needs SLACK_SIGNING_SECRET (Basic Information → App Credentials → Signing Secret): requests to /slack/events are verified with it.");
  }
  const stateSecret = v("SLACK_STATE_SECRET")!;
  if (stateSecret.length < MIN_STATE_SECRET) {
    return fail(`SLACK_STATE_SECRET is too short: use at least ${MIN_STATE_SECRET} random characters (\`openssl rand -base64 24\`).`);
  }
  const key = parseSecretKey(v("DRILLBOT_SECRET_KEY"));
  if (!key.ok) return fail(key.reason);
  const redirectUri = v("SLACK_REDIRECT_URI");
  if (redirectUri) {
    const u = URL.canParse(redirectUri) ? new URL(redirectUri) : null;
    if (!u || !/^https?:$/.test(u.protocol) || u.pathname !== "/slack/oauth_redirect") {
      return fail("SLACK_REDIRECT_URI must be the public URL of drillbot's /slack/oauth_redirect, e.g. https://drillbot.example.com/slack/oauth_redirect (as listed under OAuth & Permissions → Redirect URLs).");
    }
  }
  const admins = (v("SLACK_ADMIN_USERS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const bare = admins.find((a) => !/^[A-Z0-9]+:[A-Z0-9]+$/i.test(a));
  if (bare) {
    return fail(`SLACK_ADMIN_USERS: "${bare.slice(0, 40)}" does not name its workspace; with OAuth distribution each entry is TEAM:USER (e.g. T012AB3CD:U045EF6GH), as member ids are per workspace.`);
  }
  const clientSecret = v("SLACK_CLIENT_SECRET")!;
  const secretKey = env.DRILLBOT_SECRET_KEY!.trim();
  return {
    ok: true,
    distribution: { clientId: v("SLACK_CLIENT_ID")!, clientSecret, stateSecret, secretKey: key.key, redirectUri, secrets: [clientSecret, stateSecret, secretKey] },
  };
}
