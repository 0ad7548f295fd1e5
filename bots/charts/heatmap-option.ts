/**
 * ECharts option for the calendar heatmap: the core's week columns drawn as a
 * plain category grid (weeks across, Monday..Sunday down), so ECharts never
 * parses a date or applies the process's time zone.
 */
import type { EChartsCoreOption } from "echarts/core";
import { WEEKDAY_LABELS, type HeatmapData } from "../../core/charts/heatmap-data.js";
import { BASE_OPTION, HEAT_COLOURS, LABEL_STYLE, MUTED_TEXT, TITLE_STYLE } from "./chart-theme.js";
import type { ChartLayout } from "./chart-layout.js";

const CELL = 15;
const LEFT = 48;
const RIGHT = 24;
const TOP = 64;

export function heatmapOption(title: string, d: HeatmapData, subtitle: string): ChartLayout {
  const columns = d.weeks.length;
  const width = LEFT + columns * CELL + RIGHT;
  const height = TOP + 7 * CELL + 70;
  const monthAt = new Map(d.months.map((m) => [m.column, m.label]));
  const data: [number, number, number, number][] = [];
  d.weeks.forEach((week, x) =>
    week.forEach((cell, y) => {
      if (cell) data.push([x, y, cell.level, cell.answers]);
    }),
  );
  const option: EChartsCoreOption = {
    ...BASE_OPTION,
    title: { text: title, subtext: subtitle, left: LEFT - 8, top: 8, textStyle: TITLE_STYLE, subtextStyle: { ...LABEL_STYLE, fontSize: 12 } },
    grid: { left: LEFT, right: RIGHT, top: TOP, height: 7 * CELL, containLabel: false },
    xAxis: {
      type: "category",
      position: "bottom",
      data: Array.from({ length: columns }, (_, x) => monthAt.get(x) ?? ""),
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { ...LABEL_STYLE, interval: 0, align: "left", margin: 6 },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: WEEKDAY_LABELS.map((l, i) => (i % 2 === 0 ? l : "")),
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { ...LABEL_STYLE, interval: 0, margin: 6 },
    },
    visualMap: {
      type: "piecewise",
      dimension: 2,
      orient: "horizontal",
      right: RIGHT,
      bottom: 8,
      itemWidth: 12,
      itemHeight: 12,
      itemGap: 3,
      text: ["More", "Less"],
      textGap: 6,
      showLabel: false,
      textStyle: { ...LABEL_STYLE, color: MUTED_TEXT },
      pieces: HEAT_COLOURS.map((color, level) => ({ value: level, color })),
      selectedMode: false,
    },
    series: [
      {
        type: "heatmap",
        data,
        itemStyle: { borderColor: "#ffffff", borderWidth: 2, borderRadius: 2 },
        emphasis: { disabled: true },
      },
    ],
  };
  return { option, width, height };
}
