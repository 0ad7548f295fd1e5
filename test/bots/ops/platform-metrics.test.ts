/**
 * Platform API request metrics: the real discord.js client and REST, the real
 * @slack/web-api WebClient and a real Bolt app, against the stand-ins on
 * 127.0.0.1, including their 429s. Every request the stand-in answered must
 * be counted once under its status, every in-client rate-limit wait once with
 * its seconds, and nothing else. The registry is per process, so each test
 * compares counter values before and after its own traffic.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterEach, expect, test, vi } from "vitest";
import { REST, Routes } from "discord.js";
import { createDiscordMessenger, DiscordRateLimitedError } from "../../../bots/discord/index.js";
import type { Logger } from "../../../bots/logger.js";
import { observeDiscordRest, observeSlackResponses, slackClientOptions } from "../../../bots/ops/platform-metrics.js";
import { platformRequests, rateLimitWaits, rateLimitWaitSeconds } from "../../../bots/ops/telemetry.js";
import { DmUploader } from "../../../bots/slack/dm-uploads.js";
import { createSlackMessenger, SlackRateLimitedError } from "../../../bots/slack/slack-messenger.js";
import type { Reply } from "../../../core/replies.js";
import { GUILD_A, startBot, TOKEN, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";
import { commandFields, FORM, formBody, postToApp } from "../../support/slack-requests.js";
import { SlackStandin } from "../../support/slack-standin.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 15_000 });

const redis = useTestRedis();
const standin = useStandin([GUILD_A]);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const lines: string[] = [];
const log: Logger = {
  debug: () => {},
  info: (m) => void lines.push(`INFO ${m}`),
  warn: (m) => void lines.push(`WARN ${m}`),
  error: (m) => void lines.push(`ERROR ${m}`),
};

type Labels = Record<string, string | number>;
interface Reading {
  requests: { labels: Labels; value: number }[];
  waits: { labels: Labels; value: number }[];
  seconds: { labels: Labels; value: number }[];
}

/** A copy of the series (prom-client hands out its live objects, which later increments would change). */
const copy = (values: { labels: Labels; value: number }[]) => values.map((v) => ({ labels: { ...v.labels }, value: v.value }));

async function read(): Promise<Reading> {
  return { requests: copy((await platformRequests.get()).values), waits: copy((await rateLimitWaits.get()).values), seconds: copy((await rateLimitWaitSeconds.get()).values) };
}

const sumOf = (series: Reading["requests"], match: Labels): number =>
  series.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

/** How much each series matching `match` moved between two readings. */
const moved = (before: Reading, after: Reading, metric: keyof Reading, match: Labels): number => sumOf(after[metric], match) - sumOf(before[metric], match);

/** Status -> number of requests, as a stand-in recorded them. */
function tally(statuses: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of statuses) out.set(String(s), (out.get(String(s)) ?? 0) + 1);
  return out;
}

const notice = (text: string): Reply[] => [{ type: "notice", level: "info", code: "info", text }];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A reading once the client has seen as many answers as the stand-in sent:
 * the stand-in records a request just before answering it, so the last answer
 * may still be on its way when a test's condition is met.
 */
async function settled(before: Reading, platform: string, sent: number): Promise<Reading> {
  const until = Date.now() + 2_000;
  for (;;) {
    const now = await read();
    if (moved(before, now, "requests", { platform }) >= sent || Date.now() > until) return now;
    await new Promise((r) => setTimeout(r, 20));
  }
}

let channelSeq = 0;
const freshChannel = () => ({ platform: "discord" as const, workspace: GUILD_A.id, channel: `54000000000000${String(++channelSeq).padStart(4, "0")}` });

test("the gateway client's REST counts every request by status, and a 429 on an interaction reply counts as one wait of its Retry-After", async () => {
  const before = await read();
  const seen = standin.requests.length;
  const bot: BotUnderTest = await startBot(standin, redis.server.url);
  cleanups.push(() => bot.stop());
  observeDiscordRest(bot.bot.client.rest); // already observed by startDiscord: must not count twice

  standin.rateLimit("POST", /^\/interactions\/\d+\/[^/]+\/callback$/, 0.3);
  const ann = new DiscordUser(standin, { user: { id: "310000000000000001", username: "ann" }, guild: GUILD_A });
  const conv = await ann.run("streak", {}, atLeast(1));
  expect(conv.text).toContain("streak");
  const after = await settled(before, "discord", standin.requests.length - seen);

  const served = tally(standin.requests.slice(seen).map((r) => r.status));
  expect(served.get("429")).toBe(1);
  expect(served.get("200")).toBeGreaterThan(0); // GET /gateway/bot at login
  for (const [status, n] of served) expect(moved(before, after, "requests", { platform: "discord", status })).toBe(n);
  expect(moved(before, after, "requests", { platform: "discord" })).toBe(standin.requests.length - seen);

  expect(moved(before, after, "waits", { platform: "discord" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord", scope: "user" })).toBe(1); // the stand-in's X-RateLimit-Scope
  const waited = moved(before, after, "seconds", { platform: "discord" });
  expect(waited).toBeGreaterThanOrEqual(0.3);
  expect(waited).toBeLessThan(1.5);
  expect(moved(before, after, "requests", { platform: "slack" })).toBe(0);
});

test("the worker's Discord messenger counts a waited-out 429 as a wait, and a 429 it hands to the job runtime as a request only", async () => {
  const messenger = createDiscordMessenger({ token: TOKEN, apiUrl: standin.apiUrl, log, maxWaitMs: 2_000 });
  cleanups.push(async () => messenger.close());
  const before = await read();
  const seen = standin.requests.length;

  const short = freshChannel();
  standin.rateLimit("POST", new RegExp(`^/channels/${short.channel}/messages$`), 0.4);
  await messenger.toChannel(short, notice("hello"), { idempotencyKey: "pm-short" });
  expect(standin.postsIn(short.channel)).toHaveLength(1);

  const long = freshChannel();
  standin.rateLimit("POST", new RegExp(`^/channels/${long.channel}/messages$`), 30);
  await expect(messenger.toChannel(long, notice("hello"), { idempotencyKey: "pm-long" })).rejects.toBeInstanceOf(DiscordRateLimitedError);

  await messenger.toLearner({ platform: "discord", workspace: GUILD_A.id, user: "310000000000000002" }, notice("a DM"), { idempotencyKey: "pm-dm" });
  const after = await read();

  const served = tally(standin.requests.slice(seen).map((r) => r.status));
  expect(served.get("429")).toBe(2);
  for (const [status, n] of served) expect(moved(before, after, "requests", { platform: "discord", status })).toBe(n);
  expect(moved(before, after, "requests", { platform: "discord" })).toBe(standin.requests.length - seen);

  // One wait (the 0.4 s one, announced by the 429's scope); the 30 s one was not waited in place.
  expect(moved(before, after, "waits", { platform: "discord" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord", scope: "user" })).toBe(1);
  const waited = moved(before, after, "seconds", { platform: "discord" });
  expect(waited).toBeGreaterThanOrEqual(0.3);
  expect(waited).toBeLessThan(1.5);
});

test("a Discord request that gets no response counts once as status 'error'", async () => {
  const messenger = createDiscordMessenger({ token: TOKEN, apiUrl: `http://127.0.0.1:${await closedPort()}/api`, log, timeoutMs: 2_000 });
  cleanups.push(async () => messenger.close());
  const before = await read();
  await expect(messenger.toChannel(freshChannel(), notice("hello"), { idempotencyKey: "pm-down" })).rejects.toThrow();
  const after = await read();
  expect(moved(before, after, "requests", { platform: "discord", status: "error" })).toBe(1);
  expect(moved(before, after, "requests", { platform: "discord" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord" })).toBe(0);
});

/**
 * Discord's rate-limit headers beyond what the shared stand-in sends
 * (discord.com/developers/docs/topics/rate-limits): every answer carries its
 * bucket's X-RateLimit-* headers; a 429 says Retry-After, X-RateLimit-Scope
 * (user, global or shared) and, for the global limit, X-RateLimit-Global.
 * Each path answers from its own script, then 200.
 */
async function rateLimitingDiscord(script: Record<string, { status: number; headers: Record<string, string> }[]>): Promise<{ api: string; seen: number[] }> {
  const seen: number[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/api\/v\d+/, "");
    const next = script[path]?.shift() ?? { status: 200, headers: {} };
    seen.push(next.status);
    const body = next.status === 429 ? { message: "You are being rate limited.", retry_after: Number(next.headers["Retry-After"]), global: "X-RateLimit-Global" in next.headers } : { id: "1" };
    res.writeHead(next.status, { "content-type": "application/json", "X-RateLimit-Bucket": `bucket${path}`, ...next.headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, seen };
}

test("Discord waits are labelled by where the limit came from: an empty route bucket, the global limit, a shared resource, a sublimit", async () => {
  const limited = (scope: string, extra: Record<string, string> = {}) => ({
    status: 429,
    headers: { "Retry-After": "0.3", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.3", "X-RateLimit-Scope": scope, ...extra },
  });
  const emptied = { status: 200, headers: { "X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.3" } };
  const discord = await rateLimitingDiscord({
    "/channels/1/messages": [emptied, emptied, emptied],
    "/channels/2/messages": [limited("global", { "X-RateLimit-Global": "true" })],
    "/guilds/3/emojis": [limited("shared")],
    // A 429 while the bucket still has room (a sublimit): the REST sleeps Retry-After on this request only.
    "/channels/4/messages": [limited("user", { "X-RateLimit-Remaining": "3" })],
  });
  const rest = observeDiscordRest(new REST({ api: discord.api }).setToken(TOKEN));
  cleanups.push(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
  const before = await read();
  // The first answer names the route's bucket (the REST moves to a queue for it); the second empties it.
  await rest.post(Routes.channelMessages("1"), { body: { content: "a" } });
  await rest.post(Routes.channelMessages("1"), { body: { content: "b" } });
  await rest.post(Routes.channelMessages("1"), { body: { content: "c" } }); // waits for the empty bucket, no 429
  await rest.post(Routes.channelMessages("2"), { body: { content: "d" } });
  await rest.post(Routes.guildEmojis("3"), { body: { name: "e", image: "data:image/png;base64,AA==" } });
  await rest.post(Routes.channelMessages("4"), { body: { content: "e" } });
  const after = await read();

  expect(discord.seen).toEqual([200, 200, 200, 429, 200, 429, 200, 429, 200]);
  expect(moved(before, after, "requests", { platform: "discord", status: "200" })).toBe(6);
  expect(moved(before, after, "requests", { platform: "discord", status: "429" })).toBe(3);
  expect(moved(before, after, "waits", { platform: "discord", scope: "route" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord", scope: "global" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord", scope: "shared" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord", scope: "user" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "discord" })).toBe(4);
  const waited = moved(before, after, "seconds", { platform: "discord" });
  expect(waited).toBeGreaterThanOrEqual(1);
  expect(waited).toBeLessThan(4);
});

async function slackStandin(): Promise<SlackStandin> {
  const s = await SlackStandin.start();
  cleanups.push(() => s.close());
  return s;
}

/** What the Slack stand-in answered since `mark`: Web API calls (429 for the rate-limited ones), upload POSTs and response_url posts. */
function slackServed(s: SlackStandin, mark: { calls: number; uploads: number; responses: number }, limited: number): { ok: number; limited: number } {
  const ok = s.calls.length - mark.calls - limited + (s.files.completed.length - mark.uploads) + (s.responses.length - mark.responses);
  return { ok, limited };
}
const markOf = (s: SlackStandin) => ({ calls: s.calls.length, uploads: s.files.completed.length, responses: s.responses.length });

test("Slack's worker messenger and DM uploads count every call and the file's upload POST; only the upload client's 429 is a wait", async () => {
  const s = await slackStandin();
  const before = await read();
  const mark = markOf(s);

  const messenger = createSlackMessenger({ botToken: "xoxb-metrics-1", apiUrl: s.apiUrl, log, retryConfig: { retries: 0 } });
  await messenger.toChannel({ platform: "slack", workspace: "T1", channel: "C1" }, notice("hello"), { idempotencyKey: "sm-1" });
  s.rateLimit("chat.postMessage", 7);
  await expect(messenger.toChannel({ platform: "slack", workspace: "T1", channel: "C1" }, notice("again"), { idempotencyKey: "sm-2" })).rejects.toBeInstanceOf(SlackRateLimitedError);

  // As start-slack passes them: options that already count must not count twice.
  const uploader = new DmUploader({ botToken: "xoxb-metrics-1", clientOptions: slackClientOptions({ slackApiUrl: s.apiUrl }), log, retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 } });
  s.rateLimit("files.getUploadURLExternal", 1);
  const out = await uploader.send("UALICE", [{ type: "file", fileName: "export.csv", contentType: "text/csv", content: "a,b\n1,2\n", description: "Export" }]);
  expect(out.ok).toBe(true);
  expect(s.files.completed.length - mark.uploads).toBe(1);
  const after = await read();

  const served = slackServed(s, mark, 2);
  expect(moved(before, after, "requests", { platform: "slack", status: "200" })).toBe(served.ok);
  expect(moved(before, after, "requests", { platform: "slack", status: "429" })).toBe(served.limited);
  expect(moved(before, after, "requests", { platform: "slack" })).toBe(served.ok + served.limited);

  expect(moved(before, after, "waits", { platform: "slack" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "slack", scope: "method" })).toBe(1);
  expect(moved(before, after, "seconds", { platform: "slack" })).toBe(1);
  expect(moved(before, after, "requests", { platform: "discord" })).toBe(0);
});

test("a Bolt app built with these client options counts its listeners' calls, their 429 waits and respond()'s response_url posts", async () => {
  const s = await slackStandin();
  const secret = "metrics-signing-secret-0123";
  const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: "/slack/events", logLevel: LogLevel.ERROR });
  const app = new App({
    token: "xoxb-metrics-2",
    botId: "BBOT",
    botUserId: "UBOT",
    tokenVerificationEnabled: false,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: slackClientOptions({ slackApiUrl: s.apiUrl, retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 } }),
  });
  expect(observeSlackResponses(app)).toBe(true);
  expect(observeSlackResponses(app)).toBe(true); // twice: still counted once
  // The listener's end: its last request's answer (and so its count) is in by then.
  let listenerDone!: () => void;
  const handled = new Promise<void>((resolve) => (listenerDone = resolve));
  app.command("/study", async ({ ack, client, respond, command }) => {
    await ack();
    await client.chat.postMessage({ channel: command.user_id, text: "your stats" });
    await respond({ response_type: "ephemeral", text: "sent to your DM" });
    listenerDone();
  });
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as http.Server;
  cleanups.push(() => app.stop().then(() => undefined));
  const port = (server.address() as AddressInfo).port;

  const before = await read();
  const mark = markOf(s);
  s.rateLimit("chat.postMessage", 1);
  const res = await postToApp(port, formBody(commandFields({ team: "T1", user: "UALICE", name: "alice" }, "stats", s.responseUrl("pm-r1"), "trig-1")), FORM, { secret });
  expect(res.status).toBe(200);
  await s.waitFor(() => s.responsesTo("pm-r1").length === 1, "the reply on the response_url");
  // The stand-in has served the reply; its answer reaching the client (where it is counted) comes a moment later.
  await handled;
  const after = await read();

  const served = slackServed(s, mark, 1);
  expect(served.ok).toBe(2); // chat.postMessage after the wait, and the response_url post
  expect(moved(before, after, "requests", { platform: "slack", status: "200" })).toBe(served.ok);
  expect(moved(before, after, "requests", { platform: "slack", status: "429" })).toBe(1);
  expect(moved(before, after, "waits", { platform: "slack", scope: "method" })).toBe(1);
  expect(moved(before, after, "seconds", { platform: "slack" })).toBe(1);
});

test("a Slack request that gets no response counts once as status 'error'", async () => {
  const messenger = createSlackMessenger({ botToken: "xoxb-metrics-3", apiUrl: `http://127.0.0.1:${await closedPort()}/api/`, log, retryConfig: { retries: 0 } });
  const before = await read();
  await expect(messenger.toChannel({ platform: "slack", workspace: "T1", channel: "C1" }, notice("hello"), { idempotencyKey: "sm-down" })).rejects.toThrow();
  const after = await read();
  expect(moved(before, after, "requests", { platform: "slack", status: "error" })).toBe(1);
  expect(moved(before, after, "requests", { platform: "slack" })).toBe(1);
});

test("the series carry only platform, status and scope labels, from bounded sets: no route, channel, user or server", async () => {
  const { requests, waits, seconds } = await read();
  expect(requests.length).toBeGreaterThan(0);
  expect(waits.length).toBeGreaterThan(0);
  for (const s of requests) {
    expect(Object.keys(s.labels).sort()).toEqual(["platform", "status"]);
    expect(["discord", "slack"]).toContain(s.labels.platform);
    expect(String(s.labels.status)).toMatch(/^(\d{3}|error)$/);
  }
  for (const s of waits) {
    expect(Object.keys(s.labels).sort()).toEqual(["platform", "scope"]);
    expect(["global", "user", "shared", "route", "method", "retry-after"]).toContain(s.labels.scope);
  }
  for (const s of seconds) expect(Object.keys(s.labels)).toEqual(["platform"]);
  // Everything so far came from the stand-ins: both platforms answered 200 and 429 and waited.
  for (const platform of ["discord", "slack"]) {
    expect(sumOf(requests, { platform, status: "200" })).toBeGreaterThan(0);
    expect(sumOf(requests, { platform, status: "429" })).toBeGreaterThan(0);
    expect(sumOf(seconds, { platform })).toBeGreaterThan(0);
  }
  expect(lines.join("\n")).not.toContain(TOKEN);
});
