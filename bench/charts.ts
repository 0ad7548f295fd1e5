/**
 * Scenario "charts": render time per chart through the real render pool
 * (p50/p95 of the time drawing in the render thread, and of the whole call as
 * the bot sees it), and the answer benchmark run with and without a render
 * loop going at the same time, to show rendering does not slow answers.
 */
import type { Catalog } from "../core/content/catalog.js";
import { createChartRenderer, type ChartRenderer } from "../bots/charts/chart-renderer.js";
import { sampleCharts, type SampleCharts } from "../bots/charts/sample-charts.js";
import { lessonQuestions } from "../core/service/progress-charts.js";
import { benchAnswers, type AnswersResult } from "./answers.js";
import { percentile } from "./measure.js";

export interface ChartFigures {
  width: number;
  height: number;
  pngBytes: number;
  /** Drawing in the render thread (ECharts SVG + resvg PNG). */
  renderP50Ms: number;
  renderP95Ms: number;
  /** renderChart() as the caller sees it: queueing, thread hand-off and drawing. */
  callP50Ms: number;
  callP95Ms: number;
}

export interface ChartsResult {
  renders: number;
  /** Creating the pool until the first chart is drawn (ECharts and the font loaded in the thread). */
  coldStartMs: number;
  charts: Record<keyof SampleCharts, ChartFigures>;
}

const round = (n: number) => Number(n.toFixed(2));

export function samplesFor(catalog: Catalog): SampleCharts {
  return sampleCharts({ now: new Date(), zone: "Europe/Berlin", lessons: lessonQuestions(catalog), teamSize: 25 });
}

async function withRenderer<T>(run: (renderer: ChartRenderer) => Promise<T>): Promise<T> {
  const renderer = createChartRenderer();
  try {
    return await run(renderer);
  } finally {
    await renderer.close();
  }
}

/** Each chart `iterations` times, one at a time, after a warm-up. */
export async function benchChartRenders(catalog: Catalog, iterations: number): Promise<ChartsResult> {
  const samples = samplesFor(catalog);
  return withRenderer(async (renderer) => {
    const t0 = performance.now();
    await renderer.warmUp();
    const coldStartMs = round(performance.now() - t0);
    const kinds = Object.keys(samples) as (keyof SampleCharts)[];
    for (const kind of kinds) for (let i = 0; i < 5; i++) await renderer.renderChart(samples[kind]); // JIT
    const charts = {} as Record<keyof SampleCharts, ChartFigures>;
    for (const kind of kinds) {
      const render: number[] = [];
      const call: number[] = [];
      let last = { width: 0, height: 0, pngBytes: 0 };
      for (let i = 0; i < iterations; i++) {
        const a = performance.now();
        const out = await renderer.renderChart(samples[kind]);
        call.push(performance.now() - a);
        render.push(out.renderMs);
        last = { width: out.width, height: out.height, pngBytes: out.png.length };
      }
      render.sort((x, y) => x - y);
      call.sort((x, y) => x - y);
      charts[kind] = {
        ...last,
        renderP50Ms: round(percentile(render, 50)),
        renderP95Ms: round(percentile(render, 95)),
        callP50Ms: round(percentile(call, 50)),
        callP95Ms: round(percentile(call, 95)),
      };
    }
    return { renders: iterations * kinds.length, coldStartMs, charts };
  });
}

export interface AnswersUnderRenderResult {
  rounds: number;
  /** Median over the rounds of each figure, alone and with charts rendering. */
  without: AnswersResult;
  with: AnswersResult;
  /** Charts asked for per second during the loaded runs (null: back to back, as fast as the pool draws). */
  chartsPerSecond: number | null;
  /** Charts drawn while the loaded runs went on, and their call times then. */
  chartsDuring: number;
  chartCallP50Ms: number;
  chartCallP95Ms: number;
}

function medianResult(results: AnswersResult[]): AnswersResult {
  const out = { ...results[0]! };
  for (const key of Object.keys(out) as (keyof AnswersResult)[]) {
    const sorted = results.map((r) => r[key]).sort((x, y) => x - y);
    out[key] = sorted[Math.floor((sorted.length - 1) / 2)]!;
  }
  return out;
}

/**
 * The answer benchmark on the same Redis, alone and while a loop renders
 * charts (the four kinds in turn) through the pool, back to back or at
 * `chartsPerSecond`, in `rounds`
 * alternating pairs (alone first, then loaded first) so drift and other load
 * on the machine fall on both sides; figures are the medians of the rounds.
 */
export async function benchAnswersWhileRendering(
  url: string,
  catalog: Catalog,
  learners: number,
  answersEach: number,
  paceAnswersPerSecond?: number,
  chartsPerSecond?: number,
  rounds = 3,
): Promise<AnswersUnderRenderResult> {
  const samples = Object.values(samplesFor(catalog));
  return withRenderer(async (renderer) => {
    await renderer.warmUp();
    const calls: number[] = [];
    const alone = () => benchAnswers(url, catalog, learners, answersEach, paceAnswersPerSecond);
    const loaded = async () => {
      let stop = false;
      const t0 = performance.now();
      const loop = (async () => {
        for (let i = 0; !stop; i++) {
          if (chartsPerSecond) {
            const wait = t0 + (1000 * i) / chartsPerSecond - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            if (stop) break;
          }
          const a = performance.now();
          await renderer.renderChart(samples[i % samples.length]!);
          calls.push(performance.now() - a);
        }
      })();
      try {
        return await alone();
      } finally {
        stop = true;
        await loop;
      }
    };
    const without: AnswersResult[] = [];
    const withCharts: AnswersResult[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        without.push(await alone());
        withCharts.push(await loaded());
      } else {
        withCharts.push(await loaded());
        without.push(await alone());
      }
    }
    calls.sort((x, y) => x - y);
    return {
      rounds,
      chartsPerSecond: chartsPerSecond ?? null,
      without: medianResult(without),
      with: medianResult(withCharts),
      chartsDuring: calls.length,
      chartCallP50Ms: round(percentile(calls, 50)),
      chartCallP95Ms: round(percentile(calls, 95)),
    };
  });
}
