/**
 * The optimizer binding: its items are the histories' reviews, its model's
 * predictions are the ones ts-fsrs (which schedules) makes, its weights are
 * stored in the form ts-fsrs uses, and a deadline stops it.
 */
import { computeParameters, FSRSBinding, type BindingMemoryState } from "@open-spaced-repetition/binding";
import { default_w } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { predict } from "../../../core/fsrs/metrics.js";
import { buildHistories, reviewItems } from "../../../core/fsrs/review-histories.js";
import { simulateReviewLog, TRUE_WEIGHTS } from "../../../core/fsrs/simulate-learners.js";
import { asSchedulerWeights, fitWeights, FitTimeoutError, toBindingItems } from "../../../bots/fsrs/fit-weights.js";

const log = simulateReviewLog({ seed: 3, learners: 4, days: 30, questions: 80, newPerSession: 4, start: "2026-01-05" });
const histories = buildHistories(log);
const items = reviewItems(histories);

describe("the optimizer binding", () => {
  it("gets one item per predicted review: the card's reviews up to it, same-day ones included", () => {
    const bindingItems = toBindingItems(histories, items);
    expect(bindingItems).toHaveLength(items.length);
    const k = items.findIndex((it) => histories[it.card]!.reviews.slice(1, it.index).some((r) => r.deltaT === 0));
    expect(k).toBeGreaterThanOrEqual(0);
    const it0 = items[k]!;
    expect(bindingItems[k]!.reviews.map((r) => [r.rating, r.deltaT])).toEqual(histories[it0.card]!.reviews.slice(0, it0.index + 1).map((r) => [r.rating, r.deltaT]));
  });

  it("fsrs-rs's memory states and ts-fsrs's give the same predicted recall, so the fit is what schedules", () => {
    const sample = items.filter((_, i) => i % 5 === 0).slice(0, 200);
    expect(sample.some((it) => histories[it.card]!.reviews.slice(1, it.index).some((r) => r.deltaT === 0))).toBe(true);
    for (const weights of [[...default_w], [...TRUE_WEIGHTS]]) {
      const rs = new FSRSBinding(weights);
      const decay = weights[20]!;
      const factor = Math.pow(0.9, -1 / decay) - 1;
      for (const it of sample) {
        const reviews = histories[it.card]!.reviews;
        // fsrs-rs's state after the earlier reviews (delta_t 0 = its short-term update), then FSRS-6's curve.
        let state: BindingMemoryState | null = null;
        for (const r of reviews.slice(0, it.index)) {
          const next = rs.nextStates(state, 0.9, r.deltaT);
          state = (r.rating === 1 ? next.again : next.good).memory;
        }
        const pRs = Math.pow(1 + (factor * reviews[it.index]!.deltaT) / state!.stability, -decay);
        const [ours] = predict(histories, [it], weights);
        expect(ours!.p).toBeCloseTo(pRs, 3);
      }
    }
  });

  it("returns FSRS-6's 21 weights, within ts-fsrs's bounds", async () => {
    const w = await fitWeights(histories, items, { timeoutMs: 60_000 });
    expect(w).toHaveLength(21);
    expect(asSchedulerWeights(w)).toEqual(w);
    expect(w).not.toEqual([...default_w]);
  });

  it("trains off the event loop: timers keep firing while fsrs-rs fits", async () => {
    const many = simulateReviewLog({ seed: 6, learners: 20, days: 50, questions: 300, newPerSession: 5, start: "2026-01-05" });
    const h = buildHistories(many);
    const trainSet = toBindingItems(h, reviewItems(h));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    try {
      await computeParameters(trainSet, { enableShortTerm: true, numRelearningSteps: 1 });
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(50);
    // Had the fit held the thread, no tick could have fired until it returned.
    expect(ticks).toBeGreaterThan(elapsed / 50);
  });

  it("stops at the deadline with a clear error", async () => {
    const big = simulateReviewLog({ seed: 4, learners: 12, days: 40, questions: 200, newPerSession: 5, start: "2026-01-05" });
    const h = buildHistories(big);
    await expect(fitWeights(h, reviewItems(h), { timeoutMs: 1 })).rejects.toBeInstanceOf(FitTimeoutError);
    await expect(fitWeights(h, reviewItems(h), { timeoutMs: 1 })).rejects.toThrow(/did not finish within/);
  });

  it("refuses weights of a length ts-fsrs 5 does not schedule with, and clips out-of-range ones", () => {
    expect(() => asSchedulerWeights(default_w.slice(0, 19))).toThrow(/21/);
    expect(() => asSchedulerWeights([1, 2, 3])).toThrow();
    const wild = [...default_w];
    wild[20] = 5; // decay above ts-fsrs's bound 0.8
    expect(asSchedulerWeights(wild)[20]).toBe(0.8);
  });
});
