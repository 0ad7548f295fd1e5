/**
 * Every chat event an adapter handles passes through its gate, which
 * - counts it (drillbot_interactions_total, drillbot_interaction_duration_seconds),
 * - writes one log line for it (platform, workspace, kind, command, outcome, ms),
 * - and, once shutdown begins, turns new events away while the ones in
 *   flight finish (drain), so nothing is cut off half-written.
 */
import type { Logger } from "../logger.js";
import { interactions, interactionSeconds } from "./telemetry.js";

/** How an event ended: handled; turned away (shutting down); too late to answer (the platform's deadline passed); failed. */
export type InteractionOutcome = "ok" | "refused" | "expired" | "error";

export interface InteractionInfo {
  platform: "discord" | "slack";
  /** command, answer, button, select, modal, autocomplete, home, ... (a bounded set). */
  kind: string;
  /** The slash command or subcommand, when there is one. */
  command?: string;
  /** The server or workspace id: logged, never a metric label. */
  workspace?: string;
}

export class InteractionGate {
  private open = true;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** False once shutdown has begun: the adapter answers "restarting" instead of handling. */
  get accepting(): boolean {
    return this.open;
  }

  /**
   * Handles one event: `handle` resolves to its outcome ("ok" when it returns nothing).
   * A thrown error counts as "error" and is rethrown to the caller.
   */
  async run(info: InteractionInfo, handle: () => Promise<InteractionOutcome | void>): Promise<void> {
    const started = this.now();
    const work = handle();
    this.inFlight.add(work);
    let outcome: InteractionOutcome = "error";
    try {
      outcome = (await work) ?? "ok";
    } finally {
      this.inFlight.delete(work);
      this.record(info, outcome, this.now() - started);
    }
  }

  /** Counts and logs an event turned away without handling (shutting down). */
  refused(info: InteractionInfo): void {
    this.record(info, "refused", 0);
  }

  private record(info: InteractionInfo, outcome: InteractionOutcome, ms: number): void {
    interactions.inc({ platform: info.platform, kind: info.kind, outcome });
    if (outcome !== "refused") interactionSeconds.observe({ platform: info.platform, kind: info.kind }, ms / 1000);
    const line = { platform: info.platform, kind: info.kind, ...(info.command ? { command: info.command } : {}), ...(info.workspace ? { workspace: info.workspace } : {}), outcome, ms: Math.round(ms) };
    if (outcome === "error" || outcome === "expired") this.log.warn("interaction", line);
    else this.log.info("interaction", line);
  }

  /** Stops taking new events and waits for those in flight, until `deadline` (epoch ms). True when all finished. */
  async drain(deadline: number): Promise<boolean> {
    this.open = false;
    while (this.inFlight.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.log.warn(`${this.inFlight.size} chat event(s) still being handled when the shutdown grace ran out`);
        return false;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
    return true;
  }
}
