import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { asQuietHours, describeQuiet, quietUntil, type QuietHours } from "../../core/quiet-hours.js";

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const q = (start: string, end: string, zone: string): QuietHours => ({ start, end, zone });

describe("quiet hours on a fixed clock", () => {
  const berlin = q("22:00", "07:00", "Europe/Berlin");

  it("a time inside an overnight window is held until the window's end the next morning", () => {
    expect(iso(quietUntil(berlin, at("2026-06-10T21:30:00Z")))).toBe("2026-06-11T05:00:00.000Z"); // 23:30 CEST -> 07:00 CEST
    expect(iso(quietUntil(berlin, at("2026-06-11T03:00:00Z")))).toBe("2026-06-11T05:00:00.000Z"); // 05:00 CEST, after midnight
  });

  it("the window's start is inside and its end is outside", () => {
    expect(iso(quietUntil(berlin, at("2026-06-10T20:00:00Z")))).toBe("2026-06-11T05:00:00.000Z"); // 22:00 sharp
    expect(quietUntil(berlin, at("2026-06-10T19:59:59Z"))).toBeNull();
    expect(quietUntil(berlin, at("2026-06-11T05:00:00Z"))).toBeNull(); // 07:00 sharp
  });

  it("a daytime window does not cross midnight", () => {
    const lunch = q("12:00", "13:30", "Asia/Kolkata");
    expect(iso(quietUntil(lunch, at("2026-01-05T07:00:00Z")))).toBe("2026-01-05T08:00:00.000Z"); // 12:30 IST -> 13:30 IST
    expect(quietUntil(lunch, at("2026-01-05T18:30:00Z"))).toBeNull(); // 00:00 IST
  });

  it("an overnight window across spring-forward ends at 07:00 summer time, an hour sooner than 9 hours", () => {
    // Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST.
    expect(iso(quietUntil(berlin, at("2026-03-28T21:00:00Z")))).toBe("2026-03-29T05:00:00.000Z"); // 22:00 CET -> 07:00 CEST: 8 hours
  });

  it("an overnight window across fall-back ends at 07:00 winter time, 10 hours after 22:00", () => {
    // New York 2026-11-01: 02:00 EDT becomes 01:00 EST.
    const ny = q("22:00", "07:00", "America/New_York");
    expect(iso(quietUntil(ny, at("2026-11-01T02:00:00Z")))).toBe("2026-11-01T12:00:00.000Z"); // 22:00 EDT -> 07:00 EST
  });

  it("a window ending inside the spring-forward gap ends at the first valid minute after it", () => {
    // New York 2026-03-08: 02:30 does not exist; the clock reads 03:00 EDT at 07:00Z.
    expect(iso(quietUntil(q("22:00", "02:30", "America/New_York"), at("2026-03-08T06:00:00Z")))).toBe("2026-03-08T07:00:00.000Z");
    // Lord Howe 2026-10-04: 02:00 becomes 02:30 (a 30-minute shift).
    expect(iso(quietUntil(q("23:00", "02:15", "Australia/Lord_Howe"), at("2026-10-03T13:00:00Z")))).toBe("2026-10-03T15:30:00.000Z");
    // Santiago 2026-09-06: midnight does not exist, the day starts at 01:00 (23:30 on the 5th -> 01:00).
    expect(iso(quietUntil(q("23:00", "00:30", "America/Santiago"), at("2026-09-06T03:30:00Z")))).toBe("2026-09-06T04:00:00.000Z");
  });

  it("a window starting inside the spring-forward gap starts at the first valid minute after it", () => {
    const ny = q("02:30", "06:00", "America/New_York");
    expect(quietUntil(ny, at("2026-03-08T06:59:00Z"))).toBeNull(); // 01:59 EST
    expect(iso(quietUntil(ny, at("2026-03-08T07:00:00Z")))).toBe("2026-03-08T10:00:00.000Z"); // 03:00 EDT
  });

  it("a window ending in the repeated hour ends at its first occurrence", () => {
    // New York 2026-11-01: 01:00-02:00 happens twice (EDT, then EST).
    const ny = q("00:00", "01:30", "America/New_York");
    expect(iso(quietUntil(ny, at("2026-11-01T04:45:00Z")))).toBe("2026-11-01T05:30:00.000Z"); // 00:45 EDT -> 01:30 EDT
    expect(quietUntil(ny, at("2026-11-01T05:45:00Z"))).toBeNull(); // 01:45 EDT
    expect(quietUntil(ny, at("2026-11-01T06:10:00Z"))).toBeNull(); // 01:10 EST: the window already ended
  });

  it("when a DST gap swallows the whole free time, the quiet stretch runs on to the next day's end", () => {
    // 02:40-02:10 leaves 02:10-02:40 free, which does not exist in New York on 2026-03-08.
    const ny = q("02:40", "02:10", "America/New_York");
    expect(iso(quietUntil(ny, at("2026-03-07T08:00:00Z")))).toBe("2026-03-09T06:10:00.000Z");
  });

  it("describes the window and says when it runs overnight", () => {
    expect(describeQuiet(berlin)).toBe("22:00-07:00 Europe/Berlin (overnight)");
    expect(describeQuiet(q("12:00", "13:30", "UTC"))).toBe("12:00-13:30 UTC");
  });

  it("stored quiet hours that are malformed are ignored rather than trusted", () => {
    expect(asQuietHours({ start: "22:00", end: "07:00", zone: "Europe/Berlin" })).toEqual(berlin);
    for (const bad of [null, "22:00-07:00", { start: "22:00", end: "22:00", zone: "UTC" }, { start: "25:00", end: "07:00", zone: "UTC" }, { start: "22:00", end: "07:00", zone: "Mars/Olympus" }, { start: "22:00", zone: "UTC" }]) {
      expect(asQuietHours(bad)).toBeNull();
    }
    expect(quietUntil(q("22:00", "07:00", "Mars/Olympus"), at("2026-06-10T23:00:00Z"))).toBeNull();
  });
});

// ---- property tests across zones and DST dates ----

const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/Berlin",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "America/St_Johns",
  "Asia/Kolkata",
  "Pacific/Kiritimati",
  "America/Havana",
  "Europe/London",
];

/** Instants where a zone's offset changes, 2024-2028, to aim instants at DST changes. */
function transitions(zone: string): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  const step = 3_600_000;
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += step) {
    if (z.offset(t) !== z.offset(t + step)) {
      let lo = t;
      let hi = t + step;
      while (hi - lo > 60_000) {
        const mid = lo + (hi - lo) / 2;
        if (z.offset(mid) === z.offset(lo)) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
  }
  return out;
}
const TRANSITIONS = Object.fromEntries(ZONES.map((z) => [z, transitions(z)]));
const MAX_SHIFT_MIN = 60; // the largest DST shift among ZONES

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Minutes of day, biased towards the hours DST changes happen in. */
const minuteOfDay = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 95 }).map((i) => i * 15), fc.integer({ min: 0, max: 240 }));

const windowArb = fc
  .record({ zone: fc.constantFrom(...ZONES), s: minuteOfDay, e: minuteOfDay })
  .filter(({ s, e }) => s !== e)
  .map(({ zone, s, e }) => ({ q: q(hhmm(s), hhmm(e), zone), s, e }));

/** An instant, often within a day and a half of one of the zone's DST changes. */
const instantNear = (zone: string) => {
  const list = TRANSITIONS[zone]!;
  const random = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) });
  if (list.length === 0) return random;
  return fc.oneof(random, fc.tuple(fc.constantFrom(...list), fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([t, m]) => t + m * 60_000));
};

const cases = windowArb.chain((w) => instantNear(w.q.zone).map((t) => ({ ...w, now: new Date(t) })));

/** The wall-clock rule, valid away from DST changes: inside when the local minute is in [start, end). */
function wallInside(s: number, e: number, local: DateTime): boolean {
  const m = local.hour * 60 + local.minute;
  return s < e ? s <= m && m < e : m >= s || m < e;
}

describe("quiet hours: properties across zones and DST changes", () => {
  it("a held message is released after now, at a moment outside the window, and every moment until then is held to the same end", () => {
    fc.assert(
      fc.property(cases, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), ({ q: window, now }, fractions) => {
        const until = quietUntil(window, now);
        if (!until) return;
        expect(until.getTime()).toBeGreaterThan(now.getTime());
        expect(quietUntil(window, until)).toBeNull();
        for (const f of [...fractions, 1]) {
          const t = new Date(Math.min(until.getTime() - 1, now.getTime() + Math.floor(f * (until.getTime() - now.getTime()))));
          expect(iso(quietUntil(window, t))).toBe(iso(until));
        }
      }),
      { numRuns: 600 },
    );
  });

  it("a window leaving more free time than a DST shift releases within 24 hours", () => {
    fc.assert(
      fc.property(cases, ({ q: window, s, e, now }) => {
        const free = (s - e + 1440) % 1440;
        fc.pre(free > MAX_SHIFT_MIN);
        const until = quietUntil(window, now);
        if (until) expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
      }),
      { numRuns: 600 },
    );
  });

  it("the release happens at the window's end on the wall clock, or where a DST gap skipped it", () => {
    fc.assert(
      fc.property(cases, ({ q: window, s, e, now }) => {
        fc.pre((s - e + 1440) % 1440 > MAX_SHIFT_MIN);
        const until = quietUntil(window, now);
        if (!until) return;
        const zone = IANAZone.create(window.zone);
        const local = DateTime.fromJSDate(until, { zone });
        const atEnd = local.hour * 60 + local.minute === e && local.second === 0;
        const atJump = zone.offset(until.getTime() - 1_000) < zone.offset(until.getTime());
        expect(atEnd || atJump).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it("away from DST changes, a time is held exactly when the wall clock is inside the window, until its end", () => {
    fc.assert(
      fc.property(cases, ({ q: window, s, e, now }) => {
        const zone = IANAZone.create(window.zone);
        const t = now.getTime();
        fc.pre(zone.offset(t - 26 * 3_600_000) === zone.offset(t + 26 * 3_600_000));
        const local = DateTime.fromJSDate(now, { zone });
        const until = quietUntil(window, now);
        expect(until !== null).toBe(wallInside(s, e, local));
        if (until) {
          const m = local.hour * 60 + local.minute;
          const minutesLeft = (e - m + 1440) % 1440 || 1440;
          expect(until.getTime()).toBe(local.startOf("minute").toMillis() + minutesLeft * 60_000);
        }
      }),
      { numRuns: 600 },
    );
  });

  it("a time outside the window is not held", () => {
    fc.assert(
      fc.property(windowArb, fc.integer({ min: 0, max: 4 * 365 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), ({ q: window, s, e }, day, f) => {
        const free = (s - e + 1440) % 1440; // minutes from end to start
        const m = (e + Math.floor(f * free)) % 1440;
        const date = DateTime.fromObject({ year: 2024, month: 1, day: 1 }, { zone: "UTC" }).plus({ days: day });
        const local = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: Math.floor(m / 60), minute: m % 60 }, { zone: window.zone });
        const zone = IANAZone.create(window.zone);
        // only wall times that happen exactly once, with no DST change near them
        fc.pre(local.hour * 60 + local.minute === m && zone.offset(local.toMillis() - 3 * 3_600_000) === zone.offset(local.toMillis() + 3 * 3_600_000));
        expect(quietUntil(window, local.toJSDate())).toBeNull();
      }),
      { numRuns: 600 },
    );
  });
});
