import { performance } from "node:perf_hooks";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { chartAlt } from "../../../core/charts/chart-alt.js";
import type { LessonQuestions } from "../../../core/charts/mastery-data.js";
import { ChartRendererBusyError, createChartRenderer } from "../../../bots/charts/chart-renderer.js";
import { HEAT_COLOURS, MASTERY_COLOURS, TEAM_COLOURS } from "../../../bots/charts/chart-theme.js";
import { sampleCharts, type SampleCharts } from "../../../bots/charts/sample-charts.js";
import { useChartRenderer } from "../../support/chart-renderer.js";

const lessons: LessonQuestions[] = Array.from({ length: 19 }, (_, i) => ({
  id: `lesson-${i + 1}`,
  title: i === 3 ? "Partitioning very large tables by range and by hash" : `Lesson ${i + 1}: scaling step ${i + 1}`,
  questionIds: Array.from({ length: 16 }, (_, j) => `q${i}-${j}`),
}));
const samples = sampleCharts({ now: new Date("2026-11-20T15:00:00Z"), zone: "America/New_York", lessons });

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function pixelColours(png: Buffer): Map<string, number> {
  const img = PNG.sync.read(png);
  const colours = new Map<string, number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const hex = `#${[img.data[i]!, img.data[i + 1]!, img.data[i + 2]!].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
    colours.set(hex, (colours.get(hex) ?? 0) + 1);
  }
  return colours;
}

const cases: { name: keyof SampleCharts; width: number; height: number; colours: readonly string[] }[] = [
  // 53 week columns of 15 px plus margins; 7 rows plus title and legend.
  { name: "heatmap", width: 867, height: 239, colours: HEAT_COLOURS },
  // 19 lessons of 26 px plus title, legend and axis.
  { name: "mastery", width: 900, height: 618, colours: Object.values(MASTERY_COLOURS) },
  { name: "teamWeeks", width: 900, height: 460, colours: Object.values(TEAM_COLOURS) },
  { name: "teamMastery", width: 900, height: 618, colours: Object.values(MASTERY_COLOURS) },
];

describe("charts rendered to PNG off the main thread", () => {
  const renderer = useChartRenderer();

  for (const c of cases) {
    it(`${c.name}: a PNG that decodes at the expected size, drawn in its colours, with its alt text`, async () => {
      const spec = samples[c.name];
      const out = await renderer.renderChart(spec);
      expect(Buffer.isBuffer(out.png)).toBe(true);
      expect(ihdrSize(out.png)).toEqual({ width: c.width, height: c.height });
      expect({ width: out.width, height: out.height }).toEqual({ width: c.width, height: c.height });
      const colours = pixelColours(out.png);
      expect(colours.size).toBeGreaterThan(20);
      const pixels = c.width * c.height;
      expect(colours.get("#ffffff") ?? 0).toBeLessThan(pixels * 0.95);
      for (const colour of c.colours) expect(colours.get(colour) ?? 0, `${colour} drawn`).toBeGreaterThan(50);
      expect(out.alt).toBe(chartAlt(spec));
      expect(out.renderMs).toBeGreaterThan(0);
    });
  }

  it("draws the same bytes for the same chart (no system font or clock leaks in)", async () => {
    const [a, b] = await Promise.all([renderer.renderChart(samples.heatmap), renderer.renderChart(samples.heatmap)]);
    expect(a.png.equals(b.png)).toBe(true);
  });

  it("keeps the event loop free while charts render", async () => {
    const start = performance.eventLoopUtilization();
    const specs = [samples.heatmap, samples.mastery, samples.teamWeeks, samples.teamMastery, samples.heatmap, samples.mastery];
    const outs = await Promise.all(specs.map((s) => renderer.renderChart(s)));
    const busy = performance.eventLoopUtilization(start);
    // Drawn on this thread, the loop would be busy for the whole render time (utilisation near 1).
    expect(outs.reduce((sum, o) => sum + o.renderMs, 0)).toBeGreaterThan(50);
    expect(busy.utilization).toBeLessThan(0.5);
  });

  it("refuses charts past its queue at once rather than letting them pile up", async () => {
    const small = createChartRenderer({ maxQueue: 1, timeoutMs: 60_000 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => small.renderChart(samples.mastery)));
      const refused = results.filter((r) => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ChartRendererBusyError);
    } finally {
      await small.close();
    }
  }, 30_000);

  it("refuses to render once closed", async () => {
    const closing = createChartRenderer();
    await closing.close();
    await expect(closing.renderChart(samples.heatmap)).rejects.toThrow(/closed/);
  });
});

describe("the lazy renderer of the bot's runtime", () => {
  it("draws like the real one on first use, closes without ever starting when unused, and refuses once closed", async () => {
    const { lazyChartRenderer } = await import("../../../bots/charts/chart-renderer.js");
    const unused = lazyChartRenderer();
    await unused.close();
    await expect(unused.renderChart(samples.heatmap)).rejects.toThrow(/closed/);
    const lazy = lazyChartRenderer({ timeoutMs: 60_000 }); // a cold thread under load can take past the 10 s default
    expect(lazy.queued).toBe(0);
    const out = await lazy.renderChart(samples.heatmap);
    expect(out.png.subarray(1, 4).toString()).toBe("PNG");
    await lazy.close();
    await expect(lazy.renderChart(samples.heatmap)).rejects.toThrow(/closed/);
  });
});
