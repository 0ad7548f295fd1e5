import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, BOB, button, CAROL, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import type { SlackUser } from "../../support/slack-requests.js";

let redis: TestRedis;
let h: SlackHarness;

const USERS = {
  UALICE: { name: "Alice Liddell", displayName: "alice.l", tz: "America/New_York" },
  UBOB: { name: "Bob Stone", displayName: "bob.s", tz: "Europe/Berlin" },
  UCAROL: { name: "Carol Jones", displayName: "carol.j" },
};

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await h?.stop();
});

async function say(who: SlackUser, text: string): Promise<string> {
  const res = await h.command(who, text);
  const [r] = await h.responses(res.responseId);
  return textOf(r!.body.blocks);
}

/** Starts a quiz for `who` and clicks the right answer of its first question. */
async function answerFirstRight(who: SlackUser) {
  const res = await h.command(who, "quiz alpha 3");
  const [q] = await h.responses(res.responseId);
  return h.click(who, button(q!.body.blocks, "Alpha"));
}

describe("progress on Slack", () => {
  it("streak and stats show the answers; the profile's time zone is used until one is set", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const click = await answerFirstRight(ALICE);
    await h.responses(click.responseId, 2);
    const streak = await say(ALICE, "streak");
    expect(streak).toContain("Streak: 1 day");
    expect(streak).toContain("studied today");
    expect(streak).toContain("America/New_York");
    const stats = await say(ALICE, "stats");
    expect(stats).toMatch(/\*Answered\*\n1 \(100% correct\)/);
    expect(await say(ALICE, "tz Europe/Paris")).toContain("Time zone set to Europe/Paris");
    expect(await say(ALICE, "streak")).toContain("Europe/Paris");
    // The profile was looked up once and then served from the cache.
    expect(h.standin.callsTo("users.info").filter((c) => c.body.user === "UALICE")).toHaveLength(1);
  });

  it("the leaderboard lists this workspace's learners by display name; another workspace's stays separate", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    for (const who of [ALICE, BOB, CAROL]) await h.responses((await answerFirstRight(who)).responseId);
    const t1 = await say(ALICE, "leaderboard");
    expect(t1).toContain("alice.l");
    expect(t1).toContain("bob.s");
    expect(t1).not.toContain("carol");
    expect(t1).toContain("← you");
    const t2 = await say(CAROL, "leaderboard all");
    expect(t2).toContain("All time");
    expect(t2).toContain("carol.j");
    expect(t2).not.toContain("alice");
    expect(t2).not.toContain("bob");
  });

  it("the same click delivered twice counts once and replays the same feedback", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const res = await h.command(ALICE, "quiz alpha 3");
    const [q] = await h.responses(res.responseId);
    const alpha = button(q!.body.blocks, "Alpha");
    const first = await h.click(ALICE, alpha, { actionTs: "1700000100.000001" });
    const [fb1] = await h.responses(first.responseId, 2);
    const again = await h.click(ALICE, alpha, { actionTs: "1700000100.000001" });
    const [fb2] = await h.responses(again.responseId);
    expect(textOf(fb2!.body.blocks)).toContain("Correct!");
    expect(textOf(fb2!.body.blocks)).toBe(textOf(fb1!.body.blocks));
    expect(await say(ALICE, "stats")).toMatch(/\*Answered\*\n1 \(/);
  });

  it("a retried delivery (x-slack-retry-num) of a click is acked and counted once", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const res = await h.command(ALICE, "quiz alpha 3");
    const [q] = await h.responses(res.responseId);
    const alpha = button(q!.body.blocks, "Alpha");
    const first = await h.click(ALICE, alpha, { actionTs: "1700000200.000001" });
    await h.responses(first.responseId, 2);
    const retry = await h.click(ALICE, alpha, { actionTs: "1700000200.000001", retryNum: 1 });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standin.responsesTo(retry.responseId)).toHaveLength(0);
    const stats = await say(ALICE, "stats");
    expect(stats).toMatch(/\*Answered\*\n1 \(/);
    expect(h.logLines.some((l) => l.includes("retry 1 of answer"))).toBe(true);
  });

  it("a different click on the same question is not a retry: the first answer counts", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const res = await h.command(ALICE, "quiz alpha 3");
    const [q] = await h.responses(res.responseId);
    await h.responses((await h.click(ALICE, button(q!.body.blocks, "Gamma"))).responseId);
    const second = await h.click(ALICE, button(q!.body.blocks, "Alpha"));
    const [fb] = await h.responses(second.responseId);
    expect(textOf(fb!.body.blocks)).toContain("You already answered this question");
    expect(await say(ALICE, "stats")).toMatch(/\*Answered\*\n1 \(0% correct\)/);
  });

  it("a retried /study quiz is acked without starting a second quiz", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const first = await h.command(ALICE, "quiz alpha", { triggerId: "trig-fixed-1" });
    await h.responses(first.responseId);
    const retry = await h.command(ALICE, "quiz alpha", { triggerId: "trig-fixed-1", retryNum: 1 });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standin.responsesTo(retry.responseId)).toHaveLength(0);
  });
});
