import { default_w } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { evaluateWeights, logLoss, predict, rMatrixBin, rmseBins, type Prediction } from "../../../core/fsrs/metrics.js";
import type { CardHistory } from "../../../core/fsrs/review-histories.js";

const w = default_w;
/** FSRS-6's forgetting curve, written out: R(t, S) = (1 + factor * t / S)^-decay with R(S, S) = 0.9. */
function curve(t: number, s: number, decay = w[20]!): number {
  const factor = Math.pow(0.9, -1 / decay) - 1;
  return Math.pow(1 + (factor * t) / s, -decay);
}
const card = (reviews: [number, number][]): CardHistory => ({ learner: "ann", question: "q", reviews: reviews.map(([rating, deltaT], i) => ({ rating, deltaT, ms: i })) });

describe("log loss and RMSE (bins)", () => {
  it("log loss is the mean negative log-likelihood of the outcomes", () => {
    const preds: Prediction[] = [
      { p: 0.9, y: 1, bin: "a" },
      { p: 0.9, y: 0, bin: "a" },
      { p: 0.5, y: 1, bin: "b" },
    ];
    expect(logLoss(preds)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.1) + Math.log(0.5)) / 3, 12);
  });

  it("log loss stays finite for a certain prediction that is wrong", () => {
    expect(Number.isFinite(logLoss([{ p: 1, y: 0, bin: "a" }]))).toBe(true);
  });

  it("RMSE (bins) compares each bin's mean prediction with its recall rate, weighted by the bin's size", () => {
    const preds: Prediction[] = [
      // bin a: mean p 0.8, recalled 1/2 -> error 0.3, 2 reviews
      { p: 0.7, y: 1, bin: "a" },
      { p: 0.9, y: 0, bin: "a" },
      // bin b: mean p 0.6, recalled 1 -> error 0.4, 1 review
      { p: 0.6, y: 1, bin: "b" },
    ];
    expect(rmseBins(preds)).toBeCloseTo(Math.sqrt((2 * 0.3 ** 2 + 0.4 ** 2) / 3), 12);
  });

  it("RMSE (bins) is 0 when every bin's mean prediction equals its recall rate", () => {
    expect(rmseBins([{ p: 0.5, y: 1, bin: "a" }, { p: 0.5, y: 0, bin: "a" }, { p: 1, y: 1, bin: "b" }])).toBe(0);
  });

  it("bins reviews as fsrs-rs's r_matrix_index does", () => {
    expect(rMatrixBin(1, 0, 0)).toBe("248/2/0");
    expect(rMatrixBin(4, 1, 0)).toBe("898/4/0");
    // 2.48 * 3.62^2 * 100 = 3249.9; 1.99 * 1.89^2 = 7.1; 1.65
    expect(rMatrixBin(30, 3, 1)).toBe("3250/7/2");
  });
});

describe("predictions from ts-fsrs's model", () => {
  it("predict the second review from the first review's initial stability", () => {
    const [p] = predict([card([[3, 0], [3, 3]])], [{ card: 0, index: 1, ms: 1 }], null);
    expect(p!.p).toBeCloseTo(curve(3, w[2]!), 6);
    expect(p!.y).toBe(1);
  });

  it("a same-day review changes the stability with the short-term formula before the next day's prediction", () => {
    const [p] = predict([card([[3, 0], [1, 0], [1, 2]])], [{ card: 0, index: 2, ms: 2 }], null);
    const s0 = w[2]!;
    // S' = S * S^-w19 * e^(w17 * (G - 3 + w18)), G = 1 (Again)
    const s1 = s0 * Math.pow(s0, -w[19]!) * Math.exp(w[17]! * (1 - 3 + w[18]!));
    expect(p!.p).toBeCloseTo(curve(2, s1), 6);
    expect(p!.y).toBe(0);
  });

  it("predicts only the referenced reviews that come a day or more after an earlier one", () => {
    const h = [card([[3, 0], [3, 0], [3, 1], [1, 4]])];
    const preds = predict(h, [{ card: 0, index: 1, ms: 1 }, { card: 0, index: 3, ms: 3 }], null);
    expect(preds).toHaveLength(1);
    expect(preds[0]!.y).toBe(0);
  });

  it("a recall curve that is flatter predicts higher recall long after the review", () => {
    const h = [card([[3, 0], [3, 30]])];
    const flat = [...w];
    flat[20] = 0.1;
    const steep = [...w];
    steep[20] = 0.8;
    const [pFlat] = predict(h, [{ card: 0, index: 1, ms: 1 }], flat);
    const [pSteep] = predict(h, [{ card: 0, index: 1, ms: 1 }], steep);
    expect(pFlat!.p).toBeGreaterThan(pSteep!.p);
    expect(pFlat!.p).toBeCloseTo(curve(30, w[2]!, 0.1), 6);
  });

  it("evaluates to the log loss and RMSE of its predictions", () => {
    const h = [card([[3, 0], [3, 2], [1, 5]]), card([[1, 0], [3, 1]])];
    const items = [
      { card: 0, index: 1, ms: 1 },
      { card: 0, index: 2, ms: 2 },
      { card: 1, index: 1, ms: 1 },
    ];
    const preds = predict(h, items, null);
    expect(evaluateWeights(h, items, null)).toEqual({ reviews: 3, logLoss: logLoss(preds), rmse: rmseBins(preds) });
  });
});
