/**
 * Charts as block-character text for terminals: a heatmap grid (one column a
 * week, ·░▒▓█ by level), stacked mastery bars and weekly bars, each line at
 * most `width` columns (default 80) and every glyph one column wide.
 */
import type { ChartSpec } from "./chart-spec.js";
import { WEEKDAY_LABELS, type HeatmapData } from "./heatmap-data.js";
import { masteryTotals, type MasteryRow } from "./mastery-data.js";
import type { TeamWeeksData } from "./team-weeks-data.js";

export const HEAT_GLYPHS = ["·", "░", "▒", "▓", "█"] as const;
export const MASTERY_GLYPHS = { mastered: "█", seen: "▒", notSeen: "░" } as const;
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;
const SPARKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

const numbers = new Intl.NumberFormat("en-US");
const counted = (n: number, one: string) => `${numbers.format(n)} ${one}${n === 1 ? "" : "s"}`;

/** Text cut to `max` columns with an ellipsis. */
export function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** A horizontal bar of `value` out of `max` in eighth blocks, `width` columns wide (padded with spaces). */
export function hbar(value: number, max: number, width: number): string {
  const eighths = max > 0 ? Math.round((Math.max(0, Math.min(value, max)) / max) * width * 8) : 0;
  const full = Math.floor(eighths / 8);
  const bar = "█".repeat(full) + EIGHTHS[eighths % 8]!;
  return bar + " ".repeat(Math.max(0, width - [...bar].length));
}

/** One glyph a value, ▁ (zero) to █ (`max`, by default the largest value). */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  return values.map((v) => SPARKS[max > 0 ? Math.min(7, Math.floor((v / max) * 7.999)) : 0]).join("");
}

export function heatmapText(d: HeatmapData): string {
  const pad = 4;
  const labelRow = new Array<string>(d.weeks.length).fill(" ");
  let free = 0;
  for (const m of d.months) {
    if (m.column < free) continue;
    [...m.label].forEach((ch, i) => {
      if (m.column + i < labelRow.length) labelRow[m.column + i] = ch;
    });
    free = m.column + m.label.length + 1;
  }
  const lines = [" ".repeat(pad) + labelRow.join("").trimEnd()];
  for (let day = 0; day < 7; day++) {
    const row = d.weeks.map((w) => {
      const cell = w[day];
      return cell ? HEAT_GLYPHS[cell.level] : " ";
    });
    lines.push(`${WEEKDAY_LABELS[day]!.padEnd(pad)}${row.join("")}`.trimEnd());
  }
  const busiest = d.busiest ? `, busiest ${d.busiest.date} (${numbers.format(d.busiest.answers)})` : "";
  lines.push(`${" ".repeat(pad)}less ${HEAT_GLYPHS.join("")} more   ${counted(d.total, "answer")} on ${counted(d.activeDays, "day")}${busiest}`);
  return lines.join("\n");
}

function stackedBar(r: MasteryRow, width: number): string {
  if (r.cards === 0) return " ".repeat(width);
  const m = Math.round((width * r.mastered) / r.cards);
  const s = Math.round((width * (r.mastered + r.seen)) / r.cards) - m;
  return MASTERY_GLYPHS.mastered.repeat(m) + MASTERY_GLYPHS.seen.repeat(s) + MASTERY_GLYPHS.notSeen.repeat(width - m - s);
}

export function masteryText(rows: readonly MasteryRow[], width = 80): string {
  const titleWidth = Math.min(24, Math.max(6, ...rows.map((r) => [...r.title].length)));
  const suffix = 15; // " 100% mastered"
  const barWidth = Math.max(10, width - titleWidth - 1 - suffix);
  const lines = rows.map((r) => `${fit(r.title, titleWidth).padEnd(titleWidth)} ${stackedBar(r, barWidth)} ${String(r.percent.mastered).padStart(4)}% mastered`);
  const t = masteryTotals(rows);
  lines.push(
    fit(`${MASTERY_GLYPHS.mastered} mastered ${t.percent.mastered}%  ${MASTERY_GLYPHS.seen} seen ${t.percent.seen}%  ${MASTERY_GLYPHS.notSeen} not seen ${t.percent.notSeen}%  (${numbers.format(t.cards)} cards)`, width),
  );
  return lines.join("\n");
}

export function teamWeeksText(d: TeamWeeksData, width = 80): string {
  const cells = d.weeks.map((w) => ({
    week: w.week,
    learners: `${numbers.format(w.learners)} ${w.learners === 1 ? "learner " : "learners"}`,
    answers: counted(w.answered, "answer"),
    right: w.accuracy === null ? "" : `${Math.round(w.accuracy * 100)}% right`,
  }));
  const lw = Math.max(0, ...cells.map((c) => c.learners.length));
  const aw = Math.max(0, ...cells.map((c) => c.answers.length));
  const barWidth = Math.max(8, width - 8 - 2 - lw - 2 - 2 - aw - 2 - 10);
  const max = Math.max(0, ...d.weeks.map((w) => w.answered));
  const lines = cells.map((c, i) => `${c.week}  ${c.learners.padStart(lw)}  ${hbar(d.weeks[i]!.answered, max, barWidth)}  ${c.answers.padStart(aw)}  ${c.right.padStart(9)}`.trimEnd());
  const acc = d.weeks.map((w) => Math.round((w.accuracy ?? 0) * 100));
  lines.push(fit(`learners ${sparkline(d.weeks.map((w) => w.learners))}  answers ${sparkline(d.weeks.map((w) => w.answered))}  accuracy ${sparkline(acc, 100)}`, width));
  return lines.join("\n");
}

/** The chart as text, with its title on the first line. */
export function chartText(spec: ChartSpec, width = 80): string {
  const body = spec.kind === "heatmap" ? heatmapText(spec.data) : spec.kind === "mastery" ? masteryText(spec.rows, width) : teamWeeksText(spec.data, width);
  return `${fit(spec.title, width)}\n${body}`;
}
