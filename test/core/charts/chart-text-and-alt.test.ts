import { describe, expect, it } from "vitest";
import { chartAlt } from "../../../core/charts/chart-alt.js";
import { heatmapChart, masteryChart, teamWeeksChart } from "../../../core/charts/chart-spec.js";
import { chartText, hbar, HEAT_GLYPHS, sparkline } from "../../../core/charts/chart-text.js";
import { heatmapData, weekdayIndex } from "../../../core/charts/heatmap-data.js";
import type { MasteryRow } from "../../../core/charts/mastery-data.js";
import { teamWeeksData } from "../../../core/charts/team-weeks-data.js";
import { addDays } from "../../../core/time.js";

const now = new Date("2026-11-20T15:00:00Z");
const zone = "America/New_York";

function columns(line: string): number {
  return [...line].length;
}

function row(title: string, mastered: number, seen: number, notSeen: number): MasteryRow {
  const cards = mastered + seen + notSeen;
  const pct = (n: number) => Math.round((100 * n) / cards);
  return { lessonId: title, title, cards, mastered, seen, notSeen, percent: { mastered: pct(mastered), seen: pct(seen), notSeen: 100 - pct(mastered) - pct(seen) } };
}

/** 214 answers on 63 days, busiest 2026-10-14 with 18. */
function fixtureCounts(): Record<string, number> {
  const counts: Record<string, number> = { "2026-10-14": 18 };
  let left = 214 - 18;
  for (let i = 0; i < 62; i++) {
    const n = i < 52 ? 3 : 4;
    counts[addDays("2026-01-05", i * 4)] = Math.min(n, left);
    left -= n;
  }
  return counts;
}

describe("charts as text", () => {
  it("the heatmap grid is 7 weekday rows of one glyph a week, and fits 80 columns even with 54 weeks", () => {
    // 2028-03-01: a 366-day window starting on a Thursday spans 53 columns; 2027-01-03 (Sunday) ends a 54-column one.
    for (const at of [now, new Date("2028-03-01T12:00:00Z"), new Date("2027-01-03T12:00:00Z")]) {
      const d = heatmapData({ answersByDate: fixtureCounts(), now: at, zone });
      const lines = chartText(heatmapChart(d)).split("\n");
      expect(lines).toHaveLength(1 + 1 + 7 + 1);
      for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(80);
    }
  });

  it("the busiest day shows as a full block in its weekday's row and week's column", () => {
    const d = heatmapData({ answersByDate: { "2026-10-14": 18, "2026-10-15": 1 }, now, zone });
    const lines = chartText(heatmapChart(d)).split("\n");
    const column = d.weeks.findIndex((w) => w.some((c) => c?.date === "2026-10-14"));
    const wednesday = lines[2 + weekdayIndex("2026-10-14")]!;
    expect(wednesday.startsWith("Wed")).toBe(true);
    expect([...wednesday][4 + column]).toBe("█");
    expect([...lines[2 + weekdayIndex("2026-10-15")]!][4 + column]).toBe(HEAT_GLYPHS[1]);
    expect([...lines[2 + weekdayIndex("2026-10-16")]!][4 + column]).toBe(HEAT_GLYPHS[0]);
  });

  it("mastery bars are equally long, split in proportion, and fit 80 columns with long lesson titles", () => {
    const rows = [row("A lesson with a title far longer than the column for titles", 5, 3, 2), row("Short", 0, 0, 10), row("All done", 10, 0, 0)];
    const lines = chartText(masteryChart(rows, "learner")).split("\n");
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(80);
    const bars = lines.slice(1, 4).map((l) => [...l].filter((ch) => "█▒░".includes(ch)).join(""));
    expect(new Set(bars.map((b) => b.length)).size).toBe(1);
    const width = bars[0]!.length;
    expect([...bars[0]!].filter((c) => c === "█")).toHaveLength(Math.round(width / 2));
    expect(bars[1]).toBe("░".repeat(width));
    expect(bars[2]).toBe("█".repeat(width));
    expect(lines[1]).toContain("…");
    expect(lines[1]).toMatch(/50% mastered$/);
  });

  it("team weeks show one line a week with a bar scaled to the busiest week, within 80 columns", () => {
    const d = teamWeeksData({
      figures: { "2026-W47": { learners: 12, answered: 12_345, correct: 9_000 }, "2026-W46": { learners: 1, answered: 6_000, correct: 3_000 } },
      now,
      zone,
    });
    const lines = chartText(teamWeeksChart(d)).split("\n");
    expect(lines).toHaveLength(1 + 8 + 1);
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(80);
    expect(lines[8]).toMatch(/^2026-W47 +12 learners +█+ +12,345 answers +73% right$/);
    expect(lines[7]).toContain("1 learner ");
    expect(lines[1]).toMatch(/^2026-W40 +0 learners +0 answers$/);
  });

  it("bars and sparklines scale to their maximum", () => {
    expect(hbar(5, 10, 10)).toBe("█████     ");
    expect(hbar(1, 16, 2)).toBe("▏ ");
    expect(hbar(0, 0, 3)).toBe("   ");
    expect(sparkline([0, 1, 2, 4, 8])).toBe("▁▁▂▄█");
    expect(sparkline([50, 100], 100)).toBe("▄█");
  });
});

describe("alt text", () => {
  it("sums the heatmap in a sentence: total, active days and the busiest day", () => {
    const d = heatmapData({ answersByDate: fixtureCounts(), now, zone });
    expect(chartAlt(heatmapChart(d))).toBe("Answers per day from 2025-11-21 to 2026-11-20 (America/New_York): 214 answers on 63 days, busiest 2026-10-14 with 18.");
    expect(chartAlt(heatmapChart(heatmapData({ answersByDate: {}, now, zone })))).toMatch(/: no answers yet\.$/);
  });

  it("sums mastery with counts, shares and the strongest and weakest lessons started", () => {
    const alt = chartAlt(masteryChart([row("Indexes", 6, 2, 2), row("Replicas", 1, 4, 5), row("Sharding", 0, 0, 10)], "team"));
    expect(alt).toBe(
      "Team mastery across 3 lessons: 7 cards of 30 mastered (23%), 6 seen but not mastered (20%), 17 not seen (57%). " +
        "Strongest: Indexes (60% mastered); weakest started: Replicas (10%).",
    );
  });

  it("sums the team's weeks: answers, accuracy, peak learners and this week", () => {
    const d = teamWeeksData({ figures: { "2026-W47": { learners: 3, answered: 40, correct: 32 }, "2026-W45": { learners: 9, answered: 60, correct: 30 } }, now, zone });
    expect(chartAlt(teamWeeksChart(d))).toBe(
      "Team activity per week from 2026-W40 to 2026-W47: 100 answers, 62% right overall, up to 9 active learners a week; this week 3 learners, 40 answers, 80% right.",
    );
  });
});
