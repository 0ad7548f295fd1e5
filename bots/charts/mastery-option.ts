/**
 * ECharts option for mastery by lesson: one horizontal bar a lesson, stacked
 * mastered / seen / not seen as percentages of the lesson's cards, first
 * lesson on top, the height growing with the number of lessons.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { MasteryRow } from "../../core/charts/mastery-data.js";
import { BASE_OPTION, GRID_LINE, LABEL_STYLE, MASTERY_COLOURS, TEXT, TITLE_STYLE } from "./chart-theme.js";
import type { ChartLayout } from "./chart-layout.js";

const ROW = 26;
const TOP = 84;
const BOTTOM = 40;
const WIDTH = 900;
const LABEL_WIDTH = 250;

export function masteryOption(title: string, rows: readonly MasteryRow[], subtitle: string): ChartLayout {
  const height = TOP + Math.max(1, rows.length) * ROW + BOTTOM;
  const series = (["mastered", "seen", "notSeen"] as const).map((key) => ({
    type: "bar",
    name: key === "mastered" ? "Mastered (recall ≥ 90% today)" : key === "seen" ? "Seen, not mastered" : "Not seen",
    stack: "cards",
    barWidth: ROW - 8,
    itemStyle: { color: MASTERY_COLOURS[key] },
    label: {
      show: key !== "notSeen",
      position: "inside",
      fontFamily: LABEL_STYLE.fontFamily,
      fontSize: 11,
      color: key === "mastered" ? "#ffffff" : TEXT,
      formatter: (p: { value: number }) => (p.value >= 8 ? `${p.value}%` : ""),
    },
    emphasis: { disabled: true },
    data: rows.map((r) => r.percent[key]),
  }));
  const option: EChartsCoreOption = {
    ...BASE_OPTION,
    title: { text: title, subtext: subtitle, left: 16, top: 8, textStyle: TITLE_STYLE, subtextStyle: LABEL_STYLE },
    legend: { top: 56, left: LABEL_WIDTH + 24, itemWidth: 14, itemHeight: 12, textStyle: LABEL_STYLE, selectedMode: false },
    grid: { left: LABEL_WIDTH + 24, right: 32, top: TOP, bottom: BOTTOM },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      interval: 25,
      axisLabel: { ...LABEL_STYLE, formatter: "{value}%" },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => r.title),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { ...LABEL_STYLE, color: TEXT, width: LABEL_WIDTH, overflow: "truncate", ellipsis: "…" },
    },
    series,
  };
  return { option, width: WIDTH, height };
}
