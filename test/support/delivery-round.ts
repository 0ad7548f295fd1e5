/**
 * One round of scheduled DMs through real worker processes to the Discord
 * rate stand-in: N learners' personal drills due in the same minute, the
 * minute tick fans them out, K workers (discord-delivery-worker.ts) send them
 * with the real messenger. Used by the delivery tests and bench/delivery.ts.
 * The round's clock starts when the tick runs (the "scheduled minute").
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import type { PersonalDrill } from "../../core/schedule/model.js";
import { JobRuntime } from "../../bots/jobs/job-runtime.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisKeys } from "../../bots/redis/keys.js";
import { RedisScheduleStore } from "../../bots/redis/schedule-store.js";
import type { RateRequest } from "./discord-rate-standin.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface RoundOptions {
  redisUrl: string;
  prefix: string;
  /** Discord's rate stand-in, or Slack's (platform "slack"). */
  standin: { apiUrl: string; requests: RateRequest[] };
  platform?: "discord" | "slack";
  token: string;
  learners: number;
  workers: number;
  /** The service clock of this round (ISO); the drills are due a little before it. */
  now: string;
  /** The shared budget, requests/s (default the messenger's). */
  rate?: number;
  /** Deliveries each worker runs at once (default 50, the shipped setting); small, so a few drills split between processes. */
  concurrency?: number;
  content?: string;
  /** Give up after this long (ms). */
  timeoutMs?: number;
}

export interface RoundResult {
  learners: number;
  workers: number;
  seconds: number;
  dms: number;
  dmsPerSecond: number;
  requests: number;
  usefulRequestsPerSecond: number;
  dmChannelOpens: number;
  requestsPerDm: number;
  global429s: number;
  /** The most requests the stand-in saw arrive in any 1000 ms (Discord's count). */
  maxRequestsInAnySecond: number;
  /** Discord: the most requests the workers' shared budget let go in any 1000 ms (the budget's count), and the slots it gave up because a take came back too late. */
  maxSentInAnySecond?: number;
  lateSlots?: number;
  latenessSeconds: { p50: number; p95: number; max: number };
  /** Message posts per worker (their User-Agent names), to see the work was shared. */
  postsByWorker: Record<string, number>;
}

export const learnerId = (i: number): string => String(400_000_000_000_000_000n + BigInt(i));

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Starts a worker process; with `sentLog`, it writes its budget's release times there when stopped. */
export function startWorker(o: RoundOptions, agent: string, sentLog?: string): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/support/discord-delivery-worker.ts")], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: o.redisUrl,
      PREFIX: o.prefix,
      DISCORD_API_URL: o.standin.apiUrl,
      SLACK_API_URL: o.standin.apiUrl,
      PLATFORM: o.platform ?? "discord",
      TOKEN: o.token,
      NOW: o.now,
      AGENT: agent,
      CONTENT: o.content ?? "test/fixtures/content",
      ...(o.rate ? { RATE: String(o.rate) } : {}),
      ...(o.concurrency ? { CONCURRENCY: String(o.concurrency) } : {}),
      ...(sentLog ? { SENT_LOG: sentLog } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()).length > 20_000 && (err = err.slice(-10_000)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker ${agent} exited (${code}) before it was ready: ${err}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => (clearTimeout(kill), resolve()));
        child.kill("SIGTERM");
      }),
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Seeds the learners' drills due now (an existing subscription is replaced), ticks, and waits for every DM. */
export async function deliveryRound(o: RoundOptions, during?: (startedAt: number) => void): Promise<RoundResult> {
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const keys = new RedisKeys(o.prefix);
  const schedules = new RedisScheduleStore(redis, o.prefix);
  const url = new URL(o.redisUrl);
  const clock = { now: () => new Date(o.now) };
  const jobs = new JobRuntime({ connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null }, redis, keys, schedules, clock, log: plainLogger("error", []) });
  const due = Date.parse(o.now) - 30_000;
  for (let start = 0; start < o.learners; start += 2_000) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(o.learners, start + 2_000); i++) {
      const sub: PersonalDrill = {
        learner: o.platform === "slack" ? { platform: "slack", workspace: "T1", user: `U${learnerId(i)}` } : { platform: "discord", workspace: "dm", user: learnerId(i) },
        displayName: `l${i}`,
        recurrence: { time: "00:00", zone: "UTC", days: [1, 2, 3, 4, 5, 6, 7] },
        count: 2,
        remind: false,
      };
      batch.push(schedules.savePersonalDrill(sub, due, null));
    }
    await Promise.all(batch);
  }
  const logs = mkdtempSync(path.join(os.tmpdir(), "drillbot-round-"));
  const sentLogs = Array.from({ length: o.workers }, (_, i) => path.join(logs, `w${i + 1}.json`));
  const workers = Array.from({ length: o.workers }, (_, i) => startWorker(o, `w${i + 1}`, sentLogs[i]));
  let result: RoundResult;
  let reports: { sent: number[]; lateSlots: number }[] = [];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const from = o.standin.requests.length;
    const t0 = Date.now();
    const fanned = await jobs.tick();
    if (fanned.personal !== o.learners) throw new Error(`the tick fanned out ${fanned.personal} drills, expected ${o.learners}`);
    during?.(t0);
    const deadline = t0 + (o.timeoutMs ?? 600_000);
    const firstPost = new Map<string, number>();
    let seen = from;
    while (firstPost.size < o.learners) {
      if (Date.now() > deadline) throw new Error(`only ${firstPost.size} of ${o.learners} DMs arrived in time`);
      await new Promise((r) => setTimeout(r, 100));
      const reqs = o.standin.requests;
      for (; seen < reqs.length; seen++) {
        const r = reqs[seen]!;
        if (r.channel && r.status === 200 && !firstPost.has(r.channel)) firstPost.set(r.channel, r.at);
      }
    }
    const mine = o.standin.requests.slice(from);
    const last = Math.max(...firstPost.values());
    const seconds = (last - t0) / 1000;
    const ok = mine.filter((r) => r.status !== 429);
    const lateness = [...firstPost.values()].map((t) => (t - t0) / 1000).sort((a, b) => a - b);
    const postsByWorker: Record<string, number> = {};
    for (const r of ok) if (r.channel) postsByWorker[r.agent] = (postsByWorker[r.agent] ?? 0) + 1;
    const round = (x: number, d = 2) => Number(x.toFixed(d));
    result = {
      learners: o.learners,
      workers: o.workers,
      seconds: round(seconds),
      dms: firstPost.size,
      dmsPerSecond: round(firstPost.size / seconds, 1),
      requests: mine.length,
      usefulRequestsPerSecond: round(ok.length / seconds, 1),
      dmChannelOpens: ok.filter((r) => r.path === "/users/@me/channels").length,
      requestsPerDm: round(mine.length / firstPost.size, 3),
      global429s: mine.filter((r) => r.status === 429 && !r.channel).length,
      maxRequestsInAnySecond: maxInAnySecond(ok.map((r) => r.at)),
      latenessSeconds: { p50: round(quantile(lateness, 0.5)), p95: round(quantile(lateness, 0.95)), max: round(lateness[lateness.length - 1] ?? 0) },
      postsByWorker,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await jobs.close();
    redis.disconnect();
    reports = sentLogs.filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, "utf8")) as (typeof reports)[number]);
    rmSync(logs, { recursive: true, force: true });
  }
  if (reports.length > 0) {
    result.maxSentInAnySecond = maxInAnySecond(reports.flatMap((r) => r.sent));
    result.lateSlots = reports.reduce((n, r) => n + r.lateSlots, 0);
  }
  return result;
}

export function maxInAnySecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}
