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

/**
 * The decoded card matches up to the stored rounding: dates to the second,
 * stability to 0.015%, difficulty to 0.0001 (the "c" form: 4 significant
 * digits and 0.001). The dense form does not keep elapsed_days (ts-fsrs
 * recomputes it) and derives scheduled_days from the dates, so for it those
 * are compared only when `derived` says the card came from ts-fsrs.
 */
function expectCloseCard(decoded: SrsCard, card: SrsCard, derived = true): void {
  expect(Math.abs(Date.parse(decoded.due) - Date.parse(card.due))).toBeLessThanOrEqual(500);
  if (card.last_review) expect(Math.abs(Date.parse(decoded.last_review!) - Date.parse(card.last_review))).toBeLessThanOrEqual(1000);
  else expect(decoded.last_review).toBeUndefined();
  expect(Math.abs(decoded.stability - card.stability)).toBeLessThanOrEqual(Math.abs(card.stability) * 5e-4 + 1e-12);
  expect(Math.abs(decoded.difficulty - card.difficulty)).toBeLessThanOrEqual(0.0005 + 1e-12);
  const ints = (c: SrsCard) => [c.learning_steps, c.reps, c.lapses, c.state];
  expect(ints(decoded)).toEqual(ints(card));
  if (derived) expect(decoded.scheduled_days).toBe(card.scheduled_days);
}

describe("compact card codec", () => {
  it("stores a reviewed card in about 21 bytes (Redis' listpack value limit is 64), a tenth of its JSON", () => {
    const { card } = cardAfter([{ correct: true, gapMinutes: 0 }, { correct: true, gapMinutes: 3 * 24 * 60 }]);
    const text = encodeCard(card);
    expect(text.startsWith("d")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(22);
    expect(JSON.stringify(card).length).toBeGreaterThan(9 * text.length);
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

  it("reads cards stored in the comma-separated form (the previous compact form), every field kept", () => {
    // Written by the previous drillbot for a card due 2026-03-09 12:00 after two right answers.
    expect(decodeCard("ctbms00,13.83,1mn,3,e,0,2,0,2,pxc0")).toEqual({
      due: "2026-03-09T12:00:00.000Z",
      stability: 13.83,
      difficulty: 2.111,
      elapsed_days: 3,
      scheduled_days: 14,
      learning_steps: 0,
      reps: 2,
      lapses: 0,
      state: 2,
      last_review: "2026-02-23T12:00:00.000Z",
    });
    expect(dueMsOf("ctbms00,13.83,1mn,3,e,0,2,0,2,pxc0")).toBe(Date.parse("2026-03-09T12:00:00Z"));
  });

  it("reads a JSON card from before ts-fsrs 5 (no learning_steps) at step 0, and stores it densely", () => {
    const { learning_steps: _, ...old } = cardAfter([{ correct: true, gapMinutes: 0 }]).card;
    const read = decodeCard(JSON.stringify(old))!;
    expect(read.learning_steps).toBe(0);
    expect(encodeCard(read).startsWith("d")).toBe(true);
  });

  it("refuses text that is not a card instead of making one up", () => {
    for (const bad of ["", "garbage", "c1,2,3", "c!yz,1,5,0,0,0,1,0,1,", "c1,,5,0,0,0,1,0,1,", "{not json", "null", '{"stability":1}', "c1,a,5,0,0,0,1,0,1,", "d", "dBejL0VrI59uW02", "dBejL0Vr!59uW02004dK0", "dBejL0VrI59uW02004dK0+", "dBejL0VrI59uW02004dK0123456789"]) {
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
    for (const bad of [null, "", "x1,2", "c", "czz!,1", "{not json", "d", "dBej", "dBe!L0VrI59uW02004dK0"]) expect(dueMsOf(bad)).toBeNull();
  });

  it("takes the dense form exactly for dues that round to a second from 2020-01-01 to 64^5 seconds later", () => {
    const base: SrsCard = { due: "", stability: 1, difficulty: 5, elapsed_days: 0, scheduled_days: 0, learning_steps: 0, reps: 0, lapses: 0, state: 0 };
    const form = (ms: number) => encodeCard({ ...base, due: new Date(ms).toISOString() })[0];
    const start = Date.UTC(2020, 0, 1);
    const end = start + 64 ** 5 * 1000; // 2054-01-09T13:37:04Z
    expect([form(start - 501), form(start - 500), form(start), form(Date.UTC(2054, 0, 5)), form(end - 1000), form(end)]).toEqual(["c", "d", "d", "d", "d", "c"]);
  });

  it("round-trips arbitrary field values, and encoding is stable once rounded", () => {
    const cards = fc.record({
      dueMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      lastBeforeMs: fc.option(fc.integer({ min: -DAY, max: 400 * DAY }), { nil: undefined }),
      stability: fc.double({ min: 0.001, max: 100_000, noNaN: true }),
      difficulty: fc.double({ min: 1, max: 10, noNaN: true }),
      ints: fc.array(fc.oneof(fc.nat({ max: 20 }), fc.nat({ max: 100_000 })), { minLength: 6, maxLength: 6 }),
    });
    fc.assert(
      fc.property(cards, ({ dueMs, lastBeforeMs, stability, difficulty, ints }) => {
        const [elapsed_days, scheduled_days, learning_steps, reps, lapses, state] = ints as [number, number, number, number, number, number];
        const card: SrsCard = { due: new Date(dueMs).toISOString(), stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state };
        if (lastBeforeMs !== undefined) card.last_review = new Date(dueMs - lastBeforeMs).toISOString();
        const text = encodeCard(card);
        // The dense form when every field fits it (2020 to 64^5 s later, early 2054, up to 4095 reps and lapses, 15 steps, 4 states, last review not after due); the wide form otherwise.
        // Judged on whole seconds, as the codec rounds them (23:59:59.5 on 2019-12-31 is 2020-01-01 00:00:00).
        const dueS = Math.round(dueMs / 1000);
        const lastOffsetS = lastBeforeMs === undefined ? 0 : dueS - Math.round((dueMs - lastBeforeMs) / 1000);
        const sinceEpoch = dueS - Date.UTC(2020, 0, 1) / 1000;
        const fits = sinceEpoch >= 0 && sinceEpoch < 64 ** 5 && reps < 4096 && lapses < 4096 && learning_steps < 16 && state < 4 && lastOffsetS >= 0;
        expect(text[0]).toBe(fits ? "d" : "c");
        const decoded = decodeCard(text)!;
        expectCloseCard(decoded, card, false);
        if (!fits) expect([decoded.elapsed_days, decoded.scheduled_days]).toEqual([elapsed_days, scheduled_days]);
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
