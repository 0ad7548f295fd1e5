/**
 * `drillbot fsrs optimize --workspace <platform:id>` on a real Redis: what it
 * prints and its exit code for a bad id, a workspace with no log, a log too
 * small to fit, and a log it fits and stores.
 */
import { describe, expect, it } from "vitest";
import { simulateReviewLog } from "../../../core/fsrs/simulate-learners.js";
import { fsrsOptimize, parseFsrsOptimizeArgs } from "../../../bots/cli/fsrs-optimize.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { writeReviewLog } from "../../../bots/fsrs/write-review-log.js";

const redis = useTestRedis();
const clock = fixedClock("2026-03-01T12:00:00Z");

async function run(prefix: string, workspace: string | undefined): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await fsrsOptimize(redis.client, prefix, workspace, (l) => out.push(l), { clock });
  return { code, out };
}

describe("drillbot fsrs optimize", () => {
  it("refuses a workspace id that is not <platform>:<id>, saying the forms it takes, before reading anything", async () => {
    for (const bad of ["123456789012345678", "teams:T1", "discord:my-server", "slack:t0123abcd", ""]) {
      const { code, out } = await run(uniquePrefix(), bad);
      expect(code).toBe(2);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(/^--workspace: /);
      expect(out[0]).toMatch(/discord|slack|shell/);
    }
    const lower = await run(uniquePrefix(), "slack:t0123abcd");
    expect(lower.out[0]).toContain("Did you mean slack:T0123ABCD?");
  });

  it("asks for --workspace when it is missing", async () => {
    const { code, out } = await run(uniquePrefix(), undefined);
    expect(code).toBe(2);
    expect(out[0]).toContain("--workspace is required");
    expect(out[0]).toContain("drillbot fsrs optimize --workspace <platform:id>");
  });

  it("reads its arguments strictly: one --workspace with a value, nothing else", () => {
    expect(parseFsrsOptimizeArgs(["--workspace", "shell:local"])).toEqual({ ok: true, value: "shell:local" });
    expect(parseFsrsOptimizeArgs(["--workspace"])).toMatchObject({ ok: false, reason: expect.stringContaining("--workspace needs a value") });
    expect(parseFsrsOptimizeArgs(["--workspace", "--force"])).toMatchObject({ ok: false, reason: expect.stringContaining("--workspace needs a value") });
    expect(parseFsrsOptimizeArgs(["--workspace", "shell:local", "--dry-run"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^"--dry-run" is not an option of fsrs optimize\. Usage: /) });
    expect(parseFsrsOptimizeArgs(["shell:local"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^"shell:local" is not expected here\. Usage: drillbot fsrs optimize --workspace <platform:id>$/) });
  });

  it("says a workspace has no review log and exits 1, suggesting the id may be mistyped", async () => {
    const { code, out } = await run(uniquePrefix(), "slack:T0123ABCD");
    expect(code).toBe(1);
    expect(out[0]).toBe("slack:T0123ABCD has no review log: nobody there has answered a question since the log began, or the id is mistyped.");
    expect(out[1]).toContain("shell:local");
  });

  it("says the defaults are kept below 400 reviews and stores nothing", async () => {
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    const log = simulateReviewLog({ seed: 2, learners: 2, days: 10, questions: 30, newPerSession: 3, start: "2026-01-05" }).slice(0, 120);
    await writeReviewLog(redis.client, keys.reviewLog("shell:local"), log);
    const { code, out } = await run(prefix, "shell:local");
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^shell:local: 120 reviews of \d+ cards in the review log\.$/);
    expect(out[1]).toBe("FSRS needs at least 400 reviews to fit parameters, so the workspace keeps FSRS's default parameters. Nothing was stored.");
    expect(await redis.client.exists(keys.workspaceSettings("shell:local"))).toBe(0);
  });

  it("prints the held-out figures of defaults and fitted weights and says they were stored", async () => {
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    const ws = "discord:123456789012345678";
    const log = simulateReviewLog({ seed: 1, learners: 8, days: 40, questions: 200, newPerSession: 4, start: "2026-01-05" });
    await writeReviewLog(redis.client, keys.reviewLog(ws), log);
    const { code, out } = await run(prefix, ws);
    expect(code).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^${ws}: ${log.length.toLocaleString("en-US")} reviews of [\\d,]+ cards in the review log\\.$`));
    expect(out[1]).toMatch(/^Fitted in \d+\.\d s on the earlier [\d,]+ reviews of [\d,]+ cards \([\d,]+ of them a day or more after .*\); held out the [\d,]+ such reviews that came after to check\.$/);
    const [, defaults, fitted] = /defaults (\d\.\d{4}), fitted (\d\.\d{4})/.exec(out[2]!)!;
    expect(Number(fitted)).toBeLessThan(Number(defaults));
    expect(out[3]).toMatch(/^Held-out RMSE \(bins\): defaults \d+\.\d%, fitted \d+\.\d%\.$/);
    expect(out[4]).toBe("Stored: the workspace's cards are scheduled with the fitted parameters from now on.");
    expect(await redis.client.hget(keys.workspaceSettings(ws), "version")).toBe("1");
  });
});
