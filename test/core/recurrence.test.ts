import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DateTime } from "luxon";
import { EVERY_DAY, nextRun, parseDays, parseTime, WEEKDAYS, type Recurrence } from "../../core/schedule/recurrence.js";

const at = (time: string, zone: string, days = EVERY_DAY): Recurrence => ({ time, zone, days });

describe("next run of a daily drill", () => {
  it("09:00 New York on the spring-forward day (2026-03-08) is 13:00 UTC, one hour earlier than the day before", () => {
    const r = at("09:00", "America/New_York");
    expect(nextRun(r, new Date("2026-03-07T12:00:00Z")).at.toISOString()).toBe("2026-03-07T14:00:00.000Z");
    const sunday = nextRun(r, new Date("2026-03-07T14:00:00Z"));
    expect(sunday.at.toISOString()).toBe("2026-03-08T13:00:00.000Z");
    expect(sunday.localDate).toBe("2026-03-08");
  });

  it("09:00 New York on the fall-back day (2026-11-01) is 14:00 UTC", () => {
    const r = at("09:00", "America/New_York");
    const run = nextRun(r, new Date("2026-10-31T13:00:00Z"));
    expect(run.localDate).toBe("2026-11-01");
    expect(run.at.toISOString()).toBe("2026-11-01T14:00:00.000Z");
  });

  it("09:00 Berlin on 2026-03-29 (clocks forward at 02:00) is 07:00 UTC", () => {
    const run = nextRun(at("09:00", "Europe/Berlin"), new Date("2026-03-28T09:00:00Z"));
    expect(run.at.toISOString()).toBe("2026-03-29T07:00:00.000Z");
  });

  it("a time inside the spring-forward gap runs at the first valid minute after it", () => {
    const run = nextRun(at("02:30", "America/New_York"), new Date("2026-03-08T05:00:00Z"));
    expect(DateTime.fromJSDate(run.at, { zone: "America/New_York" }).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-03-08 03:30");
  });

  it("Kiritimati (UTC+14) runs a day ahead of UTC and Pago Pago (UTC-11) a day behind", () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const kiri = nextRun(at("08:00", "Pacific/Kiritimati"), now);
    expect(kiri).toEqual({ at: new Date("2026-06-15T18:00:00Z"), localDate: "2026-06-16" });
    const pago = nextRun(at("08:00", "Pacific/Pago_Pago"), now);
    expect(pago).toEqual({ at: new Date("2026-06-15T19:00:00Z"), localDate: "2026-06-15" });
  });

  it("weekday drills skip Saturday and Sunday", () => {
    const friday = new Date("2026-11-27T10:00:00Z"); // Friday 11:00 in Berlin
    const run = nextRun(at("09:00", "Europe/Berlin", WEEKDAYS), friday);
    expect(run.localDate).toBe("2026-11-30");
  });

  it("the next run is always after now, within 8 days, on an allowed day, at the wall-clock time when it exists", () => {
    const zones = ["America/New_York", "Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7] as const, { minLength: 1 }),
        fc.date({ min: new Date("2024-01-01"), max: new Date("2032-01-01"), noInvalidDate: true }),
        (zone, h, m, days, now) => {
          const time = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
          const run = nextRun({ time, zone, days: [...days] }, now);
          expect(run.at.getTime()).toBeGreaterThan(now.getTime());
          expect(run.at.getTime() - now.getTime()).toBeLessThanOrEqual(8 * 86_400_000);
          const local = DateTime.fromJSDate(run.at, { zone });
          expect(days).toContain(local.weekday);
          expect(local.toISODate()).toBe(run.localDate);
          const wall = local.toFormat("HH:mm");
          // equal to the asked time, or later by the DST gap (at most an hour) when it does not exist that day
          const diff = local.hour * 60 + local.minute - (h * 60 + m);
          expect(wall === time || (diff > 0 && diff <= 60)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("typed schedules", () => {
  it("reads times, days and refuses nonsense with an example", () => {
    expect(parseTime("9:05")).toEqual({ ok: true, value: "09:05" });
    expect(parseTime("25:00").ok).toBe(false);
    expect(parseDays(["weekdays"])).toEqual({ ok: true, value: WEEKDAYS });
    expect(parseDays(["mon,wed,fri"])).toEqual({ ok: true, value: [1, 3, 5] });
    for (const words of [["daily"], ["every", "day"], ["everyday"], ["every-day"]]) expect(parseDays(words), words.join(" ")).toEqual({ ok: true, value: EVERY_DAY });
    expect(parseDays(["tuesday", "thursday"])).toEqual({ ok: true, value: [2, 4] });
    expect(parseDays(["someday"]).ok).toBe(false);
    expect(parseDays(["monkey"]).ok).toBe(false);
  });
});
