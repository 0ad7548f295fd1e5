import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DateTime } from "luxon";
import { EMPTY_STREAK, MAX_FREEZES, recordActivity, viewStreak, type StreakState } from "../../core/streak.js";
import { addDays, localDate } from "../../core/time.js";

function studyOn(dates: string[], start: StreakState = EMPTY_STREAK): StreakState {
  return dates.reduce((s, d) => recordActivity(s, d).state, start);
}

describe("streaks", () => {
  it("the first study day starts a streak of one", () => {
    const r = recordActivity(EMPTY_STREAK, "2026-03-01");
    expect(r.state).toMatchObject({ current: 1, longest: 1, lastActive: "2026-03-01" });
    expect(r.newDay).toBe(true);
  });

  it("studying twice on one day counts the day once", () => {
    const s = studyOn(["2026-03-01", "2026-03-01", "2026-03-01"]);
    expect(s.current).toBe(1);
  });

  it("consecutive days extend the streak", () => {
    expect(studyOn(["2026-03-01", "2026-03-02", "2026-03-03"]).current).toBe(3);
  });

  it("a missed day with no freeze restarts the streak but keeps the longest", () => {
    const s = studyOn(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05"]);
    expect(s.current).toBe(1);
    expect(s.longest).toBe(3);
  });

  it("every seventh consecutive day earns a freeze", () => {
    const days = Array.from({ length: 7 }, (_, i) => addDays("2026-03-01", i));
    expect(studyOn(days.slice(0, 6)).freezes).toBe(0);
    expect(studyOn(days).freezes).toBe(1);
  });

  it("a missed day is covered by a banked freeze", () => {
    const week = Array.from({ length: 7 }, (_, i) => addDays("2026-03-01", i));
    const s = studyOn([...week, "2026-03-09"]);
    expect(s.current).toBe(8);
    expect(s.freezes).toBe(0);
  });

  it("two missed days need two freezes; with one the streak restarts and the freeze stays", () => {
    const week = Array.from({ length: 7 }, (_, i) => addDays("2026-03-01", i));
    const s = studyOn([...week, "2026-03-10"]);
    expect(s.current).toBe(1);
    expect(s.freezes).toBe(1);
  });

  it("at most two freezes are banked", () => {
    const days = Array.from({ length: 35 }, (_, i) => addDays("2026-01-01", i));
    expect(studyOn(days).freezes).toBe(MAX_FREEZES);
  });

  it("the view shows a streak as lost once missed days exceed the freezes", () => {
    const s = studyOn(["2026-03-01", "2026-03-02"]);
    expect(viewStreak(s, "2026-03-03")).toMatchObject({ current: 2, studiedToday: false });
    expect(viewStreak(s, "2026-03-02")).toMatchObject({ current: 2, studiedToday: true });
    expect(viewStreak(s, "2026-03-04").current).toBe(0);
  });

  it("activity dated before the last active day changes nothing", () => {
    const s = studyOn(["2026-03-05"]);
    expect(recordActivity(s, "2026-03-04").state).toEqual(s);
  });

  it("study every day for any run length gives a streak equal to the run", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.date({ min: new Date("2000-01-01"), max: new Date("2090-01-01"), noInvalidDate: true }), (n, start) => {
        const first = start.toISOString().slice(0, 10);
        const s = studyOn(Array.from({ length: n }, (_, i) => addDays(first, i)));
        expect(s.current).toBe(n);
        expect(s.longest).toBe(n);
        expect(s.freezes).toBe(Math.min(MAX_FREEZES, Math.floor(n / 7)));
      }),
    );
  });
});

describe("streak days in the learner's own zone", () => {
  it("a 23-hour spring-forward day in New York is one calendar day", () => {
    // 2026-03-08 is 23 hours long in America/New_York.
    const zone = "America/New_York";
    const before = localDate(new Date("2026-03-08T04:59:00Z"), zone); // 23:59 on Mar 7
    const after = localDate(new Date("2026-03-09T03:59:00Z"), zone); // 23:59 on Mar 8 (EDT)
    expect(before).toBe("2026-03-07");
    expect(after).toBe("2026-03-08");
    expect(studyOn([before, after]).current).toBe(2);
  });

  it("a 25-hour fall-back day in Berlin is one calendar day", () => {
    // 2026-10-25 is 25 hours long in Europe/Berlin.
    const zone = "Europe/Berlin";
    const start = localDate(new Date("2026-10-24T22:00:00Z"), zone); // 00:00 Oct 25 CEST
    const end = localDate(new Date("2026-10-25T22:59:00Z"), zone); // 23:59 Oct 25 CET
    expect(start).toBe("2026-10-25");
    expect(end).toBe("2026-10-25");
    expect(studyOn([start, end]).current).toBe(1);
  });

  it("the same instant is a different day in Kiritimati (UTC+14) and Baker Island (UTC-12)", () => {
    const t = new Date("2026-06-15T11:30:00Z");
    expect(localDate(t, "Pacific/Kiritimati")).toBe("2026-06-16");
    expect(localDate(t, "Etc/GMT+12")).toBe("2026-06-14");
  });

  const zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"];

  it("studying once every local day keeps the streak growing through DST in any zone", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }),
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 0, max: 23 }),
        (zone, start, days, hour) => {
          const first = start.toISOString().slice(0, 10);
          let state = EMPTY_STREAK;
          for (let i = 0; i < days; i++) {
            const day = addDays(first, i);
            // the learner studies at HH:30 wall-clock time on that local day (DST gaps shift it forward)
            const instant = DateTime.fromISO(`${day}T${String(hour).padStart(2, "0")}:30`, { zone }).toJSDate();
            expect(localDate(instant, zone)).toBe(day);
            state = recordActivity(state, localDate(instant, zone)).state;
          }
          expect(state.current).toBe(days);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("two instants less than 24 hours apart are at most one local day apart in every zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }), fc.integer({ min: 0, max: 24 * 60 - 1 }), (zone, t, mins) => {
        const a = localDate(t, zone);
        const b = localDate(new Date(t.getTime() + mins * 60_000), zone);
        expect([a, addDays(a, 1)]).toContain(b);
      }),
    );
  });
});
