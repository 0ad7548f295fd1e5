/**
 * Renders charts off the main thread: a small piscina pool (one thread by
 * default, at a lower CPU priority) runs ECharts and resvg, so a chart never
 * holds up the event loop that answers learners. The queue is bounded; past
 * it a render is refused at once rather than piling up.
 */
import { Piscina } from "piscina";
import type { ChartSpec } from "../../core/charts/chart-spec.js";
import { heatmapChart } from "../../core/charts/chart-spec.js";
import { heatmapData } from "../../core/charts/heatmap-data.js";
import type { RenderedChart } from "./draw-chart.js";
import type { RenderTask } from "./render-worker.js";

export type { RenderedChart } from "./draw-chart.js";

export interface ChartRendererOptions {
  /** Render threads (default 1: on a 2-core machine the other core stays with the bot). */
  threads?: number;
  /** Charts waiting beyond those rendering; more are refused with ChartRendererBusyError (default 32). */
  maxQueue?: number;
  /** How much lower the render threads' CPU priority is (Linux nice, default 10; 0 = same). */
  niceIncrement?: number;
  /** A render taking longer is abandoned and its thread replaced (default 10 s). */
  timeoutMs?: number;
  /** Pixel density of the PNGs (default 1). */
  scale?: number;
}

export interface ChartRenderer {
  renderChart(spec: ChartSpec): Promise<RenderedChart>;
  /** Loads ECharts and the font in every thread by rendering a small chart; resolves when done. */
  warmUp(): Promise<void>;
  /** Charts waiting for a thread. */
  readonly queued: number;
  /** Waits for the charts in hand, then stops the threads. */
  close(): Promise<void>;
}

export class ChartRendererBusyError extends Error {
  readonly code = "chart-renderer-busy";
  constructor(queued: number) {
    super(`the chart renderer is busy (${queued} charts waiting); try again in a moment`);
  }
}

const ENTRY = new URL("./render-worker-entry.js", import.meta.url).href;

export function createChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  const threads = Math.max(1, options.threads ?? 1);
  const maxQueue = Math.max(1, options.maxQueue ?? 32);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Piscina<RenderTask, RenderedChart>({
    filename: ENTRY,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    niceIncrement: options.niceIncrement ?? 10,
    // Sleep on the queue rather than spin: a spinning render thread would take CPU from the bot.
    atomics: "disabled",
  });
  let closed = false;

  async function renderChart(spec: ChartSpec): Promise<RenderedChart> {
    if (closed) throw new Error("the chart renderer is closed");
    if (pool.queueSize >= maxQueue) throw new ChartRendererBusyError(pool.queueSize);
    const out = await pool.run({ spec, scale: options.scale }, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
      throw err instanceof Error && /queue is at limit/i.test(err.message) ? new ChartRendererBusyError(pool.queueSize) : err;
    });
    // The PNG crosses the thread boundary as a plain Uint8Array: make it a Buffer again, without copying.
    const bytes = out.png as Uint8Array;
    return { ...out, png: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  return {
    renderChart,
    async warmUp() {
      const spec = heatmapChart(heatmapData({ answersByDate: {}, now: new Date(0), zone: "UTC" }));
      await Promise.all(Array.from({ length: threads }, () => renderChart(spec)));
    },
    get queued() {
      return pool.queueSize;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}

/** A renderer whose threads start on the first chart: roles that never draw one (workers, CLI commands) pay nothing at start-up. */
export function lazyChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  let inner: ChartRenderer | null = null;
  let closed = false;
  const get = (): ChartRenderer => {
    if (closed) throw new Error("the chart renderer is closed");
    return (inner ??= createChartRenderer(options));
  };
  return {
    renderChart: (spec) => Promise.resolve().then(() => get().renderChart(spec)),
    warmUp: () => get().warmUp(),
    get queued() {
      return inner?.queued ?? 0;
    },
    async close() {
      closed = true;
      await inner?.close();
    },
  };
}
