/**
 * What a chart shows, as plain data: the core builds it, an adapter turns it
 * into pixels (bots/charts/) or text. It is structured-cloneable, so it can
 * travel to a render worker or sit in a neutral image reply as a render request.
 */
import type { HeatmapData } from "./heatmap-data.js";
import type { MasteryRow } from "./mastery-data.js";
import type { TeamWeeksData } from "./team-weeks-data.js";

export type ChartSpec =
  | { kind: "heatmap"; title: string; data: HeatmapData }
  | { kind: "mastery"; title: string; scope: "learner" | "team"; rows: MasteryRow[] }
  | { kind: "team-weeks"; title: string; data: TeamWeeksData };

export type ChartKind = ChartSpec["kind"];

export function heatmapChart(data: HeatmapData, title = "Answers per day, last 12 months"): ChartSpec {
  return { kind: "heatmap", title, data };
}

export function masteryChart(rows: MasteryRow[], scope: "learner" | "team", title?: string): ChartSpec {
  return { kind: "mastery", scope, rows, title: title ?? (scope === "team" ? "Team mastery by lesson" : "Mastery by lesson") };
}

export function teamWeeksChart(data: TeamWeeksData, title?: string): ChartSpec {
  return { kind: "team-weeks", data, title: title ?? `Team activity, last ${data.weeks.length} weeks` };
}
