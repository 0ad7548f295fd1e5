/**
 * Picks the questions of a quiz: cards that are due first (most overdue
 * first), then questions never seen in course order, then seen ones whose
 * review is nearest. Deterministic for a given input.
 */
import type { CatalogQuestion } from "../content/catalog.js";
import type { DueCard } from "../ports.js";
import { dueOrder } from "../srs.js";

/**
 * `pool` must be in course order (the catalog keeps its questions that way:
 * lesson order, then difficulty), so fresh questions need no sorting.
 */
export function planQuiz(pool: CatalogQuestion[], cards: DueCard[], now: Date, count: number): string[] {
  const known = new Map<string, number>();
  for (const c of cards) known.set(c.questionId, c.dueMs);
  const nowMs = now.getTime();
  const due: [string, number][] = [];
  const fresh: string[] = [];
  const later: [string, number][] = [];
  let seen = 0;
  for (const q of pool) {
    // Every card placed and the fresh questions filled: the rest of the pool changes nothing.
    if (seen === known.size && fresh.length >= count) break;
    const id = q.question.id;
    const dueMs = known.get(id);
    if (dueMs === undefined) {
      if (fresh.length < count) fresh.push(id);
    } else {
      seen++;
      if (dueMs <= nowMs) due.push([id, dueMs]);
      else later.push([id, dueMs]);
    }
  }
  const byDue = (a: [string, number], b: [string, number]) => a[1] - b[1] || a[0].localeCompare(b[0]);
  due.sort(byDue);
  const picked = [...due.map((d) => d[0]), ...fresh];
  if (picked.length < count) picked.push(...later.sort(byDue).map((d) => d[0]));
  return picked.slice(0, count);
}

/** Due question ids among every card, most overdue first (only those still in the course). */
export function planReview(cards: DueCard[], now: Date, count: number, exists: (id: string) => boolean): string[] {
  return dueOrder(
    cards.filter((c) => exists(c.questionId)),
    now,
  ).slice(0, count);
}
