/**
 * Two workspaces installed through OAuth that share member ids (U1, U2, U3 in
 * both) and channel ids (C1): nothing of one is visible to, or changeable
 * from, the other. Driven through the real adapter with both teams' requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { button, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import type { SlackUser } from "../../support/slack-requests.js";

const who = (team: string, user: string, name: string): SlackUser => ({ team, user, name });
const ANN = who("T1", "U1", "ann");
const AL = who("T1", "U2", "al"); // an admin through SLACK_ADMIN_USERS=T1:U2
const ADA = who("T1", "U3", "ada"); // a workspace admin of T1
const BO = who("T2", "U1", "bo");
const BEA = who("T2", "U2", "bea"); // same member id as AL, not an admin in T2
const BEN = who("T2", "U3", "ben"); // same member id as ADA, not an admin in T2
const BIRK = who("T2", "U4", "birk"); // a workspace admin of T2

const USERS = {
  "T1:U1": { name: "Ann Acme" },
  "T1:U2": { name: "Al Acme" },
  "T1:U3": { name: "Ada Acme", admin: true },
  "T2:U1": { name: "Bo Beta" },
  "T2:U2": { name: "Bea Beta" },
  "T2:U3": { name: "Ben Beta" },
  "T2:U4": { name: "Birk Beta", admin: true },
};

let redis: TestRedis;
let h: SlackHarness;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startSlackHarness(redis.server.url, { users: USERS, drills: true, adminUsers: ["T1:U2"], distribution: {} });
  expect((await h.install({ team: { id: "T1", name: "Acme" } })).status).toBe(200);
  expect((await h.install({ team: { id: "T2", name: "Beta" } })).status).toBe(200);
  // Ann answers right in T1; nobody in T2 has answered anything.
  const q = await replies(ANN, "quiz alpha 1");
  const click = await h.click(ANN, button(q[0]!.blocks, "Alpha"));
  expect(textOf((await h.responses(click.responseId))[0]!.body.blocks)).toContain("Correct!");
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

async function replies(u: SlackUser, text: string, n = 1) {
  const res = await h.command(u, text);
  expect(res.status).toBe(200);
  return (await h.responses(res.responseId, n)).map((r) => r.body);
}
const said = async (u: SlackUser, text: string) => (await replies(u, text)).map((b) => textOf(b.blocks ?? []) || b.text).join("\n");

describe("two workspaces with the same member and channel ids", () => {
  it("leaderboards: each workspace sees only its own learners", async () => {
    expect(await said(ANN, "leaderboard all")).toContain("Ann Acme");
    const beta = await said(BO, "leaderboard all");
    expect(beta).not.toContain("Ann");
    expect(beta).not.toContain("Acme");
    expect(await h.redis.zcard(`${h.prefix}lb:{slack:T2}:all`)).toBe(0);
  });

  it("learner settings and progress: the same member id in the other workspace is another learner", async () => {
    expect(await said(ANN, "tz Europe/Berlin")).toContain("Europe/Berlin");
    expect(await said(BO, "streak")).toContain("Days follow UTC");
    expect(await said(ANN, "streak")).toContain("Streak: 1 day");
    expect(await said(BO, "streak")).toContain("Streak: 0 days");
    expect(await said(BO, "settings private on")).toMatch(/private|anonymous/i);
    expect(await h.redis.hget(`${h.prefix}learner:{slack:T1}:U1`, "tz")).toBe("Europe/Berlin");
    expect(await h.redis.hget(`${h.prefix}learner:{slack:T2}:U1`, "tz")).toBeNull();
    expect(await said(ANN, "leaderboard all")).toContain("Ann Acme");
  });

  it("admin rights: SLACK_ADMIN_USERS=T1:U2 and a workspace admin's role count in their own workspace only", async () => {
    expect(await said(BEA, "challenge post a-single 1h")).toContain("Only admins can post challenges");
    expect(await said(BEN, "drill channel 09:00 UTC")).toContain("Only admins can set up channel drills");
    expect(await said(BEN, "team export")).toContain("Only workspace admins can export");
    expect(await h.redis.keys(`${h.prefix}challenge:*`)).toEqual([]);
    expect(await h.schedules!.channelDrills("slack", "T2")).toEqual([]);
    // The same member ids are admins in T1.
    const posted = await replies(AL, "challenge post a-single 1h", 2);
    expect(posted[0]!.text).toContain("Challenge from Al Acme");
    expect(await said(ADA, "drill channel 09:00 UTC")).toContain("Channel drill set");
  });

  it("channel drills: T2 neither sees nor turns off T1's drill in its own channel C1", async () => {
    expect((await h.schedules!.channelDrills("slack", "T1")).map((d) => d.channel)).toEqual([{ platform: "slack", workspace: "T1", channel: "C1" }]);
    const list = await said(BIRK, "drill list");
    expect(list).toContain("No channel drills in this workspace.");
    await said(BIRK, "drill channel off");
    expect(await h.schedules!.channelDrills("slack", "T1")).toHaveLength(1);
    expect(await said(ANN, "drill list")).toContain("09:00");
  });

  it("personal drills: T2's U1 has none of T1's U1", async () => {
    expect(await said(ANN, "drill me 08:30 UTC 2")).toContain("Daily drill set");
    expect(await said(ANN, "drill list")).toContain("Your drill: 2 questions at 08:30 UTC");
    expect(await said(BO, "drill list")).toContain("You have no daily drill");
  });

  it("challenges: an answer from T2 to T1's challenge is not counted in T1's tally", async () => {
    const [, question] = await replies(AL, "challenge post a-single 1h", 2);
    const alpha = button(question!.blocks, "Alpha");
    const session = alpha.value!.split("|")[1]!;
    await h.responses((await h.click(ANN, alpha)).responseId);
    await h.responses((await h.click(BO, alpha)).responseId);
    const tally = await h.redis.hkeys(`${h.prefix}tally:{slack:T1}:${session}`);
    expect(tally).toEqual(["slack:T1:U1"]);
    expect(await said(ANN, "leaderboard all")).not.toContain("Bo Beta");
  });

  it("team view, workspace settings and export: an admin of T2 sees and changes only T2's", async () => {
    expect(await said(ADA, "settings team quiet 22:00-07:00 UTC")).toContain("22:00");
    expect(await said(BIRK, "settings team retention 0.85")).toContain("0.85");
    expect(await h.redis.hget(`${h.prefix}ws:{slack:T1}:settings`, "retention")).toBeNull();
    expect(await h.redis.hget(`${h.prefix}ws:{slack:T2}:settings`, "quiet")).toBeNull();
    const t1 = await said(ADA, "team");
    const t2 = await said(BIRK, "team");
    expect(t1).not.toBe(t2);
    expect(t2).not.toContain("Ann");

    await replies(BIRK, "team export");
    await replies(ADA, "team export");
    const dmT2 = h.standin.dmOf("U4", "T2")!;
    const dmT1 = h.standin.dmOf("U3", "T1")!;
    const [beta] = await h.standin.waitFor(() => (h.standin.uploadsTo(dmT2).length ? h.standin.uploadsTo(dmT2) : undefined), "T2's export");
    const [acme] = await h.standin.waitFor(() => (h.standin.uploadsTo(dmT1).length ? h.standin.uploadsTo(dmT1) : undefined), "T1's export");
    // One learner each: T1's U1 (Ann), and T2's U1 (Bo, private since the settings test, who answered only through T2).
    const names = (csv: Buffer) =>
      csv
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .split("\r\n")
        .filter((l) => l.startsWith("learner,"))
        .map((l) => l.split(",")[2]);
    expect(names(beta!.bytes)).toEqual(["anonymous"]);
    expect(names(acme!.bytes)).toEqual(["Ann Acme"]);
    // Each export went through its own workspace's token.
    for (const m of ["conversations.open", "files.getUploadURLExternal", "files.completeUploadExternal"]) {
      expect(h.standin.callsTo(m).map((c) => c.owner).sort()).toEqual(["T1", "T2"]);
    }
  });

  it("every Web API call of the run used the token of the workspace the request came from", async () => {
    for (const c of h.standin.calls) {
      if (c.method === "oauth.v2.access" || c.method === "auth.test") continue;
      expect(c.owner).toMatch(/^T[12]$/);
    }
    const lookups = h.standin.callsTo("users.info");
    expect(lookups.length).toBeGreaterThan(0);
    for (const l of lookups) expect(USERS[`${l.owner}:${l.body.user}` as keyof typeof USERS]).toBeDefined();
  });
});
