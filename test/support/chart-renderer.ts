/** The real chart renderer (its worker thread warmed up), shared by every test in a file. */
import { createChartRenderer, type ChartRenderer } from "../../bots/charts/chart-renderer.js";
import { fileFixture } from "./file-fixture.js";

export function useChartRenderer(): ChartRenderer {
  return fileFixture(
    async () => {
      const renderer = createChartRenderer();
      await renderer.warmUp();
      return renderer;
    },
    (renderer) => renderer.close(),
  );
}
