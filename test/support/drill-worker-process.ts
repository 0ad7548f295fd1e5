/**
 * A delivery worker in its own process, for the crash test: the real
 * JobRuntime and DrillService on Redis, sending over HTTP to a stand-in that
 * counts what arrives. Env: REDIS_URL, PREFIX, STANDIN_URL, NOW (ISO).
 */
import { Redis } from "ioredis";
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import type { ChannelRef } from "../../core/schedule/model.js";
import { DrillService } from "../../core/service/drill-service.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import { JobRuntime } from "../../bots/jobs/job-runtime.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisKeys } from "../../bots/redis/keys.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../bots/redis/schedule-store.js";

const { REDIS_URL = "", PREFIX = "", STANDIN_URL = "", NOW = "" } = process.env;

class HttpMessenger implements Messenger {
  private async post(to: string, replies: Reply[], key: string): Promise<void> {
    const res = await fetch(STANDIN_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ to, key, types: replies.map((r) => r.type) }) });
    if (!res.ok) throw new Error(`stand-in said ${res.status}`);
  }
  toLearner(learner: LearnerKey, replies: Reply[], opts: { idempotencyKey: string }): Promise<void> {
    return this.post(learner.user, replies, opts.idempotencyKey);
  }
  toChannel(channel: ChannelRef, replies: Reply[], opts: { idempotencyKey: string }): Promise<void> {
    return this.post(channel.channel, replies, opts.idempotencyKey);
  }
}

const catalog = await loadCatalog("test/fixtures/content");
if (!catalog.ok) throw new Error("fixture content broken");
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
const keys = new RedisKeys(PREFIX);
const clock = { now: () => new Date(NOW) };
const store = new RedisProgressStore(redis, { prefix: PREFIX });
const schedules = new RedisScheduleStore(redis, PREFIX);
const url = new URL(REDIS_URL);
const jobs = new JobRuntime({
  connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
  redis,
  keys,
  schedules,
  clock,
  log: plainLogger("error", []),
  lockDurationMs: 3_000,
  stalledIntervalMs: 1_500,
  concurrency: 50,
  // the stand-in is local: no platform limit to respect, so the test measures recovery, not throttling
  limits: { discord: { max: 5_000, duration: 1_000 } },
});
let n = 0;
const drills = new DrillService({ catalog: catalog.catalog, store, schedules, planner: jobs.planner, clock, newId: () => `w${process.pid}-${++n}` });
jobs.startDeliveryWorkers(drills, { discord: new HttpMessenger() });
process.stdout.write("ready\n");
