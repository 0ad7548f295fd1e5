/**
 * The real chart renderer (its worker thread warmed up), shared by every test
 * in a file. The first render in a new thread loads tsx, ECharts and the font:
 * on a loaded 2-core machine (the whole suite in parallel) that alone took
 * over the renderer's 10 s limit, so the fixture allows a minute.
 */
import { createChartRenderer, type ChartRenderer } from "../../bots/charts/chart-renderer.js";
import { fileFixture } from "./file-fixture.js";

export function useChartRenderer(): ChartRenderer {
  return fileFixture(
    async () => {
      const renderer = createChartRenderer({ timeoutMs: 60_000 });
      await renderer.warmUp();
      return renderer;
    },
    (renderer) => renderer.close(),
  );
}
