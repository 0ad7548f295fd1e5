/**
 * A team's last weeks: active learners, answers and accuracy per ISO week,
 * oldest first, ending with the week that holds `now` in `zone`. Weeks with
 * no figures are shown as zero, not left out, so the chart keeps its spacing.
 */
import { addDays, isoWeek, localDate, type LocalDate } from "../time.js";

/** What the store counts for a workspace's week (a subset of the TeamWeek port type). */
export interface WeekFigures {
  learners: number;
  answered: number;
  correct: number;
}

export interface TeamWeekRow extends WeekFigures {
  /** ISO week, e.g. "2026-W48". */
  week: string;
  /** Its Monday. */
  monday: LocalDate;
  /** correct / answered, or null for a week without answers. */
  accuracy: number | null;
}

export interface TeamWeeksData {
  zone: string;
  weeks: TeamWeekRow[];
  /** Over all the weeks; learners are not summed (the same people study every week): the busiest week's count. */
  totals: { answered: number; correct: number; accuracy: number | null; peakLearners: number };
}

export interface TeamWeeksInput {
  /** Figures by ISO week key ("2026-W48"); missing weeks count as zero. */
  figures: Readonly<Record<string, WeekFigures>> | ReadonlyMap<string, WeekFigures>;
  now: Date;
  zone: string;
  /** How many weeks (default 8). */
  count?: number;
}

/** The ISO week keys of the last `count` weeks, oldest first, ending with the week of `now` in `zone`. */
export function lastIsoWeeks(now: Date, zone: string, count = 8): { week: string; monday: LocalDate }[] {
  const today = localDate(now, zone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const thisMonday = addDays(today, -weekday);
  const out: { week: string; monday: LocalDate }[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const monday = addDays(thisMonday, -7 * i);
    out.push({ week: isoWeek(monday), monday });
  }
  return out;
}

function figuresFor(input: TeamWeeksInput["figures"], week: string): WeekFigures | undefined {
  return input instanceof Map ? input.get(week) : (input as Record<string, WeekFigures>)[week];
}

export function accuracyOf(f: WeekFigures): number | null {
  return f.answered > 0 ? f.correct / f.answered : null;
}

export function teamWeeksData(input: TeamWeeksInput): TeamWeeksData {
  const weeks = lastIsoWeeks(input.now, input.zone, input.count ?? 8).map(({ week, monday }): TeamWeekRow => {
    const f = figuresFor(input.figures, week);
    const figures = { learners: f?.learners ?? 0, answered: f?.answered ?? 0, correct: f?.correct ?? 0 };
    return { week, monday, ...figures, accuracy: accuracyOf(figures) };
  });
  const answered = weeks.reduce((n, w) => n + w.answered, 0);
  const correct = weeks.reduce((n, w) => n + w.correct, 0);
  const peakLearners = Math.max(0, ...weeks.map((w) => w.learners));
  return { zone: input.zone, weeks, totals: { answered, correct, accuracy: answered > 0 ? correct / answered : null, peakLearners } };
}
