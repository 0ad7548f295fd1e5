import { describe, expect, it } from "vitest";
import { dueOrder, newCard, review } from "../../core/srs.js";
import { isoWeek, normalizeZone } from "../../core/time.js";
import { pointsFor } from "../../core/points.js";

const now = new Date("2026-05-04T09:00:00Z");

describe("spaced repetition (FSRS)", () => {
  it("a wrong answer brings the card back sooner than a right one", () => {
    const right = review(null, now, true);
    const wrong = review(null, now, false);
    expect(Date.parse(wrong.due)).toBeLessThan(Date.parse(right.due));
    expect(right.reps).toBe(1);
  });

  it("repeated right answers space the reviews further apart", () => {
    let card = review(null, now, true);
    const gaps: number[] = [];
    let t = now;
    for (let i = 0; i < 5; i++) {
      t = new Date(card.due);
      const next = review(card, t, true);
      gaps.push(Date.parse(next.due) - t.getTime());
      card = next;
    }
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
  });

  it("a lapse after learning counts in the card", () => {
    let card = review(null, now, true);
    card = review(card, new Date(card.due), true);
    card = review(card, new Date(Date.parse(card.due) + 86_400_000), false);
    expect(card.lapses).toBe(1);
  });

  it("the due queue lists only due cards, most overdue first", () => {
    const order = dueOrder(
      [
        { questionId: "later", dueMs: now.getTime() + 1 },
        { questionId: "b", dueMs: now.getTime() - 1000 },
        { questionId: "a", dueMs: now.getTime() - 5000 },
        { questionId: "exact", dueMs: now.getTime() },
      ],
      now,
    );
    expect(order).toEqual(["a", "b", "exact"]);
  });

  it("a new card is due immediately", () => {
    expect(newCard(now).due).toBe(now.toISOString());
  });
});

describe("calendar helpers", () => {
  it("ISO weeks follow the ISO week-numbering year", () => {
    expect(isoWeek("2026-12-31")).toBe("2026-W53");
    expect(isoWeek("2027-01-03")).toBe("2026-W53");
    expect(isoWeek("2027-01-04")).toBe("2027-W01");
    expect(isoWeek("2026-11-23")).toBe("2026-W48");
  });

  it("zone names are checked and spelled canonically", () => {
    expect(normalizeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(normalizeZone("Mars/Olympus")).toBeNull();
    expect(normalizeZone("")).toBeNull();
  });
});

describe("points", () => {
  it("harder questions are worth more and a streak adds a small capped bonus", () => {
    expect(pointsFor(true, "intro", 0)).toBe(10);
    expect(pointsFor(true, "mastery", 0)).toBeGreaterThan(pointsFor(true, "advanced", 0));
    expect(pointsFor(true, "intro", 3)).toBe(13);
    expect(pointsFor(true, "intro", 300)).toBe(15);
    expect(pointsFor(false, "mastery", 30)).toBe(0);
  });
});
