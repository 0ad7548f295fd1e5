/**
 * 10,000 personal drills fan out; the worker process is killed with SIGKILL
 * part-way; a fresh worker recovers the rest. Every learner ends up with
 * exactly one drill, counted at a stand-in messaging server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PersonalDrill } from "../../../core/schedule/model.js";
import { drillHarness, eventually } from "../../support/drill-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const root = path.resolve(import.meta.dirname, "../../..");
const LEARNERS = 10_000;

const redis = useTestRedis();

/** Like a chat platform: a message carrying an idempotency key it has already accepted is not shown twice. */
function standIn() {
  const shown = new Map<string, number>();
  const keys = new Set<string>();
  let posts = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const { to, key } = JSON.parse(body) as { to: string; key: string };
      posts += 1;
      if (!keys.has(key)) {
        keys.add(key);
        shown.set(to, (shown.get(to) ?? 0) + 1);
      }
      res.writeHead(200).end("{}");
    });
  });
  return {
    server,
    shown,
    get posts() {
      return posts;
    },
  };
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // node itself runs the worker (tsx as a loader), so SIGKILL hits the process doing the work, not a wrapper.
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/support/drill-worker-process.ts")], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe("fan-out survives a killed worker", () => {
  it(`${LEARNERS} personal drills: a worker SIGKILLed mid-way, and after recovery every learner got exactly one`, async () => {
    const prefix = uniquePrefix();
    const now = "2026-03-02T07:31:00Z";
    const h = await drillHarness(redis.server.url, prefix, now);
    const sink = standIn();
    await new Promise<void>((r) => sink.server.listen(0, "127.0.0.1", r));
    const standinUrl = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/`;
    try {
      const subs: Promise<void>[] = [];
      for (let i = 0; i < LEARNERS; i++) {
        const sub: PersonalDrill = {
          learner: { platform: "discord", workspace: "guild", user: `u${i}` },
          displayName: `u${i}`,
          recurrence: { time: "08:30", zone: "Europe/Berlin", days: [1, 2, 3, 4, 5, 6, 7] },
          count: 3,
          remind: false,
        };
        subs.push(h.schedules.savePersonalDrill(sub, Date.parse("2026-03-02T07:30:00Z"), null));
      }
      await Promise.all(subs);
      const t0 = Date.now();
      expect((await h.jobs.tick()).personal).toBe(LEARNERS);
      const enqueueMs = Date.now() - t0;

      const env = { REDIS_URL: redis.server.url, PREFIX: prefix, STANDIN_URL: standinUrl, NOW: now };
      const first = await startWorker(env);
      await eventually(() => sink.shown.size >= LEARNERS / 4, 60_000);
      first.kill("SIGKILL");
      const shownAtKill = sink.shown.size;
      expect(shownAtKill).toBeLessThan(LEARNERS);

      const second = await startWorker(env);
      try {
        await eventually(() => sink.shown.size === LEARNERS, 90_000);
        await new Promise((r) => setTimeout(r, 4_000)); // stalled jobs and leases have expired: anything left would show now
        const counts = [...sink.shown.values()];
        expect(counts.every((c) => c === 1)).toBe(true);
        expect(sink.shown.size).toBe(LEARNERS);
        // Re-sends stopped by the idempotency key are bounded by the jobs in flight at the kill.
        expect(sink.posts - LEARNERS).toBeLessThanOrEqual(50);
        console.log(`fan-out: enqueued ${LEARNERS} in ${enqueueMs} ms; killed at ${shownAtKill}; ${sink.posts - LEARNERS} re-sends absorbed`);
      } finally {
        second.kill("SIGKILL");
      }
    } finally {
      sink.server.close();
      await h.shutdown();
    }
  }, 180_000);
});
