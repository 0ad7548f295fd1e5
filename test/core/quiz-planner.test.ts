/**
 * planQuiz stops scanning the pool once every card is placed and the fresh
 * questions are filled; it must pick exactly what a full scan picks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CatalogQuestion } from "../../core/content/catalog.js";
import { planQuiz } from "../../core/service/quiz-planner.js";

/** The plan by a full scan of the pool: due (most overdue first), fresh in course order, then the nearest later ones. */
function fullScan(pool: CatalogQuestion[], cards: { questionId: string; dueMs: number }[], nowMs: number, count: number): string[] {
  const known = new Map(cards.map((c) => [c.questionId, c.dueMs]));
  const byDue = (a: [string, number], b: [string, number]) => a[1] - b[1] || a[0].localeCompare(b[0]);
  const inPool = pool.map((q) => q.question.id);
  const due = inPool.filter((id) => known.has(id) && known.get(id)! <= nowMs).map((id) => [id, known.get(id)!] as [string, number]).sort(byDue);
  const fresh = inPool.filter((id) => !known.has(id)).slice(0, count);
  const later = inPool.filter((id) => known.has(id) && known.get(id)! > nowMs).map((id) => [id, known.get(id)!] as [string, number]).sort(byDue);
  return [...due.map((d) => d[0]), ...fresh, ...later.map((d) => d[0])].slice(0, count);
}

const NOW = Date.parse("2026-03-02T09:00:00Z");
const pool = (n: number) => Array.from({ length: n }, (_, i) => ({ question: { id: `q${i}` } }) as unknown as CatalogQuestion);

describe("planQuiz", () => {
  it("picks what a full scan picks, for any cards (in the pool or not), due times and count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.record({ q: fc.integer({ min: 0, max: 80 }), offsetMin: fc.integer({ min: -10_000, max: 10_000 }) }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (size, raw, count) => {
          const unique = new Map(raw.map((r) => [`q${r.q}`, NOW + r.offsetMin * 60_000]));
          const cards = [...unique].map(([questionId, dueMs]) => ({ questionId, dueMs }));
          const p = pool(size);
          expect(planQuiz(p, cards, new Date(NOW), count)).toEqual(fullScan(p, cards, NOW, count));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a learner with no cards gets the first questions in course order", () => {
    expect(planQuiz(pool(518), [], new Date(NOW), 3)).toEqual(["q0", "q1", "q2"]);
  });
});
