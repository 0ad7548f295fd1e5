/**
 * Builds the queues, the minute-tick scheduler and the workers. Every process
 * may call start(): the tick scheduler is upserted under one fixed id (so 50
 * restarts leave one schedule), and workers on any number of processes or
 * machines share the jobs through Redis.
 *
 * Every Redis connection BullMQ uses is made here (connection-pool.ts), so
 * each has an error listener, and close() can bound the wait: jobs in flight
 * get a grace period, then the connections are cut even if Redis is down.
 */
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import type { Platform } from "../../core/identity.js";
import type { Clock, Messenger } from "../../core/ports.js";
import type { DrillService } from "../../core/service/drill-service.js";
import type { Logger } from "../logger.js";
import { deliveries, drillLateness } from "../ops/telemetry.js";
import { countWait } from "../ops/platform-metrics.js";
import type { RedisKeys } from "../redis/keys.js";
import type { RedisScheduleStore } from "../redis/schedule-store.js";
import { deliver } from "./delivery.js";
import { fanOut } from "./fan-out.js";
import { DELIVERY_CONCURRENCY, deliveryQueueName, PLATFORM_LIMITS, TICK_EVERY_MS, TICK_QUEUE, TICK_SCHEDULER_ID, type DeliveryJob } from "./job-types.js";
import { ConnectionPool, type ConnectionTarget } from "./connection-pool.js";
import { startFsrsJob, type FsrsJob } from "./fsrs-job.js";
import type { ProgressStore } from "../../core/ports.js";
import { BullJobPlanner } from "./planner.js";
import { WorkspaceQuietHours } from "./workspace-quiet-hours.js";

export const PLATFORMS: Platform[] = ["discord", "slack", "shell"];

export interface JobRuntimeOptions {
  /** Where BullMQ connects (host, port, password, tls); its connections are made from these. */
  connection: ConnectionTarget;
  redis: Redis | Cluster;
  keys: RedisKeys;
  schedules: RedisScheduleStore;
  clock: Clock;
  log: Logger;
  /** Lock and stall timings; shorter in tests so a killed worker's jobs come back quickly. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  concurrency?: number;
  /** Per-platform send rates; default PLATFORM_LIMITS (the platforms' published limits). */
  limits?: Partial<Record<Platform, { max: number; duration: number }>>;
  /** How long a workspace's quiet hours are kept before they are read again; default 5 s. */
  quietHoursCacheMs?: number;
  /** Every error a queue, worker or connection emits (e.g. to an outage monitor); default: a warning. */
  onError?: (err: unknown, source: string) => void;
  /** Where the weekly FSRS fit stores each workspace's parameters; without it the weekly job is not started. */
  settings?: Pick<ProgressStore, "saveWorkspaceSettings">;
}

export interface CloseOptions {
  /** How long jobs in flight may take to finish; default 5 s. */
  graceMs?: number;
  /** After the grace, how long to wait for the connections to be cut; default 1 s. */
  forceMs?: number;
  /** Redis is unreachable: nothing in flight can finish, so cut the connections without a grace period. */
  redisDown?: boolean;
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}

export class JobRuntime {
  readonly queues: Record<Platform, Queue>;
  readonly tickQueue: Queue;
  readonly planner: BullJobPlanner;
  private readonly workers: Worker[] = [];
  private readonly pool: ConnectionPool;
  private fsrs: FsrsJob | null = null;
  private closing: Promise<void> | null = null;
  /** Delivery jobs being processed by this process now. */
  private activeDeliveries = 0;

  constructor(private readonly opts: JobRuntimeOptions) {
    const prefix = opts.keys.bullPrefix();
    const onError = opts.onError ?? ((err: unknown, source: string) => opts.log.warn(`${source}: ${err instanceof Error ? err.message : String(err)}`));
    this.pool = new ConnectionPool(opts.connection, onError);
    const queue = (name: string) => {
      // A queue's commands (adding a job) fail after two reconnect attempts rather than wait for Redis forever.
      const q = new Queue(name, { connection: this.pool.create({ maxRetriesPerRequest: 2 }, `queue ${name}`), prefix });
      q.on("error", (err) => onError(err, `queue ${name}`));
      return q;
    };
    this.queues = {
      discord: queue(deliveryQueueName("discord")),
      slack: queue(deliveryQueueName("slack")),
      shell: queue(deliveryQueueName("shell")),
    };
    this.tickQueue = queue(TICK_QUEUE);
    this.planner = new BullJobPlanner(this.queues, opts.clock, async (kind, id) => {
      if (kind === "challenge") return (await opts.schedules.challenge(id))?.channel.platform ?? null;
      return (await opts.schedules.postedDrill(id))?.channel.platform ?? null;
    });
  }

  /** Every queue this runtime made: deliveries, the tick, and the weekly FSRS fit once started (for metrics and the dashboard). */
  allQueues(): Queue[] {
    return [...Object.values(this.queues), this.tickQueue, ...(this.fsrs ? [this.fsrs.queue] : [])];
  }

  /** Upserts the one minute-tick scheduler (idempotent: the same id every time). */
  async ensureTickScheduler(): Promise<void> {
    await this.tickQueue.upsertJobScheduler(TICK_SCHEDULER_ID, { every: TICK_EVERY_MS }, { name: "tick", opts: { removeOnComplete: 100, removeOnFail: 500 } });
  }

  /** Runs one tick now (also what the scheduled tick job does). */
  async tick(): Promise<{ personal: number; remind: number; channel: number }> {
    return fanOut({ redis: this.opts.redis, keys: this.opts.keys, queues: this.queues }, this.opts.clock.now());
  }

  startTickWorker(): void {
    const w = new Worker(TICK_QUEUE, async () => this.tick(), {
      connection: this.pool.create({ maxRetriesPerRequest: null }, `worker ${TICK_QUEUE}`),
      prefix: this.opts.keys.bullPrefix(),
      concurrency: 1,
    });
    w.on("failed", (_job, err) => this.opts.log.warn("tick failed", err));
    w.on("error", (err) => this.pool.onError(err, `worker ${TICK_QUEUE}`));
    this.workers.push(w);
  }

  /** Delivery workers for the platforms this process can send to. */
  startDeliveryWorkers(drills: DrillService, messengers: Partial<Record<Platform, Messenger>>): void {
    const quietHours = new WorkspaceQuietHours(this.opts.redis, this.opts.keys, this.opts.quietHoursCacheMs);
    for (const platform of PLATFORMS) {
      const messenger = messengers[platform];
      if (!messenger) continue;
      const deps = { redis: this.opts.redis, keys: this.opts.keys, schedules: this.opts.schedules, drills, messenger, planner: this.planner, quietHours };
      const worker: Worker = new Worker(
        deliveryQueueName(platform),
        async (job: Job<DeliveryJob>, token?: string) => {
          let result;
          this.activeDeliveries++;
          try {
            result = await deliver(deps, job.data, job.attemptsStarted);
          } catch (err) {
            const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs;
            if (typeof retryAfter === "number" && retryAfter > 0) {
              // The platform said 429: pause this queue for everyone, then retry the job.
              this.observe(platform, job, "rate-limited");
              if (platform !== "shell") countWait(platform, "retry-after", retryAfter / 1000);
              await worker.rateLimit(retryAfter);
              throw Worker.RateLimitError();
            }
            this.observe(platform, job, "failed", err);
            throw err;
          } finally {
            this.activeDeliveries--;
          }
          this.observe(platform, job, typeof result === "object" ? "held" : result);
          if (typeof result === "object") {
            // Quiet hours: back to delayed until they end (BullMQ's documented way: moveToDelayed with
            // the lock token, then DelayedError). The delay is measured on the service clock.
            const waitMs = Math.max(0, result.heldUntil.getTime() - this.opts.clock.now().getTime());
            // Lateness is measured from the end of the hold, not from the time the quiet hours swallowed.
            await job.updateData(Object.assign({}, job.data, { heldUntil: result.heldUntil.getTime() }));
            await job.moveToDelayed(Date.now() + waitMs, token);
            throw new DelayedError();
          }
        },
        {
          connection: this.pool.create({ maxRetriesPerRequest: null }, `worker ${deliveryQueueName(platform)}`),
          prefix: this.opts.keys.bullPrefix(),
          concurrency: this.opts.concurrency ?? DELIVERY_CONCURRENCY,
          limiter: this.opts.limits?.[platform] ?? PLATFORM_LIMITS[platform],
          lockDuration: this.opts.lockDurationMs ?? 30_000,
          stalledInterval: this.opts.stalledIntervalMs ?? this.opts.lockDurationMs ?? 30_000,
          maxStalledCount: 5,
        },
      );
      // Failures inside the processor are logged by observe(); this catches BullMQ's own (a job that stalled too often).
      worker.on("failed", (job, err) => {
        if (/stalled/i.test(err.message)) this.opts.log.warn(`delivery ${job?.id ?? "?"} failed (attempt ${job?.attemptsMade ?? "?"})`, err);
      });
      worker.on("error", (err) => this.pool.onError(err, `worker ${deliveryQueueName(platform)}`));
      this.workers.push(worker);
    }
  }

  /** One delivery's metrics and log line: outcome, and for a sent drill or reminder, how late it went out. */
  private observe(platform: Platform, job: Job<DeliveryJob>, outcome: string, err?: unknown): void {
    const kind = job.data.kind;
    deliveries.inc({ platform, kind, outcome });
    // Due at its scheduled time, or when the quiet hours that held it ended.
    const heldUntil = (job.data as { heldUntil?: number }).heldUntil;
    const scheduledAt = "scheduledAt" in job.data ? Math.max(job.data.scheduledAt, heldUntil ?? 0) : undefined;
    const lateMs = outcome === "sent" && typeof scheduledAt === "number" ? Math.max(0, this.opts.clock.now().getTime() - scheduledAt) : undefined;
    if (lateMs !== undefined) drillLateness.observe({ platform, kind }, lateMs / 1000);
    const line = { platform, kind, outcome, job: job.id, attempt: job.attemptsStarted, ...(lateMs !== undefined ? { lateMs } : {}), ...(err instanceof Error ? { error: err } : {}) };
    if (outcome === "failed") this.opts.log.warn("delivery", line);
    else this.opts.log.info("delivery", line);
  }

  /**
   * Shutdown, first step: the workers stop taking jobs, and the jobs in flight
   * get until `deadline` (epoch ms) to finish. A job still running then is
   * left locked: its lock outlives this process, after which a live worker
   * (or this one restarted) retries it once, with the same job id, so its
   * message is neither lost nor sent twice (see delivery.ts).
   */
  async drain(deadline: number): Promise<void> {
    const closing = Promise.all([...this.workers, ...(this.fsrs ? [this.fsrs.worker] : [])].map((w) => w.close()));
    closing.catch(() => undefined);
    if (await settlesWithin(closing, Math.max(0, deadline - Date.now()))) return;
    this.opts.log.warn(
      `${this.activeDeliveries} delivery job(s) still running when the shutdown grace ran out were cut off; another worker retries them once their lock expires (${Math.round((this.opts.lockDurationMs ?? 30_000) / 1000)} s)`,
    );
  }

  /**
   * Stops the workers (jobs in flight get graceMs to finish) and the queues.
   * Bounded even while Redis is down: after the grace every connection is cut.
   */
  close(opts: CloseOptions = {}): Promise<void> {
    this.closing ??= (async () => {
      const inOrder = this.closeInOrder();
      inOrder.catch(() => undefined);
      if (opts.redisDown) this.pool.disconnectAll();
      else if (await settlesWithin(inOrder, opts.graceMs ?? 5_000)) return;
      else this.opts.log.warn(`scheduled jobs still running after ${Math.round((opts.graceMs ?? 5_000) / 1000)} s were cut off; Redis hands them to a worker again later`);
      this.pool.disconnectAll();
      await settlesWithin(inOrder, opts.forceMs ?? 1_000);
    })();
    return this.closing;
  }

  /** Upserts the weekly FSRS scheduler (one fixed id, so many processes make one) and starts its worker. */
  async startFsrsJob(): Promise<void> {
    if (this.fsrs || !this.opts.settings) return;
    this.fsrs = await startFsrsJob({
      connect: (o, source) => this.pool.create(o, source),
      redis: this.opts.redis,
      keys: this.opts.keys,
      settings: this.opts.settings,
      clock: this.opts.clock,
      log: this.opts.log,
      onError: (err, source) => this.pool.onError(err, source),
    });
  }

  private async closeInOrder(): Promise<void> {
    await Promise.all([...this.workers.map((w) => w.close()), this.fsrs?.stop()]);
    const queues = [...Object.values(this.queues), this.tickQueue];
    // A queue closed while its connection is still starting up leaves BullMQ's start-up
    // commands to fail unhandled ("Connection is closed"): let them finish first.
    await Promise.all(queues.map((q) => q.waitUntilReady().catch(() => undefined)));
    await Promise.all(queues.map((q) => q.close()));
    await this.pool.quitAll();
  }
}
