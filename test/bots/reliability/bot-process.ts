/**
 * The real bot as a process, for the reliability tests: `node --import tsx
 * bots/main.ts` with a piped stdin (a terminal without the tty), its output
 * collected, and lookups of redis-servers straight from /proc (independent of
 * the bot's own process-info.ts, so a bug there cannot hide itself).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../../..");
export const fixtureContent = path.join(root, "test/fixtures/content");

export interface BotProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  send(line: string): void;
  /** Ends stdin, as Ctrl-D or the end of a pipe does. */
  endInput(): void;
  /** Waits until stdout (or stderr, with { in: "stderr" }) matches; returns the text after `from`. */
  waitFor(pattern: string | RegExp, opts?: { in?: "stdout" | "stderr"; timeoutMs?: number; from?: number }): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function startBot(env: Record<string, string>, args: string[] = []): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bots/main.ts"), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DRILLBOT_CONTENT_DIR: fixtureContent, LOG_FORMAT: "pretty", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  child.stdin!.on("error", () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    send: (line) => void child.stdin!.write(`${line}\n`),
    endInput: () => void child.stdin!.end(),
    async waitFor(pattern, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      const text = () => (opts.in === "stderr" ? err : out).slice(opts.from ?? 0);
      const hit = () => (typeof pattern === "string" ? text().includes(pattern) : pattern.test(text()));
      while (!hit()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`);
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the bot exited while waiting for ${String(pattern)}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return text();
    },
    exited,
  };
}

const made: string[] = [];
export function tempDir(prefix = "drillbot-rel-"): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** redis-servers running in the folder: /proc/<pid>/cwd is the folder (redis-server changes into its --dir). */
export function redisServersIn(dir: string): number[] {
  let want: string;
  try {
    want = realpathSync(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmd.startsWith("redis-server") && !cmd.includes("/redis-server")) continue;
      if (/\) Z /.test(readFileSync(`/proc/${entry}/stat`, "utf8"))) continue; // exited, not yet reaped
      if (readlinkSync(`/proc/${entry}/cwd`) === want) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The stats line's numbers, from the last /stats reply in the text. */
export function lastStats(text: string): { points: number; answered: number } {
  const all = [...text.matchAll(/points: (\d+)\s+answered: (\d+)/g)];
  const last = all.at(-1);
  if (!last) throw new Error(`no /stats reply in:\n${text}`);
  return { points: Number(last[1]), answered: Number(last[2]) };
}
