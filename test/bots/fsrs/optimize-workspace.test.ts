/**
 * The workspace fit end to end on a real Redis: a review log stream in the
 * contract format (XADD l, q, r, d, t), read page by page, fitted with the
 * official optimizer, and the workspace settings hash updated (fsrs JSON,
 * version + 1) only when the fit beats the defaults on held-out reviews.
 */
import { default_w } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { evaluateWeights } from "../../../core/fsrs/metrics.js";
import { buildHistories, reviewItems, splitByTime, type LogEntry } from "../../../core/fsrs/review-histories.js";
import { simulateReviewLog, TRUE_WEIGHTS } from "../../../core/fsrs/simulate-learners.js";
import type { FittedParameters } from "../../../core/ports.js";
import { MIN_REVIEWS, optimizeWorkspace } from "../../../bots/fsrs/optimize-workspace.js";
import { readReviewLog } from "../../../bots/fsrs/read-review-log.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { writeReviewLog } from "../../../bots/fsrs/write-review-log.js";

const redis = useTestRedis();
const WS = "discord:123456789012345678";
const clock = fixedClock("2026-03-01T12:00:00Z");

/** Learners whose memory follows TRUE_WEIGHTS, scheduled by drillbot with the defaults: about 5,700 reviews. */
const simulated = simulateReviewLog({ seed: 1, learners: 8, days: 40, questions: 200, newPerSession: 4, start: "2026-01-05" });

function deps(prefix: string) {
  const r = redis.client;
  return { redis: r, keys: new RedisKeys(prefix), settings: new RedisProgressStore(r, { prefix }), clock };
}

describe("optimizing a workspace on its review log", () => {
  it("fits weights that beat the defaults on the held-out reviews, stores them as JSON and moves the settings version", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    await writeReviewLog(redis.client, d.keys.reviewLog(WS), simulated);
    await redis.client.hset(d.keys.workspaceSettings(WS), "version", "3", "retention", "0.9");

    const summary = await optimizeWorkspace(d, WS);

    expect(summary.outcome).toBe("stored");
    expect(summary.reviews).toBe(simulated.length);
    expect(summary.skipped).toBe(0);
    expect(summary.heldOut!.fitted.logLoss).toBeLessThan(summary.heldOut!.defaults.logLoss);
    expect(summary.heldOut!.fitted.rmse).toBeLessThan(summary.heldOut!.defaults.rmse);
    const hash = await redis.client.hgetall(d.keys.workspaceSettings(WS));
    expect(hash.version).toBe("4");
    expect(hash.retention).toBe("0.9");
    const stored = JSON.parse(hash.fsrs!) as FittedParameters;
    expect(stored.weights).toHaveLength(21);
    expect(stored.weights).toEqual(summary.fitted!.weights);
    expect(stored.fittedAt).toBe("2026-03-01T12:00:00.000Z");
    expect(stored.heldOut!.reviews).toBe(summary.heldOutItems);
    expect(stored.reviews).toBeLessThan(simulated.length);
    expect(stored.cards).toBeGreaterThan(0);
    // What was stored is what the store reads back and what schedules.
    expect((await d.settings.workspaceSettings(WS)).fsrs).toEqual(stored);
  });

  it("gets closer to the true model than the defaults do, as measured independently on the held-out reviews", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    await writeReviewLog(redis.client, d.keys.reviewLog(WS), simulated);
    const summary = await optimizeWorkspace(d, WS);
    const histories = buildHistories(simulated);
    const { heldOut } = splitByTime(reviewItems(histories), 0.2);
    const truth = evaluateWeights(histories, heldOut, TRUE_WEIGHTS);
    const fitted = evaluateWeights(histories, heldOut, summary.fitted!.weights);
    const defaults = evaluateWeights(histories, heldOut, null);
    expect(fitted.logLoss - truth.logLoss).toBeLessThan(defaults.logLoss - truth.logLoss);
    expect(fitted.logLoss).toBeCloseTo(summary.heldOut!.fitted.logLoss, 12);
  });

  it("keeps the defaults and stores nothing below the minimum log size", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    await writeReviewLog(redis.client, d.keys.reviewLog(WS), simulated.slice(0, MIN_REVIEWS - 1));
    await redis.client.hset(d.keys.workspaceSettings(WS), "version", "7");

    const summary = await optimizeWorkspace(d, WS);

    expect(summary.outcome).toBe("below-threshold");
    expect(summary.reviews).toBe(MIN_REVIEWS - 1);
    expect(summary.fitted).toBeNull();
    expect(await redis.client.hgetall(d.keys.workspaceSettings(WS))).toEqual({ version: "7" });
  });

  it("counts malformed entries as left out, and below the minimum they do not count as reviews", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    const key = d.keys.reviewLog(WS);
    await writeReviewLog(redis.client, key, simulated.slice(0, MIN_REVIEWS - 1));
    await redis.client.xadd(key, "*", "l", "x", "q", "y", "r", "9", "d", "2026-01-05");
    await redis.client.xadd(key, "*", "l", "x", "q", "y", "r", "3");
    const summary = await optimizeWorkspace(d, WS);
    expect(summary.outcome).toBe("below-threshold");
    expect(summary.skipped).toBe(2);
    expect(await redis.client.hexists(d.keys.workspaceSettings(WS), "fsrs")).toBe(0);
  });

  it("stores nothing when the fitted weights predict the held-out reviews worse than the defaults", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    // The team changes: its first 40 days follow TRUE_WEIGHTS, then new learners whose memory follows
    // FSRS's defaults exactly take over, so the latest reviews (held out) are the defaults' own.
    const later = simulateReviewLog({ seed: 9, learners: 12, days: 30, questions: 200, newPerSession: 4, start: "2026-02-14", trueWeights: [...default_w] }).map((e) => ({
      ...e,
      learner: `later-${e.learner}`,
    }));
    await writeReviewLog(redis.client, d.keys.reviewLog(WS), [...simulated, ...later]);
    await redis.client.hset(d.keys.workspaceSettings(WS), "version", "2");

    const summary = await optimizeWorkspace(d, WS);

    expect(summary.outcome).toBe("not-better");
    expect(summary.heldOut!.fitted.logLoss).toBeGreaterThan(summary.heldOut!.defaults.logLoss);
    expect(summary.fitted!.weights).toHaveLength(21);
    expect(await redis.client.hgetall(d.keys.workspaceSettings(WS))).toEqual({ version: "2" });
  });

  it("reports a workspace without a log and writes nothing", async () => {
    const prefix = uniquePrefix();
    const d = deps(prefix);
    const summary = await optimizeWorkspace(d, "slack:T0NOBODY");
    expect(summary.outcome).toBe("no-log");
    expect(await redis.client.exists(d.keys.workspaceSettings("slack:T0NOBODY"))).toBe(0);
  });
});

describe("reading the review log stream", () => {
  it("reads every entry in order across pages, using t for the time and the entry id when t is absent", async () => {
    const prefix = uniquePrefix();
    const key = new RedisKeys(prefix).reviewLog(WS);
    const entries: LogEntry[] = simulated.slice(0, 23);
    await writeReviewLog(redis.client, key, entries.slice(0, 10));
    await writeReviewLog(redis.client, key, entries.slice(10), { withTime: false });
    const pages: LogEntry[][] = [];
    const read = await readReviewLog(redis.client, key, (p) => pages.push(p), 7);
    expect(read).toBe(23);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 2]);
    expect(pages.flat()).toEqual([...entries].sort((a, b) => a.ms - b.ms));
  });
});
