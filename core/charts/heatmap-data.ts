/**
 * Calendar heatmap data: a learner's answers per local day over the last 12
 * months, laid out like a contributions graph (one column a week, Monday on
 * top). Pure: the instant and the zone are passed in; local dates are plain
 * "YYYY-MM-DD" strings stepped as UTC calendar days, so a DST change can
 * neither skip nor repeat a day.
 */
import { DateTime } from "luxon";
import { addDays, localDate, type LocalDate } from "../time.js";

/** 0 = no answers; 1..4 = a quarter of the busiest day's count each. */
export type HeatLevel = 0 | 1 | 2 | 3 | 4;

export const HEAT_LEVELS = 4;

export interface HeatmapCell {
  date: LocalDate;
  answers: number;
  level: HeatLevel;
}

export interface HeatmapData {
  zone: string;
  /** First and last day shown (the last is today in the learner's zone). */
  start: LocalDate;
  end: LocalDate;
  /** Week columns, oldest first; each has 7 slots Monday..Sunday, null outside [start, end]. */
  weeks: (HeatmapCell | null)[][];
  /** A label for each column where a month begins (its first day falls in that week). */
  months: { column: number; label: string }[];
  total: number;
  activeDays: number;
  busiest: { date: LocalDate; answers: number } | null;
  /** Answers in the input dated outside [start, end] (not drawn). */
  outside: number;
}

export interface HeatmapInput {
  /** Answers per local date "YYYY-MM-DD" in the learner's zone. */
  answersByDate: Readonly<Record<LocalDate, number>> | ReadonlyMap<LocalDate, number>;
  now: Date;
  zone: string;
  /** How many months back (default 12): the first day is today minus this many months, plus one day. */
  months?: number;
}

export const WEEKDAY_LABELS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Monday = 0 ... Sunday = 6, read from the date itself (no zone involved). */
export function weekdayIndex(d: LocalDate): number {
  return (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Level of a day with `answers` when the busiest day has `max` (both >= 0). */
export function heatLevel(answers: number, max: number): HeatLevel {
  if (answers <= 0 || max <= 0) return 0;
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil((HEAT_LEVELS * answers) / max))) as HeatLevel;
}

function entries(input: HeatmapInput["answersByDate"]): [LocalDate, number][] {
  return input instanceof Map ? [...input.entries()] : Object.entries(input);
}

/** Local dates of answer instants, counted per day in `zone` (what a store keeps per day). */
export function answersPerLocalDay(instants: Iterable<Date>, zone: string): Map<LocalDate, number> {
  const out = new Map<LocalDate, number>();
  for (const t of instants) {
    const d = localDate(t, zone);
    out.set(d, (out.get(d) ?? 0) + 1);
  }
  return out;
}

export function heatmapData(input: HeatmapInput): HeatmapData {
  const end = localDate(input.now, input.zone);
  const start = DateTime.fromISO(end, { zone: "UTC" })
    .minus({ months: input.months ?? 12 })
    .plus({ days: 1 })
    .toISODate()!;

  const counts = new Map<LocalDate, number>();
  let outside = 0;
  for (const [date, n] of entries(input.answersByDate)) {
    if (!(n > 0)) continue;
    if (date < start || date > end) outside += n;
    else counts.set(date, (counts.get(date) ?? 0) + n);
  }
  let max = 0;
  let busiest: HeatmapData["busiest"] = null;
  let total = 0;
  for (const [date, n] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    total += n;
    if (n > max) {
      max = n;
      busiest = { date, answers: n };
    }
  }

  const weeks: (HeatmapCell | null)[][] = [];
  const months: HeatmapData["months"] = [];
  let column: (HeatmapCell | null)[] = new Array<HeatmapCell | null>(7).fill(null);
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const wd = weekdayIndex(d);
    if (wd === 0 && d !== start) {
      weeks.push(column);
      column = new Array<HeatmapCell | null>(7).fill(null);
    }
    const answers = counts.get(d) ?? 0;
    column[wd] = { date: d, answers, level: heatLevel(answers, max) };
    if (d.endsWith("-01")) months.push({ column: weeks.length, label: MONTH_LABELS[Number(d.slice(5, 7)) - 1]! });
  }
  weeks.push(column);
  // The first, partial month gets a label too when there is room before the next one.
  if (!start.endsWith("-01") && (months[0]?.column ?? Infinity) >= 3) {
    months.unshift({ column: 0, label: MONTH_LABELS[Number(start.slice(5, 7)) - 1]! });
  }

  return { zone: input.zone, start, end, weeks, months, total, activeDays: counts.size, busiest, outside };
}
