import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { plainLogger } from "../../../bots/logger.js";
import { slackDistributionConfig } from "../../../bots/slack/distribution-config.js";
import { SlackInstallationStore } from "../../../bots/slack/installation-store.js";
import { BOT_SCOPES, REDIRECT_PATH } from "../../../bots/slack/oauth-install.js";
import { SlackConfigError, startSlack } from "../../../bots/slack/start-slack.js";

const KEY = randomBytes(32).toString("base64");
const OAUTH = { SLACK_CLIENT_ID: "1111.2222", SLACK_CLIENT_SECRET: "0123456789abcdef0123", SLACK_STATE_SECRET: "state-secret-0123456789", SLACK_SIGNING_SECRET: "sign-0123", DRILLBOT_SECRET_KEY: KEY };

function message(env: Record<string, string | undefined>): string {
  const r = slackDistributionConfig(env);
  if (r.ok) throw new Error("expected a refusal");
  expect(r.message).not.toContain("\n");
  return r.message;
}

describe("Slack OAuth distribution settings", () => {
  it("without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET there is no distribution: one workspace by SLACK_BOT_TOKEN, as before", () => {
    expect(slackDistributionConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" })).toEqual({ ok: true, distribution: undefined });
    expect(slackDistributionConfig({})).toEqual({ ok: true, distribution: undefined });
  });

  it("with all three, a signing secret and a good key: the typed settings, the key as 32 bytes, and every secret listed for the log mask", () => {
    const r = slackDistributionConfig({ ...OAUTH, SLACK_REDIRECT_URI: "https://drillbot.example.com/slack/oauth_redirect" });
    expect(r.ok).toBe(true);
    if (!r.ok || !r.distribution) throw new Error("no settings");
    expect(r.distribution).toMatchObject({ clientId: "1111.2222", clientSecret: OAUTH.SLACK_CLIENT_SECRET, stateSecret: OAUTH.SLACK_STATE_SECRET, redirectUri: "https://drillbot.example.com/slack/oauth_redirect" });
    expect(r.distribution.secretKey.equals(Buffer.from(KEY, "base64"))).toBe(true);
    expect(r.distribution.secrets).toEqual(expect.arrayContaining([OAUTH.SLACK_CLIENT_SECRET, OAUTH.SLACK_STATE_SECRET, KEY]));
  });

  it("names what is missing when only some of the three are set", () => {
    expect(message({ ...OAUTH, SLACK_STATE_SECRET: undefined })).toMatch(/SLACK_STATE_SECRET is not set.*openssl rand -base64 24/);
    expect(message({ SLACK_CLIENT_ID: "1.2" })).toContain("SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are not set");
  });

  it("refuses SLACK_BOT_TOKEN together with the OAuth settings, Socket Mode, and HTTP without a signing secret", () => {
    expect(message({ ...OAUTH, SLACK_BOT_TOKEN: "xoxb-1" })).toContain("SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID");
    expect(message({ ...OAUTH, SLACK_APP_TOKEN: "xapp-1" })).toContain("runs over HTTP, not Socket Mode");
    expect(message({ ...OAUTH, SLACK_SIGNING_SECRET: undefined })).toContain("needs SLACK_SIGNING_SECRET");
  });

  it("refuses a missing or malformed DRILLBOT_SECRET_KEY and says how to make one", () => {
    expect(message({ ...OAUTH, DRILLBOT_SECRET_KEY: undefined })).toBe("DRILLBOT_SECRET_KEY is not set: it encrypts the Slack tokens kept in Redis; make one with `openssl rand -base64 32`.");
    expect(message({ ...OAUTH, DRILLBOT_SECRET_KEY: "hunter2" })).toContain("openssl rand -base64 32");
    expect(message({ ...OAUTH, DRILLBOT_SECRET_KEY: randomBytes(16).toString("hex") })).toContain("is 32 hex characters, not 64");
  });

  it("refuses a short state secret, a redirect URI that is not /slack/oauth_redirect, and admin ids without their workspace", () => {
    expect(message({ ...OAUTH, SLACK_STATE_SECRET: "short" })).toContain("SLACK_STATE_SECRET is too short");
    expect(message({ ...OAUTH, SLACK_REDIRECT_URI: "https://drillbot.example.com/oauth" })).toContain("SLACK_REDIRECT_URI must be the public URL of drillbot's /slack/oauth_redirect");
    expect(message({ ...OAUTH, SLACK_ADMIN_USERS: "T1:U1,U2" })).toContain('SLACK_ADMIN_USERS: "U2" does not name its workspace');
    expect(slackDistributionConfig({ ...OAUTH, SLACK_ADMIN_USERS: "T1:U1, T2:U1" }).ok).toBe(true);
    expect(message({ SLACK_REDIRECT_URI: "https://x.example/slack/oauth_redirect" })).toContain("used only by OAuth distribution");
  });
});

describe("startSlack with distribution", () => {
  const log = plainLogger("error", []);
  const store = () => ({ installations: {} as SlackInstallationStore, clientId: "1", clientSecret: "2", stateSecret: "0123456789abcdef" });
  const base = { port: 0, host: "127.0.0.1", service: {} as never, log };

  it("refuses a bot token as well, Socket Mode, or no signing secret, before listening", async () => {
    await expect(startSlack({ ...base, botToken: "xoxb-1", signingSecret: "s", distribution: store() })).rejects.toThrow(SlackConfigError);
    await expect(startSlack({ ...base, appToken: "xapp-1", distribution: store() })).rejects.toThrow(/runs over HTTP/);
    await expect(startSlack({ ...base, distribution: store() })).rejects.toThrow(/SLACK_SIGNING_SECRET/);
  });
});

describe("the distribution manifest", () => {
  const read = (name: string) => parseYaml(readFileSync(new URL(`../../../bots/slack/${name}`, import.meta.url), "utf8")) as any;
  const single = read("manifest.yml");
  const dist = read("manifest-distributed.yml");

  it("asks for the same bot scopes as the one-workspace manifest, which are the scopes the install link asks for", () => {
    expect(single.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(dist.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(dist.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it("redirects to /slack/oauth_redirect, subscribes to app_uninstalled and tokens_revoked, and turns token rotation on", () => {
    expect(dist.oauth_config.redirect_urls.map((u: string) => new URL(u).pathname)).toEqual([REDIRECT_PATH]);
    expect(dist.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(["app_home_opened", "app_uninstalled", "tokens_revoked"]));
    expect(dist.settings.token_rotation_enabled).toBe(true);
    expect(dist.settings.socket_mode_enabled).toBe(false);
    // Everything else as in the one-workspace manifest.
    expect(dist.features).toEqual(single.features);
    expect(dist.settings.interactivity).toEqual(single.settings.interactivity);
  });
});
