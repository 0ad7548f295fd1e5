/** A chart spec to PNG bytes in the calling thread (the render worker calls this). */
import { chartAlt } from "../../core/charts/chart-alt.js";
import type { ChartSpec } from "../../core/charts/chart-spec.js";
import { chartSvg } from "./chart-svg.js";
import { svgToPng } from "./svg-to-png.js";

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
  alt: string;
  /** Time spent drawing (SVG and rasterising), in ms. */
  renderMs: number;
}

export interface DrawOptions {
  /** Pixel density: 1 (default) draws at the layout's size, 2 at twice the pixels each way. */
  scale?: number;
}

export function drawChart(spec: ChartSpec, options: DrawOptions = {}): RenderedChart {
  const t0 = performance.now();
  const { svg } = chartSvg(spec);
  const { png, width, height } = svgToPng(svg, options.scale ?? 1);
  return { png, width, height, alt: chartAlt(spec), renderMs: performance.now() - t0 };
}
