/**
 * Turns the error events of every Redis connection (the bot's client and each
 * BullMQ queue and worker) into two log lines per outage: one warning when
 * Redis has been unreachable for a moment, one when it answers again. Each
 * reconnect attempt's error goes to debug only. A blip shorter than the
 * moment (the embedded server restarting) is not reported as an outage.
 * Errors that are not about the connection are logged, each distinct one at
 * most once a minute.
 */
import type { EventEmitter } from "node:events";
import type { Logger } from "../logger.js";

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
const CONNECTION_MESSAGES = /Connection is closed|connect ETIMEDOUT|Stream isn't writeable|Reached the max retries per request limit|socket closed unexpectedly|LOADING /i;

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && CONNECTION_CODES.has(code)) return true;
  if (CONNECTION_MESSAGES.test(err.message)) return true;
  // ioredis wraps the last network error of a failed command
  const last = (err as { lastNodeError?: unknown }).lastNodeError;
  return last !== undefined && isConnectionError(last);
}

function shortReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return (err as NodeJS.ErrnoException).code ?? err.message.slice(0, 80);
}

export interface OutageMonitorOptions {
  log: Logger;
  /** What is unreachable, for the messages, e.g. "Redis at 127.0.0.1:6379" (never with a password). */
  what: string;
  /** Whether the bot's main connection is working right now. */
  healthy: () => boolean;
  /** How long Redis must stay unreachable before it is an outage worth a warning. */
  warnAfterMs?: number;
}

export class OutageMonitor {
  private downSince: number | null = null;
  private warned = false;
  private timer: NodeJS.Timeout | null = null;
  private quiet = false;
  private readonly recent = new Map<string, number>();

  constructor(private readonly opts: OutageMonitorOptions) {}

  /** Routes an emitter's "error" events here (an emitter with a listener never crashes the process). */
  watch(emitter: EventEmitter, source: string): void {
    emitter.on("error", (err: unknown) => this.report(err, source));
  }

  /** The bot's main connection: its "ready" ends an outage. */
  watchMain(client: EventEmitter, source = "redis"): void {
    this.watch(client, source);
    client.on("ready", () => this.recovered());
  }

  report(err: unknown, source: string): void {
    if (this.quiet) return;
    if (!isConnectionError(err)) {
      const text = `${source}: ${err instanceof Error ? err.message : String(err)}`;
      const last = this.recent.get(text) ?? 0;
      if (Date.now() - last > 60_000) {
        this.recent.set(text, Date.now());
        this.opts.log.warn(text);
      }
      return;
    }
    this.opts.log.debug(`${source}: ${shortReason(err)}`);
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.downSince === null || this.quiet) return;
      if (this.opts.healthy()) {
        this.downSince = null; // a late error from a connection that has since come back
        return;
      }
      this.warned = true;
      this.opts.log.warn(`storage: cannot reach ${this.opts.what} (${shortReason(err)}); answers are not saved until it is back, drillbot keeps retrying`);
    }, this.opts.warnAfterMs ?? 2_500);
    this.timer.unref();
  }

  recovered(): void {
    if (this.downSince === null) return;
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.warned && !this.quiet) this.opts.log.warn(`storage: ${this.opts.what} is back after ${seconds} s; carrying on`);
    this.warned = false;
  }

  /** While shutting down, connection errors are expected: say nothing more. */
  silence(): void {
    this.quiet = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get isDown(): boolean {
    return this.downSince !== null && this.warned;
  }
}
