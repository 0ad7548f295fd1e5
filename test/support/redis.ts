/**
 * Test helpers: a real redis-server per test file on a free loopback port
 * (never a mock), a unique key prefix per test, and a fixed clock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { startEmbeddedRedis, type EmbeddedRedis } from "../../bots/redis/embedded-redis.js";
import { fileFixture } from "./file-fixture.js";

export interface TestRedis {
  server: EmbeddedRedis;
  client: Redis;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server; pass `port` to bring one back where clients expect it. */
export async function startTestRedis(port?: number): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "drillbot-test-redis-"));
  const server = await startEmbeddedRedis({ dataDir: dir, persist: false, dieWithParent: true, ...(port ? { port } : {}) });
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  return {
    server,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export function uniquePrefix(): string {
  counter += 1;
  return `t${process.pid}-${Date.now().toString(36)}-${counter}:`;
}

export function fixedClock(iso: string): { now(): Date; set(iso: string): void; advance(ms: number): void } {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    set: (s: string) => {
      t = new Date(s).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/**
 * One real redis-server for the whole test file: started before its tests,
 * stopped after. Use the returned object inside tests (`redis.server.url`).
 */
export function useTestRedis(): TestRedis {
  return fileFixture(() => startTestRedis(), (r) => r.stop());
}
