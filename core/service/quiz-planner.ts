/**
 * Picks the questions of a quiz: cards that are due first (most overdue
 * first), then questions never seen in course order, then seen ones whose
 * review is nearest. Deterministic for a given input.
 */
import type { CatalogQuestion } from "../content/catalog.js";
import type { DueCard } from "../ports.js";

const DIFFICULTY_RANK = { intro: 0, intermediate: 1, advanced: 2, mastery: 3 } as const;

export function planQuiz(pool: CatalogQuestion[], cards: DueCard[], now: Date, count: number): string[] {
  const known = new Map(cards.map((c) => [c.questionId, c.dueMs]));
  const nowMs = now.getTime();
  const due = pool.filter((q) => (known.get(q.question.id) ?? Infinity) <= nowMs);
  due.sort((a, b) => known.get(a.question.id)! - known.get(b.question.id)!);
  const fresh = pool.filter((q) => !known.has(q.question.id));
  fresh.sort((a, b) => a.setOrder - b.setOrder || DIFFICULTY_RANK[a.question.difficulty] - DIFFICULTY_RANK[b.question.difficulty]);
  const later = pool.filter((q) => (known.get(q.question.id) ?? -Infinity) > nowMs);
  later.sort((a, b) => known.get(a.question.id)! - known.get(b.question.id)!);
  return [...due, ...fresh, ...later].slice(0, count).map((q) => q.question.id);
}

/** Due question ids among every card, most overdue first. */
export function planReview(cards: DueCard[], now: Date, count: number, exists: (id: string) => boolean): string[] {
  return cards
    .filter((c) => c.dueMs <= now.getTime() && exists(c.questionId))
    .sort((a, b) => a.dueMs - b.dueMs || a.questionId.localeCompare(b.questionId))
    .slice(0, count)
    .map((c) => c.questionId);
}
