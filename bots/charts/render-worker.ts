/**
 * The render thread's task handler (loaded by piscina through
 * render-worker-entry.js): draws one chart spec and returns its PNG bytes.
 */
import type { ChartSpec } from "../../core/charts/chart-spec.js";
import { drawChart, type RenderedChart } from "./draw-chart.js";

export interface RenderTask {
  spec: ChartSpec;
  scale?: number;
}

export default function renderTask(task: RenderTask): RenderedChart {
  return drawChart(task.spec, { scale: task.scale });
}
