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

// One Intl formatter per zone: "en-CA" formats dates as YYYY-MM-DD.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(zone, f);
  }
  return f;
}

/** The learner's calendar date at `instant` in `zone` (Intl does the zone rules). */
export function localDate(instant: Date, zone: string): LocalDate {
  const parts = formatterFor(zone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Whole calendar days from `a` to `b` (b - a): both read as UTC midnights, so no DST applies. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return DateTime.fromISO(d, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

/** ISO week of a local date, e.g. "2026-W48" (ISO week-numbering year). */
export function isoWeek(d: LocalDate): string {
  return DateTime.fromISO(d, { zone: "UTC" }).toFormat("kkkk-'W'WW");
}
