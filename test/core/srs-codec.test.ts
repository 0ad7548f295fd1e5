import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCard, dueMsOf, encodeCard, roundCard } from "../../core/srs-codec.js";
import { newCard, review, type SrsCard } from "../../core/srs.js";

const start = new Date("2026-05-04T09:00:00.123Z");
const DAY = 86_400_000;

/** A card as ts-fsrs leaves it after a run of answers, each `gaps[i]` minutes after the last. */
function cardAfter(answers: { correct: boolean; gapMinutes: number }[]): { card: SrsCard; at: Date } {
  let card = newCard(start);
  let at = start;
  for (const a of answers) {
    at = new Date(at.getTime() + a.gapMinutes * 60_000 + 417);
    card = review(card, at, a.correct);
  }
  return { card, at };
}

const histories = fc.array(fc.record({ correct: fc.boolean(), gapMinutes: fc.integer({ min: 0, max: 200 * 24 * 60 }) }), { minLength: 0, maxLength: 25 });

function expectCloseCard(decoded: SrsCard, card: SrsCard): void {
  expect(Math.abs(Date.parse(decoded.due) - Date.parse(card.due))).toBeLessThanOrEqual(500);
  if (card.last_review) expect(Math.abs(Date.parse(decoded.last_review!) - Date.parse(card.last_review))).toBeLessThanOrEqual(1000);
  else expect(decoded.last_review).toBeUndefined();
  expect(Math.abs(decoded.stability - card.stability)).toBeLessThanOrEqual(Math.abs(card.stability) * 5e-4 + 1e-12);
  expect(Math.abs(decoded.difficulty - card.difficulty)).toBeLessThanOrEqual(0.0005 + 1e-12);
  const ints = (c: SrsCard) => [c.elapsed_days, c.scheduled_days, c.learning_steps, c.reps, c.lapses, c.state];
  expect(ints(decoded)).toEqual(ints(card));
}

describe("compact card codec", () => {
  it("stores a reviewed card in well under 64 bytes (Redis' listpack value limit), a tenth of its JSON", () => {
    const { card } = cardAfter([{ correct: true, gapMinutes: 0 }, { correct: true, gapMinutes: 3 * 24 * 60 }]);
    const text = encodeCard(card);
    expect(text.length).toBeLessThan(48);
    expect(JSON.stringify(card).length).toBeGreaterThan(4 * text.length);
    expectCloseCard(decodeCard(text)!, card);
  });

  it("a new card (no last review) round-trips without inventing one", () => {
    const card = newCard(start);
    const decoded = decodeCard(encodeCard(card))!;
    expect(decoded.last_review).toBeUndefined();
    expectCloseCard(decoded, card);
  });

  it("reads cards stored as JSON (the old form) unchanged", () => {
    const { card } = cardAfter([{ correct: false, gapMinutes: 0 }]);
    expect(decodeCard(JSON.stringify(card))).toEqual(card);
  });

  it("refuses text that is not a card instead of making one up", () => {
    for (const bad of ["", "garbage", "c1,2,3", "c!yz,1,5,0,0,0,1,0,1,", "c1,,5,0,0,0,1,0,1,", "{not json", "null", '{"stability":1}', "c1,a,5,0,0,0,1,0,1,"]) {
      expect(decodeCard(bad)).toBeNull();
    }
    expect(decodeCard(null)).toBeNull();
  });

  it("round-trips any ts-fsrs card up to the stated rounding (seconds, 4 significant digits, 0.001)", () => {
    fc.assert(
      fc.property(histories, (answers) => {
        const { card } = cardAfter(answers);
        expectCloseCard(decodeCard(encodeCard(card))!, card);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a stored card's due time alone exactly as a full decode does, for the compact and the old JSON form", () => {
    fc.assert(
      fc.property(histories, (answers) => {
        const { card } = cardAfter(answers);
        const stored = encodeCard(card);
        expect(dueMsOf(stored)).toBe(Date.parse(decodeCard(stored)!.due));
        expect(dueMsOf(JSON.stringify(card))).toBe(Date.parse(card.due));
      }),
      { numRuns: 200 },
    );
    for (const bad of [null, "", "x1,2", "c", "czz!,1", "{not json"]) expect(dueMsOf(bad)).toBeNull();
  });

  it("round-trips arbitrary field values, and encoding is stable once rounded", () => {
    const cards = fc.record({
      dueMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      lastBeforeMs: fc.option(fc.integer({ min: -DAY, max: 400 * DAY }), { nil: undefined }),
      stability: fc.double({ min: 0.001, max: 100_000, noNaN: true }),
      difficulty: fc.double({ min: 1, max: 10, noNaN: true }),
      ints: fc.array(fc.nat({ max: 100_000 }), { minLength: 6, maxLength: 6 }),
    });
    fc.assert(
      fc.property(cards, ({ dueMs, lastBeforeMs, stability, difficulty, ints }) => {
        const [elapsed_days, scheduled_days, learning_steps, reps, lapses, state] = ints as [number, number, number, number, number, number];
        const card: SrsCard = { due: new Date(dueMs).toISOString(), stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state };
        if (lastBeforeMs !== undefined) card.last_review = new Date(dueMs - lastBeforeMs).toISOString();
        const text = encodeCard(card);
        expect(text.startsWith("c")).toBe(true);
        expectCloseCard(decodeCard(text)!, card);
        expect(encodeCard(roundCard(card))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("schedules the next review from a decoded card as from the original (within a day, or 2% of the interval)", () => {
    fc.assert(
      fc.property(histories, fc.boolean(), fc.integer({ min: 0, max: 300 * 24 * 60 }), (answers, correct, waitMinutes) => {
        const { card, at } = cardAfter(answers);
        const when = new Date(Math.max(at.getTime(), Date.parse(card.due)) + waitMinutes * 60_000);
        const fromOriginal = review(card, when, correct);
        const fromDecoded = review(decodeCard(encodeCard(card))!, when, correct);
        const interval = Date.parse(fromOriginal.due) - when.getTime();
        const delta = Math.abs(Date.parse(fromDecoded.due) - Date.parse(fromOriginal.due));
        expect(delta).toBeLessThanOrEqual(1000 + Math.max(interval * 0.02, interval >= DAY ? DAY : 0));
        expect(fromDecoded.state).toBe(fromOriginal.state);
        expect(Math.abs(fromDecoded.stability - fromOriginal.stability)).toBeLessThanOrEqual(fromOriginal.stability * 0.01);
      }),
      { numRuns: 300 },
    );
  });
});
