/**
 * What the operating system says about a process: alive or not, its command
 * line, and the redis-servers whose working folder is a given data folder.
 * Reads /proc where there is one (Linux); elsewhere only liveness is known.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line as /proc shows it (arguments joined by spaces), or null where /proc cannot tell. */
export function processCommand(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return null;
  }
}

function realpathOrSelf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

export interface RedisProcess {
  pid: number;
  /** From its title ("redis-server 127.0.0.1:6379"), when shown. */
  port: number | null;
}

/**
 * redis-servers running in the folder (redis-server changes into its --dir and
 * retitles itself "redis-server HOST:PORT"). Empty where there is no /proc.
 */
export function redisServersIn(dir: string): RedisProcess[] {
  const want = realpathOrSelf(dir);
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const found: RedisProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmd = processCommand(pid);
    if (!cmd || !/redis-server/.test(cmd.split(" ")[0] ?? "")) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cwd !== want) continue;
    const port = /:(\d+)\b/.exec(cmd)?.[1];
    found.push({ pid, port: port ? Number(port) : null });
  }
  return found;
}

/** Waits until the process is gone; true if it went within the time. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid) || isZombie(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !processAlive(pid);
}

/** A process that has exited but not been reaped by its parent yet counts as gone. */
function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
