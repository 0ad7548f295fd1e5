/** Bad input, storage outages and rate limits: the bot answers briefly and keeps running. */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { deployCommands, startDiscord } from "../../../bots/discord/index.js";
import { plainLogger } from "../../../bots/logger.js";
import { buttonsOf, CALLBACK } from "../../support/discord-conversation.js";
import { APP_ID, fixtureCatalog, GUILD_A, startBot, useStandin, TOKEN, type BotUnderTest } from "../../support/discord-harness.js";
import { StudyService } from "../../../core/service/study-service.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { startTestRedis, useTestRedis, type TestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 10_000, hookTimeout: 10_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
let ann: DiscordUser;
beforeEach(async () => {
  bot = await startBot(standin, redis.server.url);
  ann = new DiscordUser(standin, { user: { id: "300000000000000001", username: "ann" }, guild: GUILD_A });
});
afterEach(async () => {
  await bot?.stop();
});

test("malformed or stale buttons get a short private note, and the bot keeps answering", async () => {
  const quiz = await ann.run("quiz", { topic: "alpha", count: 1 });
  const question = quiz.messages[0]!;
  const real = buttonsOf(question)[0]!.custom_id;
  const bad = [
    "garbage",
    "",
    "v0|a|s1|0|a-single|a",
    real.replace(/^v1/, "v9"),
    "v1|a|s1|x|a-single|a",
    "v1|a|s1|0|a-single|a|extra",
    "v1|a|s1|0|no-such-question|a",
    "v1|o|s1|0|no-such-question",
    "v1|m|s1|0|a-multi", // a select-menu id on a button
    "x".repeat(120),
  ];
  for (const customId of bad) {
    const conv = await ann.pressId(question, customId);
    expect(conv.messages).toHaveLength(1);
    expect(conv.messages[0]!.ephemeral).toBe(true);
    expect(conv.text.length).toBeLessThan(200);
    expect(conv.text).toMatch(/no longer/);
  }
  const still = await ann.press(question, "Alpha");
  expect(still.text).toContain("Correct");
  expect(bot.logs.filter((l) => l.includes(" ERROR: "))).toEqual([]);
});

test("an unknown command answers with help", async () => {
  const conv = await ann.run("dance");
  expect(conv.messages[0]!.ephemeral).toBe(true);
  expect(conv.text).toContain("I don't know /dance");
  expect(conv.text).toContain("/quiz [topic] [count]");
});

test("with Redis down the user gets a private 'temporarily unavailable'; when it is back the bot answers without a restart", async () => {
  const own = await startTestRedis();
  const port = own.server.port;
  const local = await startBot(standin, own.server.url);
  let restarted: TestRedis | null = null;
  try {
    const first = await ann.run("quiz", { topic: "alpha", count: 2 });
    expect(first.text).toContain("question 1 of 2");
    await own.stop();

    const down = await ann.run("quiz", { topic: "alpha" }, (c) => c.answered && c.followUps.length >= 1);
    expect(down.original?.deleted).toBe(true); // the public "thinking…" is withdrawn
    expect(down.messages).toHaveLength(1);
    expect(down.messages[0]!.ephemeral).toBe(true);
    expect(down.text).toContain("temporarily unavailable");
    const press = await ann.press(first.messages[0]!, "Alpha");
    expect(press.messages[0]!.ephemeral).toBe(true);
    expect(press.text).toContain("temporarily unavailable");
    const streak = await ann.run("streak");
    expect(streak.text).toContain("temporarily unavailable");

    restarted = await startTestRedis(port);
    const back = await ann.run("quiz", { topic: "alpha", count: 2 }, atLeast(1));
    expect(back.messages[0]!.ephemeral).toBe(false);
    expect(back.text).toContain("question 1 of 2");
    const answer = await ann.press(back.messages[0]!, "Alpha", atLeast(2));
    expect(answer.text).toContain("Correct");
  } finally {
    await local.stop();
    await restarted?.stop();
  }
});

test("a 429 on the interaction callback is waited out and the reply still arrives", async () => {
  standin.rateLimit("POST", /^\/interactions\/\d+\/[^/]+\/callback$/, 0.5);
  const conv = await ann.run("streak", {}, atLeast(1));
  expect(standin.rateLimited).toHaveLength(1);
  const ok = standin.requests.find((r) => r.path.endsWith("/callback") && r.status === 204 && r.path.includes(conv.token))!;
  expect(ok.at - standin.rateLimited[0]!.at).toBeGreaterThanOrEqual(450);
  expect(conv.callbacks[0]?.type).toBe(CALLBACK.deferredMessage);
  expect(conv.text).toContain("streak");
  standin.rateLimited.length = 0;
});

test("a 429 on the webhook edit and follow-up is waited out and the replies still arrive", async () => {
  const quiz = await ann.run("quiz", { topic: "alpha", count: 2 });
  standin.rateLimit("PATCH", /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, 0.3);
  standin.rateLimit("POST", /^\/webhooks\/\d+\/[^/]+$/, 0.3);
  const answer = await ann.press(quiz.messages[0]!, "Alpha", atLeast(2));
  expect(standin.rateLimited.map((r) => r.path.split("/")[1])).toEqual(["webhooks", "webhooks"]);
  expect(answer.text).toContain("Correct");
  expect(answer.messages[1]!.embeds[0]?.title).toContain("question 2 of 2");
  standin.rateLimited.length = 0;
});

test("deploy-commands registers every slash command in one server, or globally", async () => {
  const guild = await deployCommands({ token: TOKEN, appId: APP_ID, apiUrl: standin.apiUrl, guildId: GUILD_A.id });
  expect(guild.names).toEqual(["help", "learn", "quiz", "review", "streak", "leaderboard", "stats", "team", "break", "settings", "drill", "challenge", "content"]);
  expect(guild.scope).toContain(GUILD_A.id);
  const sent = standin.registeredCommands.get(`guild:${GUILD_A.id}`)!;
  const settings = sent.find((c) => c.name === "settings") as { options: { name: string; options: { name: string; autocomplete: boolean }[] }[] };
  expect(settings.options[0]!.name).toBe("tz");
  expect(settings.options[0]!.options[0]).toMatchObject({ name: "zone", autocomplete: true });
  expect(settings.options.map((o) => o.name)).toEqual(["tz", "show", "private", "retention", "team", "admin-role"]);
  const drill = sent.find((c) => c.name === "drill") as { options: { name: string }[] };
  expect(drill.options.map((o) => o.name)).toEqual(["me", "me-off", "remind", "channel", "channel-off", "list"]);
  const challenge = sent.find((c) => c.name === "challenge") as { options: { name: string }[]; contexts: number[] };
  expect(challenge.options.map((o) => o.name)).toEqual(["post", "write"]);
  expect(challenge.contexts).toEqual([0]); // servers only
  // /content: visible to everyone (learners list packs); upload takes a file (option type 11), the rest a pack id with suggestions.
  const content = sent.find((c) => c.name === "content") as { options: { name: string; options?: { name: string; type: number; required: boolean; autocomplete?: boolean }[] }[]; contexts: number[]; default_member_permissions?: unknown };
  expect(content.options.map((o) => o.name)).toEqual(["packs", "upload", "enable", "disable", "rollback", "export", "remove"]);
  expect(content.options.find((o) => o.name === "upload")!.options).toEqual([expect.objectContaining({ name: "file", type: 11, required: true })]);
  for (const sub of ["enable", "disable", "rollback", "export"]) expect(content.options.find((o) => o.name === sub)!.options).toEqual([expect.objectContaining({ name: "pack", type: 3, required: true, autocomplete: true })]);
  expect(content.contexts).toEqual([0]);
  expect(content.default_member_permissions).toBeUndefined();
  await deployCommands({ token: TOKEN, appId: APP_ID, apiUrl: standin.apiUrl });
  expect(standin.registeredCommands.get("global")).toHaveLength(13);
  await expect(deployCommands({ token: "wrong-token-xyz", appId: APP_ID, apiUrl: standin.apiUrl })).rejects.toThrow(/401|Unauthorized/);
});

test("a wrong bot token stops start-up with a message naming DISCORD_TOKEN, and never logs the token", async () => {
  const lines: string[] = [];
  const log = plainLogger("debug", ["wrong-token-abcdef"], (l) => lines.push(l));
  const service = new StudyService({ catalog: await fixtureCatalog(), store: null as never, clock: { now: () => new Date() }, newId: () => "x" });
  await expect(startDiscord({ token: "wrong-token-abcdef", appId: APP_ID, apiUrl: standin.apiUrl, service, log })).rejects.toThrow(/DISCORD_TOKEN/);
  await expect(startDiscord({ token: TOKEN, appId: "my-app", apiUrl: standin.apiUrl, service, log })).rejects.toThrow(/DISCORD_APP_ID/);
  expect(lines.join("\n")).not.toContain("wrong-token-abcdef");
});
