/**
 * A process that uses the bot's Lifecycle, for lifecycle.test.ts: argv[2] says
 * how it ends ("throw", "reject", "hang" = a closer that never finishes,
 * "drain" = work in flight that finishes within the grace, "drain-hang" = work
 * in flight that would outlast it). Grace 600 ms, deadline 1 s.
 */
import { Lifecycle } from "../../../bots/ops/lifecycle.js";
import { plainLogger } from "../../../bots/logger.js";

const mode = process.argv[2];
const life = new Lifecycle({ log: plainLogger("info", []), graceMs: 600, deadlineMs: 1_000 }).install();
life.add("first resource", async () => void process.stdout.write("closed first\n"));
life.add("second resource", () => (mode === "hang" ? new Promise<void>(() => undefined) : Promise.resolve(void process.stdout.write("closed second\n"))));
life.onExit(() => process.stdout.write("exit hook\n"));
if (mode === "drain" || mode === "drain-hang") {
  life.addDrain("work in flight", async (deadline) => {
    process.stdout.write(`draining with ${deadline - Date.now() > 400 ? "the grace" : "less than the grace"} left\n`);
    await new Promise((r) => setTimeout(r, mode === "drain" ? 200 : 60_000));
    process.stdout.write("drained\n");
  });
}
process.stdout.write("ready\n");
setInterval(() => undefined, 1_000); // keeps running until the lifecycle ends it
if (mode === "throw") setTimeout(() => { throw new Error("boom"); }, 50);
if (mode === "reject") setTimeout(() => void Promise.reject(new Error("lost promise")), 50);
