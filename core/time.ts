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

/** A small bounded memo: answers arrive by the thousand within the same minute and zone. */
function memo<T>(limit: number): { get(key: string): T | undefined; set(key: string, value: T): void } {
  const map = new Map<string, T>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => {
      if (map.size >= limit) map.clear();
      map.set(key, value);
    },
  };
}

const localDates = memo<LocalDate>(10_000);

/** The learner's calendar date at `instant` in `zone` (Intl does the zone rules). */
export function localDate(instant: Date, zone: string): LocalDate {
  // Zone offsets are whole minutes, so the date is the same for a whole UTC minute.
  const key = `${zone}|${Math.floor(instant.getTime() / 60_000)}`;
  const hit = localDates.get(key);
  if (hit !== undefined) return hit;
  const parts = formatterFor(zone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const date = `${get("year")}-${get("month")}-${get("day")}`;
  localDates.set(key, date);
  return date;
}

/** Whole calendar days from `a` to `b` (b - a): both read as UTC midnights, so no DST applies. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return DateTime.fromISO(d, { zone: "UTC" }).plus({ days: n }).toISODate()!;
}

const isoWeeks = memo<string>(10_000);

/** ISO week of a local date, e.g. "2026-W48" (ISO week-numbering year). */
export function isoWeek(d: LocalDate): string {
  let week = isoWeeks.get(d);
  if (week === undefined) {
    week = DateTime.fromISO(d, { zone: "UTC" }).toFormat("kkkk-'W'WW");
    isoWeeks.set(d, week);
  }
  return week;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "in 10 minutes", "tomorrow", "in 6 days": how far `iso` is from `nowMs`, in words (never in the past). */
export function fromNow(iso: string, nowMs: number): string {
  const minutes = Math.round((Date.parse(iso) - nowMs) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(Math.max(minutes, 1), "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, "hour");
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 45) return relative.format(days, "day");
  return relative.format(Math.round(days / 30), "month");
}
