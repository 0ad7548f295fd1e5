import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { SlackInstallationStore } from "../../../bots/slack/installation-store.js";
import { BOT_SCOPES } from "../../../bots/slack/oauth-install.js";
import { createSlackMessenger } from "../../../bots/slack/slack-messenger.js";
import { eventually } from "../../support/drill-harness.js";
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

const ACME = { team: { id: "T1", name: "Acme" }, installer: "U1" };
const BETA = { team: { id: "T2", name: "Beta" }, installer: "U1" };
// The same member id in both workspaces.
const ANN: SlackUser = { team: "T1", user: "U1", name: "ann" };
const BO: SlackUser = { team: "T2", user: "U1", name: "bo" };
const USERS = { "T1:U1": { name: "Ann Acme" }, "T2:U1": { name: "Bo Beta" } };

async function start(opts: Parameters<typeof startSlackHarness>[1] = {}) {
  h = await startSlackHarness(redis.server.url, { users: USERS, distribution: {}, ...opts });
  return h;
}

/** Another process's view of the same installations (its own Redis client, nothing cached). */
function otherProcessStore(): SlackInstallationStore {
  const r = new Redis(redis.server.url, { maxRetriesPerRequest: 1 });
  extra.push(r);
  return new SlackInstallationStore({ redis: r, prefix: h.prefix, secretKey: h.secretKey, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiUrl: h.standin.apiUrl, log: h.log, now: () => h.standin.nowMs(), cacheMs: 0 });
}

/** Every string value under the harness's prefix. */
async function redisStrings(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of await h.redis.keys(`${h.prefix}*`)) if ((await h.redis.type(k)) === "string") out.set(k, (await h.redis.get(k))!);
  return out;
}

function uninstallEvent(team: string, id: string) {
  return {
    token: "verification-token",
    team_id: team,
    api_app_id: "A1",
    event: { type: "app_uninstalled", event_ts: "1700000000.000200" },
    type: "event_callback",
    event_id: id,
    event_time: 1700000000,
    authorizations: [{ enterprise_id: null, team_id: team, user_id: `UB${team}`, is_bot: true, is_enterprise_install: false }],
  };
}

async function reply(who: SlackUser, text: string) {
  const res = await h.command(who, text);
  expect(res.status).toBe(200);
  return (await h.responses(res.responseId))[0]!.body;
}

describe("installing drillbot in a workspace (OAuth v2, Bolt's install flow)", () => {
  it("/slack/install sets the state cookie and redirects to Slack's authorize page with the client id and the manifest's scopes; the redirect back stores the installation", async () => {
    await start();
    const out = await h.install(ACME);
    expect(`${out.authorizeUrl.origin}${out.authorizeUrl.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(out.authorizeUrl.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(out.authorizeUrl.searchParams.get("scope")!.split(",")).toEqual([...BOT_SCOPES]);
    const state = out.authorizeUrl.searchParams.get("state")!;
    expect(state.length).toBeGreaterThan(20);
    expect(out.setCookie.some((c) => c.startsWith(`slack-app-oauth-state=${state};`) && /HttpOnly/i.test(c) && /Secure/i.test(c))).toBe(true);
    expect(out.status).toBe(200);
    expect(out.text).toContain("drillbot is installed in Acme");
    // The state cookie is spent.
    expect(out.callbackSetCookie.some((c) => c.startsWith("slack-app-oauth-state=deleted"))).toBe(true);
    // The code was traded once, with the app's credentials, and the new token checked with auth.test.
    const exchanges = h.standin.callsTo("oauth.v2.access");
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.body).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    const [token] = h.standin.oauth.botTokensOf("T1");
    expect(h.standin.callsTo("auth.test").map((c) => c.token)).toEqual([token]);
    expect(await h.redis.exists(h.installations!.keys.slackInstallation("T1"))).toBe(1);
    expect(await h.installations!.botTokenFor("T1")).toBe(token);
    expect(h.logLines.some((l) => l.includes("drillbot installed in workspace T1 (Acme)"))).toBe(true);
  });

  it("a tampered state, a missing state or a browser without the state cookie is refused with a page saying to start again, and nothing is stored", async () => {
    await start();
    const tampered = await h.install(ACME, { state: (s) => `${s.slice(0, -3)}${s.endsWith("AAA") ? "BBB" : "AAA"}` });
    const missing = await h.install(ACME, { state: () => null });
    const foreign = await h.install(ACME, { withoutCookie: true });
    for (const out of [tampered, missing, foreign]) {
      expect(out.status).toBe(400);
      expect(out.text).toContain("drillbot was not installed");
      expect(out.text).toContain("/slack/install");
    }
    expect(h.standin.callsTo("oauth.v2.access")).toHaveLength(0);
    expect(await h.redis.keys(`${h.prefix}slack-install:*`)).toEqual([]);
    expect(await h.installations!.botTokenFor("T1")).toBeNull();
    expect(h.logLines.filter((l) => l.includes("an install did not finish"))).toHaveLength(3);
  });

  it("a code Slack refuses (used already) stores nothing and says so", async () => {
    await start();
    h.standin.fail("oauth.v2.access", { body: { ok: false, error: "invalid_code" } });
    const out = await h.install(ACME);
    expect(out.status).toBe(500);
    expect(out.text).toContain("nothing was stored");
    expect(await h.redis.keys(`${h.prefix}slack-install:*`)).toEqual([]);
  });
});

describe("two installed workspaces, each with its own token", () => {
  it("every reply and every scheduled drill goes out with the token of the workspace it is for", async () => {
    await start({ drills: true, clockIso: "2026-03-02T12:00:00Z" });
    expect((await h.install(ACME)).status).toBe(200);
    expect((await h.install(BETA)).status).toBe(200);
    const [t1] = h.standin.oauth.botTokensOf("T1");
    const [t2] = h.standin.oauth.botTokensOf("T2");
    expect(t1).not.toBe(t2);

    // Replies: the profile lookup (users.info) and the Home tab (views.publish) use the asker's workspace token.
    expect(textOf((await reply(ANN, "streak")).blocks)).toContain("Streak:");
    expect(textOf((await reply(BO, "streak")).blocks)).toContain("Streak:");
    await h.openHome(ANN);
    await h.openHome(BO);
    await h.standin.waitFor(() => h.standin.callsTo("views.publish").length === 2, "two Home tabs");
    for (const m of ["users.info", "views.publish"]) {
      const calls = h.standin.callsTo(m);
      expect(calls.map((c) => c.owner).sort()).toEqual(["T1", "T2"]);
    }
    // users.info answered each workspace's own person behind the shared member id.
    const names = await h.redis.hgetall(`${h.prefix}names:{slack:T1}`);
    expect(Object.values(names).join()).not.toContain("Bo Beta");

    // Scheduled: the worker's messenger asks the store for each workspace's token per send.
    await reply(ANN, "drill me 13:00 UTC 1");
    await reply(BO, "drill me 13:00 UTC 1");
    h.jobs!.startDeliveryWorkers(h.drills!, { slack: createSlackMessenger({ tokens: otherProcessStore(), apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } }) });
    h.clock.set("2026-03-02T13:01:00Z");
    expect(await h.jobs!.tick()).toMatchObject({ personal: 2 });
    const posts = () => h.standin.callsTo("chat.postMessage");
    await eventually(() => posts().length === 2);
    expect(posts().map((p) => [p.owner, p.token, p.body.channel]).sort()).toEqual(
      [
        ["T1", t1, "U1"],
        ["T2", t2, "U1"],
      ].sort(),
    );
    // Every Web API call carried a token Slack issued, and none was refused.
    for (const c of h.standin.calls) if (c.method !== "oauth.v2.access") expect(c.owner).toMatch(/^T[12]$/);
  });

  it("an uninstall (app_uninstalled) removes the installation: its token is gone from Redis, its requests get no reply, its scheduled drills are skipped with a log line and not retried", async () => {
    await start({ drills: true, clockIso: "2026-03-02T12:00:00Z" });
    await h.install(ACME);
    await h.install(BETA);
    await reply(ANN, "drill me 13:00 UTC 1");
    await reply(BO, "drill me 13:00 UTC 1");
    const [t2] = h.standin.oauth.botTokensOf("T2");
    const worker = otherProcessStore();
    expect(await worker.botTokenFor("T2")).toBe(t2);

    h.standin.oauth.uninstall("T2");
    const ev = await h.event(uninstallEvent("T2", "Ev-uninstall-1"));
    expect(ev.status).toBe(200);
    await eventually(async () => (await h.redis.exists(h.installations!.keys.slackInstallation("T2"))) === 0, 5_000);
    expect(await h.redis.exists(h.installations!.keys.slackInstallation("T1"))).toBe(1);
    expect(await worker.botTokenFor("T2")).toBeNull();
    expect(h.logLines.some((l) => l.includes("drillbot was uninstalled in T2"))).toBe(true);

    // A request from the uninstalled workspace: acknowledged (Bolt acks), no listener runs, nothing answers.
    const before = h.standin.calls.length;
    const res = await h.command(BO, "streak");
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.standin.responsesTo(res.responseId)).toHaveLength(0);
    expect(h.standin.calls.length).toBe(before);
    expect(h.logLines.some((l) => l.includes("WARN") && l.includes("a request was ignored: drillbot is not installed in Slack workspace T2"))).toBe(true);
    // The other workspace is untouched.
    expect(textOf((await reply(ANN, "streak")).blocks)).toContain("Streak:");

    h.jobs!.startDeliveryWorkers(h.drills!, { slack: createSlackMessenger({ tokens: worker, apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } }) });
    h.clock.set("2026-03-02T13:01:00Z");
    expect(await h.jobs!.tick()).toMatchObject({ personal: 2 });
    await eventually(async () => ((await h.jobs!.queues.slack.getJobCounts("completed")).completed ?? 0) === 2);
    const counts = await h.jobs!.queues.slack.getJobCounts("failed", "delayed", "waiting", "active");
    expect(counts).toMatchObject({ failed: 0, delayed: 0, waiting: 0, active: 0 });
    expect(h.standin.callsTo("chat.postMessage").map((p) => p.owner)).toEqual(["T1"]);
    expect(h.logLines.filter((l) => l.includes("drillbot is not installed in workspace T2 (uninstalled?); skipped, not retried"))).toHaveLength(1);
  });

  it("tokens_revoked for the bot token removes the installation too; a revoked token Slack refuses on a scheduled send is skipped, not retried", async () => {
    await start();
    await h.install(ACME);
    await h.install(BETA);
    const worker = otherProcessStore();
    const messenger = createSlackMessenger({ tokens: worker, apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } });
    // Slack revoked T1's token and the event has not arrived yet: Slack answers token_revoked.
    h.standin.oauth.uninstall("T1");
    await expect(messenger.toLearner({ platform: "slack", workspace: "T1", user: "U1" }, [{ type: "text", text: "hi" }], { idempotencyKey: "k-revoked" })).resolves.toBeUndefined();
    expect(h.logLines.some((l) => l.includes("Slack refused workspace T1's token (token_revoked; uninstalled?); skipped, not retried"))).toBe(true);

    const ev = await h.event({
      ...uninstallEvent("T1", "Ev-revoked-1"),
      event: { type: "tokens_revoked", tokens: { oauth: [], bot: ["UBT1"] }, event_ts: "1700000000.000300" },
    });
    expect(ev.status).toBe(200);
    await eventually(async () => (await h.redis.exists(h.installations!.keys.slackInstallation("T1"))) === 0, 5_000);
    expect(await h.redis.exists(h.installations!.keys.slackInstallation("T2"))).toBe(1);
    // User tokens only: drillbot keeps none, so nothing is deleted.
    await h.event({ ...uninstallEvent("T2", "Ev-revoked-2"), event: { type: "tokens_revoked", tokens: { oauth: ["U1"], bot: [] }, event_ts: "1700000000.000400" } });
    await eventually(() => h.logLines.some((l) => l.includes("user tokens revoked in T2")));
    expect(await h.redis.exists(h.installations!.keys.slackInstallation("T2"))).toBe(1);
  });
});

describe("installations at rest", () => {
  it("Redis holds only ciphertext: no token, refresh token or workspace name in any value, and no token in the logs", async () => {
    await start({ distribution: { rotation: true } });
    await h.install(ACME);
    await h.install(BETA);
    await reply(ANN, "streak");
    const secrets = h.standin.oauth.issued();
    expect(secrets.length).toBe(4); // two access tokens and two refresh tokens
    const values = await redisStrings();
    const installs = [...values].filter(([k]) => k.includes("slack-install:"));
    expect(installs.map(([k]) => k).sort()).toEqual([`${h.prefix}slack-install:{slack:T1}`, `${h.prefix}slack-install:{slack:T2}`]);
    for (const [, v] of installs) expect(v).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    for (const [k, v] of values) {
      for (const s of [...secrets, "Acme", "Beta", "xoxb-", "xoxe"]) expect(`${k}=${v}`).not.toContain(s);
    }
    const logs = h.logLines.join("\n");
    for (const s of secrets) expect(logs).not.toContain(s);
    expect(logs).not.toContain("[redacted]");
  });

  it("a wrong DRILLBOT_SECRET_KEY or a changed value is a clear error: the request gets no reply, nothing crashes, and the scheduled send is retried later", async () => {
    await start();
    await h.install(ACME);
    const key = h.installations!.keys.slackInstallation("T1");
    const good = (await h.redis.get(key))!;
    const wrongKey = new SlackInstallationStore({ redis: h.redis, prefix: h.prefix, secretKey: Buffer.alloc(32, 7), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, log: h.log, cacheMs: 0 });
    await expect(wrongKey.botTokenFor("T1")).rejects.toThrow(/DRILLBOT_SECRET_KEY is not the key it was stored with/);
    const messenger = createSlackMessenger({ tokens: wrongKey, apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } });
    await expect(messenger.toLearner({ platform: "slack", workspace: "T1", user: "U1" }, [{ type: "text", text: "hi" }], { idempotencyKey: "k-key" })).rejects.toThrow(/DRILLBOT_SECRET_KEY/);

    // One character of the stored value changed: one in the middle, all of whose bits count (the last
    // base64url character may carry padding bits a decoder ignores, so changing it can change nothing).
    const at = Math.floor(good.length / 2);
    const other = good[at] === "A" ? "B" : "A";
    await h.redis.set(key, `${good.slice(0, at)}${other}${good.slice(at + 1)}`);
    const res = await h.command(ANN, "streak");
    expect(res.status).toBe(200);
    await eventually(() => h.logLines.some((l) => l.includes("could not read the installation for a request") && l.includes("the value was changed")));
    expect(h.standin.responsesTo(res.responseId)).toHaveLength(0);
    await h.redis.set(key, good);
    // The adapter is still up and answers once the value is right again.
    expect(textOf((await reply(ANN, "streak")).blocks)).toContain("Streak:");
  });
});

describe("an org-wide install (Enterprise Grid)", () => {
  it("is stored once for the enterprise; requests from its workspaces use its token, and scheduled sends there find it", async () => {
    await start();
    const out = await h.install({ enterprise: { id: "E1", name: "Org" }, isEnterpriseInstall: true, installer: "U9" });
    expect(out.status).toBe(200);
    expect(await h.redis.keys(`${h.prefix}slack-install:*`)).toEqual([`${h.prefix}slack-install:{slack:E1}`]);
    const [orgToken] = h.standin.oauth.botTokensOf("E1");
    const worker = otherProcessStore();
    // Before any request from T5, nothing links it to E1.
    expect(await worker.botTokenFor("T5")).toBeNull();
    h.standin.users.set("E1:U5", { name: "Eve" });
    const eve: SlackUser = { team: "T5", user: "U5", name: "eve", enterprise: "E1" };
    expect(textOf((await reply(eve, "streak")).blocks)).toContain("Streak:");
    expect(h.standin.callsTo("users.info").map((c) => c.token)).toEqual([orgToken]);
    expect(await worker.botTokenFor("T5")).toBe(orgToken);
    // A workspace of another org is not covered.
    expect(await worker.botTokenFor("T6")).toBeNull();
  });
});
