/**
 * What operating drillbot costs per event: the interaction gate (a counter, a
 * histogram and one log line) with JSON and pretty logging through the masking
 * destination, and a /metrics scrape of a process with its queues on a real Redis.
 */
import { Queue } from "bullmq";
import { createLogger, type LogFormat } from "../bots/logger.js";
import { createMetrics } from "../bots/ops/metrics.js";
import { InteractionGate } from "../bots/ops/interaction-gate.js";
import { percentile } from "./measure.js";

export interface OpsResult {
  events: number;
  /** Microseconds per handled event through the gate (metrics plus one log line), by log format. */
  gateMicrosPerEvent: Record<LogFormat, number>;
  logLinesPerSecond: Record<LogFormat, number>;
  scrapes: number;
  queues: number;
  scrapeMs: { p50: number; p95: number; max: number };
  scrapeBytes: number;
}

async function gateCost(format: LogFormat, events: number): Promise<{ micros: number; linesPerSecond: number }> {
  let lines = 0;
  // Four secrets, as a bot with Discord and Slack configured has; the lines go nowhere (the cost measured is ours, not the disk's).
  const log = createLogger({ level: "info", format, secrets: ["standin-bot-token-0123456789", "xoxb-0000-bench", "signing-secret-bench", "hunter2-bench"], write: () => void lines++, bindings: { role: "bot" } });
  const gate = new InteractionGate(log);
  const info = { platform: "discord" as const, kind: "button", command: "quiz", workspace: "500000000000000001" };
  const started = performance.now();
  for (let i = 0; i < events; i++) await gate.run(info, async () => "ok");
  const ms = performance.now() - started;
  if (lines !== events) throw new Error(`expected ${events} log lines, got ${lines}`);
  return { micros: Math.round((ms * 1000 * 100) / events) / 100, linesPerSecond: Math.round(events / (ms / 1000)) };
}

export async function benchOps(redisUrl: string, opts: { events: number; scrapes: number }): Promise<OpsResult> {
  const json = await gateCost("json", opts.events);
  const pretty = await gateCost("pretty", opts.events);
  const url = new URL(redisUrl);
  const names = ["drillbot-deliver-discord", "drillbot-deliver-slack", "drillbot-deliver-shell", "drillbot-tick", "drillbot-fsrs"];
  const queues = names.map((n) => new Queue(n, { connection: { host: url.hostname, port: Number(url.port) }, prefix: "bench-ops" }));
  try {
    // Some jobs in each state a scrape counts.
    for (const q of queues) await q.addBulk(Array.from({ length: 200 }, (_, i) => ({ name: "j", data: { i }, opts: i % 2 ? { delay: 3_600_000 } : {} })));
    const registry = createMetrics({ redisUp: () => true, queues: () => queues });
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < opts.scrapes; i++) {
      const t = performance.now();
      bytes = (await registry.metrics()).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const r = (n: number) => Math.round(n * 100) / 100;
    return {
      events: opts.events,
      gateMicrosPerEvent: { json: json.micros, pretty: pretty.micros },
      logLinesPerSecond: { json: json.linesPerSecond, pretty: pretty.linesPerSecond },
      scrapes: opts.scrapes,
      queues: queues.length,
      scrapeMs: { p50: r(percentile(times, 50)), p95: r(percentile(times, 95)), max: r(times[times.length - 1]!) },
      scrapeBytes: bytes,
    };
  } finally {
    for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
    await Promise.all(queues.map((q) => q.close()));
  }
}
