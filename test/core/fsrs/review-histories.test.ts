import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { buildHistories, dayNumber, HistoryBuilder, reviewItems, splitByTime, type LogEntry } from "../../../core/fsrs/review-histories.js";

const at = (iso: string) => Date.parse(iso);
/** An entry answered at `iso` by a learner living in `zone`. */
function entry(learner: string, question: string, rating: number, iso: string, zone: string): LogEntry {
  const ms = at(iso);
  return { learner, question, rating, date: DateTime.fromMillis(ms, { zone }).toISODate()!, ms };
}

describe("review histories from the log", () => {
  it("count delta_t in the learner's local days, not in UTC days or hours", () => {
    const h = buildHistories([
      // Tokyo (UTC+9): 23:30 and 00:30 local are one local day apart, though one hour apart.
      entry("ann", "q1", 3, "2026-03-02T14:30:00Z", "Asia/Tokyo"),
      entry("ann", "q1", 3, "2026-03-02T15:30:00Z", "Asia/Tokyo"),
      // New York: 00:10 and 23:50 local on the same day are 0 days apart, though almost 24 hours apart.
      entry("bob", "q1", 3, "2026-03-02T05:10:00Z", "America/New_York"),
      entry("bob", "q1", 1, "2026-03-03T04:50:00Z", "America/New_York"),
    ]);
    const ann = h.find((c) => c.learner === "ann")!;
    const bob = h.find((c) => c.learner === "bob")!;
    expect(ann.reviews.map((r) => r.deltaT)).toEqual([0, 1]);
    expect(bob.reviews.map((r) => r.deltaT)).toEqual([0, 0]);
  });

  it("keep same-day reviews in the history with delta_t 0 but predict only reviews a day or more later", () => {
    const z = "UTC";
    const h = buildHistories([
      entry("ann", "q1", 3, "2026-03-02T08:00:00Z", z),
      entry("ann", "q1", 1, "2026-03-02T08:10:00Z", z),
      entry("ann", "q1", 3, "2026-03-02T20:00:00Z", z),
      entry("ann", "q1", 3, "2026-03-05T09:00:00Z", z),
      entry("ann", "q1", 3, "2026-03-05T09:30:00Z", z),
    ]);
    expect(h[0]!.reviews.map((r) => [r.rating, r.deltaT])).toEqual([
      [3, 0],
      [1, 0],
      [3, 0],
      [3, 3],
      [3, 0],
    ]);
    const items = reviewItems(h);
    expect(items.map((i) => i.index)).toEqual([3]);
  });

  it("sort each card's reviews by time whatever the log order, with one card per learner and question", () => {
    const z = "Europe/Berlin";
    const h = buildHistories([
      entry("ann", "q1", 3, "2026-03-10T10:00:00Z", z),
      entry("bob", "q1", 1, "2026-03-01T10:00:00Z", z),
      entry("ann", "q1", 1, "2026-03-01T10:00:00Z", z),
      entry("ann", "q2", 3, "2026-03-04T10:00:00Z", z),
      entry("ann", "q1", 3, "2026-03-04T10:00:00Z", z),
    ]);
    expect(h).toHaveLength(3);
    const annQ1 = h.find((c) => c.learner === "ann" && c.question === "q1")!;
    expect(annQ1.reviews.map((r) => [r.rating, r.deltaT])).toEqual([
      [1, 0],
      [3, 3],
      [3, 6],
    ]);
    const items = reviewItems(h);
    expect(items.map((i) => i.ms)).toEqual([...items.map((i) => i.ms)].sort((a, b) => a - b));
    expect(items).toHaveLength(2);
  });

  it("keep the log order for reviews at the same instant", () => {
    const ms = at("2026-03-02T08:00:00Z");
    const h = buildHistories([
      { learner: "ann", question: "q1", rating: 1, date: "2026-03-02", ms },
      { learner: "ann", question: "q1", rating: 3, date: "2026-03-02", ms },
    ]);
    expect(h[0]!.reviews.map((r) => r.rating)).toEqual([1, 3]);
  });

  it("count a local date that goes backwards (a move to a zone behind) as 0 days", () => {
    const h = buildHistories([
      { learner: "ann", question: "q1", rating: 3, date: "2026-03-03", ms: at("2026-03-02T20:00:00Z") },
      { learner: "ann", question: "q1", rating: 3, date: "2026-03-02", ms: at("2026-03-02T22:00:00Z") },
      { learner: "ann", question: "q1", rating: 3, date: "2026-03-05", ms: at("2026-03-05T10:00:00Z") },
    ]);
    expect(h[0]!.reviews.map((r) => r.deltaT)).toEqual([0, 0, 3]);
  });

  it("leave out and count malformed entries (rating, date, time, ids)", () => {
    const b = new HistoryBuilder();
    const good = { learner: "ann", question: "q1", rating: 3, date: "2026-03-02", ms: 1 };
    for (const bad of [
      { ...good, rating: 0 },
      { ...good, rating: 5 },
      { ...good, rating: Number.NaN },
      { ...good, date: "2026-02-30" },
      { ...good, date: "02/03/2026" },
      { ...good, ms: Number.NaN },
      { ...good, learner: "" },
      { ...good, question: "" },
    ]) {
      b.add(bad);
    }
    b.add(good);
    expect(b.skipped).toBe(8);
    expect(b.histories()).toEqual([{ learner: "ann", question: "q1", reviews: [{ rating: 3, deltaT: 0, ms: 1 }] }]);
  });

  it("read calendar dates exactly, leap days included", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2024-03-01")! - dayNumber("2024-02-28")!).toBe(2);
    expect(dayNumber("2025-03-01")! - dayNumber("2025-02-28")!).toBe(1);
    expect(dayNumber("2025-02-29")).toBeNull();
  });

  it("sum of delta_t over a card is the local days between its first and last review, in any zone, across DST", () => {
    const zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: 0, max: 200 * 24 * 60 }), { minLength: 1, maxLength: 40 }),
        (zone, minutes) => {
          const base = at("2026-01-01T00:00:00Z");
          const entries = minutes.map((m, i) => {
            const ms = base + m * 60_000;
            return { learner: "ann", question: "q", rating: i % 3 === 0 ? 1 : 3, date: DateTime.fromMillis(ms, { zone }).toISODate()!, ms };
          });
          const [card] = buildHistories(entries);
          const sorted = [...entries].sort((a, b) => a.ms - b.ms);
          const span = dayNumber(sorted[sorted.length - 1]!.date)! - dayNumber(sorted[0]!.date)!;
          expect(card!.reviews.reduce((s, r) => s + r.deltaT, 0)).toBe(span);
          expect(card!.reviews.every((r, i) => (i === 0 ? r.deltaT === 0 : r.deltaT >= 0))).toBe(true);
        },
      ),
    );
  });
});

describe("the time split", () => {
  const items = Array.from({ length: 10 }, (_, k) => ({ card: k % 3, index: 1 + Math.floor(k / 3), ms: 1000 + k * 10 }));

  it("holds out the latest share and trains on everything before it", () => {
    const s = splitByTime(items, 0.2);
    expect(s.heldOut.map((i) => i.ms)).toEqual([1080, 1090]);
    expect(s.train).toHaveLength(8);
    expect(Math.max(...s.train.map((i) => i.ms))).toBeLessThan(s.cutoffMs!);
    expect(s.cutoffMs).toBe(1080);
  });

  it("puts every review at the cutoff instant in the held-out part", () => {
    const tied = items.map((i) => (i.ms >= 1070 ? { ...i, ms: 1070 } : i));
    const s = splitByTime(tied, 0.2);
    expect(s.heldOut).toHaveLength(3);
    expect(s.train.every((i) => i.ms < 1070)).toBe(true);
  });

  it("holds out nothing from an empty list", () => {
    expect(splitByTime([], 0.2)).toEqual({ train: [], heldOut: [], cutoffMs: null });
  });
});
