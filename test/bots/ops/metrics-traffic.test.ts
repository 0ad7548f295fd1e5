/**
 * The metrics an operator scrapes, after real traffic: the real bot process
 * (Discord and Slack adapters plus the workers) against the stand-ins on a
 * real Redis. A quiz and an answer on Discord (with a 429 on the way), a
 * command on Slack, a personal drill delivered; then /metrics must show each
 * named series moved, with bounded labels only, and every JSON log line must
 * parse and carry no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PersonalDrill } from "../../../core/schedule/model.js";
import { freePort } from "../../../bots/redis/embedded-redis.js";
import { APP_ID, GUILD_A, startStandin, TOKEN } from "../../support/discord-harness.js";
import type { DiscordStandin } from "../../support/discord-standin.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { drillHarness, eventually } from "../../support/drill-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { ALICE, BOT_TOKEN, SIGNING_SECRET } from "../../support/slack-harness.js";
import { commandFields, FORM, formBody, postToApp } from "../../support/slack-requests.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { removeTempDirs, startBot, type BotProcess } from "../reliability/bot-process.js";

const redis = useTestRedis();
let discord: DiscordStandin;
let slack: SlackStandin;
beforeAll(async () => {
  discord = await startStandin();
  slack = await SlackStandin.start();
});
afterAll(async () => {
  await discord?.close();
  await slack?.close();
  removeTempDirs();
});

/** One series' value from Prometheus text: the sum over lines whose labels include `labels`. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let seen = false;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-z_:]+)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum += Number(m[3]);
      seen = true;
    }
  }
  return seen ? sum : NaN;
}

/** Every label name used by drillbot's own series. */
function labelNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const m = line.match(/^drillbot_[a-z_]+\{(.*)\} /);
    if (m) for (const x of m[1]!.matchAll(/(\w+)="/g)) names.add(x[1]!);
  }
  return names;
}

describe("metrics after real traffic", () => {
  let bot: BotProcess;
  let metricsPort: number;
  let slackPort: number;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    metricsPort = await freePort();
    slackPort = await freePort();
    bot = startBot({
      REDIS_URL: redis.server.url,
      DRILLBOT_REDIS_PREFIX: prefix,
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: APP_ID,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(slackPort),
      METRICS_PORT: String(metricsPort),
      LOG_FORMAT: "json",
    });
    await bot.waitFor(/drillbot is running/, { in: "stderr", timeoutMs: 30_000 });
  }, 40_000);

  afterAll(async () => {
    bot.child.kill("SIGTERM");
    await bot.exited;
  });

  it("interactions, answers, platform requests, rate-limit waits, deliveries, lateness and queues all move", async () => {
    const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const before = await scrape();
    expect(value(before, "drillbot_redis_up")).toBe(1);

    // Discord: a quiz and a right answer; the first follow-up meets a 429 that discord.js waits out.
    const ann = new DiscordUser(discord, { user: { id: "200000000000000101", username: "ann" }, guild: GUILD_A });
    const quiz = await ann.run("quiz", { topic: "alpha", count: 3 });
    discord.rateLimit("POST", /^\/webhooks\/\d+\/[^/]+$/, 0.3);
    await ann.press(quiz.messages[0]!, "Alpha", atLeast(2));

    // Slack: /study stats.
    const res = await postToApp(slackPort, formBody(commandFields(ALICE, "stats", slack.responseUrl("metrics"), "trig-metrics")), FORM, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    await eventually(() => slack.responsesTo("metrics").length > 0, 10_000);

    // A personal drill due a minute ago, queued as the minute tick would; the bot's worker sends it.
    const h = await drillHarness(redis.server.url, prefix, new Date().toISOString());
    try {
      const sub: PersonalDrill = {
        learner: { platform: "discord", workspace: "dm", user: "200000000000000102" },
        displayName: "bo",
        recurrence: { time: "00:00", zone: "UTC", days: [1, 2, 3, 4, 5, 6, 7] },
        count: 1,
        remind: false,
      };
      await h.schedules.savePersonalDrill(sub, Date.now() - 60_000, null);
      expect((await h.jobs.tick()).personal).toBe(1);
    } finally {
      await h.shutdown();
    }
    let after = "";
    const moved = (name: string, labels: Record<string, string> = {}) => (value(after, name, labels) || 0) - (value(before, name, labels) || 0);
    // An event is counted when its handler has finished, a moment after the stand-in shows its last message.
    await eventually(async () => {
      after = await scrape();
      return (
        moved("drillbot_deliveries_total", { kind: "personal-drill", outcome: "sent" }) >= 1 &&
        moved("drillbot_interactions_total", { platform: "discord", kind: "button" }) >= 1 &&
        moved("drillbot_interactions_total", { platform: "slack", kind: "command" }) >= 1
      );
    }, 20_000);
    expect(moved("drillbot_interactions_total", { platform: "discord", kind: "command", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(moved("drillbot_interactions_total", { platform: "discord", kind: "button", outcome: "ok" })).toBe(1);
    expect(moved("drillbot_interactions_total", { platform: "slack", kind: "command", outcome: "ok" })).toBe(1);
    expect(moved("drillbot_interaction_duration_seconds_count", { platform: "discord", kind: "button" })).toBe(1);
    // The 3-second bucket exists, so "acknowledged late" is a query away.
    expect(value(after, "drillbot_interaction_duration_seconds_bucket", { platform: "discord", kind: "button", le: "3" })).toBe(1);
    expect(moved("drillbot_answers_total", { platform: "discord", result: "correct" })).toBe(1);
    expect(moved("drillbot_platform_requests_total", { platform: "discord", status: "200" })).toBeGreaterThanOrEqual(3);
    expect(moved("drillbot_platform_requests_total", { platform: "discord", status: "429" })).toBe(1);
    expect(moved("drillbot_platform_requests_total", { platform: "slack", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(moved("drillbot_rate_limit_waits_total", { platform: "discord" })).toBe(1);
    expect(moved("drillbot_rate_limit_wait_seconds_total", { platform: "discord" })).toBeGreaterThan(0.25);
    expect(moved("drillbot_deliveries_total", { platform: "discord", kind: "personal-drill", outcome: "sent" })).toBe(1);
    expect(moved("drillbot_drill_lateness_seconds_count", { platform: "discord", kind: "personal-drill" })).toBe(1);
    // Due a minute ago: it went out about 60 s late, and the histogram says so.
    expect(moved("drillbot_drill_lateness_seconds_sum", { platform: "discord", kind: "personal-drill" })).toBeGreaterThanOrEqual(59);
    expect(value(after, "drillbot_queue_jobs", { queue: "drillbot-deliver-discord", state: "completed" })).toBeGreaterThanOrEqual(1);
    expect(value(after, "drillbot_queue_jobs", { queue: "drillbot-tick", state: "waiting" })).toEqual(expect.any(Number));
    expect(value(after, "drillbot_nodejs_eventloop_lag_p99_seconds")).toEqual(expect.any(Number));

    // No per-user, per-server or per-channel labels anywhere.
    expect([...labelNames(after)].sort()).toEqual(expect.arrayContaining(["platform"]));
    for (const name of labelNames(after)) expect(["platform", "kind", "outcome", "result", "reason", "status", "scope", "queue", "state", "le", "quantile", "version", "major", "minor", "patch", "type", "space", "check"]).toContain(name);
    for (const id of [GUILD_A.id, "200000000000000101", ALICE.user, ALICE.team]) expect(after).not.toContain(id);
  }, 60_000);

  it("writes one JSON line per handled event, naming platform, workspace, command, outcome and latency, and never a secret", () => {
    const lines = bot
      .stderr()
      .split("\n")
      .filter(Boolean);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = parsed.filter((l) => l.msg === "interaction");
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "info", role: "bot", platform: "discord", kind: "command", command: "quiz", workspace: GUILD_A.id, outcome: "ok", ms: expect.any(Number) }),
        expect.objectContaining({ platform: "discord", kind: "button", workspace: GUILD_A.id, outcome: "ok" }),
        expect.objectContaining({ platform: "slack", kind: "command", command: "/study stats", workspace: ALICE.team, outcome: "ok" }),
      ]),
    );
    expect(parsed.filter((l) => l.msg === "delivery")).toEqual([expect.objectContaining({ platform: "discord", kind: "personal-drill", outcome: "sent", lateMs: expect.any(Number) })]);
    for (const secret of [TOKEN, BOT_TOKEN, SIGNING_SECRET]) expect(bot.stderr()).not.toContain(secret);
  });
});
