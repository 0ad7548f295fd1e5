/**
 * Alt text for every chart: one or two sentences that carry the chart's main
 * figures, for screen readers and for platforms that show no image.
 */
import type { ChartSpec } from "./chart-spec.js";
import type { HeatmapData } from "./heatmap-data.js";
import { masteryTotals, type MasteryRow } from "./mastery-data.js";
import type { TeamWeeksData } from "./team-weeks-data.js";

const numbers = new Intl.NumberFormat("en-US");

export function count(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function heatmapAlt(d: HeatmapData): string {
  const head = `Answers per day from ${d.start} to ${d.end} (${d.zone})`;
  if (d.total === 0) return `${head}: no answers yet.`;
  const busiest = d.busiest ? `, busiest ${d.busiest.date} with ${numbers.format(d.busiest.answers)}` : "";
  return `${head}: ${count(d.total, "answer")} on ${count(d.activeDays, "day")}${busiest}.`;
}

export function masteryAlt(rows: readonly MasteryRow[], scope: "learner" | "team"): string {
  const who = scope === "team" ? "Team mastery" : "Mastery";
  const t = masteryTotals(rows);
  if (rows.length === 0 || t.cards === 0) return `${who} by lesson: no lessons to show.`;
  const head =
    `${who} across ${count(rows.length, "lesson")}: ${count(t.mastered, "card")} of ${numbers.format(t.cards)} mastered (${t.percent.mastered}%), ` +
    `${numbers.format(t.seen)} seen but not mastered (${t.percent.seen}%), ${numbers.format(t.notSeen)} not seen (${t.percent.notSeen}%).`;
  const started = rows.filter((r) => r.mastered + r.seen > 0);
  if (started.length === 0) return head;
  const byShare = [...started].sort((a, b) => b.mastered / b.cards - a.mastered / a.cards || a.title.localeCompare(b.title));
  const best = byShare[0]!;
  const worst = byShare[byShare.length - 1]!;
  const tail = best === worst ? ` Strongest: ${best.title} (${best.percent.mastered}% mastered).` : ` Strongest: ${best.title} (${best.percent.mastered}% mastered); weakest started: ${worst.title} (${worst.percent.mastered}%).`;
  return head + tail;
}

export function teamWeeksAlt(d: TeamWeeksData): string {
  const first = d.weeks[0];
  const last = d.weeks[d.weeks.length - 1];
  if (!first || !last) return "Team activity: no weeks to show.";
  const head = `Team activity per week from ${first.week} to ${last.week}`;
  if (d.totals.answered === 0) return `${head}: no answers yet.`;
  const thisWeek = last.answered > 0 ? `${count(last.learners, "learner")}, ${count(last.answered, "answer")}, ${percent(last.accuracy ?? 0)} right` : "no answers yet";
  return (
    `${head}: ${count(d.totals.answered, "answer")}, ${percent(d.totals.accuracy ?? 0)} right overall, ` +
    `up to ${count(d.totals.peakLearners, "active learner")} a week; this week ${thisWeek}.`
  );
}

export function chartAlt(spec: ChartSpec): string {
  switch (spec.kind) {
    case "heatmap":
      return heatmapAlt(spec.data);
    case "mastery":
      return masteryAlt(spec.rows, spec.scope);
    case "team-weeks":
      return teamWeeksAlt(spec.data);
  }
}
