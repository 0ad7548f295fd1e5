/**
 * When Discord refuses a reply after the answer was recorded, the learner is
 * told it was recorded (not "nothing was recorded"); the stand-in refuses what
 * breaks Discord's published limits.
 */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { learnerId } from "../../../core/identity.js";
import { messageProblem } from "../../support/discord-limits.js";
import { GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";
import { RedisKeys } from "../../../bots/redis/keys.js";

vi.setConfig({ testTimeout: 10_000, hookTimeout: 10_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
let ann: DiscordUser;
let ANN_ID = "";
let n = 0;
beforeEach(async () => {
  bot = await startBot(standin, redis.server.url);
  ANN_ID = `30000000000000001${++n}`;
  ann = new DiscordUser(standin, { user: { id: ANN_ID, username: "ann" }, guild: GUILD_A });
});
afterEach(async () => {
  await bot?.stop();
});

async function answeredCount(): Promise<number> {
  const keys = await bot.redis.keys(`*${new RedisKeys("").learner(learnerId({ platform: "discord", workspace: GUILD_A.id, user: ANN_ID }))}`);
  return keys.length ? Number(await bot.redis.hget(keys[0]!, "answered")) : 0;
}

test("Discord refusing the feedback: the learner hears the answer was recorded, with the points", async () => {
  const quiz = await ann.run("quiz", { topic: "alpha", count: 2 });
  standin.failReplies(400, 50035, "Invalid Form Body");
  const conv = await ann.press(quiz.messages[0]!, "Alpha", (c) => c.answered && /recorded/.test(c.text));
  expect(conv.text).toContain("Discord refused to show my reply. Your answer was recorded (right, +");
  expect(conv.text).toContain("/quiz shows your open question");
  expect(conv.text).not.toContain("nothing was recorded");
  expect(await answeredCount()).toBe(1);
  expect(bot.logs.some((l) => l.includes("Discord refused the reply"))).toBe(true);
});

test("a refusal of a reply that recorded nothing says nothing was recorded", async () => {
  standin.failReplies(400, 50035, "Invalid Form Body");
  const conv = await ann.run("quiz", { topic: "no-such-topic" }, (c) => c.answered && /refused/.test(c.text));
  expect(conv.text).toContain("Discord refused to show my reply. Nothing was recorded.");
  expect(await answeredCount()).toBe(0);
});

test("the stand-in refuses messages Discord would refuse", () => {
  expect(messageProblem({ content: "x".repeat(2001) })).toContain("content");
  expect(messageProblem({ embeds: [{ title: "t".repeat(257) }] })).toContain("title");
  expect(messageProblem({ components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => ({ type: 2, custom_id: `b${i}`, label: "x" })) }] })).toContain("more than 5");
  expect(messageProblem({ components: [{ type: 1, components: [{ type: 2, custom_id: "c".repeat(101), label: "x" }] }] })).toContain("custom_id");
  expect(messageProblem({ content: "fine", embeds: [{ title: "ok", description: "ok" }] })).toBeNull();
});
