/**
 * Fits FSRS weights on one workspace's review log and stores them when they
 * predict the held-out reviews at least as well as FSRS's defaults.
 *
 * Steps: read the log page by page; build per-card histories; below the
 * minimum log size keep the defaults (store nothing); otherwise split by time
 * (the latest 20% of predicted reviews held out), fit on the earlier part with
 * fsrs-rs, compare defaults and fitted weights on the held-out reviews, and
 * store the fitted ones (settings hash field `fsrs`, version + 1 in the same
 * MULTI) only if their held-out log loss is not worse than the defaults'.
 */
import type { Cluster, Redis } from "ioredis";
import { setImmediate } from "node:timers/promises";
import { logLoss, predict, rmseBins, type Metrics, type Prediction } from "../../core/fsrs/metrics.js";
import { HistoryBuilder, reviewCount, reviewItems, splitByTime, type CardHistory, type ItemRef } from "../../core/fsrs/review-histories.js";
import type { Clock, FittedParameters, ProgressStore } from "../../core/ports.js";
import type { RedisKeys } from "../redis/keys.js";
import { FitTimeoutError, fitWeights } from "./fit-weights.js";
import { readReviewLog } from "./read-review-log.js";

/**
 * The minimum log size. Anki, which runs the same optimizer (fsrs-rs), asked
 * for "at least 400 reviews" before optimizing (ftl/core/deck-config.ftl,
 * deck-config-must-have-400-reviews; rslib/src/scheduler/fsrs/params.rs: "Note
 * this does not return an error if there are less than 400 items - the caller
 * should instead check the fsrs_items count"). fsrs-rs itself returns its
 * defaults below 8 training items and fits only the initial stabilities below 64.
 */
export const MIN_REVIEWS = 400;
/** fsrs-rs's own floor (training.rs: `if train_set.len() < 8 { return DEFAULT_PARAMETERS }`). */
export const MIN_TRAIN_ITEMS = 8;
export const HELD_OUT_SHARE = 0.2;
export const FIT_TIMEOUT_MS = 120_000;
/** Held-out cards predicted between two yields to the event loop (a few ms of work). */
const CARDS_PER_SLICE = 500;

export type OptimizeOutcome = "no-log" | "below-threshold" | "too-few-spaced" | "stored" | "not-better" | "timeout" | "failed";

export interface OptimizeSummary {
  workspace: string;
  outcome: OptimizeOutcome;
  /** Usable reviews in the log, and entries left out as malformed. */
  reviews: number;
  skipped: number;
  cards: number;
  threshold: number;
  /** Predicted reviews (delta_t > 0) trained on and held out. */
  trainItems: number;
  heldOutItems: number;
  fitMs: number | null;
  heldOut: NonNullable<FittedParameters["heldOut"]> | null;
  /** The fitted parameters (stored only when outcome is "stored"). */
  fitted: FittedParameters | null;
  error?: string;
}

export interface OptimizeDeps {
  redis: Redis | Cluster;
  keys: RedisKeys;
  settings: Pick<ProgressStore, "saveWorkspaceSettings">;
  clock: Clock;
  timeoutMs?: number;
  minReviews?: number;
}

function trainedOn(histories: readonly CardHistory[], cutoffMs: number): { reviews: number; cards: number } {
  let reviews = 0;
  let cards = 0;
  for (const h of histories) {
    const n = h.reviews.filter((r) => r.ms < cutoffMs).length;
    reviews += n;
    if (n > 0) cards++;
  }
  return { reviews, cards };
}

/** evaluateWeights a few hundred cards at a time, yielding to the event loop in between. */
async function evaluateYielding(histories: readonly CardHistory[], items: readonly ItemRef[], weights: readonly number[] | null): Promise<Metrics> {
  const byCard = new Map<number, ItemRef[]>();
  for (const it of items) {
    const list = byCard.get(it.card);
    if (list) list.push(it);
    else byCard.set(it.card, [it]);
  }
  const groups = [...byCard.values()];
  const preds: Prediction[] = [];
  for (let i = 0; i < groups.length; i += CARDS_PER_SLICE) {
    if (i > 0) await setImmediate();
    for (const p of predict(histories, groups.slice(i, i + CARDS_PER_SLICE).flat(), weights)) preds.push(p);
  }
  return { reviews: preds.length, logLoss: logLoss(preds), rmse: rmseBins(preds) };
}

export async function optimizeWorkspace(deps: OptimizeDeps, workspace: string): Promise<OptimizeSummary> {
  const threshold = deps.minReviews ?? MIN_REVIEWS;
  const builder = new HistoryBuilder();
  const read = await readReviewLog(deps.redis, deps.keys.reviewLog(workspace), (page) => {
    for (const e of page) builder.add(e);
  });
  const histories = builder.histories();
  await setImmediate();
  const reviews = reviewCount(histories);
  const base: OptimizeSummary = {
    workspace,
    outcome: "no-log",
    reviews,
    skipped: builder.skipped,
    cards: histories.length,
    threshold,
    trainItems: 0,
    heldOutItems: 0,
    fitMs: null,
    heldOut: null,
    fitted: null,
  };
  if (read === 0) return base;
  if (reviews < threshold) return { ...base, outcome: "below-threshold" };
  const items = reviewItems(histories);
  await setImmediate();
  const split = splitByTime(items, HELD_OUT_SHARE);
  const sized = { ...base, trainItems: split.train.length, heldOutItems: split.heldOut.length };
  if (split.train.length < MIN_TRAIN_ITEMS || split.heldOut.length === 0 || split.cutoffMs === null) return { ...sized, outcome: "too-few-spaced" };

  const started = Date.now();
  let weights: number[];
  try {
    weights = await fitWeights(histories, split.train, { timeoutMs: deps.timeoutMs ?? FIT_TIMEOUT_MS });
  } catch (err) {
    const outcome = err instanceof FitTimeoutError ? "timeout" : "failed";
    return { ...sized, outcome, fitMs: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
  const fitMs = Date.now() - started;
  const defaults = await evaluateYielding(histories, split.heldOut, null);
  const fittedMetrics = await evaluateYielding(histories, split.heldOut, weights);
  const heldOut = {
    reviews: defaults.reviews,
    defaults: { logLoss: defaults.logLoss, rmse: defaults.rmse },
    fitted: { logLoss: fittedMetrics.logLoss, rmse: fittedMetrics.rmse },
  };
  const fitted: FittedParameters = { weights, fittedAt: deps.clock.now().toISOString(), ...trainedOn(histories, split.cutoffMs), heldOut };
  if (!(fittedMetrics.logLoss <= defaults.logLoss)) return { ...sized, outcome: "not-better", fitMs, heldOut, fitted };
  await deps.settings.saveWorkspaceSettings(workspace, { fsrs: fitted });
  return { ...sized, outcome: "stored", fitMs, heldOut, fitted };
}
