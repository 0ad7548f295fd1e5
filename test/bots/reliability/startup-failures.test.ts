/**
 * Start-up fails fast and names the culprit: each broken setting or
 * unreachable service ends the real bot with a non-zero code, in time, with
 * one line that names the variable or service and what to do.
 */
import { chmodSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../bots/redis/embedded-redis.js";
import { useTestRedis } from "../../support/redis.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../../support/slack-harness.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { redisServersIn, removeTempDirs, startBot, tempDir } from "./bot-process.js";

const redis = useTestRedis();
afterAll(removeTempDirs);

interface Failure {
  code: number | null;
  seconds: number;
  stderr: string;
}

async function failedStart(env: Record<string, string>, args: string[] = []): Promise<Failure> {
  const started = Date.now();
  const bot = startBot({ DRILLBOT_DATA_DIR: tempDir(), ...env }, args);
  bot.endInput();
  const ended = await bot.exited;
  return { code: ended.code, seconds: (ended.at - started) / 1000, stderr: bot.stderr().trim() };
}

function expectOneLine(f: Failure, ...parts: (string | RegExp)[]): void {
  expect(f.stderr.split("\n")).toHaveLength(1);
  for (const p of parts) expect(f.stderr).toMatch(p);
}

describe("start-up failures", () => {
  it("an unreachable REDIS_URL: exit 2 within 15 s naming REDIS_URL and the address", async () => {
    const port = await freePort();
    const f = await failedStart({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(15);
    expectOneLine(f, `cannot reach the Redis at REDIS_URL (127.0.0.1:${port}): connection refused`, "unset REDIS_URL");
  });

  it("`drillbot bot` (the container's command) without a Discord or Slack token: exit 2 at once, nothing started", async () => {
    const dataDir = tempDir();
    const f = await failedStart({ DRILLBOT_DATA_DIR: dataDir }, ["bot"]);
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(10);
    expectOneLine(f, "neither DISCORD_TOKEN nor SLACK_BOT_TOKEN (or SLACK_CLIENT_ID with its secrets, for a Slack app installed in many workspaces) is set", "plain `drillbot` for the terminal shell");
    expect(redisServersIn(path.join(dataDir, "redis"))).toEqual([]);
  });

  it("a REDIS_URL with a bad port: exit 2 at once naming REDIS_URL", async () => {
    const f = await failedStart({ REDIS_URL: "redis://127.0.0.1:99999" });
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(15);
    expectOneLine(f, /^drillbot: bad configuration: REDIS_URL: .*port must be a number from 1 to 65535/);
  });

  it("a missing DRILLBOT_CONTENT_DIR: exit 2 naming the variable and the folder", async () => {
    const missing = path.join(tempDir(), "no-such-content");
    const f = await failedStart({ DRILLBOT_CONTENT_DIR: missing });
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(15);
    expectOneLine(f, `the course content folder ${missing} does not exist`, "DRILLBOT_CONTENT_DIR");
  });

  it("a REDIS_SERVER_BIN that exits at once: its own error output is shown, and nothing is left running", async () => {
    const dir = tempDir();
    const bin = path.join(dir, "broken-redis");
    writeFileSync(bin, "#!/bin/sh\necho 'FATAL: cannot load module foo.so' >&2\nexit 3\n");
    chmodSync(bin, 0o755);
    const dataDir = tempDir();
    const started = Date.now();
    const bot = startBot({ DRILLBOT_DATA_DIR: dataDir, REDIS_SERVER_BIN: bin });
    bot.endInput();
    const ended = await bot.exited;
    expect(ended.code).toBe(2);
    expect(ended.at - started).toBeLessThan(15_000);
    expectOneLine({ code: ended.code, seconds: 0, stderr: bot.stderr().trim() }, "REDIS_SERVER_BIN", "exited at once with code 3", "FATAL: cannot load module foo.so");
    expect(redisServersIn(path.join(dataDir, "redis"))).toEqual([]);
  });

  it("an unreachable Slack: exit 2 within 30 s naming Slack and SLACK_API_URL", async () => {
    const closed = await freePort();
    const f = await failedStart({
      REDIS_URL: redis.server.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `http://127.0.0.1:${closed}/api`,
      PORT: String(await freePort()),
    });
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(30);
    expectOneLine(f, `cannot reach Slack at http://127.0.0.1:${closed}/api/ (ECONNREFUSED)`, "SLACK_API_URL");
    expect(f.stderr).not.toContain(BOT_TOKEN);
  });

  it("PORT in use: exit 2 naming PORT and what to do", async () => {
    const slack = await SlackStandin.start();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const f = await failedStart({ REDIS_URL: redis.server.url, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port) });
      expect(f.code).toBe(2);
      expect(f.seconds).toBeLessThan(15);
      expectOneLine(f, `drillbot: PORT ${port} is already in use by another program: stop it, or set PORT to a free port`);
    } finally {
      taken.close();
      await slack.close();
    }
  });

  it("an unreachable Discord: exit 2 within 30 s naming Discord and DISCORD_API_URL", async () => {
    const closed = await freePort();
    const f = await failedStart({ REDIS_URL: redis.server.url, DISCORD_TOKEN: "standin-bot-token-0123456789", DISCORD_APP_ID: "900000000000000001", DISCORD_API_URL: `http://127.0.0.1:${closed}/api` });
    expect(f.code).toBe(2);
    expect(f.seconds).toBeLessThan(30);
    expectOneLine(f, `cannot reach Discord at http://127.0.0.1:${closed}/api (ECONNREFUSED)`, "DISCORD_API_URL");
  });
});
