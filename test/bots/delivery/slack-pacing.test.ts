/**
 * Slack's chat.postMessage pacing shared through Redis: about one message per
 * second per channel (a DM is its own channel) across messengers (as in
 * separate worker processes), other channels not held up, a workspace budget
 * over all channels, and a 429's Retry-After still handed to the job runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../../core/replies.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { createSlackMessenger } from "../../../bots/slack/slack-messenger.js";
import { BOT_TOKEN } from "../../support/slack-harness.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const text = (t: string): Reply[] => [{ type: "text", text: t }];

describe("Slack pacing across processes", () => {
  let standin: SlackStandin;
  const posts: { channel: string; at: number }[] = [];
  beforeAll(async () => {
    standin = await SlackStandin.start();
    standin.override("chat.postMessage", (call) => void posts.push({ channel: String(call.body.channel), at: Date.now() }));
  });
  afterAll(async () => {
    await standin.close();
  });

  const messenger = (prefix: string, workspacePerSecond?: number) =>
    createSlackMessenger({
      botToken: BOT_TOKEN,
      apiUrl: standin.apiUrl,
      log: plainLogger("error", []),
      retryConfig: { retries: 0 },
      shared: { redis: redis.client, keys: new RedisKeys(prefix), ...(workspacePerSecond ? { workspacePerSecond } : {}) },
    });

  it("two messengers posting to one channel keep about a second between its messages; another channel is not held up", async () => {
    const prefix = uniquePrefix();
    const [a, b] = [messenger(prefix), messenger(prefix)];
    posts.length = 0;
    const channel = { platform: "slack" as const, workspace: "T1", channel: "C1" };
    const sends = [1, 2, 3].flatMap((i) => [
      a.toChannel(channel, text(`a${i}`), { idempotencyKey: `a${i}` }),
      b.toChannel(channel, text(`b${i}`), { idempotencyKey: `b${i}` }),
    ]);
    const started = Date.now();
    await b.toLearner({ platform: "slack", workspace: "T1", user: "UDM1" }, text("a DM"), { idempotencyKey: "dm" });
    expect(Date.now() - started).toBeLessThan(500);
    await Promise.all(sends);
    const times = posts.filter((p) => p.channel === "C1").map((p) => p.at);
    expect(times).toHaveLength(6);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(a.channelWaitMs() + b.channelWaitMs()).toBeGreaterThan(4_000);
  }, 20_000);

  it("a workspace budget spaces messages to many channels across messengers", async () => {
    const prefix = uniquePrefix();
    const [a, b] = [messenger(prefix, 5), messenger(prefix, 5)];
    posts.length = 0;
    const sends = Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).toLearner({ platform: "slack", workspace: "T2", user: `UW${i}` }, text("hi"), { idempotencyKey: `w${i}` }));
    await Promise.all(sends);
    const times = posts.map((p) => p.at).sort((x, y) => x - y);
    expect(times).toHaveLength(12);
    // At most 5 in any second (4/s steady), so 12 take well over two seconds.
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(990);
  }, 20_000);

  it("a 429 still reaches the job runtime as retryAfterMs, and holds the workspace's budget in every process for that long", async () => {
    const prefix = uniquePrefix();
    const m = messenger(prefix);
    standin.rateLimit("chat.postMessage", 3);
    await expect(m.toChannel({ platform: "slack", workspace: "T3", channel: "C3" }, text("x"), { idempotencyKey: "r1" })).rejects.toMatchObject({ retryAfterMs: 3_000 });
    expect(await redis.client.pttl(new RedisKeys(prefix).ratePause("slack:T3"))).toBeGreaterThan(2_000);
    // Another process's messenger for that workspace waits the pause out before posting.
    const other = messenger(prefix);
    const started = Date.now();
    await other.toLearner({ platform: "slack", workspace: "T3", user: "UOTHER" }, text("y"), { idempotencyKey: "r2" });
    expect(Date.now() - started).toBeGreaterThan(2_000);
  }, 20_000);
});
