/**
 * A process that uses the bot's Lifecycle, for lifecycle.test.ts: argv[2] says
 * how it ends ("throw", "reject", "hang" = a closer that never finishes).
 */
import { Lifecycle } from "../../../bots/ops/lifecycle.js";
import { createLogger } from "../../../bots/logger.js";

const mode = process.argv[2];
const life = new Lifecycle({ log: createLogger("info", []), deadlineMs: 1_000 }).install();
life.add("first resource", async () => void process.stdout.write("closed first\n"));
life.add("second resource", () => (mode === "hang" ? new Promise<void>(() => undefined) : Promise.resolve(void process.stdout.write("closed second\n"))));
life.onExit(() => process.stdout.write("exit hook\n"));
process.stdout.write("ready\n");
setInterval(() => undefined, 1_000); // keeps running until the lifecycle ends it
if (mode === "throw") setTimeout(() => { throw new Error("boom"); }, 50);
if (mode === "reject") setTimeout(() => void Promise.reject(new Error("lost promise")), 50);
