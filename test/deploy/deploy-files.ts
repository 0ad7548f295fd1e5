/**
 * The deployment files as data, for the deploy tests: docker-compose.yml
 * (parsed with YAML merge keys, as Compose reads it), the Dockerfile's
 * instructions, .dockerignore's patterns, and helpers to start real
 * processes the way the containers do (redis-server with the compose file's arguments).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import { parse as parseYaml } from "yaml";

export const root = path.resolve(import.meta.dirname, "../..");

export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  stop_grace_period?: string;
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readCompose(): ComposeFile {
  return parseYaml(readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as ComposeFile;
}

/** The services that run drillbot itself: built from the Dockerfile. */
export function drillbotServices(compose: ComposeFile): [string, ComposeService][] {
  return Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
}

/** "${NAME:-default}" as Compose resolves it with NAME unset. */
export function composeDefault(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1");
}

/** A Compose duration ("35s", "1m30s", "500ms") in milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a Compose duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

export interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** The Dockerfile's instructions (continuation lines joined, comments dropped), each with its stage index. */
export function readDockerfile(): Instruction[] {
  const text = readFileSync(path.join(root, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const m = /^(\S+)\s*(.*)$/.exec(t)!;
    const op = m[1]!.toUpperCase();
    if (op === "FROM") stage += 1;
    out.push({ op, args: m[2]!.replace(/\s+/g, " ").trim(), stage });
  }
  return out;
}

/** An exec-form (JSON array) argument, e.g. CMD ["node", "x"]; throws on shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`not exec form: ${args}`);
  return parsed;
}

/** ENV instructions of a stage as a map (KEY=value pairs). */
export function dockerEnv(instructions: Instruction[], stage: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.op === "ENV" && x.stage === stage)) {
    for (const m of i.args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  }
  return env;
}

/** The HEALTHCHECK's options and command. */
export function healthcheck(instructions: Instruction[]): { options: Record<string, string>; command: string[] } {
  const hc = instructions.filter((i) => i.op === "HEALTHCHECK").at(-1);
  if (!hc) throw new Error("the Dockerfile has no HEALTHCHECK");
  const m = /^((?:--[a-z-]+=\S+\s*)*)CMD\s+(.*)$/.exec(hc.args);
  if (!m) throw new Error(`HEALTHCHECK not understood: ${hc.args}`);
  const options = Object.fromEntries([...m[1]!.matchAll(/--([a-z-]+)=(\S+)/g)].map((o) => [o[1]!, o[2]!]));
  return { options, command: execForm(m[2]!) };
}

/** Is `file` (relative to the context) left out of the build context by .dockerignore? Last matching rule wins. */
export function dockerIgnored(file: string, patterns = readDockerignore()): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, "");
    const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}(/.*)?$`);
    if (re.test(file)) ignored = !negate;
  }
  return ignored;
}

export function readDockerignore(): string[] {
  return readFileSync(path.join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Run {
  code: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (killed after timeoutMs). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString("utf8"), stdoutBytes: bytes, stderr, ms: Date.now() - started });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Where a program is on PATH, or undefined. */
export function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir, program);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** The compose file's redis command with its data folder moved to `dir` and a loopback port added. */
export function composeRedisArgs(compose: ComposeFile, dir: string, port: number): string[] {
  const args = [...compose.services.redis!.command!];
  args[args.indexOf("--dir") + 1] = dir;
  return [...args.slice(1), "--port", String(port), "--bind", "127.0.0.1"];
}

/** redis-server started with the compose file's arguments (data in `dir`), once it answers PING. */
export async function startComposeRedis(compose: ComposeFile, dir: string, port: number): Promise<ChildProcess> {
  const args = composeRedisArgs(compose, dir, port);
  const child = spawn(compose.services.redis!.command![0]!, args, { cwd: dir, stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      // LOADING (an AOF being read) is an error reply: not up yet.
      await probe.ping();
      return child;
    } catch {
      if (child.exitCode !== null) throw new Error(`redis-server ${args.join(" ")} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server ${args.join(" ")} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      probe.disconnect();
    }
  }
}

/** Sends the signal and waits for the exit code (null when killed by a signal). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill(signal);
  return exited;
}
