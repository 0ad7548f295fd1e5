/**
 * Builds the queues, the minute-tick scheduler and the workers. Every process
 * may call start(): the tick scheduler is upserted under one fixed id (so 50
 * restarts leave one schedule), and workers on any number of processes or
 * machines share the jobs through Redis.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Platform } from "../../core/identity.js";
import type { Clock, Messenger } from "../../core/ports.js";
import type { DrillService } from "../../core/service/drill-service.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../redis/keys.js";
import type { RedisScheduleStore } from "../redis/schedule-store.js";
import { deliver } from "./delivery.js";
import { fanOut } from "./fan-out.js";
import { DELIVERY_CONCURRENCY, deliveryQueueName, PLATFORM_LIMITS, TICK_EVERY_MS, TICK_QUEUE, TICK_SCHEDULER_ID, type DeliveryJob } from "./job-types.js";
import { BullJobPlanner } from "./planner.js";

export const PLATFORMS: Platform[] = ["discord", "slack", "shell"];

export interface JobRuntimeOptions {
  /** Connection options for BullMQ (it opens its own connections; blocking ones need maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  redis: Redis;
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
}

export class JobRuntime {
  readonly queues: Record<Platform, Queue>;
  readonly tickQueue: Queue;
  readonly planner: BullJobPlanner;
  private readonly workers: Worker[] = [];

  constructor(private readonly opts: JobRuntimeOptions) {
    const prefix = opts.keys.bullPrefix();
    const queueOpts = { connection: opts.connection, prefix };
    this.queues = {
      discord: new Queue(deliveryQueueName("discord"), queueOpts),
      slack: new Queue(deliveryQueueName("slack"), queueOpts),
      shell: new Queue(deliveryQueueName("shell"), queueOpts),
    };
    this.tickQueue = new Queue(TICK_QUEUE, queueOpts);
    this.planner = new BullJobPlanner(this.queues, opts.clock, async (kind, id) => {
      if (kind === "challenge") return (await opts.schedules.challenge(id))?.channel.platform ?? null;
      return (await opts.schedules.postedDrill(id))?.channel.platform ?? null;
    });
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
      connection: this.opts.connection,
      prefix: this.opts.keys.bullPrefix(),
      concurrency: 1,
    });
    w.on("failed", (_job, err) => this.opts.log.warn("tick failed", err));
    this.workers.push(w);
  }

  /** Delivery workers for the platforms this process can send to. */
  startDeliveryWorkers(drills: DrillService, messengers: Partial<Record<Platform, Messenger>>): void {
    for (const platform of PLATFORMS) {
      const messenger = messengers[platform];
      if (!messenger) continue;
      const deps = { redis: this.opts.redis, keys: this.opts.keys, schedules: this.opts.schedules, drills, messenger, planner: this.planner };
      const worker: Worker = new Worker(
        deliveryQueueName(platform),
        async (job: Job<DeliveryJob>) => {
          try {
            await deliver(deps, job.data, job.attemptsStarted);
          } catch (err) {
            const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs;
            if (typeof retryAfter === "number" && retryAfter > 0) {
              // The platform said 429: pause this queue for everyone, then retry the job.
              await worker.rateLimit(retryAfter);
              throw Worker.RateLimitError();
            }
            throw err;
          }
        },
        {
          connection: this.opts.connection,
          prefix: this.opts.keys.bullPrefix(),
          concurrency: this.opts.concurrency ?? DELIVERY_CONCURRENCY,
          limiter: this.opts.limits?.[platform] ?? PLATFORM_LIMITS[platform],
          lockDuration: this.opts.lockDurationMs ?? 30_000,
          stalledInterval: this.opts.stalledIntervalMs ?? 30_000,
          maxStalledCount: 5,
        },
      );
      worker.on("failed", (job, err) => this.opts.log.warn(`delivery ${job?.id ?? "?"} failed (attempt ${job?.attemptsMade ?? "?"})`, err));
      this.workers.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    const queues = [...Object.values(this.queues), this.tickQueue];
    // A queue closed while its connection is still starting up leaves BullMQ's start-up
    // commands to fail unhandled ("Connection is closed"): let them finish first.
    await Promise.all(queues.map((q) => q.waitUntilReady().catch(() => undefined)));
    await Promise.all(queues.map((q) => q.close()));
  }
}
