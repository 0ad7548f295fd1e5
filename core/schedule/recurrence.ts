/**
 * Daily recurrences at a local wall-clock time in an IANA zone, on chosen
 * weekdays: parsing what people type and computing the next run. luxon does
 * the zone rules: a time inside a spring-forward gap runs at the first valid
 * minute after it; a time that occurs twice in a fall-back night runs once,
 * at its first occurrence.
 */
import { DateTime } from "luxon";
import { quoteInput } from "../input-limits.js";
import { checkZone } from "../time.js";

/** ISO weekday: Monday = 1 ... Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const EVERY_DAY: Weekday[] = [1, 2, 3, 4, 5, 6, 7];
export const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5];

export interface Recurrence {
  /** "HH:MM", 24-hour. */
  time: string;
  zone: string;
  days: Weekday[];
}

const FULL_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseTime(text: string): Parsed<string> {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) return { ok: false, reason: `${quoteInput(text)} is not a time: use 24-hour HH:MM, e.g. 09:00 or 17:30.` };
  return { ok: true, value: `${m[1]!.padStart(2, "0")}:${m[2]}` };
}

export function parseZone(text: string): Parsed<string> {
  const checked = checkZone(text);
  return checked.ok ? { ok: true, value: checked.zone } : { ok: false, reason: checked.reason };
}

/** "daily" | "weekdays" | "weekends" | "mon,wed,fri" | "mon wed fri". */
export function parseDays(words: string[]): Parsed<Weekday[]> {
  if (words.length === 0) return { ok: true, value: EVERY_DAY };
  const joined = words.join(",").toLowerCase();
  if (["daily", "every-day", "everyday", "every,day", "all"].includes(joined)) return { ok: true, value: EVERY_DAY };
  if (joined === "weekdays") return { ok: true, value: WEEKDAYS };
  if (joined === "weekends") return { ok: true, value: [6, 7] };
  const days = new Set<Weekday>();
  for (const part of joined.split(/[,\s]+/).filter(Boolean)) {
    const index = FULL_NAMES.findIndex((name) => part.length >= 3 && name.startsWith(part));
    const d = index >= 0 ? ((index + 1) as Weekday) : undefined;
    if (!d) {
      return { ok: false, reason: `"${part}" is not a day: use weekdays, weekends, daily, or names like mon,wed,fri.` };
    }
    days.add(d);
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

export function describeDays(days: Weekday[]): string {
  const key = days.join("");
  if (key === "1234567") return "every day";
  if (key === "12345") return "weekdays";
  if (key === "67") return "weekends";
  return days.map((d) => FULL_NAMES[d - 1]!.slice(0, 3)).join(", ");
}

export interface NextRun {
  at: Date;
  /** The local calendar date of that run in the recurrence's zone. */
  localDate: string;
}

/** The first run strictly after `after`. */
export function nextRun(rec: Recurrence, after: Date): NextRun {
  const [hour, minute] = rec.time.split(":").map(Number) as [number, number];
  const start = DateTime.fromJSDate(after, { zone: rec.zone }).startOf("day");
  for (let i = 0; i <= 8; i++) {
    const day = start.plus({ days: i });
    if (!rec.days.includes(day.weekday as Weekday)) continue;
    const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: rec.zone });
    if (at.toMillis() > after.getTime()) return { at: at.toJSDate(), localDate: day.toISODate()! };
  }
  throw new Error(`no run within 8 days for ${JSON.stringify(rec)}`);
}
