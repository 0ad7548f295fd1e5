/**
 * A delivery worker in its own process with the REAL Discord messenger
 * (discord.js REST, the shared request budget and DM channel ids in Redis),
 * or with PLATFORM=slack the real Slack messenger (Web API client, shared
 * pacing), sending to a stand-in: for the rate-limit tests and the delivery
 * benchmark. Env: REDIS_URL, PREFIX, DISCORD_API_URL (or SLACK_API_URL), TOKEN, NOW (ISO, the service
 * clock), RATE (the budget, requests/s), AGENT (this worker's name in the
 * User-Agent), CONTENT (course directory), CONCURRENCY, SENT_LOG (a file to
 * write, at SIGTERM, the times the shared budget let each request go and the
 * slots it gave up). Prints "ready"; SIGTERM closes it.
 */
import { writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import { DrillService } from "../../core/service/drill-service.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import { createDiscordMessenger } from "../../bots/discord/discord-messenger.js";
import { createSlackMessenger } from "../../bots/slack/slack-messenger.js";
import { JobRuntime } from "../../bots/jobs/job-runtime.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisKeys } from "../../bots/redis/keys.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../bots/redis/schedule-store.js";

const env = process.env;
const [REDIS_URL, PREFIX, API, TOKEN, NOW] = [env.REDIS_URL ?? "", env.PREFIX ?? "", env.DISCORD_API_URL ?? "", env.TOKEN ?? "", env.NOW ?? ""];
const catalog = await loadCatalog(env.CONTENT ?? "test/fixtures/content");
if (!catalog.ok) throw new Error("content does not load");
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
const keys = new RedisKeys(PREFIX);
const clock = { now: () => new Date(NOW) };
const store = new RedisProgressStore(redis, { prefix: PREFIX });
const schedules = new RedisScheduleStore(redis, PREFIX);
const url = new URL(REDIS_URL);
const log = plainLogger("error", []);
const jobs = new JobRuntime({
  connection: { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null },
  redis,
  keys,
  schedules,
  clock,
  log,
  concurrency: Number(env.CONCURRENCY ?? 50),
});
const slack = env.PLATFORM === "slack";
const messenger = slack
  ? createSlackMessenger({ botToken: TOKEN, apiUrl: env.SLACK_API_URL ?? "", log, shared: { redis, keys, ...(env.RATE ? { workspacePerSecond: Number(env.RATE) } : {}) } })
  : createDiscordMessenger({
      token: TOKEN,
      apiUrl: API,
      log,
      userAgentAppendix: env.AGENT ?? `worker-${process.pid}`,
      shared: { redis, keys, ...(env.RATE ? { requestsPerSecond: Number(env.RATE) } : {}) },
    });
// When each request left this process (its budget released it), for the round's report.
const sent: number[] = [];
const budget = !slack && "budget" in messenger ? messenger.budget : undefined;
if (env.SENT_LOG && budget) {
  const acquire = budget.acquire.bind(budget);
  budget.acquire = async (signal) => {
    await acquire(signal);
    sent.push(Date.now());
  };
}
let n = 0;
const drills = new DrillService({ catalog: catalog.catalog, store, schedules, planner: jobs.planner, clock, newId: () => `w${process.pid}-${++n}` });
jobs.startDeliveryWorkers(drills, slack ? { slack: messenger } : { discord: messenger });
process.on("SIGTERM", () => {
  void (async () => {
    await jobs.close({ graceMs: 2_000 });
    if (env.SENT_LOG && budget) writeFileSync(env.SENT_LOG, JSON.stringify({ sent, lateSlots: budget.lateSlots }));
    if ("close" in messenger) messenger.close();
    redis.disconnect();
    process.exit(0);
  })();
});
process.stdout.write("ready\n");
