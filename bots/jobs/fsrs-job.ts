/**
 * The weekly FSRS fit: a BullMQ job scheduler (one fixed id, so every process
 * may upsert it) fires on Sundays at 03:00 UTC; its worker optimizes, one after
 * the other, every workspace that has a review log. Workspaces are found by
 * SCAN over `<prefix>log:{*}` keys of type stream (on every master of a cluster) (a weekly pass over the
 * keyspace, cursor by cursor, rather than a registry the answer script would
 * have to keep up to date). One workspace failing does not stop the others.
 */
import { Queue, Worker } from "bullmq";
import type { Cluster, Redis, RedisOptions } from "ioredis";
import type { Clock, ProgressStore } from "../../core/ports.js";
import { optimizeWorkspace, type OptimizeSummary } from "../fsrs/optimize-workspace.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../redis/keys.js";
import { globLiteral, scanKeys } from "../redis/scan-keys.js";

export const FSRS_QUEUE = "drillbot-fsrs";
export const FSRS_SCHEDULER_ID = "fsrs-weekly";
/** Sundays at 03:00 UTC. */
export const FSRS_REPEAT = { pattern: "0 3 * * 0", tz: "UTC" } as const;

export interface FsrsJobOptions {
  /** Makes the queue's and the worker's connections (JobRuntime's ConnectionPool.create, so close can bound them). */
  connect: (overrides: RedisOptions, source: string) => Redis | Cluster;
  /** The app's connection: reads the logs and writes the settings. */
  redis: Redis | Cluster;
  keys: RedisKeys;
  settings: Pick<ProgressStore, "saveWorkspaceSettings">;
  clock: Clock;
  log: Logger;
  /** Per workspace; default optimize-workspace's FIT_TIMEOUT_MS. */
  timeoutMs?: number;
  onError?: (err: unknown, source: string) => void;
}

/** Workspaces that have a review log, sorted. */
export async function workspacesWithLogs(redis: Redis | Cluster, keys: RedisKeys): Promise<string[]> {
  const found = new Set<string>();
  await scanKeys(
    redis,
    `${globLiteral(keys.reviewLog("").slice(0, -2))}{*}`,
    (batch) => {
      for (const key of batch) {
        const workspace = keys.workspaceOfReviewLog(key);
        if (workspace) found.add(workspace);
      }
    },
    { type: "stream" },
  );
  return [...found].sort();
}

export interface FsrsRunResult {
  workspaces: number;
  stored: number;
  failed: number;
  summaries: Omit<OptimizeSummary, "fitted">[];
}

/** Optimizes every workspace with a review log (what the weekly job runs). */
export async function optimizeAllWorkspaces(opts: Omit<FsrsJobOptions, "connect" | "onError">): Promise<FsrsRunResult> {
  const deps = { redis: opts.redis, keys: opts.keys, settings: opts.settings, clock: opts.clock, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) };
  const result: FsrsRunResult = { workspaces: 0, stored: 0, failed: 0, summaries: [] };
  for (const workspace of await workspacesWithLogs(opts.redis, opts.keys)) {
    result.workspaces++;
    try {
      const { fitted: _fitted, ...summary } = await optimizeWorkspace(deps, workspace);
      result.summaries.push(summary);
      if (summary.outcome === "stored") result.stored++;
      if (summary.outcome === "timeout" || summary.outcome === "failed") result.failed++;
      opts.log.info(`fsrs ${workspace}: ${summary.outcome} (${summary.reviews} reviews${summary.heldOut ? `, held-out log loss ${summary.heldOut.defaults.logLoss.toFixed(4)} -> ${summary.heldOut.fitted.logLoss.toFixed(4)}` : ""})`);
    } catch (err) {
      result.failed++;
      opts.log.warn(`fsrs ${workspace}: the fit failed`, err);
    }
  }
  return result;
}

export interface FsrsJob {
  queue: Queue;
  worker: Worker;
  /** Closes the worker (a fit in flight finishes first) and the queue; the schedule stays in Redis. */
  stop(): Promise<void>;
}

/** Upserts the weekly scheduler and starts a worker for it. */
export async function startFsrsJob(opts: FsrsJobOptions): Promise<FsrsJob> {
  const prefix = opts.keys.bullPrefix();
  const onError = opts.onError ?? ((err: unknown, source: string) => opts.log.warn(`${source}: ${err instanceof Error ? err.message : String(err)}`));
  const queue = new Queue(FSRS_QUEUE, { connection: opts.connect({ maxRetriesPerRequest: 2 }, `queue ${FSRS_QUEUE}`), prefix });
  queue.on("error", (err) => onError(err, `queue ${FSRS_QUEUE}`));
  await queue.upsertJobScheduler(FSRS_SCHEDULER_ID, { ...FSRS_REPEAT }, { name: "fsrs-optimize", opts: { removeOnComplete: 20, removeOnFail: 50 } });
  const worker = new Worker(FSRS_QUEUE, async () => optimizeAllWorkspaces(opts), {
    connection: opts.connect({ maxRetriesPerRequest: null }, `worker ${FSRS_QUEUE}`),
    prefix,
    concurrency: 1,
  });
  worker.on("failed", (_job, err) => opts.log.warn("the weekly FSRS fit failed", err));
  worker.on("error", (err) => onError(err, `worker ${FSRS_QUEUE}`));
  return {
    queue,
    worker,
    async stop() {
      await worker.close();
      await queue.close();
    },
  };
}
