/**
 * The embedded Redis's guardian: a tiny process the bot starts beside its
 * redis-server, reading a pipe from the bot on its stdin.
 *
 * Why it exists: redis-server cannot notice that the process that started it
 * died. There is no portable parent-death signal, and a bot killed with
 * SIGKILL runs no clean-up at all, so its server would be adopted by PID 1 and
 * keep appending to the data folder. But the kernel closes a pipe when its
 * writer dies, however it dies. When the pipe closes without the bot having
 * said "done", the guardian checks that the server on the port still serves
 * the bot's folder, asks it to SHUTDOWN (which flushes the append-only file),
 * falls back to SIGTERM on the recorded pid, waits for it to go, and exits.
 *
 * It acts only while the folder's lock still names its bot: once a newer bot
 * has taken the folder, the server on the port is that bot's, not ours.
 *
 * Run as: node --import tsx redis-guardian.ts <port> <dir> <redis pid> <bot pid>
 * stdin lines from the bot: "pid <n>" (the server was restarted), "done"
 * (the bot stopped the server itself; exit quietly).
 */
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { LOCK_FILE } from "./data-dir-lock.js";
import { processAlive, processCommand, waitForExit } from "./process-info.js";
import { servedDir, shutdown } from "./redis-commands.js";

const [portArg, dir = "", pidArg, botArg] = process.argv.slice(2);
const port = Number(portArg);
const botPid = Number(botArg);
let pid = Number(pidArg);
let done = false;

// The guardian runs in its own process group; a terminal's signals are for the bot.
process.on("SIGINT", () => undefined);
process.on("SIGHUP", () => undefined);

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/** The folder's lock names another bot: a newer drillbot owns the folder and its server. */
function folderTakenOver(): boolean {
  try {
    const lock = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8")) as { botPid?: number };
    return lock.botPid !== botPid;
  } catch {
    return false;
  }
}

async function stopServer(): Promise<void> {
  if (folderTakenOver()) return;
  const served = await servedDir(port);
  if (served !== null && sameDir(served, dir)) await shutdown(port);
  else if (processAlive(pid) && /redis-server/.test(processCommand(pid) ?? "redis-server")) process.kill(pid, "SIGTERM");
  if (processAlive(pid)) await waitForExit(pid, 10_000);
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  input += chunk;
  let nl;
  while ((nl = input.indexOf("\n")) >= 0) {
    const line = input.slice(0, nl).trim();
    input = input.slice(nl + 1);
    if (line === "done") done = true;
    const m = /^pid (\d+)$/.exec(line);
    if (m) pid = Number(m[1]);
  }
});
let ending = false;
const onClose = () => {
  if (ending) return;
  ending = true;
  if (done) process.exit(0);
  stopServer().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on("end", onClose);
process.stdin.on("close", onClose);
process.stdin.on("error", onClose);
