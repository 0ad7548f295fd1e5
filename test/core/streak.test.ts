import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DateTime } from "luxon";
import { EMPTY_STREAK, endBreak, FREEZE_EVERY_DAYS, MAX_FREEZES, onBreak, recordActivity, startBreak, viewStreak, type StreakChange, type StreakState, type StreakView } from "../../core/streak.js";
import { addDays, daysBetween, localDate, type LocalDate } from "../../core/time.js";

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

describe("breaks", () => {
  const run = (first: string, n: number) => Array.from({ length: n }, (_, i) => addDays(first, i));
  const fiveDays = studyOn(run("2026-03-01", 5)); // last studied 2026-03-05, streak 5, no freezes

  it("a break starts today and covers the number of days asked for", () => {
    const s = startBreak(fiveDays, "2026-03-06", 3);
    expect(s.pause).toEqual({ from: "2026-03-06", until: "2026-03-08" });
    expect([onBreak(s, "2026-03-05"), onBreak(s, "2026-03-06"), onBreak(s, "2026-03-08"), onBreak(s, "2026-03-09")]).toEqual([false, true, true, false]);
  });

  it("the day after a break the streak carries on without spending a freeze", () => {
    const s = startBreak(fiveDays, "2026-03-06", 3);
    const back = recordActivity(s, "2026-03-09");
    expect(back).toMatchObject({ newDay: true, freezesSpent: 0, broke: false });
    expect(back.state).toEqual({ current: 6, longest: 6, lastActive: "2026-03-09", freezes: 0 });
  });

  it("during a break the streak is shown as held, with the break's last day", () => {
    const s = startBreak(fiveDays, "2026-03-06", 10);
    expect(viewStreak(s, "2026-03-12")).toEqual({ current: 5, longest: 5, freezes: 0, studiedToday: false, freezesAtRisk: 0, breakUntil: "2026-03-15" });
    expect(viewStreak(s, "2026-03-16")).toEqual({ current: 5, longest: 5, freezes: 0, studiedToday: false, freezesAtRisk: 0 });
    expect(viewStreak(s, "2026-03-17").current).toBe(0); // a missed day after the break, and no freeze
  });

  it("studying during a break ends it early and counts that day", () => {
    const s = startBreak(fiveDays, "2026-03-06", 10);
    const r = recordActivity(s, "2026-03-08");
    expect(r).toMatchObject({ newDay: true, freezesSpent: 0, broke: false });
    expect(r.state).toEqual({ current: 6, longest: 6, lastActive: "2026-03-08", freezes: 0 });
    expect(onBreak(r.state, "2026-03-09")).toBe(false);
    expect(viewStreak(r.state, "2026-03-10").current).toBe(0); // the break is over: 03-09 was missed
  });

  it("finishing today's quiz after starting a break today does not cancel the break", () => {
    const s = startBreak(fiveDays, "2026-03-05", 4); // studied on 03-05, then /break 4
    const r = recordActivity(s, "2026-03-05");
    expect(r.newDay).toBe(false);
    expect(onBreak(r.state, "2026-03-06")).toBe(true);
  });

  it("/break off ends the break: its past days stay covered, one that began today is dropped", () => {
    const s = startBreak(fiveDays, "2026-03-06", 10);
    const off = endBreak(s, "2026-03-09");
    expect(off.pause).toEqual({ from: "2026-03-06", until: "2026-03-08" });
    expect(onBreak(off, "2026-03-09")).toBe(false);
    expect(recordActivity(off, "2026-03-09").state.current).toBe(6);
    expect(endBreak(s, "2026-03-06").pause).toBeUndefined();
    expect(endBreak(fiveDays, "2026-03-06")).toBe(fiveDays);
  });

  it("a break that has ended keeps covering its days until the next study day, which drops it", () => {
    const s = startBreak(fiveDays, "2026-03-06", 2); // 03-06..03-07
    expect(viewStreak(s, "2026-03-08")).toMatchObject({ current: 5, freezesAtRisk: 0 });
    const r = recordActivity(s, "2026-03-08");
    expect(r.state.current).toBe(6);
    expect(r.state.pause).toBeUndefined();
  });

  it("a new break while on one replaces its end and keeps the days already taken", () => {
    const s = startBreak(startBreak(fiveDays, "2026-03-06", 10), "2026-03-08", 2);
    expect(s.pause).toEqual({ from: "2026-03-06", until: "2026-03-09" });
    expect(recordActivity(s, "2026-03-10").state.current).toBe(6);
  });

  it("a break taken the day after another ended does not lose the first one's days", () => {
    const s = startBreak(startBreak(fiveDays, "2026-03-06", 2), "2026-03-08", 2);
    expect(s.pause).toEqual({ from: "2026-03-06", until: "2026-03-09" });
    expect(recordActivity(s, "2026-03-10")).toMatchObject({ freezesSpent: 0, broke: false, state: { current: 6 } });
  });

  it("days missed before a break are settled by freezes when the break starts, as studying would", () => {
    const week = studyOn(run("2026-03-01", 7)); // streak 7, one freeze, last studied 03-07
    const s = startBreak(week, "2026-03-09", 3); // 03-08 missed
    expect(s.freezes).toBe(0);
    expect(s.pause).toEqual({ from: "2026-03-08", until: "2026-03-11" });
    expect(recordActivity(s, "2026-03-12")).toMatchObject({ freezesSpent: 0, broke: false, state: { current: 8, freezes: 0 } });
    // without a freeze the streak is already lost: the break starts today and the return restarts the streak
    const lost = startBreak(fiveDays, "2026-03-08", 3);
    expect(lost.pause).toEqual({ from: "2026-03-08", until: "2026-03-10" });
    expect(recordActivity(lost, "2026-03-11")).toMatchObject({ broke: true, state: { current: 1 } });
  });

  it("a learner who never studied can take a break, and studying drops it", () => {
    const s = startBreak(EMPTY_STREAK, "2026-03-01", 5);
    expect(onBreak(s, "2026-03-03")).toBe(true);
    expect(recordActivity(s, "2026-03-03").state).toEqual({ current: 1, longest: 1, lastActive: "2026-03-03", freezes: 0 });
  });
});

// ---- properties ----

/** The streak rules as they were before breaks, kept as an oracle. */
const oracle = {
  record(prev: StreakState, today: LocalDate): StreakChange {
    const unchanged = { state: prev, newDay: false, freezesSpent: 0, freezeEarned: false, broke: false };
    const grow = (base: StreakState, spent: number, broke: boolean): StreakChange => {
      const current = base.current + 1;
      const earn = current % FREEZE_EVERY_DAYS === 0 && base.freezes < MAX_FREEZES;
      return { state: { current, longest: Math.max(base.longest, current), lastActive: today, freezes: earn ? base.freezes + 1 : base.freezes }, newDay: true, freezesSpent: spent, freezeEarned: earn, broke };
    };
    if (prev.lastActive === null) return grow({ ...prev, current: 0 }, 0, false);
    const gap = daysBetween(prev.lastActive, today);
    if (gap <= 0) return unchanged;
    const missed = gap - 1;
    if (missed === 0) return grow(prev, 0, false);
    if (missed <= prev.freezes) return grow({ ...prev, freezes: prev.freezes - missed }, missed, false);
    return grow({ ...prev, current: 0 }, 0, prev.current > 0);
  },
  view(s: StreakState, today: LocalDate): StreakView {
    if (s.lastActive === null) return { current: 0, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: 0 };
    const gap = daysBetween(s.lastActive, today);
    if (gap <= 0) return { current: s.current, longest: s.longest, freezes: s.freezes, studiedToday: true, freezesAtRisk: 0 };
    const missed = gap - 1;
    if (missed <= s.freezes) return { current: s.current, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: missed };
    return { current: 0, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: 0 };
  },
};

const START = "2026-01-01";
/** Study days as day numbers from START, in any order (late, repeated and out-of-order activity included). */
const studyDays = fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 60 });

type Op = { day: number } & ({ kind: "study" } | { kind: "break"; days: number } | { kind: "off" });
const opsArb = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant<Op["kind"]>("study") },
      { weight: 2, arbitrary: fc.constant<Op["kind"]>("break") },
      { weight: 1, arbitrary: fc.constant<Op["kind"]>("off") },
    ).chain((kind) => fc.record({ step: fc.integer({ min: 0, max: 4 }), days: fc.integer({ min: 1, max: 30 }) }).map(({ step, days }) => ({ kind, step, days }))),
    { maxLength: 60 },
  )
  .map((list) => {
    let day = 0;
    return list.map(({ kind, step, days }): Op => {
      day += step;
      return kind === "break" ? { kind, day, days } : { kind, day };
    });
  });

function apply(s: StreakState, op: Op): StreakState {
  const today = addDays(START, op.day);
  if (op.kind === "study") return recordActivity(s, today).state;
  if (op.kind === "break") return startBreak(s, today, op.days);
  return endBreak(s, today);
}

describe("breaks: properties", () => {
  it("without breaks, recording and viewing behave exactly as before breaks existed", () => {
    fc.assert(
      fc.property(studyDays, fc.integer({ min: 0, max: 130 }), (days, viewDay) => {
        let s = EMPTY_STREAK;
        let old = EMPTY_STREAK;
        for (const d of days) {
          const today = addDays(START, d);
          const a = recordActivity(s, today);
          const b = oracle.record(old, today);
          expect(a).toStrictEqual(b);
          s = a.state;
          old = b.state;
        }
        expect(viewStreak(s, addDays(START, viewDay))).toStrictEqual(oracle.view(old, addDays(START, viewDay)));
      }),
      { numRuns: 500 },
    );
  });

  it("with a break covering every day away, coming back extends the streak by one and spends no freeze", () => {
    fc.assert(
      fc.property(studyDays, fc.boolean(), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 31 }), (days, sameDay, length, back) => {
        const before = days.reduce<StreakState>((s, d) => recordActivity(s, addDays(START, d)).state, EMPTY_STREAK);
        fc.pre(before.lastActive !== null);
        const last = before.lastActive!;
        // the break starts on the last study day (after studying) or the day after; the learner returns during it or the day after it
        const from = sameDay ? last : addDays(last, 1);
        const returnDay = addDays(from, Math.min(back, length));
        fc.pre(daysBetween(last, returnDay) >= 1);
        const r = recordActivity(startBreak(before, from, length), returnDay);
        expect(r).toMatchObject({ newDay: true, freezesSpent: 0, broke: false });
        expect(r.state.current).toBe(before.current + 1);
        expect(r.state.freezes).toBe(before.freezes + (r.freezeEarned ? 1 : 0));
        expect(onBreak(r.state, returnDay)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("a learner who studies every day they are not on a break never loses the streak nor spends a freeze, whatever breaks they take", () => {
    const planArb = fc.array(fc.option(fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constant<"off">("off")), { nil: undefined, freq: 3 }), { minLength: 1, maxLength: 120 });
    fc.assert(
      fc.property(planArb, fc.boolean(), (plan, commandAfterStudy) => {
        let s = EMPTY_STREAK;
        let studied = 0;
        plan.forEach((command, i) => {
          const today = addDays(START, i);
          const act = (): void => {
            if (command === "off") s = endBreak(s, today);
            else if (command !== undefined) s = startBreak(s, today, command);
          };
          const studyUnlessOnBreak = (): void => {
            if (onBreak(s, today)) return;
            const r = recordActivity(s, today);
            expect(r).toMatchObject({ freezesSpent: 0, broke: false });
            if (r.newDay) studied += 1;
            s = r.state;
          };
          if (!commandAfterStudy) act();
          studyUnlessOnBreak();
          if (commandAfterStudy) {
            act();
            studyUnlessOnBreak(); // back from a break today (/break off): today counts again
          }
          expect(viewStreak(s, today).current).toBe(studied);
        });
        expect(s.current).toBe(studied);
      }),
      { numRuns: 500 },
    );
  });

  it("the view on any day agrees with what studying that day would record", () => {
    fc.assert(
      fc.property(opsArb, fc.integer({ min: 0, max: 40 }), (ops, extra) => {
        const s = ops.reduce(apply, EMPTY_STREAK);
        const lastDay = ops.length ? ops[ops.length - 1]!.day : 0;
        const today = addDays(START, lastDay + (extra % 35));
        const view = viewStreak(s, today);
        const r = recordActivity(s, today);
        if (view.studiedToday) {
          expect(r.newDay).toBe(false);
          expect(r.state.current).toBe(view.current);
          return;
        }
        expect(r.newDay).toBe(true);
        expect(r.state.current).toBe(view.current + 1);
        expect(r.freezesSpent).toBe(view.freezesAtRisk);
        expect(r.broke).toBe(view.current === 0 && s.current > 0);
        expect(view.breakUntil !== undefined).toBe(onBreak(s, today));
      }),
      { numRuns: 1000 },
    );
  });

  it("breaks never change the longest streak or the freezes beyond what the rules allow", () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        let s = EMPTY_STREAK;
        for (const op of ops) {
          const next = apply(s, op);
          expect(next.longest).toBeGreaterThanOrEqual(s.longest);
          expect(next.longest).toBeGreaterThanOrEqual(next.current);
          expect(next.freezes).toBeGreaterThanOrEqual(0);
          expect(next.freezes).toBeLessThanOrEqual(MAX_FREEZES);
          if (op.kind !== "study") expect(next.current).toBe(s.current); // a break neither adds to nor resets the streak
          if (next.pause) expect(next.pause.from <= next.pause.until).toBe(true);
          s = next;
        }
      }),
      { numRuns: 500 },
    );
  });
});
