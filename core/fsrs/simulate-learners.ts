/**
 * Simulated learners whose memory follows a known FSRS model, for the
 * optimizer's benchmark and tests. Deterministic for a seed; reads no clock.
 *
 * Each learner lives at a fixed UTC offset and studies in one or two sessions
 * on most days. A session answers every card that drillbot's scheduler
 * (core/srs.ts, with the workspace's current settings) has made due, then
 * meets a few new questions. Whether an answer is right is drawn from the TRUE
 * model's retrievability: after delta_t > 0 local days R(delta_t, S) exactly as
 * FSRS predicts it; on the same day R at the fraction of a day elapsed; a
 * question's first answer is right with `firstRecall`. The true memory state
 * then moves with the true weights (right = Good, wrong = Again), while the
 * card is rescheduled by drillbot's scheduler.
 */
import { seededRandom } from "../seeded-random.js";
import type { FSRSState } from "ts-fsrs";
import { review, type SchedulerSettings, type SrsCard } from "../srs.js";
import { algorithmFor } from "./metrics.js";
import type { LogEntry } from "./review-histories.js";

/**
 * A plausible "true" FSRS-6 parameter set unlike the defaults (harder
 * material: lower initial stabilities, slower growth, a flatter curve), inside
 * ts-fsrs's parameter bounds so it is used as given.
 */
export const TRUE_WEIGHTS: readonly number[] = Object.freeze([
  0.15, 0.5, 0.9, 4.0, 7.2, 0.6, 2.2, 0.02, 1.35, 0.12, 1.1, 1.2, 0.08, 0.35, 1.9, 0.5, 2.2, 0.4, 0.2, 0.1, 0.35,
]);

export interface SimulationOptions {
  seed: number;
  learners: number;
  days: number;
  /** Questions each learner can meet (its deck). */
  questions: number;
  /** New questions met per session. */
  newPerSession: number;
  /** The first day, "YYYY-MM-DD" (UTC midnight). */
  start: string;
  trueWeights?: readonly number[];
  /** How drillbot schedules (default: FSRS defaults, retention 0.9). */
  scheduler?: SchedulerSettings;
  /** Chance a learner studies on a given day. */
  attendance?: number;
  /** Chance a first answer is right. */
  firstRecall?: number;
}

const DAY = 86_400_000;
const OFFSETS_HOURS = [-8, -5, 0, 1, 2, 5.5, 9, 10];

function localDate(ms: number, offsetHours: number): string {
  return new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 10);
}

interface SimCard {
  question: string;
  schedule: SrsCard;
  truth: FSRSState;
  lastMs: number;
  lastDay: number;
}

/** The review log the simulated learners produce, in time order. */
export function simulateReviewLog(opts: SimulationOptions): LogEntry[] {
  const rand = seededRandom(opts.seed);
  const truth = algorithmFor(opts.trueWeights ?? TRUE_WEIGHTS);
  const startMs = Date.parse(`${opts.start}T00:00:00Z`);
  const attendance = opts.attendance ?? 0.8;
  const firstRecall = opts.firstRecall ?? 0.65;
  const log: LogEntry[] = [];
  for (let l = 0; l < opts.learners; l++) {
    const learner = `sim:w:learner${l}`;
    const offset = OFFSETS_HOURS[l % OFFSETS_HOURS.length]!;
    const sessions = rand() < 0.5 ? [8] : [8, 20];
    const cards: SimCard[] = [];
    let nextNew = 0;
    for (let day = 0; day < opts.days; day++) {
      if (rand() >= attendance) continue;
      for (const hour of sessions) {
        // Local session time (hour +- 1) as an instant.
        let now = startMs + day * DAY + (hour - offset) * 3_600_000 + Math.floor((rand() * 2 - 1) * 3_600_000);
        const due = cards.filter((c) => Date.parse(c.schedule.due) <= now).sort((a, b) => Date.parse(a.schedule.due) - Date.parse(b.schedule.due));
        const answer = (c: SimCard | null, question: string): SimCard => {
          const date = localDate(now, offset);
          const dayNo = Date.parse(`${date}T00:00:00Z`) / DAY;
          let p: number;
          if (!c) p = firstRecall;
          else if (dayNo > c.lastDay) p = truth.forgetting_curve(dayNo - c.lastDay, c.truth.stability);
          else p = truth.forgetting_curve((now - c.lastMs) / DAY, c.truth.stability);
          const right = rand() < p;
          const rating = right ? 3 : 1;
          const deltaT = c ? Math.max(0, dayNo - c.lastDay) : 0;
          const card: SimCard = c ?? { question, schedule: null as unknown as SrsCard, truth: null as unknown as FSRSState, lastMs: now, lastDay: dayNo };
          card.truth = truth.next_state(c ? c.truth : null, deltaT, rating);
          card.schedule = review(c ? c.schedule : null, new Date(now), right, opts.scheduler);
          card.lastMs = now;
          card.lastDay = dayNo;
          log.push({ learner, question, rating, date, ms: now });
          now += 15_000 + Math.floor(rand() * 30_000);
          return card;
        };
        for (const c of due) answer(c, c.question);
        for (let k = 0; k < opts.newPerSession && nextNew < opts.questions; k++) {
          const q = `q${nextNew++}`;
          cards.push(answer(null, q));
        }
      }
    }
  }
  return log.sort((a, b) => a.ms - b.ms);
}
