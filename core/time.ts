/**
 * Calendar helpers over luxon/Intl: local dates in a learner's zone, ISO weeks.
 * Every function takes the instant it needs; none reads the clock.
 */
import { DateTime, IANAZone } from "luxon";

/** A calendar date "YYYY-MM-DD". */
export type LocalDate = string;

export const DEFAULT_ZONE = "UTC";

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Canonical spelling of a zone name the user typed ("europe/berlin" -> "Europe/Berlin"), or null. */
export function normalizeZone(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed || !isValidZone(trimmed)) return null;
  return new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone;
}

/** The learner's calendar date at `instant` in `zone`. */
export function localDate(instant: Date, zone: string): LocalDate {
  const d = DateTime.fromJSDate(instant, { zone });
  return d.toISODate() ?? DateTime.fromJSDate(instant, { zone: "UTC" }).toISODate()!;
}

/** Whole calendar days from `a` to `b` (b - a); independent of any zone's DST. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  const da = DateTime.fromISO(a, { zone: "UTC" });
  const db = DateTime.fromISO(b, { zone: "UTC" });
  return Math.round(db.diff(da, "days").days);
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return DateTime.fromISO(d, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** ISO week of a local date, e.g. "2026-W48" (ISO week-numbering year). */
export function isoWeek(d: LocalDate): string {
  return DateTime.fromISO(d, { zone: "UTC" }).toFormat("kkkk-'W'WW");
}
