/**
 * One drillbot per embedded-Redis data folder. The lock is a small JSON file
 * in the folder (drillbot.lock) naming the bot, its redis-server, the port and
 * the guardian.
 *
 * It is created atomically: written in full to a temporary file, then
 * hard-linked to the lock's name; link(2), like open(O_CREAT|O_EXCL), fails
 * with EEXIST when the name exists, so of two bots racing only one creates it,
 * and the content is complete the moment the name appears.
 *
 * A lock whose bot is gone is stale. It is renamed aside and checked by inode
 * to be the very file judged stale before it is dropped (had another starter
 * replaced it meanwhile, that lock is put back), then creation is tried again.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { processAlive, processCommand } from "./process-info.js";

export const LOCK_FILE = "drillbot.lock";

export interface LockInfo {
  botPid: number;
  /** The bot's command line, to tell a live bot from an unrelated process that got its pid later. */
  botCommand: string;
  dir: string;
  startedAt: string;
  redisPid?: number;
  port?: number;
  guardianPid?: number;
}

export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(
    readonly dir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `another drillbot (pid ${holder.botPid}) is already using the data folder ${dir}${holder.port ? ` with its Redis on port ${holder.port}` : ""}. ` +
        `Quit that one first (/quit, or kill ${holder.botPid}), or give this one its own folder with DRILLBOT_DATA_DIR, ` +
        `or run a Redis yourself and point both at it with REDIS_URL.`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  readonly info: LockInfo;
  /** The stale lock this one replaced (its redis-server may still be running). */
  readonly previous: LockInfo | null;
  update(patch: Partial<LockInfo>): void;
  release(): void;
}

function ownCommand(): string {
  return processCommand(process.pid) ?? process.argv.join(" ");
}

function readLock(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockInfo>;
    return typeof parsed.botPid === "number" ? (parsed as LockInfo) : null;
  } catch {
    return null;
  }
}

/** The bot that wrote the lock still runs (and is not this very process, e.g. pid 1 again in a container). */
export function lockHolderAlive(info: LockInfo): boolean {
  if (info.botPid === process.pid) return false;
  if (!processAlive(info.botPid)) return false;
  const cmd = processCommand(info.botPid);
  return cmd === null || cmd === info.botCommand;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

export function acquireDataDirLock(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const info: LockInfo = { botPid: process.pid, botCommand: ownCommand(), dir, startedAt: new Date().toISOString() };
  let previous: LockInfo | null = null;
  const scratch = () => `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  for (let attempt = 0; attempt < 10; attempt++) {
    const tmp = scratch();
    writeFileSync(tmp, JSON.stringify(info));
    try {
      linkSync(tmp, file);
      unlinkSync(tmp);
      return handle(file, info, previous);
    } catch (err) {
      unlinkSync(tmp);
      if (errno(err) !== "EEXIST") throw err;
    }
    let before;
    try {
      before = statSync(file);
    } catch (err) {
      if (errno(err) === "ENOENT") continue;
      throw err;
    }
    const held = readLock(file);
    if (held && lockHolderAlive(held)) throw new DataDirBusyError(dir, held);
    // Stale: move it aside, and drop it only if it is the file judged stale above.
    const aside = scratch();
    try {
      renameSync(file, aside);
    } catch (err) {
      if (errno(err) === "ENOENT") continue;
      throw err;
    }
    if (statSync(aside).ino !== before.ino) {
      try {
        linkSync(aside, file); // another starter's fresh lock: put it back
      } catch {
        /* a third one took the name: theirs stands */
      }
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
    previous = held ?? previous;
  }
  throw new Error(`could not take the lock ${file}: other drillbots keep starting on the same folder`);
}

function handle(file: string, info: LockInfo, previous: LockInfo | null): DataDirLock {
  let released = false;
  return {
    path: file,
    info,
    previous,
    update(patch) {
      if (released) return;
      Object.assign(info, patch);
      // Write aside and rename over: readers never see a half-written lock.
      const tmp = `${file}.${process.pid}.update`;
      writeFileSync(tmp, JSON.stringify(info));
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      const current = readLock(file);
      if (current && current.botPid === info.botPid && current.startedAt === info.startedAt) {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      }
    },
  };
}
