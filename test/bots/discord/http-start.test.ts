/**
 * Starting in http mode: the token and DISCORD_PUBLIC_KEY are checked against
 * the application (GET /applications/@me) before the port opens, and each
 * problem is one line saying what to set; stop closes the port.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DiscordStartError, startDiscord, type DiscordOptions } from "../../../bots/discord/index.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { StudyService } from "../../../core/service/study-service.js";
import { APP_ID, fixtureCatalog, TOKEN, useStandin } from "../../support/discord-harness.js";
import { signingKeys } from "../../support/discord-http-delivery.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const standin = useStandin();
let client: Redis;
let base: DiscordOptions;
const logs: string[] = [];
beforeAll(async () => {
  client = new Redis(redis.server.url);
  const service = new StudyService({ catalog: await fixtureCatalog(), store: new RedisProgressStore(client, { prefix: uniquePrefix() }), clock: fixedClock("2025-03-10T12:00:00Z"), newId: () => "x" });
  base = { token: TOKEN, appId: APP_ID, apiUrl: standin.apiUrl, service, log: plainLogger("info", [TOKEN], (l) => logs.push(l)), mode: "http", publicKey: standin.publicKeyHex, port: 0, host: "127.0.0.1" };
});
afterAll(() => client.disconnect());

async function refusal(opts: Partial<DiscordOptions>): Promise<string> {
  const err = await startDiscord({ ...base, ...opts }).then(
    async (bot) => {
      await bot.stop();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiscordStartError);
  const message = (err as Error).message;
  expect(message).not.toContain("\n");
  expect(message).not.toContain(TOKEN);
  return message;
}

test("a public key that is not the application's, a malformed one or none is refused, naming DISCORD_PUBLIC_KEY", async () => {
  expect(await refusal({ publicKey: signingKeys().publicKeyHex })).toMatch(/DISCORD_PUBLIC_KEY is not the public key of the application this token belongs to \(900000000000000001\): copy Public Key/);
  expect(await refusal({ publicKey: "12ab" })).toMatch(/DISCORD_PUBLIC_KEY is not 64 hex characters/);
  const { publicKey: _, ...noKey } = base;
  expect(await startDiscord(noKey).catch((e: Error) => e.message)).toMatch(/DISCORD_MODE=http needs DISCORD_PUBLIC_KEY/);
});

test("a rejected token, an unreachable Discord and a busy port are refused with what to check", async () => {
  expect(await refusal({ token: "not-the-token" })).toMatch(/Discord rejected the bot token: check DISCORD_TOKEN/);
  expect(await refusal({ apiUrl: "http://127.0.0.1:9/api" })).toMatch(/cannot reach Discord at http:\/\/127\.0\.0\.1:9\/api .*DISCORD_API_URL/);
  const busy = http.createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  try {
    expect(await refusal({ port: (busy.address() as AddressInfo).port })).toMatch(/port \d+ is already in use: set PORT/);
  } finally {
    await new Promise((r) => busy.close(r));
  }
});

test("started, it is ready and serves the endpoint; stopped, the port is closed and it is not ready", async () => {
  const bot = await startDiscord(base);
  expect(bot.ready()).toBe(true);
  expect(bot.client.isReady()).toBe(false); // no gateway login at all
  const url = bot.http!.url!;
  expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(401);
  await bot.stop();
  expect(bot.ready()).toBe(false);
  await expect(fetch(url, { method: "POST", body: "{}" })).rejects.toThrow();
  expect(logs.some((l) => l.includes(`HTTP interactions at ${url}; no gateway connection`))).toBe(true);
});

test("without a port no server starts: the caller mounts the listener on its own server", async () => {
  const { port: _, ...noPort } = base;
  const bot = await startDiscord(noPort);
  const host = http.createServer(bot.http!.listener);
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  try {
    expect(bot.http!.url).toBeUndefined();
    const res = await fetch(`http://127.0.0.1:${(host.address() as AddressInfo).port}/discord/interactions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  } finally {
    host.closeAllConnections();
    await new Promise((r) => host.close(r));
    await bot.stop();
  }
});
