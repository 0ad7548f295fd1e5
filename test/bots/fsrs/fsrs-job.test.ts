/**
 * The weekly FSRS job on a real Redis and real BullMQ: the scheduler is
 * upserted once for Sundays 03:00 UTC, the workspaces with a review log are
 * found by SCAN, and a run optimizes each of them.
 */
import { Redis, type RedisOptions } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { simulateReviewLog } from "../../../core/fsrs/simulate-learners.js";
import { FSRS_SCHEDULER_ID, optimizeAllWorkspaces, startFsrsJob, workspacesWithLogs, type FsrsJob, type FsrsRunResult } from "../../../bots/jobs/fsrs-job.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { writeReviewLog } from "../../../bots/fsrs/write-review-log.js";

const redis = useTestRedis();
const clock = fixedClock("2026-03-01T12:00:00Z");
const lines: string[] = [];
const log = plainLogger("info", [], (l) => lines.push(l));
const big = simulateReviewLog({ seed: 1, learners: 8, days: 40, questions: 200, newPerSession: 4, start: "2026-01-05" });
const small = big.slice(0, 100);

const connections: Redis[] = [];
const connect = (o: RedisOptions) => {
  const c = new Redis(redis.server.url, o);
  connections.push(c);
  return c;
};
let job: FsrsJob | null = null;
afterEach(async () => {
  await job?.stop();
  job = null;
  // QUIT waits for the replies still owed (a BullMQ call in flight at stop); a bare disconnect rejected them unhandled.
  await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
});

describe("finding the workspaces to optimize", () => {
  it("lists the review-log streams under this prefix only, even when the prefix has glob characters", async () => {
    const prefix = `${uniquePrefix()}[a]*?:`;
    const keys = new RedisKeys(prefix);
    await redis.client.xadd(keys.reviewLog("slack:T1"), "*", "l", "x");
    await redis.client.xadd(keys.reviewLog("discord:123456789012345678"), "*", "l", "x");
    await redis.client.set(keys.reviewLog("shell:not-a-stream"), "x");
    await redis.client.xadd(new RedisKeys(`${uniquePrefix()}:`).reviewLog("slack:T2"), "*", "l", "x");
    await redis.client.xadd(`${prefix.replace("[a]", "a")}log:slack:T3`, "*", "l", "x");
    expect(await workspacesWithLogs(redis.client, keys)).toEqual(["discord:123456789012345678", "slack:T1"]);
  });
});

describe("the weekly FSRS job", () => {
  it("optimizes every workspace with a log: stores for the one large enough, keeps the defaults for the other", async () => {
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    await writeReviewLog(redis.client, keys.reviewLog("discord:123456789012345678"), big);
    await writeReviewLog(redis.client, keys.reviewLog("slack:T0123ABCD"), small);
    const result = await optimizeAllWorkspaces({ redis: redis.client, keys, settings: new RedisProgressStore(redis.client, { prefix }), clock, log });
    expect(result).toMatchObject({ workspaces: 2, stored: 1, failed: 0 });
    expect(result.summaries.map((s) => [s.workspace, s.outcome])).toEqual([
      ["discord:123456789012345678", "stored"],
      ["slack:T0123ABCD", "below-threshold"],
    ]);
    expect(await redis.client.hexists(keys.workspaceSettings("discord:123456789012345678"), "fsrs")).toBe(1);
    expect(await redis.client.exists(keys.workspaceSettings("slack:T0123ABCD"))).toBe(0);
    expect(lines.some((l) => l.includes("fsrs discord:123456789012345678: stored"))).toBe(true);
  });

  it("is scheduled once, for Sundays at 03:00 UTC, however many processes start it", async () => {
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    const opts = { connect, redis: redis.client, keys, settings: new RedisProgressStore(redis.client, { prefix }), clock, log };
    const first = await startFsrsJob(opts);
    job = await startFsrsJob(opts);
    await first.stop();
    const schedulers = await job.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: FSRS_SCHEDULER_ID, pattern: "0 3 * * 0", tz: "UTC" });
    const next = new Date(schedulers[0]!.next!);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 3, 0]);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it("runs a fit when its job comes due, through the worker", async () => {
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    await writeReviewLog(redis.client, keys.reviewLog("shell:local"), big);
    job = await startFsrsJob({ connect, redis: redis.client, keys, settings: new RedisProgressStore(redis.client, { prefix }), clock, log });
    const added = await job.queue.add("fsrs-optimize", {});
    const deadline = Date.now() + 20_000;
    let state = await added.getState();
    while (state !== "completed" && state !== "failed" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      state = await added.getState();
    }
    expect(state).toBe("completed");
    const done = (await job.queue.getJob(added.id!))!;
    expect((done.returnvalue as FsrsRunResult).stored).toBe(1);
    expect(JSON.parse((await redis.client.hget(keys.workspaceSettings("shell:local"), "fsrs"))!).weights).toHaveLength(21);
  });
});
