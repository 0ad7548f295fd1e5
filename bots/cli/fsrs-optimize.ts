/**
 * `drillbot fsrs optimize --workspace <platform:id>`: fits FSRS parameters on
 * the workspace's review log now (the weekly job does the same), prints what
 * happened and whether the weights were stored. Exit codes: 0 when the log was
 * read (stored, not better, or too small to fit), 1 when there is no log (far
 * more often a mistyped id than a silent team) or the fit failed, 2 for a bad
 * workspace id.
 */
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../../core/ports.js";
import { optimizeWorkspace, type OptimizeSummary } from "../fsrs/optimize-workspace.js";
import { RedisKeys } from "../redis/keys.js";
import { RedisProgressStore } from "../redis/progress-store.js";
import { quoteInput } from "../../core/input-limits.js";
import { checkWorkspace, type Checked } from "./team-export.js";
import { unknownFlag } from "./unknown-flag.js";

export const FSRS_OPTIMIZE_USAGE = "Usage: drillbot fsrs optimize --workspace <platform:id>";

/** The workspace id from the arguments after `fsrs optimize`, checked before anything is started. */
export function parseFsrsOptimizeArgs(args: readonly string[]): Checked<string> {
  const bogus = unknownFlag(args, ["--workspace"]);
  if (bogus) return { ok: false, reason: `${quoteInput(bogus, 40)} is not an option of fsrs optimize. ${FSRS_OPTIMIZE_USAGE}` };
  const extra = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--workspace");
  if (extra !== undefined) return { ok: false, reason: `${quoteInput(extra, 40)} is not expected here. ${FSRS_OPTIMIZE_USAGE}` };
  const i = args.indexOf("--workspace");
  const value = i >= 0 ? args[i + 1] : undefined;
  if (i < 0) return { ok: false, reason: `--workspace is required. ${FSRS_OPTIMIZE_USAGE}` };
  if (value === undefined || value.startsWith("--")) return { ok: false, reason: `--workspace needs a value, e.g. --workspace discord:123456789012345678. ${FSRS_OPTIMIZE_USAGE}` };
  const checked = checkWorkspace(value);
  return checked.ok ? checked : { ok: false, reason: `--workspace: ${checked.reason}` };
}

const n = (x: number) => x.toLocaleString("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (x: number, one: string) => `${n(x)} ${one}${x === 1 ? "" : "s"}`;

/** The lines the CLI prints for a summary. */
export function describeSummary(s: OptimizeSummary): string[] {
  const head = `${s.workspace}: ${count(s.reviews, "review")} of ${count(s.cards, "card")} in the review log`;
  const skipped = s.skipped ? ` (${n(s.skipped)} malformed entries left out)` : "";
  switch (s.outcome) {
    case "no-log":
      return [
        `${s.workspace} has no review log: nobody there has answered a question since the log began, or the id is mistyped.`,
        "Check the id (discord:<server id>, slack:<team id> or shell:local); the log fills as learners answer.",
      ];
    case "below-threshold":
      return [
        `${head}${skipped}.`,
        `FSRS needs at least ${n(s.threshold)} reviews to fit parameters, so the workspace keeps FSRS's default parameters. Nothing was stored.`,
      ];
    case "too-few-spaced":
      return [
        `${head}${skipped}.`,
        `Only ${n(s.trainItems)} reviews to train on and ${n(s.heldOutItems)} to check against were a day or more after the card's previous review; ` +
          "FSRS learns from those, so the workspace keeps the default parameters. Nothing was stored.",
      ];
    case "timeout":
    case "failed":
      return [`${head}${skipped}.`, `The fit stopped: ${s.error ?? "unknown error"}. Nothing was stored; the workspace's parameters are unchanged.`];
    default: {
      const h = s.heldOut!;
      const lines = [
        `${head}${skipped}.`,
        `Fitted in ${((s.fitMs ?? 0) / 1000).toFixed(1)} s on the earlier ${n(s.fitted!.reviews)} reviews of ${n(s.fitted!.cards)} cards ` +
          `(${n(s.trainItems)} of them a day or more after the card's previous review, which is what FSRS predicts); held out the ${n(h.reviews)} such reviews that came after to check.`,
        `Held-out log loss: defaults ${h.defaults.logLoss.toFixed(4)}, fitted ${h.fitted.logLoss.toFixed(4)} (lower is better).`,
        `Held-out RMSE (bins): defaults ${pct(h.defaults.rmse)}, fitted ${pct(h.fitted.rmse)}.`,
      ];
      lines.push(
        s.outcome === "stored"
          ? "Stored: the workspace's cards are scheduled with the fitted parameters from now on."
          : "Not stored: the fitted parameters predict the held-out reviews worse than the defaults, so the workspace's parameters are unchanged.",
      );
      return lines;
    }
  }
}

export async function fsrsOptimize(
  redis: Redis | Cluster,
  prefix: string,
  workspace: string | undefined,
  print: (line: string) => void,
  opts: { clock?: Clock; timeoutMs?: number } = {},
): Promise<number> {
  const checked = parseFsrsOptimizeArgs(workspace === undefined ? [] : ["--workspace", workspace]);
  if (!checked.ok) {
    print(checked.reason);
    return 2;
  }
  const summary = await optimizeWorkspace(
    {
      redis,
      keys: new RedisKeys(prefix),
      settings: new RedisProgressStore(redis, { prefix }),
      clock: opts.clock ?? { now: () => new Date() },
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    },
    checked.value,
  );
  for (const line of describeSummary(summary)) print(line);
  return summary.outcome === "no-log" || summary.outcome === "timeout" || summary.outcome === "failed" ? 1 : 0;
}
