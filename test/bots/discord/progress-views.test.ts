/** Streak, leaderboard, stats, settings, lessons, help and DMs through the real discord.js client and the stand-in. */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { GUILD_A, GUILD_B, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 10_000, hookTimeout: 10_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
beforeEach(async () => {
  bot = await startBot(standin, redis.server.url);
});
afterEach(async () => {
  await bot?.stop();
});

const user = (id: string, username: string, guild: typeof GUILD_A | null, extra: { nick?: string; global_name?: string } = {}) =>
  new DiscordUser(standin, { user: { id, username, global_name: extra.global_name ?? null }, nick: extra.nick ?? null, guild });

async function answerFirstRight(u: DiscordUser): Promise<void> {
  const quiz = await u.run("quiz", { topic: "alpha", count: 1 });
  await u.press(quiz.messages[0]!, "Alpha", atLeast(1));
}

test("/streak after a right answer shows a one-day streak, to the learner only", async () => {
  const ann = user("210000000000000001", "ann", GUILD_A);
  const before = await ann.run("streak");
  expect(before.text).toContain("0 days streak");
  await answerFirstRight(ann);
  const after = await ann.run("streak");
  expect(after.messages[0]!.ephemeral).toBe(true);
  expect(after.text).toContain("1 day streak");
  expect(after.text).toContain("You studied today.");
  expect(after.text).toContain("🟩");
});

test("the leaderboard shows this server's learners by display name, and not another server's", async () => {
  const ann = user("220000000000000001", "ann", GUILD_A, { nick: "Annie", global_name: "Ann A." });
  const dan = user("220000000000000002", "dan", GUILD_A, { global_name: "Dan D." });
  const carl = user("220000000000000003", "carl_b", GUILD_B);
  await answerFirstRight(ann);
  await answerFirstRight(dan);
  await answerFirstRight(carl);
  const boardA = await dan.run("leaderboard", { period: "all" });
  expect(boardA.messages[0]!.ephemeral).toBe(false);
  expect(boardA.text).toContain("All time");
  expect(boardA.text).toContain("Annie — 11 pts");
  expect(boardA.text).toContain("Dan D. — 11 pts ← you");
  expect(boardA.text).not.toContain("carl");
  const boardB = await carl.run("leaderboard");
  expect(boardB.text).toContain("This week");
  expect(boardB.text).toContain("carl\\_b — 11 pts ← you");
  expect(boardB.text).not.toContain("Annie");
  expect(boardB.text).not.toContain("Dan");
});

test("/stats counts answers and lessons, privately", async () => {
  const ann = user("230000000000000001", "ann", GUILD_A);
  await answerFirstRight(ann);
  await ann.run("learn", { topic: "alpha" });
  const stats = await ann.run("stats");
  expect(stats.messages[0]!.ephemeral).toBe(true);
  expect(stats.text).toContain("1 (1 correct, 100%)");
  expect(stats.text).toMatch(/Lessons read\n1\/2/);
});

test("/learn shows the lesson as embeds, privately", async () => {
  const ann = user("240000000000000001", "ann", GUILD_A);
  const lesson = await ann.run("learn");
  const m = lesson.messages[0]!;
  expect(m.ephemeral).toBe(true);
  expect(m.embeds[0]?.title).toBe("Lesson 1/2: Alpha basics");
  expect(lesson.text).toContain("Alpha is the first letter.");
  expect(lesson.text).toContain("Alpha comes first.");
  expect(lesson.text).toContain("Quiz yourself on it with /quiz alpha");
});

test("time zones: autocomplete suggests matching zones and /settings tz sets one", async () => {
  const ann = user("250000000000000001", "ann", GUILD_A);
  const zones = await ann.suggest("settings", "zone", "berl", "tz");
  expect(zones.map((z) => z.value)).toContain("Europe/Berlin");
  const many = await ann.suggest("settings", "zone", "", "tz");
  expect(many).toHaveLength(25);
  const set = await ann.run("settings", { zone: "Europe/Berlin" }, atLeast(1), "tz");
  expect(set.messages[0]!.ephemeral).toBe(true);
  expect(set.text).toContain("Time zone set to Europe/Berlin");
  const bad = await ann.run("settings", { zone: "Mars/Olympus" }, atLeast(1), "tz");
  expect(bad.text).toContain("is not a time zone I know");
  const streak = await ann.run("streak");
  expect(streak.text).toContain("Days follow Europe/Berlin");
});

test("topic autocomplete lists the course's topics that match what was typed", async () => {
  const ann = user("260000000000000001", "ann", GUILD_A);
  const topics = await ann.suggest("quiz", "topic", "al");
  expect(topics.map((t) => t.value)).toContain("alpha");
  expect(topics.map((t) => t.value)).not.toContain("beta");
});

test("/help lists the Discord commands and the topics, privately", async () => {
  const ann = user("270000000000000001", "ann", GUILD_A);
  const help = await ann.run("help");
  expect(help.messages[0]!.ephemeral).toBe(true);
  expect(help.callbacks[0]?.type).toBe(4); // answered at once: no storage involved
  expect(help.text).toContain("/quiz [topic] [count]");
  expect(help.text).toContain("/settings tz <zone>");
  expect(help.text).toContain("`alpha`");
});

test("it works in a DM: quiz, answer, streak", async () => {
  const eve = new DiscordUser(standin, { user: { id: "280000000000000001", username: "eve" }, guild: null, dmChannelId: "610000000000000001" });
  const quiz = await eve.run("quiz", { topic: "alpha", count: 2 });
  expect(quiz.messages[0]!.embeds[0]?.description).toContain("Which letter comes first?");
  const answer = await eve.press(quiz.messages[0]!, "Alpha", atLeast(2));
  expect(answer.text).toContain("Correct");
  const board = await eve.run("leaderboard", { period: "all" });
  expect(board.text).toContain("eve — 11 pts ← you");
});

test("/quiz on an unknown topic answers only the asker, with topics to try", async () => {
  const ann = user("290000000000000001", "ann", GUILD_A);
  const quiz = await ann.run("quiz", { topic: "astrology" }, (c) => c.answered && c.followUps.length >= 1);
  expect(quiz.original?.deleted).toBe(true);
  expect(quiz.messages).toHaveLength(1);
  expect(quiz.messages[0]!.ephemeral).toBe(true);
  expect(quiz.text).toContain('No lesson or question matches "astrology"');
  expect(quiz.text).toContain("alpha");
});

test("/review with nothing due says so privately", async () => {
  const ann = user("291000000000000001", "ann", GUILD_A);
  const review = await ann.run("review");
  expect(review.messages[0]!.ephemeral).toBe(true);
  expect(review.text).toContain("Nothing is due for review.");
});
