/**
 * The bot's own Redis (REDIS_URL unset): exactly one redis-server per data
 * folder, for exactly as long as the bot runs.
 *
 * 1. Take the folder's lock (data-dir-lock.ts); a live bot holding it stops
 *    this start with a message naming its pid.
 * 2. Stop what an earlier bot left running on the folder (found from the stale
 *    lock and, on Linux, from /proc): SHUTDOWN after checking CONFIG GET dir,
 *    so its append-only file is flushed before a new server opens it.
 * 3. Start redis-server in its own process group, and the guardian
 *    (redis-guardian.ts), which shuts the server down if the bot dies without
 *    doing so itself (SIGKILL).
 * 4. If the server dies while the bot runs, start it again on the same folder
 *    and port, so every client reconnects to it, and say so once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";
import { acquireDataDirLock, type DataDirLock, type LockInfo } from "./data-dir-lock.js";
import { RedisServerStartError, startEmbeddedRedis, type EmbeddedRedis } from "./embedded-redis.js";
import { processAlive, redisServersIn, waitForExit } from "./process-info.js";
import { servedDir, shutdown } from "./redis-commands.js";

export interface SupervisedRedisOptions {
  /** REDIS_SERVER_BIN, when set. */
  binary?: string;
  /** The folder for the append-only file (created if missing). */
  dataDir: string;
  log: Logger;
}

export interface SupervisedRedis {
  url: string;
  port: number;
  /** The current server's pid (changes after a restart). */
  pid(): number | undefined;
  /** Stops the server (flushing its append-only file), the guardian, and frees the folder. */
  stop(): Promise<void>;
  /** Last resort from a process 'exit' hook: signals the server to shut down, without waiting. */
  stopNow(): void;
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

function describeExit(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
}

/** Stops every redis-server an earlier drillbot left serving this folder. */
async function stopLeftovers(dir: string, previous: LockInfo | null, log: Logger): Promise<void> {
  const seen = new Map<string, { pid: number | undefined; port: number | undefined }>();
  if (previous?.port) seen.set(`${previous.redisPid}:${previous.port}`, { pid: previous.redisPid, port: previous.port });
  for (const p of redisServersIn(dir)) seen.set(`${p.pid}:${p.port}`, { pid: p.pid, port: p.port ?? undefined });
  for (const { pid, port } of seen.values()) {
    // Ours if it says it serves this folder, or (when it does not answer) if /proc shows it running in it.
    const served = port !== undefined ? await servedDir(port) : null;
    const ours = served !== null && sameDir(served, dir);
    const runsHere = pid !== undefined && processAlive(pid) && redisServersIn(dir).some((p) => p.pid === pid);
    if (!ours && !runsHere) continue;
    log.warn(`storage: a redis-server from an earlier drillbot (pid ${pid ?? "?"}, port ${port ?? "?"}) is still running on ${dir}; stopping it cleanly before starting a new one`);
    if (ours) await shutdown(port!);
    else process.kill(pid!, "SIGTERM");
    if (pid && !(await waitForExit(pid, 10_000))) {
      throw new RedisServerStartError(`a redis-server (pid ${pid}) still serves ${dir} and did not stop: stop it (kill ${pid}) and start drillbot again.`);
    }
  }
}

const GUARDIAN = fileURLToPath(new URL("./redis-guardian.ts", import.meta.url));

function startGuardian(port: number, dir: string, pid: number): ChildProcess {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), GUARDIAN, String(port), dir, String(pid), String(process.pid)], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  child.stdin?.on("error", () => undefined); // the guardian is gone: nothing to tell it
  child.unref();
  return child;
}

export async function startSupervisedRedis(opts: SupervisedRedisOptions): Promise<SupervisedRedis> {
  const { dataDir, log } = opts;
  mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  const startServer = (port?: number) =>
    startEmbeddedRedis({
      ...(opts.binary ? { binary: opts.binary } : {}),
      dataDir,
      persist: true,
      detached: true,
      ...(port ? { port } : {}),
      onOutput: (line) => log.debug(`redis-server: ${line}`),
    });
  let server: EmbeddedRedis;
  try {
    await stopLeftovers(dataDir, lock.previous, log);
    server = await startServer();
  } catch (err) {
    lock.release();
    if (err instanceof RedisServerStartError && opts.binary) throw new RedisServerStartError(`REDIS_SERVER_BIN: ${err.message}`);
    throw err;
  }
  const port = server.port;
  let stopping = false;
  let guardian = startGuardian(port, dataDir, server.process.pid!);
  lock.update({ redisPid: server.process.pid!, port, guardianPid: guardian.pid! });

  const watchGuardian = (g: ChildProcess) =>
    g.once("exit", () => {
      if (stopping) return;
      log.debug("the embedded Redis's guardian ended; starting a new one");
      guardian = startGuardian(port, dataDir, server.process.pid!);
      lock.update({ guardianPid: guardian.pid! });
      watchGuardian(guardian);
    });
  watchGuardian(guardian);

  const restart = async (how: string) => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        const next = await startServer(port);
        if (stopping) return void (await next.stop());
        server = next;
        lock.update({ redisPid: next.process.pid! });
        guardian.stdin?.write(`pid ${next.process.pid}\n`);
        log.warn(`storage: the embedded Redis stopped unexpectedly (${how}); restarted it on the same data, progress is kept`);
        watch(next);
        return;
      } catch (err) {
        if (attempt === 1) log.error(`storage: the embedded Redis stopped unexpectedly (${how}) and could not be started again yet; retrying: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
      }
    }
  };
  const watch = (s: EmbeddedRedis) =>
    void s.exited.then((e) => {
      if (!stopping && s === server) void restart(describeExit(e));
    });
  watch(server);

  return {
    url: server.url,
    port,
    pid: () => server.process.pid,
    async stop() {
      if (stopping) return;
      stopping = true;
      await server.stop(); // SIGTERM: redis-server flushes the append-only file and exits
      guardian.stdin?.end("done\n");
      lock.release();
    },
    stopNow() {
      if (stopping) return;
      stopping = true;
      server.process.kill("SIGTERM");
      // The lock stays until the next start finds it stale; the guardian sees the pipe close and checks too.
    },
  };
}
