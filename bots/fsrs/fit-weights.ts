/**
 * Fits FSRS weights with the official optimizer (fsrs-rs through
 * @open-spaced-repetition/binding). The binding trains on a libuv worker
 * thread (a napi AsyncTask), so the event loop keeps serving while it runs;
 * a deadline aborts it through the binding's progress callback.
 */
import { computeParameters, FSRSBindingItem, FSRSBindingReview } from "@open-spaced-repetition/binding";
import { checkParameters, default_relearning_steps, migrateParameters } from "ts-fsrs";
import type { CardHistory, ItemRef } from "../../core/fsrs/review-histories.js";

/** fsrs-rs drops training items longer than this (TrainingConfig::max_seq_len's default). */
const MAX_SEQ_LEN = 256;

export class FitTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the FSRS optimizer did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/** The optimizer's items: for each referenced review, the card's reviews up to and including it, in the items' order. */
export function toBindingItems(histories: readonly CardHistory[], items: readonly ItemRef[]): FSRSBindingItem[] {
  const perCard = new Map<number, FSRSBindingReview[]>();
  const out: FSRSBindingItem[] = [];
  for (const it of items) {
    if (it.index + 1 > MAX_SEQ_LEN) continue;
    let reviews = perCard.get(it.card);
    if (!reviews) {
      reviews = histories[it.card]!.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaT));
      perCard.set(it.card, reviews);
    }
    out.push(new FSRSBindingItem(reviews.slice(0, it.index + 1)));
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
  const trainSet = toBindingItems(histories, items);
  const deadline = Date.now() + opts.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FitTimeoutError(opts.timeoutMs)), opts.timeoutMs);
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
