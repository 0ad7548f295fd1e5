/**
 * How the process ends. Resources register a closer as they start; every way
 * out (the command finishing, /quit or end of input, SIGINT, SIGTERM, SIGHUP,
 * an uncaught error) runs the closers in reverse order, bounded by a deadline,
 * then exits. A second signal exits at once. Sync hooks run on every exit,
 * even process.exit from elsewhere: the last chance to signal a child.
 */
import type { Logger } from "../logger.js";

export interface LifecycleOptions {
  log: Logger;
  /** How long in-flight events and jobs may take to finish (the drains); default 20 s. */
  graceMs?: number;
  /** The whole shutdown's bound (drains, then closers); past it the process exits anyway. Default grace + 9 s. */
  deadlineMs?: number;
  exit?: (code: number) => never;
}

type Closer = { name: string; close: () => Promise<void> };
/** Stops taking new work and lets work in flight finish until `deadline` (epoch ms); must settle by then. */
type Drain = { name: string; drain: (deadline: number) => Promise<void> };

export class Lifecycle {
  private readonly closers: Closer[] = [];
  private readonly drains: Drain[] = [];
  private readonly exitHooks: (() => void)[] = [];
  private shuttingDown: Promise<never> | null = null;
  private resolveStop!: (signal: string) => void;
  /** Settles when a signal asks the process to stop (the running command may race it). */
  readonly stopRequested: Promise<string>;
  private readonly exit: (code: number) => never;

  constructor(private readonly opts: LifecycleOptions) {
    this.exit = opts.exit ?? ((code) => process.exit(code));
    this.stopRequested = new Promise((resolve) => (this.resolveStop = resolve));
  }

  get stopping(): boolean {
    return this.shuttingDown !== null;
  }

  /** Installs the signal, error and exit handlers. */
  install(): this {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => this.onSignal(signal));
    }
    process.on("uncaughtException", (err) => this.onCrash(err));
    process.on("unhandledRejection", (err) => this.onCrash(err));
    process.on("exit", () => {
      for (const hook of this.exitHooks.splice(0)) {
        try {
          hook();
        } catch {
          /* exiting anyway */
        }
      }
    });
    return this;
  }

  /** Registers a closer; closers run last-registered first. */
  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /**
   * Registers a drain: at shutdown every drain runs at once, first, sharing
   * one grace period (the adapters finish the events they hold, the workers
   * their jobs); then the closers run.
   */
  addDrain(name: string, drain: (deadline: number) => Promise<void>): void {
    this.drains.push({ name, drain });
  }

  /** A closer run after every other, whenever it was added (the health port, which says 503 while the rest stops). */
  addFinal(name: string, close: () => Promise<void>): void {
    this.closers.unshift({ name, close });
  }

  onExit(hook: () => void): void {
    this.exitHooks.push(hook);
  }

  private onSignal(signal: string): void {
    if (this.shuttingDown) {
      this.opts.log.warn(`${signal} again: exiting now`);
      this.exit(130);
    }
    this.opts.log.info(`${signal}: stopping (again to stop at once)`);
    this.resolveStop(signal);
    void this.shutdown(0);
  }

  private onCrash(err: unknown): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (this.shuttingDown) {
      // Connections closed under a pending command reject late; the process is leaving anyway.
      this.opts.log.debug(`while stopping: ${message}`);
      return;
    }
    this.opts.log.error(`unexpected error, stopping: ${message}`);
    if (err instanceof Error && err.stack) this.opts.log.debug(err.stack);
    void this.shutdown(1);
  }

  /** Runs the drains (bounded by the grace), then the closers (bounded by the deadline), and exits with the code. */
  shutdown(code: number): Promise<never> {
    if (this.shuttingDown) return this.shuttingDown;
    const graceMs = this.opts.graceMs ?? 20_000;
    const deadlineMs = this.opts.deadlineMs ?? graceMs + 9_000;
    this.shuttingDown = (async () => {
      const timer = setTimeout(() => {
        this.opts.log.warn(`stopping took longer than ${Math.round(deadlineMs / 1000)} s; exiting now`);
        this.exit(code);
      }, deadlineMs);
      const graceEnds = Date.now() + graceMs;
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"over">((resolve) => (graceTimer = setTimeout(() => resolve("over"), graceMs)));
      await Promise.all(
        this.drains.splice(0).map(async ({ name, drain }) => {
          try {
            // A drain that overruns its deadline is left behind: the closers cut what it holds.
            if ((await Promise.race([drain(graceEnds), graceOver])) === "over") this.opts.log.warn(`stopping ${name}: still busy when the ${Math.round(graceMs / 1000)} s grace ran out`);
          } catch (err) {
            this.opts.log.warn(`stopping ${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
      );
      clearTimeout(graceTimer);
      for (const { name, close } of this.closers.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          this.opts.log.warn(`stopping ${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      clearTimeout(timer);
      return this.exit(code);
    })();
    return this.shuttingDown;
  }
}
