/**
 * Starts a private redis-server on a free loopback port (used when REDIS_URL
 * is unset, and by the tests), waits until it answers, and stops it on demand.
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
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
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
    "--daemonize", "no",
    "--loglevel", "warning",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server exited at start: ${stderr.trim().slice(0, 300)}`);
    if (await ping(port)) {
      const stop = () =>
        new Promise<void>((resolve) => {
          if (exited) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        });
      return { url: `redis://127.0.0.1:${port}`, port, process: child, stop };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on port ${port} within ${opts.startTimeoutMs ?? 10_000} ms`);
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
      lastError = err; // most likely another process took the port between probe and bind
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
