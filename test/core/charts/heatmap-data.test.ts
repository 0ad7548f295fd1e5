import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answersPerLocalDay, heatLevel, heatmapData, weekdayIndex, type HeatmapCell, type HeatmapData } from "../../../core/charts/heatmap-data.js";
import { addDays } from "../../../core/time.js";

const NY = "America/New_York";

function cells(d: HeatmapData): HeatmapCell[] {
  return d.weeks.flat().filter((c): c is HeatmapCell => c !== null);
}

function cell(d: HeatmapData, date: string): HeatmapCell | undefined {
  return cells(d).find((c) => c.date === date);
}

describe("calendar heatmap data", () => {
  it("counts answers on the learner's local days across the spring-forward change (New York, 2026-03-08)", () => {
    const byDay = answersPerLocalDay(
      [
        new Date("2026-03-08T04:30:00Z"), // 23:30 EST on the 7th
        new Date("2026-03-08T05:30:00Z"), // 00:30 EST on the 8th
        new Date("2026-03-08T06:59:00Z"), // 01:59 EST, the last minute before the jump
        new Date("2026-03-08T07:00:00Z"), // 03:00 EDT
        new Date("2026-03-09T03:59:00Z"), // 23:59 EDT on the 8th (a 23-hour day)
        new Date("2026-03-09T04:00:00Z"), // 00:00 EDT on the 9th
      ],
      NY,
    );
    // 23:30 on the 9th in New York is already the 10th in UTC: today is still the 9th.
    const d = heatmapData({ answersByDate: byDay, now: new Date("2026-03-10T03:30:00Z"), zone: NY });
    expect(d.end).toBe("2026-03-09");
    expect(cell(d, "2026-03-07")?.answers).toBe(1);
    expect(cell(d, "2026-03-08")?.answers).toBe(4);
    expect(cell(d, "2026-03-09")?.answers).toBe(1);
    expect(d.total).toBe(6);
    expect(d.busiest).toEqual({ date: "2026-03-08", answers: 4 });
  });

  it("counts both passes through the repeated hour on one day at the fall-back change (New York, 2026-11-01)", () => {
    const byDay = answersPerLocalDay(
      [
        new Date("2026-11-01T05:30:00Z"), // 01:30 EDT
        new Date("2026-11-01T06:30:00Z"), // 01:30 EST, the same wall-clock time an hour later
        new Date("2026-11-02T04:59:00Z"), // 23:59 EST on the 1st (a 25-hour day)
        new Date("2026-11-02T05:00:00Z"), // 00:00 EST on the 2nd
      ],
      NY,
    );
    const d = heatmapData({ answersByDate: byDay, now: new Date("2026-11-02T12:00:00Z"), zone: NY });
    expect(cell(d, "2026-11-01")?.answers).toBe(3);
    expect(cell(d, "2026-11-02")?.answers).toBe(1);
    expect(d.activeDays).toBe(2);
  });

  it("shows every day of the last 12 months exactly once, in order, with no gap or repeat at either DST change", () => {
    const d = heatmapData({ answersByDate: {}, now: new Date("2026-11-20T15:00:00Z"), zone: NY });
    expect(d.start).toBe("2025-11-21");
    expect(d.end).toBe("2026-11-20");
    const dates = cells(d).map((c) => c.date);
    expect(dates).toHaveLength(365);
    expect(dates[0]).toBe(d.start);
    dates.forEach((date, i) => {
      if (i > 0) expect(date).toBe(addDays(dates[i - 1]!, 1));
    });
    expect(dates.filter((x) => x === "2026-03-08")).toHaveLength(1);
    expect(dates.filter((x) => x === "2026-11-01")).toHaveLength(1);
  });

  it("a leap year's window holds 366 days", () => {
    const d = heatmapData({ answersByDate: {}, now: new Date("2028-03-01T12:00:00Z"), zone: "UTC" });
    expect(d.start).toBe("2027-03-02");
    expect(cells(d)).toHaveLength(366);
  });

  it("takes today from the learner's zone, not from UTC", () => {
    const now = new Date("2026-06-30T16:00:00Z");
    expect(heatmapData({ answersByDate: {}, now, zone: "Asia/Tokyo" }).end).toBe("2026-07-01");
    expect(heatmapData({ answersByDate: {}, now, zone: "America/Los_Angeles" }).end).toBe("2026-06-30");
  });

  it("lays days out in week columns, Monday on top, like a contributions graph", () => {
    const d = heatmapData({ answersByDate: {}, now: new Date("2026-11-20T15:00:00Z"), zone: NY });
    // 2025-11-21 is a Friday, 2026-11-20 a Friday: 1 partial + 51 full + 1 partial week.
    expect(d.weeks).toHaveLength(53);
    for (const week of d.weeks) expect(week).toHaveLength(7);
    d.weeks.forEach((week) => week.forEach((c, slot) => c && expect(weekdayIndex(c.date)).toBe(slot)));
    expect(d.weeks[0]!.slice(0, 4)).toEqual([null, null, null, null]);
    expect(d.weeks[0]![4]?.date).toBe("2025-11-21");
    expect(d.weeks[52]![4]?.date).toBe("2026-11-20");
    expect(d.weeks[52]!.slice(5)).toEqual([null, null]);
    expect(weekdayIndex("2026-11-23")).toBe(0);
  });

  it("labels the column where each month starts", () => {
    const d = heatmapData({ answersByDate: {}, now: new Date("2026-11-20T15:00:00Z"), zone: NY });
    const march = d.months.find((m) => m.label === "Mar")!;
    expect(d.weeks[march.column]!.some((c) => c?.date === "2026-03-01")).toBe(true);
    // The window starts on 2025-11-21: too little of November to label before December's column.
    expect(d.months.map((m) => m.label)).toEqual(["Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]);
    // Starting on 2025-11-06 leaves room: the first, partial month is labelled too.
    const early = heatmapData({ answersByDate: {}, now: new Date("2026-11-05T15:00:00Z"), zone: NY });
    expect(early.months[0]).toEqual({ column: 0, label: "Nov" });
    expect(early.months[1]?.label).toBe("Dec");
  });

  it("grades days into levels relative to the busiest day", () => {
    expect(heatLevel(0, 20)).toBe(0);
    expect(heatLevel(1, 20)).toBe(1);
    expect(heatLevel(6, 20)).toBe(2);
    expect(heatLevel(15, 20)).toBe(3);
    expect(heatLevel(20, 20)).toBe(4);
    const d = heatmapData({ answersByDate: { "2026-10-14": 20, "2026-10-15": 1 }, now: new Date("2026-11-20T15:00:00Z"), zone: NY });
    expect(cell(d, "2026-10-14")?.level).toBe(4);
    expect(cell(d, "2026-10-15")?.level).toBe(1);
    expect(cell(d, "2026-10-16")?.level).toBe(0);
  });

  it("leaves answers dated outside the window out of the grid and counts them apart", () => {
    const d = heatmapData({
      answersByDate: new Map([
        ["2025-11-20", 5],
        ["2025-11-21", 2],
        ["2026-11-21", 7],
      ]),
      now: new Date("2026-11-20T15:00:00Z"),
      zone: NY,
    });
    expect(d.total).toBe(2);
    expect(d.outside).toBe(12);
  });

  it("puts every answer in the input on exactly one cell (or counts it as outside the window)", () => {
    const zones = ["UTC", NY, "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham"];
    const day = fc.integer({ min: 0, max: 900 }).map((n) => addDays("2025-06-01", n));
    fc.assert(
      fc.property(
        fc.dictionary(day, fc.integer({ min: 1, max: 500 }), { maxKeys: 120 }),
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-12-31T23:59:59Z") }),
        fc.constantFrom(...zones),
        (answersByDate, nowMs, zone) => {
          const d = heatmapData({ answersByDate, now: new Date(nowMs), zone });
          const drawn = cells(d);
          const seen = new Set<string>();
          for (const c of drawn) {
            expect(seen.has(c.date)).toBe(false);
            seen.add(c.date);
          }
          for (const [date, n] of Object.entries(answersByDate)) {
            const matches = drawn.filter((c) => c.date === date);
            if (date >= d.start && date <= d.end) {
              expect(matches).toHaveLength(1);
              expect(matches[0]!.answers).toBe(n);
            } else expect(matches).toHaveLength(0);
          }
          const input = Object.values(answersByDate).reduce((a, b) => a + b, 0);
          expect(drawn.reduce((a, c) => a + c.answers, 0) + d.outside).toBe(input);
          expect(d.total + d.outside).toBe(input);
        },
      ),
      { numRuns: 200 },
    );
  });
});
