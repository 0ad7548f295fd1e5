/**
 * An operator's Redis (REDIS_URL) going away under the running bot: one
 * warning when the outage starts, one when Redis is back, no stack traces, no
 * line per reconnect attempt; and the bot stops within 10 s while Redis is down.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../../bots/redis/embedded-redis.js";
import { lastStats, removeTempDirs, startBot, tempDir } from "./bot-process.js";

const servers: EmbeddedRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  removeTempDirs();
});

async function externalRedis(dataDir: string, port?: number): Promise<EmbeddedRedis> {
  const s = await startEmbeddedRedis({ dataDir, persist: true, dieWithParent: true, ...(port ? { port } : {}) });
  servers.push(s);
  return s;
}

function warnings(stderr: string): string[] {
  return stderr.split("\n").filter((l) => / (WARN|ERROR): /.test(l));
}

describe("an outage of the Redis at REDIS_URL", () => {
  it("stopped for 20 s: one warning, one when it is back, answers work again, and /quit during a later outage ends within 10 s", async () => {
    const dir = tempDir();
    let redis = await externalRedis(dir);
    const bot = startBot({ REDIS_URL: redis.url, DRILLBOT_DATA_DIR: tempDir() }, ["--user", "di"]);
    await bot.waitFor("drillbot shell:");

    await redis.stop();
    const downAt = Date.now();
    await bot.waitFor("cannot reach the Redis at REDIS_URL", { in: "stderr", timeoutMs: 10_000 });
    let from = bot.stdout().length;
    bot.send("/stats"); // a command during the outage gets a short answer, not a hang
    await bot.waitFor("temporarily unavailable", { from, timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - downAt))));
    expect(warnings(bot.stderr())).toHaveLength(1); // 20 s of reconnect attempts, one line

    redis = await externalRedis(dir, redis.port);
    await bot.waitFor("is back after", { in: "stderr", timeoutMs: 10_000 });
    from = bot.stdout().length;
    bot.send("/quiz alpha 1");
    await bot.waitFor(/question 1 of 1[\s\S]*\n(Type|Select)[^\n]*\n/, { from });
    bot.send("1");
    await bot.waitFor(/You answered: /, { from });
    from = bot.stdout().length;
    bot.send("/stats");
    expect(lastStats(await bot.waitFor(/answered: \d+/, { from })).answered).toBe(1);

    const lines = warnings(bot.stderr());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/WARN: storage: cannot reach the Redis at REDIS_URL \(127\.0\.0\.1:\d+\)/);
    expect(lines[1]).toMatch(/WARN: storage: the Redis at REDIS_URL \(127\.0\.0\.1:\d+\) is back after \d+ s/);
    expect(bot.stderr()).not.toMatch(/\n\s+at /);

    await redis.stop();
    await bot.waitFor("cannot reach", { in: "stderr", from: bot.stderr().lastIndexOf("is back"), timeoutMs: 10_000 });
    const quitAt = Date.now();
    bot.send("/quit");
    const ended = await bot.exited;
    expect(ended.code).toBe(0);
    expect(ended.at - quitAt).toBeLessThan(10_000);
  }, 70_000);

  it("SIGTERM while Redis is down ends the bot within 10 s; a second signal ends it at once", async () => {
    const redis = await externalRedis(tempDir());
    const first = startBot({ REDIS_URL: redis.url, DRILLBOT_DATA_DIR: tempDir() }, ["--user", "ed"]);
    const second = startBot({ REDIS_URL: redis.url, DRILLBOT_DATA_DIR: tempDir(), DRILLBOT_REDIS_PREFIX: "second:" }, ["worker"]);
    await first.waitFor("drillbot shell:");
    await second.waitFor("drillbot worker is running", { in: "stderr" });
    await redis.stop();
    await first.waitFor("cannot reach", { in: "stderr", timeoutMs: 10_000 });

    const termAt = Date.now();
    first.child.kill("SIGTERM");
    const ended = await first.exited;
    expect(ended.code).toBe(0);
    expect(ended.at - termAt).toBeLessThan(10_000);

    second.child.kill("SIGTERM");
    second.child.kill("SIGINT");
    const hurried = await second.exited;
    expect(hurried.code).toBe(130);
    expect(second.stderr()).toMatch(/SIG(INT|TERM) again: exiting now/);
  }, 40_000);
});
