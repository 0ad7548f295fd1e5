/**
 * Scenario "fanout": N personal subscriptions due in the same minute. Times
 * the minute tick's enqueue, then the delivery workers draining the queue to
 * a no-op sender, and, in the same run, plain BullMQ draining the same number
 * of no-op jobs with the same worker settings (the ratio is our overhead).
 */
import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Catalog } from "../core/content/catalog.js";
import type { Messenger } from "../core/ports.js";
import type { PersonalDrill } from "../core/schedule/model.js";
import { DrillService } from "../core/service/drill-service.js";
import { JobRuntime } from "../bots/jobs/job-runtime.js";
import { DELIVERY_CONCURRENCY, DELIVERY_JOB_OPTIONS } from "../bots/jobs/job-types.js";
import { plainLogger } from "../bots/logger.js";
import { RedisKeys } from "../bots/redis/keys.js";
import { RedisProgressStore } from "../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../bots/redis/schedule-store.js";
import { usedMemory } from "./measure.js";

export interface FanoutResult {
  subscriptions: number;
  enqueueSeconds: number;
  jobsPerSecond: number;
  plainBullmqJobsPerSecond: number;
  overheadRatio: number;
  redisMemoryBeforeBytes: number;
  redisMemoryAfterBytes: number;
  queueMemoryBeforeBytes: number;
  queueMemoryAfterBytes: number;
  /** What the delivered drills leave behind on purpose: each learner's open drill session (24 h TTL) and version, and sent-markers (2 days). */
  learnerStateAfterBytes: number;
  /** CPU per delivered job (less noisy than rates on a shared machine): this process and redis-server, ours and plain BullMQ. */
  cpuMicrosPerJob: { ours: { node: number; redis: number }; plain: { node: number; redis: number } };
}

/** The shipped default, for our workers and for plain BullMQ alike. */
const CONCURRENCY = DELIVERY_CONCURRENCY;
const UNLIMITED = { max: 1_000_000, duration: 1_000 };
/** No-op jobs run through plain BullMQ before anything is timed. */
const WARM_UP = 5_000;

async function memoryOfKeys(redis: Redis, pattern: string): Promise<number> {
  let total = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) {
      const p = redis.pipeline();
      for (const k of keys) p.memory("USAGE", k);
      for (const [, v] of (await p.exec()) ?? []) total += Number(v ?? 0);
    }
  } while (cursor !== "0");
  return total;
}

async function waitDrained(queue: Queue, expected: number): Promise<void> {
  for (;;) {
    const c = await queue.getJobCounts("completed", "failed", "waiting", "active", "delayed", "prioritized");
    if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0 && expected >= 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Plain BullMQ: adds `jobs` no-op jobs (not timed), then drains them with the delivery workers'
 * settings; returns the seconds and the CPU per job of the drain alone.
 */
async function plainRun(redis: Redis, connection: { host: string; port: number; maxRetriesPerRequest: null }, bullPrefix: string, name: string, jobs: number): Promise<{ seconds: number; cpu: { node: number; redis: number } }> {
  const queue = new Queue(name, { connection, prefix: bullPrefix });
  for (let start = 0; start < jobs; start += 1_000) {
    const batch = [];
    for (let i = start; i < Math.min(jobs, start + 1_000); i++) batch.push({ name: "noop", data: { i }, opts: { ...DELIVERY_JOB_OPTIONS, jobId: `plain-${i}` } });
    await queue.addBulk(batch);
  }
  let seconds = 0;
  let worker: Worker | undefined;
  const cpu = await cpuPerJob(redis, jobs, async () => {
    const t = performance.now();
    worker = new Worker(name, async () => undefined, { connection, prefix: bullPrefix, concurrency: CONCURRENCY, limiter: UNLIMITED });
    await waitDrained(queue, jobs);
    seconds = (performance.now() - t) / 1000;
  });
  await worker?.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { seconds, cpu };
}

/** redis-server's CPU seconds so far (user + sys). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  let total = 0;
  for (const m of info.matchAll(/^used_cpu_(?:user|sys):([\d.]+)/gm)) total += Number(m[1]);
  return total;
}

/** Runs `work` and returns its CPU microseconds per job in this process and in redis-server. */
async function cpuPerJob(redis: Redis, jobs: number, work: () => Promise<void>): Promise<{ node: number; redis: number }> {
  const redis0 = await redisCpuSeconds(redis);
  const node0 = process.cpuUsage();
  await work();
  const node = process.cpuUsage(node0);
  const redisSeconds = (await redisCpuSeconds(redis)) - redis0;
  return { node: Math.round((node.user + node.system) / jobs), redis: Math.round((redisSeconds * 1e6) / jobs) };
}

export async function benchFanout(url: string, catalog: Catalog, subscriptions: number): Promise<FanoutResult> {
  const prefix = `fanout-${randomBytes(3).toString("hex")}:`;
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const keys = new RedisKeys(prefix);
  const schedules = new RedisScheduleStore(redis, prefix);
  const store = new RedisProgressStore(redis, { prefix });
  const parsed = new URL(url);
  const connection = { host: parsed.hostname, port: Number(parsed.port), maxRetriesPerRequest: null };
  const clock = { now: () => new Date("2026-03-02T07:31:00Z") };
  const jobs = new JobRuntime({ connection, redis, keys, schedules, clock, log: plainLogger("error", []), concurrency: CONCURRENCY, limits: { discord: UNLIMITED } });
  let n = 0;
  const drills = new DrillService({ catalog, store, schedules, planner: jobs.planner, clock, newId: () => `b${++n}` });

  // N learners subscribed to an 08:30 Berlin drill, all due now.
  const due = Date.parse("2026-03-02T07:30:00Z");
  for (let start = 0; start < subscriptions; start += 5_000) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(subscriptions, start + 5_000); i++) {
      const sub: PersonalDrill = {
        learner: { platform: "discord", workspace: `g${i % 50}`, user: `u${i}` },
        displayName: `u${i}`,
        recurrence: { time: "08:30", zone: "Europe/Berlin", days: [1, 2, 3, 4, 5, 6, 7] },
        count: 5,
        remind: false,
      };
      batch.push(schedules.savePersonalDrill(sub, due, null));
    }
    await Promise.all(batch);
  }
  // Warm-up (JIT, script cache): the BullMQ worker path both runs share, before either is timed.
  await plainRun(redis, connection, keys.bullPrefix(), `warm-${prefix.replace(/:/g, "")}`, WARM_UP);
  const memoryBefore = await usedMemory(url);
  const queueBefore = await memoryOfKeys(redis, `${keys.bullPrefix()}:*`);

  const t0 = performance.now();
  const fanned = await jobs.tick();
  const enqueueSeconds = (performance.now() - t0) / 1000;
  if (fanned.personal !== subscriptions) throw new Error(`fanned out ${fanned.personal}, expected ${subscriptions}`);

  let delivered = 0;
  const noop: Messenger = {
    async toLearner() {
      delivered += 1;
    },
    async toChannel() {
      delivered += 1;
    },
  };
  let ourSeconds = 0;
  const ourCpu = await cpuPerJob(redis, subscriptions, async () => {
    const t1 = performance.now();
    jobs.startDeliveryWorkers(drills, { discord: noop });
    await waitDrained(jobs.queues.discord, subscriptions);
    ourSeconds = (performance.now() - t1) / 1000;
  });
  await jobs.close();
  if (delivered !== subscriptions) throw new Error(`delivered ${delivered} of ${subscriptions}`);

  // Plain BullMQ: the same number of no-op jobs, same worker settings.
  const plain = await plainRun(redis, connection, keys.bullPrefix(), `plain-${prefix.replace(/:/g, "")}`, subscriptions);
  const plainSeconds = plain.seconds;

  const memoryAfter = await usedMemory(url);
  const queueAfter = await memoryOfKeys(redis, `${keys.bullPrefix()}:*`);
  const learnerState = (await memoryOfKeys(redis, `${prefix}learner:*`)) + (await memoryOfKeys(redis, `${prefix}sent:*`));
  redis.disconnect();
  const jobsPerSecond = Math.round(subscriptions / ourSeconds);
  const plainBullmqJobsPerSecond = Math.round(subscriptions / plainSeconds);
  return {
    subscriptions,
    enqueueSeconds: Number(enqueueSeconds.toFixed(2)),
    jobsPerSecond,
    plainBullmqJobsPerSecond,
    overheadRatio: Number((jobsPerSecond / plainBullmqJobsPerSecond).toFixed(2)),
    redisMemoryBeforeBytes: memoryBefore,
    redisMemoryAfterBytes: memoryAfter,
    queueMemoryBeforeBytes: queueBefore,
    queueMemoryAfterBytes: queueAfter,
    learnerStateAfterBytes: learnerState,
    cpuMicrosPerJob: { ours: ourCpu, plain: plain.cpu },
  };
}
