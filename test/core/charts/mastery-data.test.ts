import { describe, expect, it } from "vitest";
import {
  cardStanding,
  learnerMastery,
  masteryByLesson,
  masteryTotals,
  retrievability,
  wholePercents,
  type LessonQuestions,
} from "../../../core/charts/mastery-data.js";
import { newCard, review, type SrsCard } from "../../../core/srs.js";

const now = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

/** A card in review state with a known stability, last reviewed `daysAgo` days before `now`. */
function reviewed(stability: number, daysAgo: number): SrsCard {
  const last = new Date(now.getTime() - daysAgo * DAY);
  return {
    due: new Date(last.getTime() + stability * DAY).toISOString(),
    stability,
    difficulty: 5,
    elapsed_days: 0,
    scheduled_days: stability,
    learning_steps: 0,
    reps: 3,
    lapses: 0,
    state: 2,
    last_review: last.toISOString(),
  };
}

const lessons: LessonQuestions[] = [
  { id: "indexes", title: "Indexes that fit the query", questionIds: ["i1", "i2", "i3", "i4"] },
  { id: "replicas", title: "Read replicas", questionIds: ["r1", "r2"] },
];

describe("mastery by lesson", () => {
  it("a card still in its learning or relearning steps is seen, not mastered, though it was reviewed minutes ago", () => {
    const learning = review(null, new Date(now.getTime() - 60_000), true);
    expect(learning.state).toBe(1);
    expect(retrievability(learning, now)).toBeGreaterThan(0.9);
    expect(cardStanding(learning, now)).toBe("seen");
    const forgotten = review(reviewed(10, 3), new Date(now.getTime() - 60_000), false);
    expect(forgotten.state).toBe(3);
    expect(cardStanding(forgotten, now)).toBe("seen");
    expect(cardStanding(reviewed(10, 3), now)).toBe("mastered");
  });

  it("retrievability comes from ts-fsrs: 90% when the time since review equals the stability, less after", () => {
    expect(retrievability(reviewed(10, 10), now)).toBeCloseTo(0.9, 6);
    expect(retrievability(reviewed(10, 3), now)).toBeGreaterThan(0.9);
    expect(retrievability(reviewed(10, 30), now)).toBeLessThan(0.85);
    expect(retrievability(newCard(now), now)).toBe(0);
  });

  it("a card is mastered while its retrievability is at least 90%, and only seen once it falls below", () => {
    expect(cardStanding(reviewed(10, 9), now)).toBe("mastered");
    expect(cardStanding(reviewed(10, 11), now)).toBe("seen");
    expect(cardStanding(reviewed(100, 60), now)).toBe("mastered");
  });

  it("a card never reviewed, or absent, is not seen", () => {
    expect(cardStanding(undefined, now)).toBe("not-seen");
    expect(cardStanding(null, now)).toBe("not-seen");
    expect(cardStanding(newCard(now), now)).toBe("not-seen");
  });

  it("a question just answered wrong is seen, not mastered", () => {
    const wrong = review(null, new Date(now.getTime() - 2 * DAY), false);
    expect(cardStanding(wrong, now)).toBe("seen");
  });

  it("shares per lesson: mastered, seen but not mastered, not seen", () => {
    const cards = { i1: reviewed(20, 5), i2: reviewed(10, 11), i3: reviewed(3, 30), r1: reviewed(30, 1), r2: reviewed(30, 2) };
    const rows = learnerMastery(lessons, cards, now);
    expect(rows[0]).toMatchObject({ lessonId: "indexes", cards: 4, mastered: 1, seen: 2, notSeen: 1, percent: { mastered: 25, seen: 50, notSeen: 25 } });
    expect(rows[1]).toMatchObject({ lessonId: "replicas", cards: 2, mastered: 2, seen: 0, notSeen: 0, percent: { mastered: 100, seen: 0, notSeen: 0 } });
  });

  it("mastery changes with the day it is asked for: the same card is mastered today and only seen a month later", () => {
    const cards = new Map([["r1", reviewed(10, 1)]]);
    expect(learnerMastery(lessons, cards, now)[1]!.mastered).toBe(1);
    const later = new Date(now.getTime() + 30 * DAY);
    expect(learnerMastery(lessons, cards, later)[1]).toMatchObject({ mastered: 0, seen: 1, notSeen: 1 });
  });

  it("team mastery counts every member's card for every question", () => {
    const ann = { i1: reviewed(20, 1), r1: reviewed(20, 1) };
    const bob = { i1: reviewed(2, 20) };
    const rows = masteryByLesson(lessons, [ann, bob, {}], now);
    expect(rows[0]).toMatchObject({ cards: 12, mastered: 1, seen: 1, notSeen: 10 });
    expect(rows[1]).toMatchObject({ cards: 6, mastered: 1, seen: 0, notSeen: 5 });
    expect(masteryTotals(rows)).toMatchObject({ cards: 18, mastered: 2, seen: 1, notSeen: 15 });
  });

  it("a card is mastered exactly while the whole days since its review are at most its stability", () => {
    for (const stability of [0.4, 1, 2.5, 10, 47.3, 300]) {
      for (let days = 0; days <= 400; days += 1) {
        const card = reviewed(stability, days + 0.5);
        expect(cardStanding(card, now), `S=${stability}, ${days} days`).toBe(days <= stability ? "mastered" : "seen");
      }
    }
  });

  it("whole percentages always add up to 100", () => {
    expect(wholePercents({ mastered: 1, seen: 1, notSeen: 1 })).toEqual({ mastered: 34, seen: 33, notSeen: 33 });
    expect(wholePercents({ mastered: 2, seen: 1, notSeen: 4 })).toEqual({ mastered: 29, seen: 14, notSeen: 57 });
    expect(wholePercents({ mastered: 0, seen: 0, notSeen: 0 })).toEqual({ mastered: 0, seen: 0, notSeen: 0 });
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) for (let c = 1; c < 8; c++) {
      const p = wholePercents({ mastered: a, seen: b, notSeen: c });
      expect(p.mastered + p.seen + p.notSeen).toBe(100);
    }
  });
});
