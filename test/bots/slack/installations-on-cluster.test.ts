/**
 * The Slack installation store on a real Redis Cluster (3 masters): a
 * workspace's installation, its refresh lock and its org link hash to that
 * workspace's slot, and the locked refresh works across two cluster clients.
 */
import { randomBytes } from "node:crypto";
import type { Installation } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainLogger } from "../../../bots/logger.js";
import { SlackInstallationStore } from "../../../bots/slack/installation-store.js";
import { useTestCluster } from "../../support/redis-cluster.js";
import { SlackStandin } from "../../support/slack-standin.js";

const cluster = useTestCluster();
let standin: SlackStandin;
const key = randomBytes(32);
const log = plainLogger("error", []);

beforeAll(async () => {
  standin = await SlackStandin.start();
  standin.strictTokens = true;
  standin.oauth.app = { clientId: "1.2", clientSecret: "cluster-secret", appId: "A1" };
  standin.oauth.rotation = true;
});
afterAll(async () => {
  await standin?.close();
});

const store = () =>
  new SlackInstallationStore({ redis: cluster.connect(), prefix: "c:", secretKey: key, clientId: "1.2", clientSecret: "cluster-secret", apiUrl: standin.apiUrl, log, now: () => standin.nowMs(), cacheMs: 0 });

/** What Slack's code exchange gives, as Bolt's InstallProvider turns it into an installation. */
function installed(team: string): Installation {
  const code = standin.oauth.issueCode({ team: { id: team, name: team } }, ["commands"]);
  const res = standin.oauth.access({ client_id: "1.2", client_secret: "cluster-secret", code }, undefined) as { access_token: string; refresh_token: string; expires_in: number; bot_user_id: string };
  return {
    team: { id: team, name: team },
    enterprise: undefined,
    user: { id: "U1", token: undefined, scopes: undefined },
    bot: { token: res.access_token, refreshToken: res.refresh_token, expiresAt: Math.floor(standin.nowMs() / 1000) + res.expires_in, scopes: ["commands"], id: `B${team}`, userId: res.bot_user_id },
    isEnterpriseInstall: false,
    authVersion: "v2",
  };
}

describe("Slack installations on a Redis Cluster", () => {
  it("keep each workspace's keys in its workspace's slot, and refresh an expiring token once across two clients", async () => {
    const a = store();
    const b = store();
    for (const team of ["T1", "T2", "T3"]) await a.storeInstallation(installed(team));
    for (const team of ["T1", "T2", "T3"]) {
      // The same slot as the workspace's learners, boards and settings (bots/redis/keys.ts tags them "{slack:T1}" too).
      const slots = await Promise.all([a.keys.slackInstallation(team), a.keys.slackRefreshLock(team), a.keys.slackOrgOf(team), `c:learner:{slack:${team}}:U1`].map((k) => cluster.client.cluster("KEYSLOT", k)));
      expect(new Set(slots).size).toBe(1);
    }
    const before = await b.botTokenFor("T2");
    standin.advanceClock(11 * 3_600_000);
    standin.override("oauth.v2.access", (call) => (call.body.grant_type === "refresh_token" ? { delayMs: 200, body: standin.oauth.access(call.body, call.authorization) } : undefined));
    const tokens = await Promise.all([a.botTokenFor("T2"), b.botTokenFor("T2"), a.botTokenFor("T2"), b.botTokenFor("T2")]);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before);
    expect(standin.oauth.problem(tokens[0]!)).toBeNull();
    expect(standin.callsTo("oauth.v2.access").filter((c) => c.body.grant_type === "refresh_token")).toHaveLength(1);
    await a.remove("T2");
    expect(await b.botTokenFor("T2")).toBeNull();
    expect(await b.botTokenFor("T1")).toBeTruthy();
  });
});
