/**
 * `npm run bench [-- --json] [--only answers|memory|fanout|charts|fsrs|ops|content|delivery] [--learners N] [--slack-learners N] [--answers N] [--pace N] [--subscriptions N] [--renders N] [--fsrs-learners N] [--fsrs-days N]`:
 * runs the benchmark scenarios, each on a fresh embedded redis-server, and prints the
 * figures; with --json the last line is one JSON object with every figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Catalog } from "../core/content/catalog.js";
import { loadCatalog } from "../bots/content/load-packs.js";
import { startEmbeddedRedis } from "../bots/redis/embedded-redis.js";
import { benchAnswers } from "./answers.js";
import { benchAnswersWhileRendering, benchChartRenders } from "./charts.js";
import { benchDelivery } from "./delivery.js";
import { benchFanout } from "./fanout.js";
import { benchFsrs } from "./fsrs.js";
import { benchMemory } from "./memory.js";
import { benchOps } from "./ops.js";
import { benchContent } from "./content.js";
import { loadCourse } from "../bots/content/load-packs.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function onFreshRedis<T>(run: (url: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "drillbot-bench-"));
  const redis = await startEmbeddedRedis({ dataDir: dir, persist: false, dieWithParent: true });
  try {
    return await run(redis.url);
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function answersScenario(catalog: Catalog, json: boolean): Promise<Record<string, unknown>> {
  const learners = arg("--learners", 200);
  const answersEach = arg("--answers", 100);
  const pace = arg("--pace", 5000);
  return onFreshRedis(async (url) => {
    await benchAnswers(url, catalog, 20, 20); // warm-up: JIT, script cache
    const saturated = await benchAnswers(url, catalog, learners, answersEach);
    const paced = await benchAnswers(url, catalog, learners, answersEach, pace);
    if (!json) {
      console.log(`answers: ${learners} concurrent learners, ${saturated.answers} answers a run`);
      console.log(`  capacity: ${saturated.answersPerSecond} answers/s (p50 ${saturated.p50Ms} ms, p99 ${saturated.p99Ms} ms with ${learners} always in flight)`);
      console.log(`  at ${pace} answers/s offered: achieved ${paced.answersPerSecond}/s, p50 ${paced.p50Ms} ms, p90 ${paced.p90Ms} ms, p99 ${paced.p99Ms} ms, max ${paced.maxMs} ms`);
      console.log(`  Redis: ${saturated.redisRoundTripsPerAnswer} round trips, ${saturated.scriptCallsPerAnswer} script calls, ${saturated.redisCommandsPerAnswer} commands (incl. inside the script) per answer`);
    }
    return {
      learners,
      answers: saturated.answers,
      // capacity: every learner answers again as soon as the last answer returns
      answersPerSecond: saturated.answersPerSecond,
      // latency at the target load (open loop, paced at --pace answers/s in all)
      p50Ms: paced.p50Ms,
      p99Ms: paced.p99Ms,
      pacedAnswersPerSecond: paced.answersPerSecond,
      saturatedP50Ms: saturated.p50Ms,
      saturatedP99Ms: saturated.p99Ms,
      redisRoundTripsPerAnswer: saturated.redisRoundTripsPerAnswer,
      redisCommandsPerAnswer: saturated.redisCommandsPerAnswer,
      scriptCallsPerAnswer: saturated.scriptCallsPerAnswer,
    };
  });
}

async function memoryScenario(catalog: Catalog, json: boolean): Promise<Record<string, unknown>> {
  const m = await onFreshRedis((url) => benchMemory(url, catalog));
  const { bytesPerLearner50Cards, bytesPerLearnerAllCards, bytesPerAnswerRecord } = m;
  if (!json) {
    const b = m.jsonBefore;
    console.log(`memory (MEMORY USAGE over a learner's keys; ${m.courseQuestions} questions in the course, the "all cards" learner holds ${m.allCardsLearnerCards}):`);
    console.log(`  learner with 50 cards: ${bytesPerLearner50Cards} B (cards hash ${m.cardsEncoding50}); with JSON cards ${b.bytesPerLearner50Cards} B`);
    console.log(`  learner with every card: ${bytesPerLearnerAllCards} B (cards hash ${m.cardsEncodingAll}); with JSON cards ${b.bytesPerLearnerAllCards} B`);
    console.log(`  answer record (slot or event key): ${bytesPerAnswerRecord} B; as JSON ${b.bytesPerAnswerRecord} B`);
    const w = m.withoutDueIndex;
    console.log(`  without the due index: ${w.bytesPerLearner50Cards} B (50 cards), ${w.bytesPerLearnerAllCards} B (every card); every card in a listpack (hash-max-listpack-entries 1024): ${w.bytesPerLearnerAllCardsListpack1024} B (${w.cardsEncodingAt1024})`);
    console.log(`  stored values: card ${m.cardValueBytes} B (JSON ${b.cardValueBytes} B), record ${m.recordValueBytes} B (JSON ${b.recordValueBytes} B)`);
  }
  return { memory: { bytesPerLearner50Cards, bytesPerLearnerAllCards, bytesPerAnswerRecord, detail: m } };
}

async function fanoutScenario(catalog: Catalog, json: boolean): Promise<Record<string, unknown>> {
  const fanout = await onFreshRedis((url) => benchFanout(url, catalog, arg("--subscriptions", 100_000)));
  if (!json) {
    console.log(`fanout: ${fanout.subscriptions} personal drills due in one minute`);
    console.log(`  enqueue ${fanout.enqueueSeconds} s; delivered ${fanout.jobsPerSecond} jobs/s vs plain BullMQ ${fanout.plainBullmqJobsPerSecond} jobs/s (${Math.round(fanout.overheadRatio * 100)}%)`);
    console.log(
      `  Redis memory ${fanout.redisMemoryBeforeBytes} -> ${fanout.redisMemoryAfterBytes} bytes: queue keys ${fanout.queueMemoryBeforeBytes} -> ${fanout.queueMemoryAfterBytes}, ` +
        `the drills' own state (open sessions, sent-markers) ${fanout.learnerStateAfterBytes}`,
    );
  }
  return { fanout };
}

async function chartsScenario(catalog: Catalog, json: boolean): Promise<Record<string, unknown>> {
  const renders = await benchChartRenders(catalog, arg("--renders", 60));
  const learners = arg("--learners", 200);
  const answersEach = arg("--answers", 100);
  const pace = arg("--pace", 5000);
  const chartRate = 2; // a /stats (two charts) every second
  const runs = await onFreshRedis(async (url) => {
    await benchAnswers(url, catalog, 20, 20); // warm-up: JIT, script cache
    return {
      saturated: await benchAnswersWhileRendering(url, catalog, learners, answersEach),
      saturatedAtRate: await benchAnswersWhileRendering(url, catalog, learners, answersEach, undefined, chartRate),
      paced: await benchAnswersWhileRendering(url, catalog, learners, answersEach, pace),
    };
  });
  const figures = (r: typeof runs.paced.without) => ({ answersPerSecond: r.answersPerSecond, p50Ms: r.p50Ms, p90Ms: r.p90Ms, p99Ms: r.p99Ms, maxMs: r.maxMs });
  const pair = (r: typeof runs.paced) => ({
    chartsPerSecond: r.chartsPerSecond ?? "back to back",
    without: figures(r.without),
    with: figures(r.with),
    chartsDuring: r.chartsDuring,
    chartCallP50Ms: r.chartCallP50Ms,
    chartCallP95Ms: r.chartCallP95Ms,
  });
  if (!json) {
    console.log(`charts: ${renders.renders} renders through the render pool (1 thread), cold start ${renders.coldStartMs} ms`);
    for (const [kind, c] of Object.entries(renders.charts)) {
      console.log(`  ${kind.padEnd(12)} ${c.width}x${c.height} ${c.pngBytes} B: render p50 ${c.renderP50Ms} ms, p95 ${c.renderP95Ms} ms; call p50 ${c.callP50Ms} ms, p95 ${c.callP95Ms} ms`);
    }
    console.log(`  answers alone -> while charts render (medians of ${runs.paced.rounds} alternating rounds each):`);
    const line = (label: string, r: typeof runs.paced) =>
      console.log(
        `    ${label}: ${r.without.answersPerSecond} -> ${r.with.answersPerSecond} answers/s, p50 ${r.without.p50Ms} -> ${r.with.p50Ms} ms, p99 ${r.without.p99Ms} -> ${r.with.p99Ms} ms ` +
          `(${r.chartsDuring} charts meanwhile, call p95 ${r.chartCallP95Ms} ms)`,
      );
    line("capacity, charts back to back", runs.saturated);
    line(`capacity, ${chartRate} charts/s`, runs.saturatedAtRate);
    line(`at ${pace}/s offered, charts back to back`, runs.paced);
  }
  return {
    charts: {
      ...renders,
      answersWhileRendering: {
        rounds: runs.paced.rounds,
        saturated: pair(runs.saturated),
        saturatedAtRate: pair(runs.saturatedAtRate),
        paced: { offered: pace, ...pair(runs.paced) },
      },
    },
  };
}

async function fsrsScenario(json: boolean): Promise<Record<string, unknown>> {
  const fsrs = await onFreshRedis((url) => benchFsrs(url, { learners: arg("--fsrs-learners", 60), days: arg("--fsrs-days", 90) }));
  if (!json) {
    console.log(`fsrs: ${fsrs.learners} simulated learners over ${fsrs.days} days, ${fsrs.reviews} reviews of ${fsrs.cards} cards (memory follows known FSRS weights, not the defaults)`);
    console.log(`  fit on ${fsrs.trainReviews} spaced reviews in ${fsrs.fitMs} ms (whole run ${fsrs.totalMs} ms, event loop held at most ${fsrs.eventLoopMaxDelayMs} ms)`);
    for (const [name, m] of Object.entries(fsrs.heldOut)) console.log(`  held-out (${fsrs.heldOutReviews} reviews) ${name.padEnd(8)} log loss ${m.logLoss}, RMSE (bins) ${m.rmse}`);
  }
  return { fsrs };
}

async function opsScenario(json: boolean): Promise<Record<string, unknown>> {
  const ops = await onFreshRedis((url) => benchOps(url, { events: arg("--ops-events", 50_000), scrapes: arg("--scrapes", 200) }));
  if (!json) {
    console.log(`ops: ${ops.events} events through the interaction gate: ${ops.gateMicrosPerEvent.json} µs each with JSON logs (${ops.logLinesPerSecond.json} lines/s), ${ops.gateMicrosPerEvent.pretty} µs with pretty logs`);
    console.log(`  /metrics with ${ops.queues} queues counted: p50 ${ops.scrapeMs.p50} ms, p95 ${ops.scrapeMs.p95} ms, max ${ops.scrapeMs.max} ms over ${ops.scrapes} scrapes (${ops.scrapeBytes} bytes)`);
  }
  return { ops };
}

async function contentScenario(json: boolean): Promise<Record<string, unknown>> {
  const course = await loadCourse("content");
  if (!course.result.ok) throw new Error("the course does not build");
  const builtIn = { catalog: course.result.catalog, raw: course.raw };
  const r = await onFreshRedis((url) => benchContent(url, builtIn));
  if (!json) {
    console.log(`content: a ${r.contentUploadQuestions}-question CSV upload (${r.contentUploadCsvBytes} B; stored as ${r.contentStoredJsonBytes} B of JSON, ${r.contentPackKeyMemoryBytes} B in Redis; ${r.contentExportYamlBytes} B as exported YAML)`);
    console.log(`  check in place: ${r.contentCheckInPlaceMs} ms, the main thread blocked ${r.contentCheckInPlaceWorstGapMs} ms`);
    console.log(`  check on the pack thread: ${r.contentCheckThreadMs} ms, the main thread's worst gap ${r.contentCheckThreadWorstGapMs} ms`);
    console.log(`  a process rebuilding the workspace's catalog: ${r.contentWorkspaceRebuildMs} ms (catalog build ${r.contentCatalogBuildFromJsonMs} ms; parsing the pack as YAML instead would take ${r.contentStoredYamlParseMs} ms)`);
  }
  return r;
}

/** Not part of a default run (it takes minutes at the platforms' limits): only with --only delivery. */
async function deliveryScenario(json: boolean): Promise<Record<string, unknown>> {
  const learners = arg("--learners", 10_000);
  if (!json) console.log(`delivery: ${learners} personal drills due in one minute, 1 and 3 worker processes, stand-ins enforcing the platforms' limits`);
  const delivery = await onFreshRedis((url) => benchDelivery(url, learners, (l) => (json ? undefined : console.log(l)), arg("--slack-learners", learners)));
  return { delivery };
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  const catalog = await loadCatalog("content");
  if (!catalog.ok) throw new Error("content does not load: run npm run drillbot -- content check");
  const cpus = os.cpus();
  const result: Record<string, unknown> = {
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown", memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
  const runs = (name: string) => only === undefined || only === name;
  if (runs("answers")) Object.assign(result, await answersScenario(catalog.catalog, json));
  if (runs("memory")) Object.assign(result, await memoryScenario(catalog.catalog, json));
  if (runs("fanout")) Object.assign(result, await fanoutScenario(catalog.catalog, json));
  if (runs("charts")) Object.assign(result, await chartsScenario(catalog.catalog, json));
  if (runs("fsrs")) Object.assign(result, await fsrsScenario(json));
  if (runs("ops")) Object.assign(result, await opsScenario(json));
  if (runs("content")) Object.assign(result, await contentScenario(json));
  if (only === "delivery") Object.assign(result, await deliveryScenario(json));
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
