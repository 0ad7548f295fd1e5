import type { Installation } from "@slack/bolt";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { SlackInstallationStore } from "../../../bots/slack/installation-store.js";
import { SecretBox } from "../../../bots/slack/token-crypto.js";
import { useTestRedis } from "../../support/redis.js";
import { CLIENT_ID, CLIENT_SECRET, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import type { SlackUser } from "../../support/slack-requests.js";

const redis = useTestRedis();
let h: SlackHarness;
const extra: Redis[] = [];
afterEach(async () => {
  await h?.stop();
  for (const r of extra.splice(0)) r.disconnect();
});

const HOUR = 3_600_000;
const ANN: SlackUser = { team: "T1", user: "U1", name: "ann" };

/** Another drillbot process: its own Redis client and store, nothing cached. */
function processStore(): SlackInstallationStore {
  const r = new Redis(redis.server.url, { maxRetriesPerRequest: 1 });
  extra.push(r);
  return new SlackInstallationStore({ redis: r, prefix: h.prefix, secretKey: h.secretKey, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: h.standin.apiUrl, log: h.log, now: () => h.standin.nowMs(), cacheMs: 0 });
}

async function installRotating(): Promise<{ token: string; refresh: string }> {
  h = await startSlackHarness(redis.server.url, { users: { "T1:U1": { name: "Ann" } }, distribution: { rotation: true } });
  expect((await h.install({ team: { id: "T1", name: "Acme" }, installer: "U1" })).status).toBe(200);
  const issued = h.standin.oauth.issued();
  return { token: issued.find((t) => h.standin.oauth.identity(t)!.kind === "bot")!, refresh: issued.find((t) => h.standin.oauth.identity(t)!.kind === "refresh")! };
}

const refreshes = () => h.standin.callsTo("oauth.v2.access").filter((c) => c.body.grant_type === "refresh_token");

/** Slack answers refreshes slowly, so every asker is waiting at the same moment. */
function slowRefreshes(ms: number): void {
  h.standin.override("oauth.v2.access", (call) => (call.body.grant_type === "refresh_token" ? { delayMs: ms, body: h.standin.oauth.access(call.body, call.authorization) } : undefined));
}

async function stored(): Promise<Installation> {
  const key = h.installations!.keys.slackInstallation("T1");
  return JSON.parse(new SecretBox(h.secretKey).open((await h.redis.get(key))!, key)) as Installation;
}

describe("token rotation across processes", () => {
  it("an installation with rotation keeps its refresh token and expiry (12 h), encrypted; Bolt is handed neither", async () => {
    const first = await installRotating();
    const inst = await stored();
    expect(inst.bot).toMatchObject({ token: first.token, refreshToken: first.refresh });
    expect(inst.bot!.expiresAt! - Math.floor(h.standin.nowMs() / 1000)).toBeGreaterThan(43_100);
    const forBolt = await h.installations!.fetchInstallation({ teamId: "T1", enterpriseId: undefined, isEnterpriseInstall: false });
    expect(forBolt.bot!.token).toBe(first.token);
    expect(forBolt.bot!.refreshToken).toBeUndefined();
    expect(forBolt.bot!.expiresAt).toBeUndefined();
  });

  it("an expiring token is refreshed exactly once when five processes and a request ask at the same moment; all then use the new token, and the old refresh token is spent", async () => {
    const first = await installRotating();
    h.standin.advanceClock(11 * HOUR); // one hour left: inside the two-hour window
    slowRefreshes(300);
    const stores = Array.from({ length: 5 }, processStore);
    const [command, ...tokens] = await Promise.all([h.command(ANN, "streak"), ...stores.map((s) => s.botTokenFor("T1"))]);
    expect(refreshes()).toHaveLength(1);
    expect(refreshes()[0]!.body.refresh_token).toBe(first.refresh);
    const fresh = tokens[0]!;
    expect(fresh).not.toBe(first.token);
    expect(new Set(tokens)).toEqual(new Set([fresh]));
    expect(h.standin.oauth.problem(fresh)).toBeNull();
    // The request (Bolt's authorize through the adapter's store) used the new token too.
    expect(textOf((await h.responses(command.responseId))[0]!.body.blocks)).toContain("Streak:");
    expect(h.standin.callsTo("users.info").map((c) => c.token)).toEqual([fresh]);
    // Stored: the new pair, good for 12 hours; the lock is let go.
    const inst = await stored();
    expect(inst.bot!.token).toBe(fresh);
    expect(inst.bot!.refreshToken).not.toBe(first.refresh);
    expect(inst.bot!.expiresAt! - Math.floor(h.standin.nowMs() / 1000)).toBeGreaterThan(43_100);
    expect(await h.redis.exists(h.installations!.keys.slackRefreshLock("T1"))).toBe(0);
    // Slack refuses the old refresh token now; drillbot never sent it twice.
    const again = await fetch(`${h.standin.apiUrl}oauth.v2.access`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "refresh_token", refresh_token: first.refresh }),
    });
    expect(await again.json()).toEqual({ ok: false, error: "invalid_refresh_token" });
    expect(h.standin.callsTo("oauth.v2.access").filter((c) => c.body.refresh_token === first.refresh)).toHaveLength(2); // ours, and the probe above
    expect(h.logLines.filter((l) => l.includes("refreshed the bot token of T1"))).toHaveLength(1);
    // Later askers read the new token without asking Slack again (the one refresh, and the probe).
    expect(await processStore().botTokenFor("T1")).toBe(fresh);
    expect(refreshes()).toHaveLength(2);
  });

  it("a token with more than two hours left is used as it is", async () => {
    const first = await installRotating();
    h.standin.advanceClock(9 * HOUR);
    expect(await processStore().botTokenFor("T1")).toBe(first.token);
    expect(refreshes()).toHaveLength(0);
  });

  it("a process that died holding the lock holds nobody up for longer than the lock lives: the next one refreshes", async () => {
    const first = await installRotating();
    h.standin.advanceClock(11 * HOUR);
    await h.redis.set(h.installations!.keys.slackRefreshLock("T1"), "a-process-that-died", "PX", 700);
    const started = Date.now();
    const token = await processStore().botTokenFor("T1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(token).not.toBe(first.token);
    expect(refreshes()).toHaveLength(1);
  });

  it("when Slack refuses the refresh token, the current token is used until it expires, with an error saying to install again; then the workspace counts as not installed", async () => {
    const first = await installRotating();
    h.standin.advanceClock(11 * HOUR);
    h.standin.fail("oauth.v2.access", { body: { ok: false, error: "invalid_refresh_token" } });
    const store = processStore();
    expect(await store.botTokenFor("T1")).toBe(first.token);
    expect(h.logLines.some((l) => l.includes("ERROR") && l.includes("Slack refused to refresh the bot token of T1 (invalid_refresh_token): drillbot must be installed there again"))).toBe(true);
    h.standin.advanceClock(2 * HOUR);
    h.standin.fail("oauth.v2.access", { body: { ok: false, error: "invalid_refresh_token" } });
    expect(await store.botTokenFor("T1")).toBeNull();
  });

  it("when Slack does not answer, a token that has not expired is still used; an expired one is an error, so the send is retried later", async () => {
    const first = await installRotating();
    h.standin.advanceClock(11 * HOUR);
    h.standin.fail("oauth.v2.access", { status: 503, body: { ok: false } }, 2);
    const store = processStore();
    expect(await store.botTokenFor("T1")).toBe(first.token);
    expect(h.logLines.some((l) => l.includes("could not refresh the bot token of T1") && l.includes("using the current one"))).toBe(true);
    h.standin.advanceClock(2 * HOUR);
    h.standin.fail("oauth.v2.access", { status: 503, body: { ok: false } }, 2);
    await expect(store.botTokenFor("T1")).rejects.toThrow();
    // Slack is back: the next ask refreshes.
    expect(await store.botTokenFor("T1")).not.toBe(first.token);
  });

  it("an uninstall while a refresh is under way wins: the refreshed token is not written back", async () => {
    await installRotating();
    h.standin.advanceClock(11 * HOUR);
    slowRefreshes(400);
    const asking = processStore().botTokenFor("T1");
    await h.standin.waitFor(() => refreshes().length === 1, "the refresh to start");
    await h.installations!.remove("T1");
    expect(await asking).toBeNull();
    expect(await h.redis.exists(h.installations!.keys.slackInstallation("T1"))).toBe(0);
  });
});
