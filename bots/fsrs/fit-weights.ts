/**
 * Fits FSRS weights with the official optimizer (fsrs-rs through
 * @open-spaced-repetition/binding). The binding trains on a libuv worker
 * thread (a napi AsyncTask), so the event loop keeps serving while it runs;
 * its items are built in slices that yield in between. A deadline aborts it
 * through the binding's progress callback.
 */
import { setImmediate } from "node:timers/promises";
import { computeParameters, FSRSBindingItem, FSRSBindingReview } from "@open-spaced-repetition/binding";
import { checkParameters, default_relearning_steps, migrateParameters } from "ts-fsrs";
import type { CardHistory, ItemRef } from "../../core/fsrs/review-histories.js";

/** fsrs-rs drops training items longer than this (TrainingConfig::max_seq_len's default). */
const MAX_SEQ_LEN = 256;
const ITEMS_PER_SLICE = 2_000;

export class FitTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the FSRS optimizer did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/**
 * The optimizer's items: for each referenced review, the card's reviews up to
 * and including it, in the items' order. `cards` caches each card's reviews
 * across calls (fitWeights builds the items in slices).
 */
export function toBindingItems(histories: readonly CardHistory[], items: readonly ItemRef[], cards = new Map<number, FSRSBindingReview[]>()): FSRSBindingItem[] {
  const out: FSRSBindingItem[] = [];
  for (const it of items) {
    if (it.index + 1 > MAX_SEQ_LEN) continue;
    let reviews = cards.get(it.card);
    if (!reviews) {
      reviews = histories[it.card]!.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaT));
      cards.set(it.card, reviews);
    }
    out.push(new FSRSBindingItem(reviews.slice(0, it.index + 1)));
  }
  return out;
}

/** Builds the items a slice at a time, yielding to the event loop between slices (about 10 ms each). */
async function bindingItemsYielding(histories: readonly CardHistory[], items: readonly ItemRef[]): Promise<FSRSBindingItem[]> {
  const cards = new Map<number, FSRSBindingReview[]>();
  const out: FSRSBindingItem[] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_SLICE) {
    if (i > 0) await setImmediate();
    for (const item of toBindingItems(histories, items.slice(i, i + ITEMS_PER_SLICE), cards)) out.push(item);
  }
  return out;
}

/**
 * Weights as ts-fsrs will use them: FSRS-6's 21 values, clipped to ts-fsrs's
 * bounds for drillbot's relearning steps (what generatorParameters does when
 * the scheduler is built), so what is evaluated and stored is what schedules.
 */
export function asSchedulerWeights(raw: readonly number[]): number[] {
  const w = [...checkParameters(raw)];
  if (w.length !== 21) throw new Error(`the optimizer returned ${w.length} weights; ts-fsrs 5 schedules with FSRS-6's 21`);
  return migrateParameters(w, default_relearning_steps.length, true);
}

export interface FitOptions {
  timeoutMs: number;
}

/** Fits weights on the referenced reviews (sorted by time: fsrs-rs weights recent items more). */
export async function fitWeights(histories: readonly CardHistory[], items: readonly ItemRef[], opts: FitOptions): Promise<number[]> {
  const deadline = Date.now() + opts.timeoutMs;
  const trainSet = await bindingItemsYielding(histories, items);
  if (Date.now() >= deadline) throw new FitTimeoutError(opts.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FitTimeoutError(opts.timeoutMs)), deadline - Date.now());
    timer.unref();
  });
  const fit = computeParameters(trainSet, {
    enableShortTerm: true,
    numRelearningSteps: default_relearning_steps.length,
    // Polled every 100 ms; returning false asks fsrs-rs to stop.
    timeout: 100,
    progress: () => (Date.now() < deadline ? undefined : false),
  });
  fit.catch(() => undefined);
  try {
    return asSchedulerWeights(await Promise.race([fit, timedOut]));
  } finally {
    clearTimeout(timer);
  }
}
