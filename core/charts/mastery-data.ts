/**
 * Mastery per lesson: of a lesson's cards (one per question, per learner),
 * the share whose FSRS retrievability at `now` is at least 90% (mastered),
 * the share reviewed but below that (seen), and the share never reviewed
 * (not seen). Retrievability is ts-fsrs's own; nothing here reads the clock.
 * Only a card in FSRS's Review state can be mastered: one still in its
 * learning or relearning steps (just learned, or just forgotten) has a high
 * retrievability only because it was seen minutes ago.
 * Stability is by definition the interval at which recall falls to 90%, so a
 * card is mastered while the whole days since its last review are at most its
 * stability, whatever the curve's decay parameter: tuned parameters change how
 * cards are scheduled, not this test.
 */
import { fsrs, State } from "ts-fsrs";
import type { SrsCard } from "../srs.js";

export const MASTERED_RETRIEVABILITY = 0.9;

/** A lesson (or practice set) and the questions whose cards count for it. */
export interface LessonQuestions {
  id: string;
  title: string;
  questionIds: readonly string[];
}

/** A learner's cards by question id; a missing or null entry was never reviewed. */
export type CardsByQuestion = Readonly<Record<string, SrsCard | null | undefined>> | ReadonlyMap<string, SrsCard>;

export interface MasteryCounts {
  mastered: number;
  seen: number;
  notSeen: number;
}

export interface MasteryRow extends MasteryCounts {
  lessonId: string;
  title: string;
  /** Cards counted: questions x learners. */
  cards: number;
  /** Whole percentages of `cards` that add up to 100 (all 0 when there are no cards). */
  percent: MasteryCounts;
}

export type CardStanding = "mastered" | "seen" | "not-seen";

const scheduler = fsrs();

/** Retrievability of a stored card at `now` (0 for a card never reviewed), by ts-fsrs. */
export function retrievability(card: SrsCard, now: Date): number {
  if (card.state === State.New || !card.last_review) return 0;
  return scheduler.get_retrievability({ ...card, state: card.state as State }, now, false);
}

export function cardStanding(card: SrsCard | null | undefined, now: Date): CardStanding {
  if (!card || card.state === State.New || card.reps === 0 || !card.last_review) return "not-seen";
  if (card.state !== State.Review) return "seen";
  // A hair of tolerance: at exactly t = S the curve gives 0.9 give or take a rounding error.
  return retrievability(card, now) >= MASTERED_RETRIEVABILITY - 1e-9 ? "mastered" : "seen";
}

/** Whole percentages of `counts` adding up to exactly 100 (largest remainder), or all 0 for none. */
export function wholePercents(counts: MasteryCounts): MasteryCounts {
  const keys = ["mastered", "seen", "notSeen"] as const;
  const total = counts.mastered + counts.seen + counts.notSeen;
  if (total <= 0) return { mastered: 0, seen: 0, notSeen: 0 };
  const exact = keys.map((k) => (100 * counts[k]) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = keys.map((_, i) => i).sort((a, b) => exact[b]! - floors[b]! - (exact[a]! - floors[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return { mastered: floors[0]!, seen: floors[1]!, notSeen: floors[2]! };
}

function lookup(cards: CardsByQuestion, questionId: string): SrsCard | null | undefined {
  return cards instanceof Map ? cards.get(questionId) : (cards as Record<string, SrsCard | null | undefined>)[questionId];
}

/** Mastery by lesson across one or more learners' cards (a team: every member's cards). */
export function masteryByLesson(
  lessons: readonly LessonQuestions[],
  learners: readonly CardsByQuestion[],
  now: Date,
): MasteryRow[] {
  return lessons.map((lesson) => {
    const counts: MasteryCounts = { mastered: 0, seen: 0, notSeen: 0 };
    for (const cards of learners) {
      for (const q of lesson.questionIds) {
        const standing = cardStanding(lookup(cards, q), now);
        if (standing === "mastered") counts.mastered += 1;
        else if (standing === "seen") counts.seen += 1;
        else counts.notSeen += 1;
      }
    }
    return { lessonId: lesson.id, title: lesson.title, cards: lesson.questionIds.length * learners.length, ...counts, percent: wholePercents(counts) };
  });
}

/** One learner's mastery by lesson. */
export function learnerMastery(lessons: readonly LessonQuestions[], cards: CardsByQuestion, now: Date): MasteryRow[] {
  return masteryByLesson(lessons, [cards], now);
}

/** Totals over every row. */
export function masteryTotals(rows: readonly MasteryRow[]): MasteryCounts & { cards: number; percent: MasteryCounts } {
  const t = { mastered: 0, seen: 0, notSeen: 0, cards: 0 };
  for (const r of rows) {
    t.mastered += r.mastered;
    t.seen += r.seen;
    t.notSeen += r.notSeen;
    t.cards += r.cards;
  }
  return { ...t, percent: wholePercents(t) };
}
