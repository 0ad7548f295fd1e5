/**
 * Backing up and restoring Redis's append-only file as docs/OPERATIONS.md
 * says, for real: redis-server with the compose file's arguments, drillbot-like
 * keys and a BullMQ job, deploy/redis-aof-backup.sh fed to `sh -s` as the
 * compose command does, the data folder lost, the backup unpacked, Redis
 * started again: what was there at the backup is back, later writes are not.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, readCompose, root, run, startComposeRedis, stopProcess } from "./deploy-files.js";

const compose = readCompose();
const script = readFileSync(path.join(root, "deploy/redis-aof-backup.sh"), "utf8");
const running: ChildProcess[] = [];
const temp: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(d);
  return d;
}
afterAll(async () => {
  for (const c of running.splice(0)) await stopProcess(c, "SIGKILL");
  for (const d of temp.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dir: string, port: number): Promise<ChildProcess> {
  const child = await startComposeRedis(compose, dir, port);
  running.push(child);
  return child;
}

/** The backup as OPERATIONS.md runs it (`sh -s < deploy/redis-aof-backup.sh > file`), against this port. */
function backup(port: number) {
  return run("sh", ["-s"], { input: script, env: { PATH: process.env.PATH ?? "", REDIS_CLI: `redis-cli -p ${port}` }, timeoutMs: 60_000 });
}

describe("Redis AOF backup and restore", () => {
  it("brings back every key and queued job that existed at the backup, and nothing written after it", async () => {
    const dir = tempDir("drillbot-aof-");
    const port = await freePort();
    let server = await start(dir, port);
    const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
    const queue = new Queue("drillbot-deliver-slack", { connection: { port, host: "127.0.0.1" }, prefix: "bull" });
    try {
      // drillbot-like state: a learner's hash, the schedule sorted set, a review-log stream, and a delayed delivery job.
      await client.hset("drillbot:learner:slack:T1:U1", { streak: "12", points: "340", tz: "Europe/Berlin" });
      await client.zadd("drillbot:schedule:due", 1_767_250_800_000, "personal-drill:slack:T1:U1");
      await client.xadd("drillbot:reviewlog:slack:T1", "*", "card", "q-indexes-3", "rating", "3");
      for (let i = 0; i < 200; i += 1) await client.set(`drillbot:card:slack:T1:U1:q${i}`, JSON.stringify({ due: i, stability: 1.5 }));
      await queue.add("personal-drill", { kind: "personal-drill", subscriptionId: "s1", localDate: "2026-12-02", scheduledAt: 1 }, { jobId: "personal-drill__s1__2026-12-02", delay: 3_600_000 });
      // Many overwrites, so the rewrite before the copy has something to compact.
      for (let i = 0; i < 300; i += 1) await client.hset("drillbot:learner:slack:T1:U1", "points", String(340 + i));
      const before = await client.hgetall("drillbot:learner:slack:T1:U1");

      const res = await backup(port);
      expect(res.stderr).toContain("backed up");
      expect(res.code).toBe(0);
      const archive = path.join(tempDir("drillbot-aof-backup-"), "redis-aof.tgz");
      writeFileSync(archive, res.stdoutBytes);
      const listing = await run("tar", ["-tzf", archive]);
      expect(listing.stdout.split("\n").filter(Boolean).sort()).toEqual(
        expect.arrayContaining(["appendonlydir/", "appendonlydir/appendonly.aof.manifest", expect.stringMatching(/^appendonlydir\/appendonly\.aof\.\d+\.base\.rdb$/)]),
      );
      // Automatic rewrites are back on after the copy.
      expect(((await client.config("GET", "auto-aof-rewrite-percentage")) as string[])[1]).toBe("100");

      await client.set("drillbot:after-backup", "not in the backup");
      await new Promise((r) => setTimeout(r, 1_100)); // appendfsync everysec
      await queue.close();
      client.disconnect();

      // The volume is lost: stop Redis, empty its folder. Restore: unpack the backup there, start Redis.
      expect(await stopProcess(server)).toBe(0);
      for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { recursive: true, force: true });
      const unpacked = await run("tar", ["-C", dir, "-xzf", archive]);
      expect(unpacked.code).toBe(0);
      const check = await run("redis-check-aof", [path.join(dir, "appendonlydir", "appendonly.aof.manifest")]);
      expect(check.stdout).toMatch(/is valid/);
      server = await start(dir, port);

      const restored = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
      const restoredQueue = new Queue("drillbot-deliver-slack", { connection: { port, host: "127.0.0.1" }, prefix: "bull" });
      try {
        expect(await restored.hgetall("drillbot:learner:slack:T1:U1")).toEqual(before);
        expect(await restored.zscore("drillbot:schedule:due", "personal-drill:slack:T1:U1")).toBe("1767250800000");
        expect(await restored.xlen("drillbot:reviewlog:slack:T1")).toBe(1);
        expect(await restored.exists(...Array.from({ length: 200 }, (_, i) => `drillbot:card:slack:T1:U1:q${i}`))).toBe(200);
        expect(await restored.get("drillbot:after-backup")).toBeNull();
        const job = await restoredQueue.getJob("personal-drill__s1__2026-12-02");
        expect(job?.data).toEqual({ kind: "personal-drill", subscriptionId: "s1", localDate: "2026-12-02", scheduledAt: 1 });
        expect(await job!.getState()).toBe("delayed");
      } finally {
        await restoredQueue.close();
        restored.disconnect();
      }
    } finally {
      await queue.close().catch(() => undefined);
      client.disconnect();
      await stopProcess(server);
    }
  }, 60_000);

  it("refuses, with a message and no output, a Redis that keeps no append-only file", async () => {
    const dir = tempDir("drillbot-aof-off-");
    const port = await freePort();
    await start(dir, port);
    const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
    try {
      await client.config("SET", "appendonly", "no");
      const res = await backup(port);
      expect(res.code).toBe(1);
      expect(res.stdoutBytes.length).toBe(0);
      expect(res.stderr).toContain("appendonly is not on");
    } finally {
      client.disconnect();
    }
  });
});
