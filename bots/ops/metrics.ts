/**
 * drillbot's Prometheus registry for one process: Node's default metrics with
 * a drillbot_ prefix, the event metrics (telemetry.ts), and gauges read at
 * scrape time (Redis up, jobs per queue and state). No per-user or
 * per-server labels.
 */
import type { Queue } from "bullmq";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { readiness, type ReadinessCheck } from "./ops-server.js";
import { eventRegistry } from "./telemetry.js";

export interface MetricsSources {
  /** Is the app's Redis connection ready? */
  redisUp: () => boolean;
  /** The BullMQ queues whose jobs are counted by state at each scrape. */
  queues?: () => readonly Queue[];
  /** What /readyz checks, reported one by one as drillbot_ready{check} (so Prometheus sees what /readyz sees). */
  checks?: () => readonly ReadinessCheck[];
}

/** The job states counted per queue. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed", "completed"] as const;

/** A scrape must not hang on a Redis that does not answer: a queue not counted within this is left out. */
const QUEUE_COUNT_TIMEOUT_MS = 1_000;

function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.catch(() => null), new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]).finally(() => clearTimeout(timer));
}

export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "drillbot_" });
  new Gauge({
    name: "drillbot_redis_up",
    help: "1 when the bot's Redis connection is ready, else 0",
    registers: [registry],
    collect() {
      this.set(sources.redisUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: "drillbot_ready",
    help: "1 when this /readyz check passes (redis, discord, slack), else 0: what /readyz answers, check by check",
    labelNames: ["check"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const verdict = await readiness(sources.checks?.() ?? [], false);
      for (const [check, up] of Object.entries(verdict.checks)) this.set({ check }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: "drillbot_queue_jobs",
    help: "Jobs per BullMQ queue and state, counted at scrape time (absent while Redis does not answer)",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const queues = sources.queues?.() ?? [];
      const counts = await Promise.all(queues.map((q) => within(q.getJobCounts(...QUEUE_STATES), QUEUE_COUNT_TIMEOUT_MS)));
      queues.forEach((q, i) => {
        const c = counts[i];
        if (c) for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, c[state] ?? 0);
      });
    },
  });
  return Registry.merge([registry, eventRegistry]);
}
