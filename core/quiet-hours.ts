/**
 * Quiet hours: a workspace's daily local window in which drillbot sends no
 * DMs; what falls due inside it waits until the window ends.
 *
 * Each local day D has one window, a span of instants from its start on D to
 * its end (on D, or on D+1 when it crosses midnight). A wall time skipped by
 * a spring-forward gap resolves to the first instant after the gap; a wall
 * time that occurs twice (fall back) to its first occurrence.
 */
import { DateTime, IANAZone } from "luxon";
import { addDays, type LocalDate } from "./time.js";

/** A daily window [start, end) in `zone`, "HH:MM" 24-hour; it crosses midnight when end <= start (e.g. 22:00-07:00). */
export interface QuietHours {
  start: string;
  end: string;
  zone: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const zoneValidity = new Map<string, boolean>();
function isValidZone(zone: string): boolean {
  let ok = zoneValidity.get(zone);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(zone);
    if (zoneValidity.size > 1_000) zoneValidity.clear();
    zoneValidity.set(zone, ok);
  }
  return ok;
}

/** Stored quiet hours checked: a window with two different HH:MM times in a known zone, else null. */
export function asQuietHours(value: unknown): QuietHours | null {
  if (!value || typeof value !== "object") return null;
  const { start, end, zone } = value as Record<string, unknown>;
  if (typeof start !== "string" || typeof end !== "string" || typeof zone !== "string") return null;
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === null || e === null || s === e || !isValidZone(zone)) return null;
  return { start, end, zone };
}

/** "22:00-07:00 Europe/Berlin (overnight)". */
export function describeQuiet(q: QuietHours): string {
  return `${q.start}-${q.end} ${q.zone}${q.end <= q.start ? " (overnight)" : ""}`;
}

/** The instant wall time `minutes` after midnight on local `date` happens in `zone` (see the header for gaps and repeats). */
function wallInstant(zone: IANAZone, date: LocalDate, minutes: number): number {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const naive = Date.UTC(y, mo - 1, d, Math.floor(minutes / 60), minutes % 60);
  // Every offset in force within a day either side; a wall time happens at naive - offset for each offset that holds then.
  const offsets = new Set([zone.offset(naive - 86_400_000), zone.offset(naive), zone.offset(naive + 86_400_000)]);
  let first: number | null = null;
  for (const o of offsets) {
    const t = naive - o * 60_000;
    if (zone.offset(t) === o && (first === null || t < first)) first = t;
  }
  if (first !== null) return first;
  // In a gap: the clock jumps from before this wall time to after it. Find the jump.
  const before = Math.min(...offsets);
  const after = Math.max(...offsets);
  let lo = naive - after * 60_000; // still on the old offset
  let hi = naive - before * 60_000; // already on the new one
  while (hi - lo > 1_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The span of instants [start, end) of the window that opens on local `date`. */
function windowOf(zone: IANAZone, date: LocalDate, s: number, e: number): [number, number] {
  return [wallInstant(zone, date, s), wallInstant(zone, e <= s ? addDays(date, 1) : date, e)];
}

const DAY_MS = 86_400_000;
const NEAR_MS = 26 * 3_600_000;

function windowEndAt(zone: IANAZone, t: number, s: number, e: number): number | null {
  // Fast path: with one offset from a day before to a day after, wall-clock arithmetic is exact.
  const o = zone.offset(t);
  if (zone.offset(t - NEAR_MS) === o && zone.offset(t + NEAR_MS) === o) {
    const msOfDay = (((t + o * 60_000) % DAY_MS) + DAY_MS) % DAY_MS;
    const m = Math.floor(msOfDay / 60_000);
    const inside = s < e ? s <= m && m < e : m >= s || m < e;
    return inside ? t - (msOfDay % 60_000) + ((e - m + 1440) % 1440) * 60_000 : null;
  }
  const today = DateTime.fromMillis(t, { zone }).toISODate()!;
  for (const date of [addDays(today, -1), today]) {
    const [from, to] = windowOf(zone, date, s, e);
    if (from <= t && t < to) return to;
  }
  return null;
}

/**
 * When `now` falls inside the quiet window, the instant the window ends (the
 * first instant outside every window); null when `now` is outside it or the
 * quiet hours are not valid.
 */
export function quietUntil(q: QuietHours, now: Date): Date | null {
  const valid = asQuietHours(q);
  if (!valid) return null;
  const zone = IANAZone.create(valid.zone);
  const s = minutesOf(valid.start)!;
  const e = minutesOf(valid.end)!;
  let end = windowEndAt(zone, now.getTime(), s, e);
  if (end === null) return null;
  // When a DST gap swallows the free time between two windows, the next window opens as this one ends.
  for (let next = windowEndAt(zone, end, s, e); next !== null && next > end; next = windowEndAt(zone, end, s, e)) end = next;
  return new Date(end);
}
