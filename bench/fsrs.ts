/**
 * Scenario "fsrs": learners whose memory follows a known FSRS model
 * (TRUE_WEIGHTS, unlike the defaults) study for a few months while drillbot
 * schedules them with the defaults; their review log goes into a Redis stream
 * in the answer script's format, and the workspace fit runs as in production
 * (read in pages, fit on the earlier 80% with fsrs-rs, compare on the latest
 * 20%). Reported: log loss and RMSE (bins) on the held-out reviews of the
 * default, the tuned and the true weights (the floor), the fit's time and how
 * long the event loop was held meanwhile.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Redis } from "ioredis";
import { evaluateWeights, type Metrics } from "../core/fsrs/metrics.js";
import { buildHistories, reviewItems, splitByTime } from "../core/fsrs/review-histories.js";
import { simulateReviewLog, TRUE_WEIGHTS } from "../core/fsrs/simulate-learners.js";
import { HELD_OUT_SHARE, optimizeWorkspace } from "../bots/fsrs/optimize-workspace.js";
import { writeReviewLog } from "../bots/fsrs/write-review-log.js";
import { RedisKeys } from "../bots/redis/keys.js";
import { RedisProgressStore } from "../bots/redis/progress-store.js";

export interface FsrsBenchOptions {
  learners: number;
  days: number;
  seed?: number;
}

const round = (n: number, d = 4) => Number(n.toFixed(d));
const figures = (m: Metrics) => ({ logLoss: round(m.logLoss), rmse: round(m.rmse) });

export async function benchFsrs(url: string, opts: FsrsBenchOptions) {
  const workspace = "slack:TBENCH";
  const log = simulateReviewLog({ seed: opts.seed ?? 11, learners: opts.learners, days: opts.days, questions: 400, newPerSession: 5, start: "2026-01-05" });
  const redis = new Redis(url);
  try {
    const keys = new RedisKeys("bench:");
    await writeReviewLog(redis, keys.reviewLog(workspace), log);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    const summary = await optimizeWorkspace({ redis, keys, settings: new RedisProgressStore(redis, { prefix: "bench:" }), clock: { now: () => new Date() } }, workspace);
    const totalMs = performance.now() - started;
    loop.disable();
    if (!summary.heldOut || !summary.fitted) throw new Error(`the fit did not run: ${summary.outcome} ${summary.error ?? ""}`);
    // The floor: the weights the learners' memory really follows, on the same held-out reviews.
    const histories = buildHistories(log);
    const { heldOut } = splitByTime(reviewItems(histories), HELD_OUT_SHARE);
    const truth = evaluateWeights(histories, heldOut, TRUE_WEIGHTS);
    return {
      learners: opts.learners,
      days: opts.days,
      reviews: summary.reviews,
      cards: summary.cards,
      trainReviews: summary.trainItems,
      heldOutReviews: summary.heldOut.reviews,
      fitMs: Math.round(summary.fitMs ?? 0),
      totalMs: Math.round(totalMs),
      eventLoopMaxDelayMs: round(loop.max / 1e6, 1),
      eventLoopP99DelayMs: round(loop.percentile(99) / 1e6, 1),
      outcome: summary.outcome,
      heldOut: {
        defaults: figures({ reviews: 0, ...summary.heldOut.defaults }),
        tuned: figures({ reviews: 0, ...summary.heldOut.fitted }),
        true: figures(truth),
      },
    };
  } finally {
    redis.disconnect();
  }
}
