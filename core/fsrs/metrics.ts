/**
 * How well FSRS weights predict recall on given reviews: log loss and
 * RMSE (bins), as FSRS's own evaluation defines them (fsrs-rs `evaluate`),
 * with every review weighted equally (fsrs-rs also weights by recency when it
 * evaluates on the training data; held-out reviews need no such weighting).
 *
 * The prediction for a review is the retrievability ts-fsrs's forgetting curve
 * gives after its delta_t days, from the memory state that ts-fsrs's state
 * updates reach over the card's earlier reviews (same-day reviews included,
 * with the short-term formula): the same arithmetic that schedules the cards.
 */
import { FSRSAlgorithm, generatorParameters, type FSRSState } from "ts-fsrs";
import type { CardHistory, ItemRef } from "./review-histories.js";

export interface Prediction {
  /** Predicted probability of recall. */
  p: number;
  /** 1 when recalled (rating > 1), else 0. */
  y: 0 | 1;
  /** FSRS's R-matrix bin of the review (delta_t, review count, lapses). */
  bin: string;
}

export interface Metrics {
  reviews: number;
  logLoss: number;
  rmse: number;
}

/** The ts-fsrs algorithm for `weights` (null: defaults), with the same parameter handling as the scheduler. */
export function algorithmFor(weights: readonly number[] | null): FSRSAlgorithm {
  return new FSRSAlgorithm(generatorParameters(weights ? { w: [...weights] } : {}));
}

/**
 * fsrs-rs's `r_matrix_index`: delta_t, the number of long-term reviews
 * (delta_t > 0) so far plus one, and the lapses among them, each binned on a
 * log scale.
 */
export function rMatrixBin(deltaT: number, longTermReviews: number, lapses: number): string {
  const tBin = Math.round(2.48 * Math.pow(3.62, Math.floor(Math.log(deltaT) / Math.log(3.62))) * 100);
  const length = longTermReviews + 1;
  const lengthBin = Math.round(1.99 * Math.pow(1.89, Math.floor(Math.log(length) / Math.log(1.89))));
  const lapseBin = lapses === 0 ? 0 : Math.round(1.65 * Math.pow(1.73, Math.floor(Math.log(lapses) / Math.log(1.73))));
  return `${tBin}/${lengthBin}/${lapseBin}`;
}

/** Predictions for the referenced reviews (each needs an earlier review of its card and delta_t > 0). */
export function predict(histories: readonly CardHistory[], items: readonly ItemRef[], weights: readonly number[] | null): Prediction[] {
  const algo = algorithmFor(weights);
  const wanted = new Map<number, Set<number>>();
  for (const it of items) {
    let s = wanted.get(it.card);
    if (!s) wanted.set(it.card, (s = new Set()));
    s.add(it.index);
  }
  const out: Prediction[] = [];
  for (const [card, indexes] of wanted) {
    const reviews = histories[card]!.reviews;
    const last = Math.max(...indexes);
    let state: FSRSState | null = null;
    let longTerm = 0;
    let lapses = 0;
    for (let i = 0; i <= last; i++) {
      const r = reviews[i]!;
      if (indexes.has(i) && state && r.deltaT > 0) {
        out.push({ p: algo.forgetting_curve(r.deltaT, state.stability), y: r.rating > 1 ? 1 : 0, bin: rMatrixBin(r.deltaT, longTerm, lapses) });
      }
      if (r.deltaT > 0) {
        longTerm++;
        if (r.rating === 1) lapses++;
      }
      state = algo.next_state(state, r.deltaT, r.rating);
    }
  }
  return out;
}

const EPS = 1e-7;

/** Mean binary cross-entropy of the predictions (natural log). */
export function logLoss(preds: readonly Prediction[]): number {
  if (preds.length === 0) return NaN;
  let sum = 0;
  for (const { p, y } of preds) {
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    sum += y ? Math.log(q) : Math.log(1 - q);
  }
  return -sum / preds.length;
}

/**
 * RMSE (bins): reviews grouped by R-matrix bin; in each bin the mean predicted
 * and the observed recall rate; the square root of the count-weighted mean of
 * their squared differences.
 */
export function rmseBins(preds: readonly Prediction[]): number {
  if (preds.length === 0) return NaN;
  const bins = new Map<string, { p: number; y: number; n: number }>();
  for (const { p, y, bin } of preds) {
    const b = bins.get(bin) ?? { p: 0, y: 0, n: 0 };
    b.p += p;
    b.y += y;
    b.n += 1;
    bins.set(bin, b);
  }
  let sum = 0;
  for (const b of bins.values()) sum += b.n * (b.p / b.n - b.y / b.n) ** 2;
  return Math.sqrt(sum / preds.length);
}

/** Log loss and RMSE (bins) of `weights` on the referenced reviews. */
export function evaluateWeights(histories: readonly CardHistory[], items: readonly ItemRef[], weights: readonly number[] | null): Metrics {
  const preds = predict(histories, items, weights);
  return { reviews: preds.length, logLoss: logLoss(preds), rmse: rmseBins(preds) };
}
