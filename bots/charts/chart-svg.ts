/**
 * A chart spec as SVG, drawn by ECharts' server-side SVG renderer (no DOM, no
 * canvas). Only the chart types and components used here are registered.
 */
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, VisualMapPiecewiseComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { count, percent } from "../../core/charts/chart-alt.js";
import type { ChartSpec } from "../../core/charts/chart-spec.js";
import { masteryTotals } from "../../core/charts/mastery-data.js";
import type { ChartLayout } from "./chart-layout.js";
import { FONT_FILE } from "./chart-theme.js";
import { fontSizeOf, loadFontMetrics } from "./font-metrics.js";
import { heatmapOption } from "./heatmap-option.js";
import { masteryOption } from "./mastery-option.js";
import { teamWeeksOption } from "./team-weeks-option.js";

echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TitleComponent, VisualMapPiecewiseComponent, SVGRenderer]);
const metrics = loadFontMetrics(FONT_FILE);
echarts.setPlatformAPI({ measureText: (text, font) => ({ width: metrics.width(text ?? "", fontSizeOf(font)) }) });

/** The option and size for a spec, with a one-line summary under the title. */
export function chartLayout(spec: ChartSpec): ChartLayout {
  switch (spec.kind) {
    case "heatmap": {
      const d = spec.data;
      const busiest = d.busiest ? ` · busiest ${d.busiest.date} (${d.busiest.answers})` : "";
      return heatmapOption(spec.title, d, `${count(d.total, "answer")} on ${count(d.activeDays, "day")}${busiest} · ${d.start} to ${d.end}, ${d.zone}`);
    }
    case "mastery": {
      const t = masteryTotals(spec.rows);
      return masteryOption(spec.title, spec.rows, `${t.percent.mastered}% of ${count(t.cards, "card")} mastered, ${t.percent.seen}% seen, ${t.percent.notSeen}% not seen yet`);
    }
    case "team-weeks": {
      const t = spec.data.totals;
      const right = t.accuracy === null ? "" : `, ${percent(t.accuracy)} right`;
      return teamWeeksOption(spec.title, spec.data, `${count(t.answered, "answer")}${right} · up to ${count(t.peakLearners, "active learner")} a week`);
    }
  }
}

export function chartSvg(spec: ChartSpec): { svg: string; width: number; height: number } {
  const { option, width, height } = chartLayout(spec);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption(option);
    return { svg: chart.renderToSVGString(), width, height };
  } finally {
    chart.dispose();
  }
}
