/**
 * deploy/prometheus checked by Prometheus's own tool: the scrape config and
 * the rule file are valid, and the promtool unit tests in
 * alerts.promtool.yml pass (each alert fires on the situation it names,
 * with the labels and text an operator gets, and stays quiet otherwise).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { root, run, which } from "./deploy-files.js";

const promtool = which("promtool");
const dir = path.join(root, "deploy/prometheus");

function needPromtool(): string {
  if (!promtool) throw new Error("promtool is not installed (Debian: apt-get install prometheus); .ci/run installs it");
  return promtool;
}

describe.skipIf(!promtool && !process.env.CI)("Prometheus configuration (promtool)", () => {
  it("the scrape config is valid and finds its rule file", async () => {
    const res = await run(needPromtool(), ["check", "config", "prometheus.yml"], { cwd: dir });
    expect(res.stdout + res.stderr).toMatch(/SUCCESS: 1 rule files found/);
    expect(res.code).toBe(0);
  });

  it("the alert rules are valid", async () => {
    const res = await run(needPromtool(), ["check", "rules", "alerts.yml"], { cwd: dir });
    expect(res.stdout + res.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(res.code).toBe(0);
  });

  it("every alert fires on its situation and not on normal traffic (promtool test rules)", async () => {
    const res = await run(needPromtool(), ["test", "rules", "alerts.promtool.yml"], { cwd: path.join(root, "test/deploy") });
    expect({ code: res.code, output: res.stdout + res.stderr }).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });
});
