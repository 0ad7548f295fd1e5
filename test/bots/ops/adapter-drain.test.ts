/**
 * The first step of shutdown in each adapter: events in flight finish, new
 * ones are turned away with a short "restarting" note (never left to time
 * out), and each is counted. Real discord.js and Bolt against the stand-ins.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RESTARTING_TEXT as DISCORD_RESTARTING } from "../../../bots/discord/interaction-router.js";
import { interactions } from "../../../bots/ops/telemetry.js";
import { RESTARTING_TEXT as SLACK_RESTARTING } from "../../../bots/slack/gate-middleware.js";
import { Conversation } from "../../support/discord-conversation.js";
import { GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { DiscordUser } from "../../support/discord-user.js";
import { eventually } from "../../support/drill-harness.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, startSlackHarness, type SlackHarness } from "../../support/slack-harness.js";

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest | undefined;
let slack: SlackHarness | undefined;
afterEach(async () => {
  await bot?.stop();
  await slack?.stop();
  bot = slack = undefined;
});

async function counted(labels: { platform: string; kind: string; outcome: string }): Promise<number> {
  const metric = await interactions.get();
  return metric.values.find((v) => v.labels.platform === labels.platform && v.labels.kind === labels.kind && v.labels.outcome === labels.outcome)?.value ?? 0;
}

describe("draining the adapters at shutdown", () => {
  it("Discord: a quiz in flight finishes before the drain returns; one arriving meanwhile is told to retry, privately", async () => {
    bot = await startBot(standin, redis.server.url);
    const ann = new DiscordUser(standin, { user: { id: "200000000000000301", username: "ann" }, guild: GUILD_A });
    const bob = new DiscordUser(standin, { user: { id: "200000000000000302", username: "bob" }, guild: GUILD_A });
    const refusedBefore = await counted({ platform: "discord", kind: "command", outcome: "refused" });
    // Discord shows Ann's question at once, but its answer to the bot comes a second late: her command is in flight.
    standin.holdResponses("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, 1_000);
    const seen = standin.requests.length;
    const annQuiz = ann.run("quiz", { topic: "alpha", count: 3 });
    await eventually(() => standin.requests.slice(seen).some((r) => r.method === "PATCH" && r.path.includes("@original")), 5_000);

    const started = Date.now();
    const drained = bot.bot.drain(started + 5_000).then(() => Date.now() - started);
    const bobQuiz = await bob.run("quiz", { topic: "alpha", count: 3 });
    expect(bobQuiz.messages).toHaveLength(1);
    expect(bobQuiz.messages[0]!.ephemeral).toBe(true);
    expect(Conversation.textOf(bobQuiz.messages[0]!)).toBe(DISCORD_RESTARTING);

    expect((await annQuiz).text).toContain("question 1 of 3");
    expect(await drained).toBeGreaterThanOrEqual(500); // it waited for Ann's reply to come back
    expect(await counted({ platform: "discord", kind: "command", outcome: "refused" })).toBe(refusedBefore + 1);
    const lines = bot.logs.filter((l) => l.includes("interaction"));
    expect(lines.some((l) => l.includes('"outcome":"refused"') && l.includes('"command":"quiz"'))).toBe(true);
  });

  it("Discord: work that outlasts the deadline is reported, and the drain still returns at the deadline", async () => {
    bot = await startBot(standin, redis.server.url);
    const ann = new DiscordUser(standin, { user: { id: "200000000000000303", username: "ann" }, guild: GUILD_A });
    standin.holdResponses("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, 3_000);
    const seen = standin.requests.length;
    const annQuiz = ann.run("quiz", { topic: "alpha", count: 3 });
    await eventually(() => standin.requests.slice(seen).some((r) => r.method === "PATCH" && r.path.includes("@original")), 5_000);
    const started = Date.now();
    await bot.bot.drain(started + 400);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(bot.logs.some((l) => l.includes("1 chat event(s) still being handled when the shutdown grace ran out"))).toBe(true);
    await annQuiz;
  });

  it("Slack: once draining, a command is acknowledged with the restarting note and a click gets it by response_url", async () => {
    slack = await startSlackHarness(redis.server.url);
    const before = await counted({ platform: "slack", kind: "command", outcome: "refused" });
    await slack.adapter.drain(Date.now() + 1_000);
    const cmd = await slack.command(ALICE, "stats");
    expect(cmd.status).toBe(200);
    expect(JSON.parse(cmd.text)).toEqual({ response_type: "ephemeral", text: SLACK_RESTARTING });
    const click = await slack.click(ALICE, { action_id: "drillbot.answer", value: "x", text: { text: "1" } });
    expect(click.status).toBe(200);
    await eventually(() => slack!.standin.responsesTo(click.responseId).length === 1, 5_000);
    expect(slack.standin.responsesTo(click.responseId)[0]!.body).toMatchObject({ response_type: "ephemeral", text: SLACK_RESTARTING });
    expect(await counted({ platform: "slack", kind: "command", outcome: "refused" })).toBe(before + 1);
    // Nothing was handled: Alice has no stats, no answer was recorded.
    expect(await slack.redis.keys(`${slack.prefix}*`)).toEqual([]);
  });
});
