/**
 * Discord's REST API with its global limit (discord-rate-server.ts), run in
 * a process of its own and seen from the test or benchmark that drives it:
 * `requests` fills as the server reports each request.
 *
 * Why its own process: Discord stamps a request when it reaches Discord,
 * whatever our processes are doing. In the driver's process (which seeds
 * Redis, enqueues the minute's 10,000 jobs and scans the records) a blocked
 * event loop let requests pile up unread, then stamped them all with the
 * same Date.now(): in the 10,000-learner benchmark a 100 ms stall turned
 * evenly paced requests into a burst that broke "50 in any 1000 ms", a 429
 * no real Discord would have sent. Here the server's loop does nothing else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dmChannelOf, type RateRequest, type RateServerOptions } from "./discord-rate-server.js";

export type { RateRequest } from "./discord-rate-server.js";
export type RateStandinOptions = RateServerOptions;

const here = path.dirname(fileURLToPath(import.meta.url));

export class DiscordRateStandin {
  readonly requests: RateRequest[] = [];
  port = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly perSecond: number,
  ) {}

  static async start(options: RateStandinOptions): Promise<DiscordRateStandin> {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "discord-rate-standin-process.ts")], {
      cwd: path.resolve(here, "../.."),
      env: { ...process.env, STANDIN_OPTIONS: JSON.stringify(options) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const s = new DiscordRateStandin(child, options.perSecond ?? 50);
    await new Promise<void>((resolve, reject) => {
      child.on("message", (m: { port?: number; record?: RateRequest }) => {
        if (m.record) s.requests.push(m.record);
        else if (m.port) {
          s.port = m.port;
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`the Discord stand-in exited (${code}) before it listened`)));
    });
    return s;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  dmChannelOf(userId: string): string {
    return dmChannelOf(userId);
  }

  /** The next request to arrive gets a global 429 with this Retry-After (seconds), whatever the window says. */
  forceGlobal429(retryAfterSeconds: number): void {
    this.child.send({ force: retryAfterSeconds });
  }

  /** Requests refused on the global limit (a route's 429 names its channel). */
  global429s(): RateRequest[] {
    return this.requests.filter((r) => r.status === 429 && !r.channel);
  }

  /** Stops the server; every request it answered has been reported by then. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    // The channel closes after the last record is read; the process exits after that.
    const closed = Promise.all([new Promise((r) => this.child.once("disconnect", r)), new Promise((r) => this.child.once("exit", r))]);
    const kill = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    this.child.send({ close: true });
    await closed;
    clearTimeout(kill);
  }
}
