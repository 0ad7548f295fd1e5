/** An ECharts option with the pixel size it is laid out for. */
import type { EChartsCoreOption } from "echarts/core";

export interface ChartLayout {
  option: EChartsCoreOption;
  width: number;
  height: number;
}
