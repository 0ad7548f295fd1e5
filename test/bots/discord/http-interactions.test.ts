/**
 * Discord over HTTP interactions end to end: the stand-in POSTs signed
 * interactions to the bot's /discord/interactions (as Discord does once an
 * Interactions Endpoint URL is set), the first response comes back as the HTTP
 * answer within 3 s, everything after it goes over REST as on the gateway.
 */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { CALLBACK, Conversation } from "../../support/discord-conversation.js";
import { GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { deliver, postInteraction, signatureHeaders, signingKeys } from "../../support/discord-http-delivery.js";
import { slashCommand } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 15_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
let ann: DiscordUser;
const ANN = { id: "200000000000000001", username: "ann", global_name: "Ann" };
beforeEach(async () => {
  bot = await startBot(standin, redis.server.url, { mode: "http" });
  ann = new DiscordUser(standin, { user: ANN, nick: "Annie", guild: GUILD_A });
});
afterEach(async () => {
  await bot?.stop();
});

const lastDelivery = (id: string) => standin.httpDeliveries.filter((d) => d.interactionId === id).at(-1)!;
const callbackRequests = (c: Conversation) => standin.requests.filter((r) => r.path.endsWith(`/${c.token}/callback`));
const keysUnder = async (prefix: string) => (await bot.redis.keys(`${prefix}*`)).sort();

test("in http mode the bot opens no gateway connection; its endpoint passed Discord's PING and bad-signature checks", async () => {
  expect(bot.bot.mode).toBe("http");
  expect(bot.bot.ready()).toBe(true);
  expect(standin.interactionsEndpoint).toBe(bot.bot.http!.url);
  expect(standin.requests.some((r) => r.path === "/gateway/bot")).toBe(false);
  expect(standin.gateway.liveShards).toEqual([]);
  expect(standin.requests.some((r) => r.path === "/applications/@me" && r.status === 200)).toBe(true);
});

test("/quiz: the deferral is the HTTP answer, the question arrives by the webhook edit, and a button press records the answer", async () => {
  const quiz = await ann.run("quiz", { topic: "alpha", count: 3 });
  expect(quiz.overHttp).toBe(true);
  expect(quiz.callbacks.map((c) => c.type)).toEqual([CALLBACK.deferredMessage]);
  const answer = lastDelivery(quiz.interactionId).answer;
  expect(answer.kind === "answer" && answer.status).toBe(200);
  expect(answer.kind === "answer" && JSON.parse(answer.body).type).toBe(CALLBACK.deferredMessage);
  expect(answer.ms).toBeLessThan(3000);
  // Nothing went to the callback endpoint: the HTTP answer was the response.
  expect(callbackRequests(quiz)).toHaveLength(0);
  const question = quiz.messages[0]!;
  expect(question.ephemeral).toBe(false);
  expect(question.embeds[0]?.title).toContain("question 1 of 3");

  const pressed = await ann.press(question, "Alpha", atLeast(2));
  expect(Conversation.textOf(pressed.messages[0]!)).toContain("Correct");
  expect(pressed.messages[1]!.embeds[0]?.title).toContain("question 2 of 3");
  const snap = await new RedisProgressStore(bot.redis, { prefix: bot.prefix }).snapshot({ platform: "discord", workspace: GUILD_A.id, user: ANN.id });
  expect(snap.points).toBeGreaterThan(0);
});

test("the select menu, the answer modal (opened in the HTTP answer) and its submit are handled as on the gateway", async () => {
  const question = (await ann.run("quiz", { topic: "alpha", count: 3 })).messages[0]!;
  const second = (await ann.press(question, "Alpha", atLeast(2))).messages[1]!;
  const third = (await ann.press(second, "True", atLeast(2))).messages[1]!;
  const picked = await ann.select(third, ["Alpha", "Delta"]);
  expect(picked.text).toContain("Correct");
  expect(picked.text).toContain("3/3 correct");

  const numeric = (await ann.run("quiz", { topic: "beta", count: 3 })).messages[0]!;
  const { modal, result } = await ann.answerInModal(numeric, "24", atLeast(2));
  expect(modal.title).toBe("Answer question 1");
  const opened = standin.httpDeliveries.filter((d) => d.type === 3).at(-1)!.answer;
  expect(opened.kind === "answer" && JSON.parse(opened.body).type).toBe(CALLBACK.modal);
  expect(Conversation.textOf(result.messages[0]!)).toContain("Correct");
});

test("autocomplete is answered with its choices in the HTTP answer", async () => {
  const topics = await ann.suggest("quiz", "topic", "al");
  expect(topics.map((t) => t.value)).toContain("alpha");
  const last = standin.httpDeliveries.at(-1)!;
  expect(last.type).toBe(4);
  expect(last.answer.kind === "answer" && JSON.parse(last.answer.body).type).toBe(CALLBACK.autocomplete);
});

test("/help is answered at once in the HTTP answer, its further parts as follow-ups", async () => {
  const help = await ann.run("help");
  expect(help.callbacks[0]?.type).toBe(CALLBACK.message);
  expect(help.messages[0]!.ephemeral).toBe(true);
  expect(help.text).toContain("/quiz");
  expect(callbackRequests(help)).toHaveLength(0);
});

test("bad, missing or malformed signatures and stale timestamps get 401 and nothing runs or is recorded", async () => {
  const url = bot.bot.http!.url!;
  const before = await keysUnder(bot.prefix);
  const payload = slashCommand({ user: ANN, guild: GUILD_A }, standin.options.appId, "quiz", [{ name: "topic", type: 3, value: "alpha" }]);
  const body = JSON.stringify(payload);
  const good = signatureHeaders(standin.keys, body);
  const attempts: Record<string, [string, Record<string, string>]> = {
    "no headers": [body, {}],
    "no timestamp": [body, { "x-signature-ed25519": good["x-signature-ed25519"]! }],
    "another key": [body, signatureHeaders(signingKeys(), body)],
    "not hex": [body, { ...good, "x-signature-ed25519": "zz".repeat(64) }],
    "too short": [body, { ...good, "x-signature-ed25519": good["x-signature-ed25519"]!.slice(0, 100) }],
    "body changed after signing": [body.replace('"alpha"', '"beta"'), good],
    "timestamp changed after signing": [body, { ...good, "x-signature-timestamp": String(Number(good["x-signature-timestamp"]) + 1) }],
    "signed 6 minutes ago": [body, signatureHeaders(standin.keys, body, Date.now() - 6 * 60_000)],
    "signed 6 minutes ahead": [body, signatureHeaders(standin.keys, body, Date.now() + 6 * 60_000)],
  };
  for (const [what, [sent, headers]] of Object.entries(attempts)) {
    const answer = await postInteraction(url, sent, headers);
    expect(answer.kind === "answer" && answer.status, what).toBe(401);
  }
  await new Promise((r) => setTimeout(r, 200)); // room for anything wrongly started
  expect(standin.requests.filter((r) => r.path.includes(String(payload.token)))).toHaveLength(0);
  expect(await keysUnder(bot.prefix)).toEqual(before);
  expect(bot.logs.some((l) => l.includes("refused a request (bad signature)"))).toBe(true);
  expect(bot.logs.some((l) => l.includes("refused a request (stale timestamp)"))).toBe(true);
});

test("a body over 1 MiB is refused with 413 before its signature is even checked; other paths and methods get 404 and 405", async () => {
  const url = bot.bot.http!.url!;
  const big = JSON.stringify({ type: 2, padding: "x".repeat(1024 * 1024) });
  const answer = await postInteraction(url, big, {});
  expect(answer.kind === "answer" && answer.status).toBe(413);
  const elsewhere = await postInteraction(url.replace("/discord/interactions", "/other"), "{}", {});
  expect(elsewhere.kind === "answer" && elsewhere.status).toBe(404);
  const get = await fetch(url);
  expect(get.status).toBe(405);
});

test("an interaction delivered again counts once: the same process refuses it, another process records nothing new", async () => {
  const question = (await ann.run("quiz", { topic: "alpha", count: 3 })).messages[0]!;
  const pressed = await ann.press(question, "Alpha", atLeast(2));
  const store = new RedisProgressStore(bot.redis, { prefix: bot.prefix });
  const learner = { platform: "discord" as const, workspace: GUILD_A.id, user: ANN.id };
  const after = await store.snapshot(learner);
  const payload = standin.sentInteractions.get(pressed.token)!;

  const again = await deliver(bot.bot.http!.url!, standin.keys, payload);
  expect(again.kind === "answer" && again.status).toBe(409);

  // A second bot process (same Redis, same progress) behind the same URL would not know the id.
  const other = await startBot(standin, redis.server.url, { mode: "http", prefix: bot.prefix });
  try {
    const replay = await deliver(other.bot.http!.url!, standin.keys, payload);
    expect(replay.kind === "answer" && replay.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const now = await store.snapshot(learner);
    expect(now.points).toBe(after.points);
    expect(now.session?.index).toBe(after.session?.index);
    expect(now.session?.correct).toBe(after.session?.correct);
  } finally {
    await other.stop();
  }
});

test("draining: an interaction arriving during shutdown is told 'restarting' in the HTTP answer", async () => {
  await bot.bot.drain(Date.now() + 1000);
  const turned = await ann.run("streak");
  expect(turned.callbacks[0]?.type).toBe(CALLBACK.message);
  expect(turned.text).toContain("restarting");
});
