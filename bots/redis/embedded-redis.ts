/**
 * Starts one redis-server process on a loopback port, waits until it answers,
 * and stops it on demand. The tests use it directly for throwaway servers;
 * the bot uses it through supervised-redis.ts, which adds the data-folder
 * lock, the guardian and restarts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface EmbeddedRedisOptions {
  /** Binary to run; default: redis-server from PATH. */
  binary?: string;
  /** Folder for the data files; created if missing. */
  dataDir: string;
  /** Append-only file with fsync every second (the bot); off for throwaway test servers. */
  persist: boolean;
  startTimeoutMs?: number;
  /** A fixed port (e.g. to restart a server where clients expect it); default: a free one. */
  port?: number;
  /**
   * Run the server in its own process group, so a Ctrl-C or a closed terminal
   * reaches only the bot, which then stops the server in order (the bot's).
   */
  detached?: boolean;
  /**
   * End the server when this process ends in any way, even killed with SIGKILL
   * (throwaway servers of tests and benchmarks): a watcher shell holds a pipe
   * from this process and kills the server once the pipe closes.
   */
  dieWithParent?: boolean;
  /** Where the server's own output goes once it is up (it logs at "warning" level only). */
  onOutput?: (line: string) => void;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  /** Resolves with how the server ended (also when it ended unasked). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export class RedisBinaryMissingError extends Error {
  constructor(binary: string) {
    super(
      `redis-server was not found (looked for "${binary}"). Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), ` +
        `or set REDIS_SERVER_BIN to its path, or set REDIS_URL to use a Redis you already run.`,
    );
    this.name = "RedisBinaryMissingError";
  }
}

/** The binary ran but did not become a working server; the message carries its own output. */
export class RedisServerStartError extends Error {
  override name = "RedisServerStartError";
  constructor(
    message: string,
    /** True when another process took the port between the probe and the bind: worth another try. */
    readonly portTaken = false,
  ) {
    super(message);
  }
}

export function findBinary(binary: string): string | null {
  const candidates = binary.includes("/") ? [binary] : (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, binary));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    let buf = "";
    sock.setTimeout(500);
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\r\n")) {
        sock.destroy();
        resolve(buf.startsWith("+PONG"));
      }
    });
    sock.on("error", () => resolve(false));
    sock.on("timeout", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

/** The last lines a failed server printed, trimmed to fit one message. */
function tail(output: string): string {
  const lines = output.trim().split("\n").map((l) => l.trim()).filter(Boolean);
  const text = lines.slice(-4).join(" | ");
  return text.length > 600 ? `…${text.slice(-600)}` : text;
}

async function startOnce(binary: string, opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const port = opts.port ?? (await freePort());
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", opts.dataDir,
    "--save", "",
    "--appendonly", opts.persist ? "yes" : "no",
    "--appendfsync", "everysec",
    // A learner's cards hash (one field per question) stays a compact listpack up to 1,024
    // cards instead of Redis' default 512: every card of the course fits (see docs/SCALING.md).
    "--hash-max-listpack-entries", "1024",
    "--daemonize", "no",
    "--loglevel", "warning",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], detached: opts.detached ?? false });
  // redis-server reports start-up problems on stdout (its log) or stderr (config errors): keep both until it is up.
  let output = "";
  let started = false;
  const collect = (d: Buffer) => {
    if (!started) output += d.toString();
    else for (const line of d.toString().split("\n")) if (line.trim()) opts.onOutput?.(line.trim());
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  type Ending = { code: number | null; signal: NodeJS.Signals | null };
  const state: { ended: Ending | null; spawnError: Error | null } = { ended: null, spawnError: null };
  const exited = new Promise<Ending>((resolve) => {
    child.on("exit", (code, signal) => {
      state.ended = { code, signal };
      resolve(state.ended);
    });
    child.on("error", (err) => {
      state.spawnError = err;
      if (child.pid === undefined) {
        state.ended = { code: null, signal: null };
        resolve(state.ended);
      }
    });
  });
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ended = state.ended;
    if (ended) {
      await new Promise((r) => setTimeout(r, 20)); // let the last output arrive
      const how = state.spawnError ? `could not run: ${state.spawnError.message}` : ended.signal ? `was killed by ${ended.signal}` : `exited at once with code ${ended.code}`;
      const printed = tail(output);
      throw new RedisServerStartError(`${binary} ${how}${printed ? `; it printed: ${printed}` : " and printed nothing"}`, /address already in use/i.test(output));
    }
    if (await ping(port)) {
      started = true;
      output = "";
      const watcher = opts.dieWithParent ? watchParent(child) : null;
      const stop = async () => {
        watcher?.();
        if (state.ended) return;
        child.kill("SIGTERM"); // redis-server shuts down cleanly on SIGTERM: the append-only file is flushed first
        await exited;
      };
      return { url: `redis://127.0.0.1:${port}`, port, process: child, exited, stop };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new RedisServerStartError(`redis-server did not answer on port ${port} within ${timeoutMs} ms${output.trim() ? `; it printed: ${tail(output)}` : ""}`);
}

/**
 * Kills `child` when this process dies: a shell in its own process group
 * reads a pipe from us (its stdin) until it closes, which happens however we
 * end, then SIGKILLs the server. Returns the call that ends the watcher (on a
 * normal stop, before the server goes, so a reused pid is never killed).
 */
export function watchParent(child: ChildProcess): () => void {
  const watcher = spawn("sh", ["-c", 'cat >/dev/null; kill -9 "$1" 2>/dev/null', "sh", String(child.pid)], { stdio: ["pipe", "ignore", "ignore"], detached: true });
  watcher.on("error", () => undefined);
  watcher.unref();
  (watcher.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let ended = false;
  const end = () => {
    if (ended || watcher.pid === undefined) return;
    ended = true;
    try {
      process.kill(-watcher.pid, "SIGKILL");
    } catch {
      // already gone
    }
    watcher.stdin?.destroy();
  };
  child.once("exit", end);
  return end;
}

export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const wanted = opts.binary ?? "redis-server";
  const binary = findBinary(wanted);
  if (!binary) throw new RedisBinaryMissingError(wanted);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(binary, opts);
    } catch (err) {
      lastError = err;
      // Only a port taken between the probe and the bind is worth another try.
      if (!(err instanceof RedisServerStartError && err.portTaken)) break;
      if (opts.port !== undefined) await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
