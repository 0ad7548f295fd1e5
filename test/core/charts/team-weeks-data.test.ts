import { describe, expect, it } from "vitest";
import { lastIsoWeeks, teamWeeksData } from "../../../core/charts/team-weeks-data.js";

describe("team weeks data", () => {
  it("ends with the ISO week that holds now in the team's zone", () => {
    // Monday 02:00 UTC: already Monday in Berlin (W48), still Sunday evening in New York (W47).
    const now = new Date("2026-11-23T02:00:00Z");
    const berlin = lastIsoWeeks(now, "Europe/Berlin");
    const ny = lastIsoWeeks(now, "America/New_York");
    expect(berlin).toHaveLength(8);
    expect(berlin[7]).toEqual({ week: "2026-W48", monday: "2026-11-23" });
    expect(berlin[0]).toEqual({ week: "2026-W41", monday: "2026-10-05" });
    expect(ny[7]).toEqual({ week: "2026-W47", monday: "2026-11-16" });
  });

  it("crosses the ISO year boundary, including a 53-week year", () => {
    const weeks = lastIsoWeeks(new Date("2027-01-05T12:00:00Z"), "UTC", 3).map((w) => w.week);
    expect(weeks).toEqual(["2026-W52", "2026-W53", "2027-W01"]);
  });

  it("keeps weeks without figures as zero with no accuracy, oldest first", () => {
    const d = teamWeeksData({
      figures: { "2026-W48": { learners: 4, answered: 40, correct: 30 }, "2026-W45": { learners: 2, answered: 10, correct: 9 } },
      now: new Date("2026-11-25T12:00:00Z"),
      zone: "Europe/Berlin",
    });
    expect(d.weeks.map((w) => w.week)).toEqual(["2026-W41", "2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
    expect(d.weeks[0]).toMatchObject({ learners: 0, answered: 0, correct: 0, accuracy: null });
    expect(d.weeks[4]).toMatchObject({ learners: 2, answered: 10, accuracy: 0.9 });
    expect(d.weeks[7]).toMatchObject({ learners: 4, answered: 40, accuracy: 0.75 });
  });

  it("totals add answers and correct answers but take the busiest week's learners", () => {
    const d = teamWeeksData({
      figures: new Map([
        ["2026-W47", { learners: 3, answered: 30, correct: 15 }],
        ["2026-W48", { learners: 5, answered: 10, correct: 10 }],
        ["2026-W30", { learners: 50, answered: 1000, correct: 1000 }],
      ]),
      now: new Date("2026-11-25T12:00:00Z"),
      zone: "UTC",
    });
    expect(d.totals).toEqual({ answered: 40, correct: 25, accuracy: 25 / 40, peakLearners: 5 });
  });
});
