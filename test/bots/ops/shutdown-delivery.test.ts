/**
 * SIGTERM while a drill is being delivered, with real processes: a real
 * `drillbot worker` sending to the Discord stand-in over REST, on a real
 * Redis. Either the delivery finishes within the grace, or it is cut off
 * and another worker retries it exactly once; the learner sees one message.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { PersonalDrill } from "../../../core/schedule/model.js";
import { deliveryQueueName } from "../../../bots/jobs/job-types.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { APP_ID, TOKEN } from "../../support/discord-harness.js";
import { DiscordStandin } from "../../support/discord-standin.js";
import { drillHarness, eventually, type DrillHarness } from "../../support/drill-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { removeTempDirs, startBot, type BotProcess } from "../reliability/bot-process.js";
import { Queue } from "bullmq";

const redis = useTestRedis();
afterAll(removeTempDirs);

const USER = "410000000000000001";
const MESSAGES = /^\/channels\/\d+\/messages$/;

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Scene {
  standin: DiscordStandin;
  h: DrillHarness;
  prefix: string;
  jobId: string;
  queue: Queue;
  worker(): Promise<{ bot: BotProcess; port: number }>;
  close(): Promise<void>;
}

/** A Discord stand-in, a learner whose daily drill is due now and queued, and a way to start real workers. */
async function scene(): Promise<Scene> {
  const standin = await DiscordStandin.start({ token: TOKEN, appId: APP_ID, guilds: [] });
  const prefix = uniquePrefix();
  const now = new Date();
  const h = await drillHarness(redis.server.url, prefix, now.toISOString());
  const sub: PersonalDrill = {
    learner: { platform: "discord", workspace: "dm", user: USER },
    displayName: "ann",
    recurrence: { time: "00:00", zone: "UTC", days: [1, 2, 3, 4, 5, 6, 7] },
    count: 2,
    remind: false,
  };
  await h.schedules.savePersonalDrill(sub, now.getTime() - 1_000, null);
  expect((await h.jobs.tick()).personal).toBe(1);
  const queue = new Queue(deliveryQueueName("discord"), { connection: { host: "127.0.0.1", port: redis.server.port }, prefix: new RedisKeys(prefix).bullPrefix() });
  const queued = await queue.getJobs(["waiting", "prioritized", "delayed"]);
  expect(queued).toHaveLength(1);
  const jobId = queued[0]!.id!;
  const bots: BotProcess[] = [];
  return {
    standin,
    h,
    prefix,
    jobId,
    queue,
    async worker() {
      const port = await freePort();
      const bot = startBot(
        {
          REDIS_URL: redis.server.url,
          DRILLBOT_REDIS_PREFIX: prefix,
          DISCORD_TOKEN: TOKEN,
          DISCORD_APP_ID: APP_ID,
          DISCORD_API_URL: standin.apiUrl,
          DRILLBOT_SHUTDOWN_GRACE_S: "1",
          DRILLBOT_JOB_LOCK_S: "5",
          METRICS_PORT: String(port),
          LOG_FORMAT: "json",
        },
        ["worker"],
      );
      bots.push(bot);
      await bot.waitFor(/worker is running/, { in: "stderr", timeoutMs: 30_000 });
      return { bot, port };
    },
    async close() {
      for (const b of bots) if (b.child.exitCode === null) b.child.kill("SIGKILL");
      await queue.close();
      await h.shutdown();
      await standin.close();
    },
  };
}

const dmPosts = (s: Scene) => s.standin.posts.filter((p) => p.channelId === s.standin.dmChannelOf(USER));
/** A personal drill is one DM: its intro and first question in one message (one request once the DM channel is known). */
const DRILL_MESSAGES = 1;
/** The DMs the learner really sees, and whether any of them showed twice. */
function seen(s: Scene): { shown: number; repeated: boolean } {
  const nonces = dmPosts(s)
    .filter((p) => !p.deduplicated)
    .map((p) => String(p.body.nonce));
  return { shown: nonces.length, repeated: new Set(nonces).size !== nonces.length };
}
const logLines = (bot: BotProcess) =>
  bot
    .stderr()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("SIGTERM with a delivery in flight", () => {
  it("a send that answers within the grace finishes: exit 0, one message, the job done on its first attempt", async () => {
    const s = await scene();
    try {
      s.standin.holdResponses("POST", MESSAGES, 800);
      const { bot, port } = await s.worker();
      await eventually(() => dmPosts(s).length >= 1, 20_000);
      bot.child.kill("SIGTERM");
      // Not ready from the moment shutdown begins, while the send is still finishing (the port closes last).
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 503, 700);
      const ended = await bot.exited;
      expect(ended.code).toBe(0);
      const job = await s.queue.getJob(s.jobId);
      expect(await job!.getState()).toBe("completed");
      expect(job!.attemptsStarted).toBe(1);
      expect(seen(s)).toEqual({ shown: DRILL_MESSAGES, repeated: false });
      expect(dmPosts(s).filter((p) => p.deduplicated)).toHaveLength(0);
      expect(bot.stderr()).not.toContain("cut off");
      // One JSON line for the delivery, saying what became of it and how late it went out.
      const delivery = logLines(bot).filter((l) => l.msg === "delivery");
      expect(delivery).toEqual([expect.objectContaining({ level: "info", role: "worker", platform: "discord", kind: "personal-drill", outcome: "sent", attempt: 1 })]);
      expect(delivery[0]!.lateMs).toEqual(expect.any(Number));
      expect(bot.stderr()).not.toContain(TOKEN);
    } finally {
      await s.close();
    }
  }, 60_000);

  it("a send still waiting when the grace runs out is cut off, exit 0, and retried exactly once by the next worker: one message", async () => {
    const s = await scene();
    try {
      // Discord takes the message but its answer would come only after the 1 s grace.
      s.standin.holdResponses("POST", MESSAGES, 6_000);
      const first = await s.worker();
      await eventually(() => dmPosts(s).length === 1, 20_000);
      const signalled = Date.now();
      first.bot.child.kill("SIGTERM");
      const ended = await first.bot.exited;
      expect(ended.code).toBe(0);
      expect(ended.at - signalled).toBeLessThan(5_000);
      expect(first.bot.stderr()).toContain("were cut off");
      expect(await (await s.queue.getJob(s.jobId))!.getState()).toBe("active"); // still locked: nobody may send it yet

      const second = await s.worker();
      await eventually(async () => (await (await s.queue.getJob(s.jobId))!.getState()) === "completed", 30_000);
      const job = (await s.queue.getJob(s.jobId))!;
      expect(job.attemptsStarted).toBe(2); // the one cut-off attempt, and one retry
      // The retry posted the first DM again with the same nonce: Discord dropped it, so the learner sees one drill.
      expect(dmPosts(s).filter((p) => p.deduplicated)).toHaveLength(1);
      expect(seen(s)).toEqual({ shown: DRILL_MESSAGES, repeated: false });
      expect(await s.h.redis.get(new RedisKeys(s.prefix).sent(s.jobId))).toBe("sent");
      const retried = logLines(second.bot).filter((l) => l.msg === "delivery");
      expect(retried).toEqual([expect.objectContaining({ outcome: "sent", attempt: 2 })]);
      second.bot.child.kill("SIGTERM");
      expect((await second.bot.exited).code).toBe(0);
    } finally {
      await s.close();
    }
  }, 90_000);
});
