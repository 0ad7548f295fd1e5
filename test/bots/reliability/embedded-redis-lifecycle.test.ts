/**
 * The embedded Redis under kills, with the real bot and real redis-servers:
 * exactly one server per data folder whatever happens to the bot, and no
 * progress lost.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, lastStats, redisServersIn, removeTempDirs, startBot, tempDir, type BotProcess } from "./bot-process.js";

afterAll(removeTempDirs);

/** Starts a shell on the folder and answers one quiz question; returns the bot. */
async function answerOne(dataDir: string): Promise<BotProcess> {
  const bot = startBot({ DRILLBOT_DATA_DIR: dataDir }, ["--user", "ann"]);
  await bot.waitFor("drillbot shell:");
  const from = bot.stdout().length;
  bot.send("/quiz alpha 1");
  await bot.waitFor(/question \d+ of \d+[\s\S]*\n(Type|Select)[^\n]*\n/, { from });
  bot.send("1");
  await bot.waitFor(/You answered: /, { from });
  return bot;
}

async function stats(bot: BotProcess): Promise<{ points: number; answered: number }> {
  const from = bot.stdout().length;
  bot.send("/stats");
  return lastStats(await bot.waitFor(/answered: \d+/, { from }));
}

describe("throwaway servers of tests and benchmarks", () => {
  it("die with the process that started them, even when it is killed with SIGKILL", async () => {
    const { spawn } = await import("node:child_process");
    const owner = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../../support/throwaway-redis-owner.ts")], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    owner.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await eventually(() => /^\d+\n/.test(out), 20_000, "the owner to print its server's pid");
    const pid = Number(out.trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    owner.kill("SIGKILL");
    await eventually(() => !alive(), 10_000, "the server to end with its owner");
    expect(alive()).toBe(false);
  }, 40_000);
});

describe("one embedded Redis per data folder", () => {
  it("after SIGKILL, SIGTERM or SIGHUP of the bot, the next start runs exactly one redis-server on the folder and keeps every answer", async () => {
    const dataDir = tempDir();
    const redisDir = path.join(dataDir, "redis");
    let expected = 0;
    for (const signal of ["SIGKILL", "SIGTERM", "SIGHUP"] as const) {
      const bot = await answerOne(dataDir);
      expected += 1;
      expect((await stats(bot)).answered).toBe(expected);
      expect(redisServersIn(redisDir)).toHaveLength(1);
      bot.child.kill(signal);
      const ended = await bot.exited;
      if (signal !== "SIGKILL") expect(ended.code).toBe(0);
      // Not even a few seconds: the guardian shuts the server down when the SIGKILLed bot's pipe closes.
      await eventually(() => redisServersIn(redisDir).length === 0, 5_000, `no redis-server left on the folder after ${signal}`);
    }
    const last = await answerOne(dataDir);
    expect(redisServersIn(redisDir)).toHaveLength(1);
    expect((await stats(last)).answered).toBe(expected + 1);
    last.send("/quit");
    expect((await last.exited).code).toBe(0);
    expect(redisServersIn(redisDir)).toEqual([]);
    expect(existsSync(path.join(redisDir, "drillbot.lock"))).toBe(false);
  }, 60_000);

  it("a redis-server orphaned on the folder (its guardian gone too) is shut down cleanly, its answers kept, before a new one starts", async () => {
    const dataDir = tempDir();
    const redisDir = path.join(dataDir, "redis");
    const first = await answerOne(dataDir);
    const lock = JSON.parse(readFileSync(path.join(redisDir, "drillbot.lock"), "utf8")) as { redisPid: number; guardianPid: number };
    process.kill(lock.guardianPid, "SIGSTOP"); // the guardian cannot act: as if the bot and it died together
    try {
      first.child.kill("SIGKILL");
      await first.exited;
      await new Promise((r) => setTimeout(r, 300));
      expect(redisServersIn(redisDir)).toEqual([lock.redisPid]); // the orphan

      const second = startBot({ DRILLBOT_DATA_DIR: dataDir }, ["--user", "ann"]);
      await second.waitFor("drillbot shell:");
      expect(second.stderr()).toMatch(new RegExp(`redis-server from an earlier drillbot \\(pid ${lock.redisPid}`));
      const now = redisServersIn(redisDir);
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(lock.redisPid);
      expect((await stats(second)).answered).toBe(1);
      second.endInput(); // Ctrl-D
      expect((await second.exited).code).toBe(0);
      expect(redisServersIn(redisDir)).toEqual([]);
    } finally {
      process.kill(lock.guardianPid, "SIGKILL");
    }
  }, 40_000);

  it("a second bot on the same folder exits at once naming the first one's pid, and the first carries on", async () => {
    const dataDir = tempDir();
    const first = startBot({ DRILLBOT_DATA_DIR: dataDir }, ["--user", "ann"]);
    const second = startBot({ DRILLBOT_DATA_DIR: dataDir }, ["--user", "bo"]);
    const ended = await Promise.race([first.exited.then((e) => ({ bot: first, other: second, ...e })), second.exited.then((e) => ({ bot: second, other: first, ...e }))]);
    expect(ended.code).toBe(2);
    expect(ended.bot.stderr()).toContain(`another drillbot (pid ${ended.other.child.pid}) is already using the data folder`);
    expect(ended.bot.stderr()).toContain("DRILLBOT_DATA_DIR");
    expect(ended.bot.stderr().trim().split("\n")).toHaveLength(1);
    const running = ended.other;
    await running.waitFor("drillbot shell:");
    expect(redisServersIn(path.join(dataDir, "redis"))).toHaveLength(1);
    running.child.kill("SIGINT"); // Ctrl-C
    expect((await running.exited).code).toBe(0);
    expect(redisServersIn(path.join(dataDir, "redis"))).toEqual([]);
  }, 40_000);

  it("kill -9 of the embedded redis-server mid-quiz: it comes back on the same folder, one notice, no answer lost", async () => {
    const dataDir = tempDir();
    const redisDir = path.join(dataDir, "redis");
    const bot = startBot({ DRILLBOT_DATA_DIR: dataDir }, ["--user", "cy"]);
    await bot.waitFor("drillbot shell:");
    let from = bot.stdout().length;
    bot.send("/quiz alpha 2");
    await bot.waitFor(/question \d+ of \d+[\s\S]*\n(Type|Select)[^\n]*\n/, { from });
    from = bot.stdout().length;
    bot.send("1");
    await bot.waitFor(/question 2 of 2[\s\S]*\n(Type|Select)[^\n]*\n/, { from });

    const [victim] = redisServersIn(redisDir);
    process.kill(victim!, "SIGKILL");
    await bot.waitFor("restarted it on the same data", { in: "stderr", timeoutMs: 10_000 });
    const [revived] = redisServersIn(redisDir);
    expect(revived).toBeDefined();
    expect(revived).not.toBe(victim);

    from = bot.stdout().length;
    bot.send("1");
    await bot.waitFor(/You answered: [\s\S]*Done: /, { from, timeoutMs: 10_000 });
    expect((await stats(bot)).answered).toBe(2);
    bot.send("/quit");
    expect((await bot.exited).code).toBe(0);

    const notices = bot.stderr().split("\n").filter((l) => / (WARN|ERROR): /.test(l));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("the embedded Redis stopped unexpectedly (killed by SIGKILL)");
    expect(bot.stderr()).not.toMatch(/\n\s+at /); // no stack traces
    expect(redisServersIn(redisDir)).toEqual([]);
  }, 40_000);
});
