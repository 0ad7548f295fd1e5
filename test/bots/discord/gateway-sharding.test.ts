/**
 * Gateway sharding against the stand-in, which routes each guild to shard
 * (guild_id >> 22) % count, closes a shard holding more guilds than allowed
 * with 4011 (Discord: 2,500; here 1, so two servers need two shards), and
 * answers an IDENTIFY faster than max_concurrency per 5 s with Invalid Session.
 */
import { afterEach, expect, test, vi } from "vitest";
import { DiscordStartError } from "../../../bots/discord/index.js";
import { IDENTIFY_WINDOW_MS, guildIdOnShard, shardOf } from "../../support/discord-gateway.js";
import type { StandinGuild } from "../../support/discord-interactions.js";
import { startBot, startStandin, type BotUnderTest } from "../../support/discord-harness.js";
import type { DiscordStandin } from "../../support/discord-standin.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 30_000 });

const redis = useTestRedis();
const ON_0: StandinGuild = { id: guildIdOnShard(0, 2, 1), name: "Shard zero", channelId: "510000000000000010" };
const ON_1: StandinGuild = { id: guildIdOnShard(1, 2, 2), name: "Shard one", channelId: "510000000000000011" };
const ANN = { id: "200000000000000001", username: "ann" };

let standin: DiscordStandin | undefined;
let bot: BotUnderTest | undefined;
afterEach(async () => {
  await bot?.stop();
  await standin?.close();
  bot = standin = undefined;
});

const shardsOf = (s: DiscordStandin) => s.identifies.map((i) => JSON.stringify(i.shard)).sort();

test("the guilds land on different shards of two", () => {
  expect([shardOf(ON_0.id, 2), shardOf(ON_1.id, 2)]).toEqual([0, 1]);
});

test("shards 'auto' starts the two shards Discord recommends: both identify, each READY brings its guild, and interactions from both are handled", async () => {
  standin = await startStandin([ON_0, ON_1], { gatewayShards: 2, maxConcurrency: 2, maxGuildsPerShard: 1, enforceIdentifyRate: true });
  bot = await startBot(standin, redis.server.url, { shards: "auto" });
  expect(shardsOf(standin)).toEqual(["[0,2]", "[1,2]"]);
  expect(standin.gateway.invalidSessions).toEqual([]);
  // max_concurrency 2: both buckets identify at once.
  const [a, b] = standin.identifies.map((i) => Number(i.at));
  expect(Math.abs(a! - b!)).toBeLessThan(IDENTIFY_WINDOW_MS);
  const client = bot.bot.client;
  expect(client.options.shardCount).toBe(2);
  expect(client.guilds.cache.get(ON_0.id)?.shardId).toBe(0);
  expect(client.guilds.cache.get(ON_1.id)?.shardId).toBe(1);
  expect(bot.bot.ready()).toBe(true);

  for (const guild of [ON_0, ON_1]) {
    const user = new DiscordUser(standin, { user: ANN, guild });
    const quiz = await user.run("quiz", { topic: "alpha", count: 3 });
    expect(quiz.messages[0]!.embeds[0]?.title).toContain("question 1 of 3");
    const answer = await user.press(quiz.messages[0]!, "Alpha", atLeast(2));
    expect(answer.text).toContain("Correct");
  }
  // A DM has no guild: it comes on shard 0.
  const dm = new DiscordUser(standin, { user: ANN, guild: null, dmChannelId: standin.dmChannelOf(ANN.id) });
  expect((await dm.run("help")).text).toContain("/quiz");
});

test("one shard for more servers than a shard may hold is closed with 4011, and start-up says to set DISCORD_SHARDS", async () => {
  standin = await startStandin([ON_0, ON_1], { gatewayShards: 2, maxGuildsPerShard: 1 });
  const started = startBot(standin, redis.server.url, { shards: 1 });
  await expect(started).rejects.toBeInstanceOf(DiscordStartError);
  await expect(started).rejects.toThrow(/4011.*DISCORD_SHARDS/);
  expect(standin.gateway.closes.map((c) => c.code)).toContain(4011);
});

test("DISCORD_SHARDS fixes the count whatever Discord recommends: three shards identify as [0,3], [1,3], [2,3]", async () => {
  standin = await startStandin([ON_0, ON_1], { gatewayShards: 1, maxConcurrency: 3 });
  bot = await startBot(standin, redis.server.url, { shards: 3 });
  expect(shardsOf(standin)).toEqual(["[0,3]", "[1,3]", "[2,3]"]);
  expect(bot.bot.client.guilds.cache.size).toBe(2);
});

test("with max_concurrency 1 the second shard identifies only after the 5 s window, so Discord never has to refuse one", async () => {
  standin = await startStandin([ON_0, ON_1], { gatewayShards: 2, maxConcurrency: 1, maxGuildsPerShard: 1, enforceIdentifyRate: true });
  bot = await startBot(standin, redis.server.url);
  expect(shardsOf(standin)).toEqual(["[0,2]", "[1,2]"]);
  expect(standin.gateway.invalidSessions).toEqual([]);
  const [first, second] = standin.identifies.map((i) => Number(i.at)).sort((x, y) => x - y);
  expect(second! - first!).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS);
});
