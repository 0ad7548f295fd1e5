/**
 * Every way out runs the closers: an uncaught error or an unhandled rejection
 * stops the process in order with exit code 1 (the embedded Redis is one of
 * those closers), and a closer that hangs cannot keep the process alive.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./bot-process.js";

function run(mode: string, signal?: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/bots/reliability/lifecycle-script.ts"), mode], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (signal && !signalled && stdout.includes("ready")) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

describe("the process lifecycle", () => {
  it("an uncaught error stops every resource, last started first, and exits 1 with one line", async () => {
    const r = await run("throw");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("closed second\nclosed first\nexit hook\n");
    expect(r.stderr).toContain("ERROR: unexpected error, stopping: Error: boom");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unhandled rejection does the same", async () => {
    const r = await run("reject");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("closed second\nclosed first\nexit hook\n");
    expect(r.stderr).toContain("unexpected error, stopping: Error: lost promise");
  });

  it("SIGHUP (a closed terminal) stops in order with exit 0; a closer that hangs is cut off at the deadline", async () => {
    const hup = await run("ok", "SIGHUP");
    expect(hup.code).toBe(0);
    expect(hup.stdout).toContain("closed second\nclosed first\nexit hook\n");
    const hung = await run("hang", "SIGTERM");
    expect(hung.code).toBe(0);
    expect(hung.stdout).not.toContain("closed first");
    expect(hung.stdout).toContain("exit hook");
    expect(hung.stderr).toContain("stopping took longer than 1 s; exiting now");
  });

  it("SIGTERM lets work in flight finish within the grace before anything closes, then exits 0", async () => {
    const r = await run("drain", "SIGTERM");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("draining with the grace left\ndrained\nclosed second\nclosed first\nexit hook\n");
  });

  it("work that outlasts the grace is left behind: the closers still run and the process exits 0 soon after the grace", async () => {
    const r = await run("drain-hang", "SIGTERM");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("drained");
    expect(r.stdout).toContain("closed second\nclosed first\nexit hook\n");
    expect(r.stderr).toContain("stopping work in flight: still busy when the 1 s grace ran out");
    expect(r.ms).toBeLessThan(5_000);
  });

  it("a second signal while stopping exits at once with 130", async () => {
    const started = Date.now();
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/bots/reliability/lifecycle-script.ts"), "drain-hang"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.endsWith("ready\n")) child.kill("SIGTERM");
        if (stdout.includes("draining")) child.kill("SIGTERM");
      });
      child.on("exit", (code) => resolve({ code, stdout }));
    });
    expect(r.code).toBe(130);
    expect(r.stdout).not.toContain("closed first");
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
