/**
 * Spaced repetition with FSRS (ts-fsrs, default parameters). One card per
 * learner per question; every graded answer is a review (right = Good,
 * wrong = Again). Cards are stored as plain JSON with ISO dates.
 */
import { createEmptyCard, fsrs, Rating, type Card, type Grade } from "ts-fsrs";

const scheduler = fsrs();

export interface SrsCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

function toCard(c: SrsCard): Card {
  return {
    ...c,
    due: new Date(c.due),
    last_review: c.last_review ? new Date(c.last_review) : undefined,
  } as Card;
}

function fromCard(c: Card): SrsCard {
  const out: SrsCard = {
    due: c.due.toISOString(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsed_days,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
  };
  if (c.last_review) out.last_review = c.last_review.toISOString();
  return out;
}

export function newCard(now: Date): SrsCard {
  return fromCard(createEmptyCard(now));
}

/** The card after a review at `now`. */
export function review(card: SrsCard | null | undefined, now: Date, correct: boolean): SrsCard {
  const current = toCard(card ?? newCard(now));
  const grade: Grade = correct ? Rating.Good : Rating.Again;
  return fromCard(scheduler.next(current, now, grade).card);
}

export interface DueEntry {
  questionId: string;
  dueMs: number;
}

/** Question ids due at `now`, most overdue first. */
export function dueOrder(entries: DueEntry[], now: Date): string[] {
  return entries
    .filter((e) => e.dueMs <= now.getTime())
    .sort((a, b) => a.dueMs - b.dueMs || a.questionId.localeCompare(b.questionId))
    .map((e) => e.questionId);
}
