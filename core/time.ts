/**
 * Calendar helpers over luxon/Intl: local dates in a learner's zone, ISO weeks.
 * Every function takes the instant it needs; none reads the clock.
 */
import { DateTime, IANAZone } from "luxon";
import { quoteInput } from "./input-limits.js";

/** A calendar date "YYYY-MM-DD". */
export type LocalDate = string;

export const DEFAULT_ZONE = "UTC";

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Abbreviations people type for a zone, and the IANA zones they likely mean.
 * Several are valid IANA names (EST is a fixed UTC-5 with no daylight saving,
 * CET a fixed rule set), which is never what someone in New York or Berlin
 * wants for their streak days, so they are refused with these suggestions.
 */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  EST: ["America/New_York", "America/Toronto"],
  EDT: ["America/New_York", "America/Toronto"],
  CST: ["America/Chicago", "America/Mexico_City", "Asia/Shanghai"],
  CDT: ["America/Chicago"],
  MST: ["America/Denver", "America/Phoenix"],
  MDT: ["America/Denver"],
  PST: ["America/Los_Angeles", "America/Vancouver"],
  PDT: ["America/Los_Angeles", "America/Vancouver"],
  AKST: ["America/Anchorage"],
  HST: ["Pacific/Honolulu"],
  GMT: ["Europe/London", "UTC"],
  BST: ["Europe/London"],
  WET: ["Europe/Lisbon"],
  WEST: ["Europe/Lisbon"],
  CET: ["Europe/Berlin", "Europe/Paris", "Europe/Madrid"],
  CEST: ["Europe/Berlin", "Europe/Paris", "Europe/Madrid"],
  MET: ["Europe/Berlin", "Europe/Paris"],
  EET: ["Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"],
  EEST: ["Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"],
  MSK: ["Europe/Moscow"],
  IST: ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"],
  JST: ["Asia/Tokyo"],
  KST: ["Asia/Seoul"],
  AEST: ["Australia/Sydney", "Australia/Brisbane"],
  AEDT: ["Australia/Sydney"],
  NZST: ["Pacific/Auckland"],
  NZDT: ["Pacific/Auckland"],
};

export type ZoneCheck = { ok: true; zone: string } | { ok: false; reason: string };

const EXAMPLES = "Use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.";

/** The canonical zone for what the user typed, or why it is refused (an abbreviation names the zones it likely means). */
export function checkZone(input: string): ZoneCheck {
  const trimmed = input.trim();
  const shown = quoteInput(trimmed, 40);
  const abbreviation = ZONE_ABBREVIATIONS[trimmed.toUpperCase()];
  if (abbreviation) return { ok: false, reason: `${shown} is an abbreviation, not a time zone (it ignores daylight saving or means several places). Did you mean ${abbreviation.join(" or ")}?` };
  if (!trimmed || trimmed.length > 64 || !isValidZone(trimmed)) return { ok: false, reason: `${shown} is not a time zone I know. ${EXAMPLES}` };
  return { ok: true, zone: new Intl.DateTimeFormat("en-US", { timeZone: trimmed }).resolvedOptions().timeZone };
}

/** Canonical spelling of a zone name the user typed ("europe/berlin" -> "Europe/Berlin"), or null (abbreviations included). */
export function normalizeZone(input: string): string | null {
  const checked = checkZone(input);
  return checked.ok ? checked.zone : null;
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
