/**
 * ECharts option for a team's last weeks: answers as bars with accuracy as a
 * line on its own 0-100% axis (top panel), active learners as bars (bottom
 * panel), weeks across both.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { TeamWeeksData } from "../../core/charts/team-weeks-data.js";
import { BASE_OPTION, GRID_LINE, LABEL_STYLE, TEAM_COLOURS, TEXT, TITLE_STYLE } from "./chart-theme.js";
import type { ChartLayout } from "./chart-layout.js";

const WIDTH = 900;
const HEIGHT = 460;

export function teamWeeksOption(title: string, d: TeamWeeksData, subtitle: string): ChartLayout {
  const weeks = d.weeks.map((w) => w.week.replace(/^\d{4}-/, ""));
  const mondays = d.weeks.map((w) => w.monday.slice(5));
  const categoryAxis = (gridIndex: number, showLabels: boolean) => ({
    type: "category",
    gridIndex,
    data: weeks.map((w, i) => `${w}\n${mondays[i]}`),
    axisTick: { show: false },
    axisLine: { lineStyle: { color: GRID_LINE } },
    axisLabel: { ...LABEL_STYLE, show: showLabels, lineHeight: 15 },
  });
  const valueAxis = (gridIndex: number, name: string, extra: object = {}) => ({
    type: "value",
    gridIndex,
    name,
    nameTextStyle: { ...LABEL_STYLE, align: "left" },
    minInterval: 1,
    axisLabel: LABEL_STYLE,
    splitLine: { lineStyle: { color: GRID_LINE } },
    ...extra,
  });
  const barLabel = { show: true, position: "top", fontFamily: LABEL_STYLE.fontFamily, fontSize: 11, color: TEXT };
  /** One labelled bar series on the given grid (x axis) and value axis. */
  const bars = (name: string, xAxisIndex: number, yAxisIndex: number, color: string, data: number[]) => ({
    type: "bar",
    name,
    xAxisIndex,
    yAxisIndex,
    barWidth: "45%",
    itemStyle: { color },
    label: barLabel,
    emphasis: { disabled: true },
    data,
  });
  const option: EChartsCoreOption = {
    ...BASE_OPTION,
    title: { text: title, subtext: subtitle, left: 16, top: 8, textStyle: TITLE_STYLE, subtextStyle: LABEL_STYLE },
    legend: { top: 58, left: 72, itemWidth: 14, itemHeight: 12, textStyle: LABEL_STYLE, selectedMode: false },
    grid: [
      { left: 72, right: 72, top: 110, height: 170 },
      { left: 72, right: 72, top: 330, height: 80 },
    ],
    xAxis: [categoryAxis(0, false), categoryAxis(1, true)],
    yAxis: [
      valueAxis(0, "answers"),
      valueAxis(0, "accuracy", { min: 0, max: 100, interval: 25, minInterval: undefined, axisLabel: { ...LABEL_STYLE, formatter: "{value}%" }, splitLine: { show: false } }),
      valueAxis(1, "learners", { splitNumber: 2 }),
    ],
    series: [
      bars("Answers", 0, 0, TEAM_COLOURS.answers, d.weeks.map((w) => w.answered)),
      {
        type: "line",
        name: "Accuracy",
        xAxisIndex: 0,
        yAxisIndex: 1,
        symbol: "circle",
        symbolSize: 7,
        lineStyle: { width: 2, color: TEAM_COLOURS.accuracy },
        itemStyle: { color: TEAM_COLOURS.accuracy },
        connectNulls: false,
        emphasis: { disabled: true },
        data: d.weeks.map((w) => (w.accuracy === null ? null : Math.round(w.accuracy * 100))),
      },
      bars("Active learners", 1, 2, TEAM_COLOURS.learners, d.weeks.map((w) => w.learners)),
    ],
  };
  return { option, width: WIDTH, height: HEIGHT };
}
