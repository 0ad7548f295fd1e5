/**
 * Spaced repetition with FSRS (ts-fsrs). One card per learner per question;
 * every graded answer is a review (right = Good, wrong = Again). Cards are
 * stored as plain JSON with ISO dates. A workspace may carry parameters
 * fitted on its own review log, and a workspace or learner its own desired
 * retention; without them FSRS's defaults apply.
 */
import { createEmptyCard, default_request_retention, fsrs, generatorParameters, Rating, type Card, type FSRS, type Grade } from "ts-fsrs";

/** How a learner's cards are scheduled: fitted FSRS weights (null = defaults) and the desired retention. */
export interface SchedulerSettings {
  weights?: readonly number[] | null;
  retention?: number | null;
}

export const DEFAULT_RETENTION = default_request_retention;
export const MIN_RETENTION = 0.85;
export const MAX_RETENTION = 0.97;

const schedulers = new Map<string, FSRS>();

/** One ts-fsrs scheduler per distinct settings (a handful per process: one per workspace at most). */
export function schedulerFor(settings: SchedulerSettings = {}): FSRS {
  const retention = settings.retention ?? DEFAULT_RETENTION;
  const key = `${retention}|${settings.weights?.join(",") ?? ""}`;
  let s = schedulers.get(key);
  if (!s) {
    if (schedulers.size > 1_000) schedulers.clear();
    s = fsrs(generatorParameters({ request_retention: retention, ...(settings.weights ? { w: [...settings.weights] } : {}) }));
    schedulers.set(key, s);
  }
  return s;
}

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

/** The rating a graded answer gives its card: Good when right, Again when wrong. */
export function ratingOf(correct: boolean): Grade {
  return correct ? Rating.Good : Rating.Again;
}

/** The card after a review at `now`, scheduled with `settings` (FSRS defaults when absent). */
export function review(card: SrsCard | null | undefined, now: Date, correct: boolean, settings?: SchedulerSettings): SrsCard {
  const current = toCard(card ?? newCard(now));
  return fromCard(schedulerFor(settings).next(current, now, ratingOf(correct)).card);
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
