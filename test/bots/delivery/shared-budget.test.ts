/**
 * Discord's global limit with several real worker processes: the request
 * budget is shared through Redis, a global 429 holds every process, and DM
 * channel ids opened by one process are reused by another (after a restart
 * too). Workers are real processes running the real messenger (discord.js
 * REST) against a stand-in that enforces the limit with real 429s.
 */
import { afterEach, describe, expect, it } from "vitest";
import { deliveryRound, learnerId, maxInAnySecond } from "../../support/delivery-round.js";
import { DiscordRateStandin } from "../../support/discord-rate-standin.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { RedisKeys } from "../../../bots/redis/keys.js";

const redis = useTestRedis();
const TOKEN = "budget-test-token.abc.def";
let standin: DiscordRateStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

describe("two worker processes on one bot token", () => {
  it("share a 9/s budget under a 10/s limit: never more than 10 requests in any second, no 429, both send; a learner reached before costs one request, from either process", async () => {
    // As in production (47 under Discord's 50), the budget keeps a margin under the limit: requests
    // are counted where they arrive, and a loaded machine can bunch what was sent evenly.
    standin = await DiscordRateStandin.start({ token: TOKEN, perSecond: 10 });
    // Two deliveries at a time per process: neither can take all 20 drills before the other starts.
    const base = { redisUrl: redis.server.url, prefix: uniquePrefix(), standin, token: TOKEN, learners: 20, workers: 2, rate: 9, concurrency: 2, timeoutMs: 60_000 };
    const first = await deliveryRound({ ...base, now: "2026-03-02T09:00:30Z" });
    expect(first.global429s).toBe(0);
    expect(first.maxSentInAnySecond).toBeLessThanOrEqual(9);
    expect(first.maxRequestsInAnySecond).toBeLessThanOrEqual(10);
    // Each process alone may take 9/s: shared, the two together stay at the one budget, and use it.
    expect(first.usefulRequestsPerSecond).toBeGreaterThan(6.5);
    expect(first.usefulRequestsPerSecond).toBeLessThanOrEqual(9.5);
    expect(Object.keys(first.postsByWorker).sort()).toEqual(["w1", "w2"]);
    // First contact: open the DM channel, then post (one message per drill).
    expect(first.dmChannelOpens).toBe(20);
    expect(first.requests).toBe(40);
    const keys = new RedisKeys(base.prefix);
    expect(await redis.client.get(keys.discordDmChannel(learnerId(3)))).toBe(standin.dmChannelOf(learnerId(3)));

    // The next day, new processes (a restart): every DM channel comes from Redis.
    const second = await deliveryRound({ ...base, now: "2026-03-03T09:00:30Z" });
    expect(second.dmChannelOpens).toBe(0);
    expect(second.requestsPerDm).toBe(1);
    expect(second.global429s).toBe(0);
    // Which of the two fresh processes sends which DM is the scheduler's choice (on a busy machine one
    // may take them all); neither has any DM channel in memory, so every one came from Redis.
    expect(second.dms).toBe(20);
  }, 90_000);

  it("at Discord's own figures (47 under 50), a driver whose event loop stalls for 250 ms at a time changes nothing: the stand-in stamps each request as it arrives, so no second holds more than 50 and there is no 429", async () => {
    // Discord counts requests where they reach it. In the driver's process, a stalled event loop
    // stamped a stall's worth of requests with one time (two global 429s in this test).
    standin = await DiscordRateStandin.start({ token: TOKEN, perSecond: 50 });
    const base = { redisUrl: redis.server.url, prefix: uniquePrefix(), standin, token: TOKEN, learners: 150, workers: 1, timeoutMs: 60_000 };
    await deliveryRound({ ...base, now: "2026-03-02T09:00:30Z" });
    // The next day every DM channel is known: one post per learner, to 150 channels at once.
    let stalls = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await deliveryRound({ ...base, now: "2026-03-03T09:00:30Z" }, () => {
        timer = setInterval(() => {
          stalls += 1;
          const until = Date.now() + 250;
          while (Date.now() < until);
        }, 500);
      });
      expect(stalls).toBeGreaterThan(3);
      expect(result.dms).toBe(150);
      expect(result.global429s).toBe(0);
      expect(result.maxSentInAnySecond).toBeLessThanOrEqual(47);
      expect(result.maxRequestsInAnySecond).toBeLessThanOrEqual(50);
      expect(result.requestsPerDm).toBe(1);
    } finally {
      clearInterval(timer);
    }
  }, 60_000);

  it("a global 429 to one process holds both for its Retry-After, then both carry on and every DM arrives once", async () => {
    standin = await DiscordRateStandin.start({ token: TOKEN, perSecond: 50 });
    const base = { redisUrl: redis.server.url, prefix: uniquePrefix(), standin, token: TOKEN, learners: 40, workers: 2, rate: 9, concurrency: 2, timeoutMs: 60_000 };
    let startedAt = 0;
    const result = await deliveryRound({ ...base, now: "2026-03-02T09:00:30Z" }, (t0) => {
      startedAt = t0;
      // Once both processes are sending, the next request is refused on the global limit for 2 s.
      const timer = setInterval(() => {
        const agents = new Set(standin!.requests.map((r) => r.agent));
        if (agents.has("w1") && agents.has("w2")) {
          clearInterval(timer);
          standin!.forceGlobal429(2);
        }
      }, 20);
    });
    const refused = standin.global429s();
    expect(refused).toHaveLength(1);
    const at = refused[0]!.at;
    expect(at).toBeGreaterThan(startedAt);
    const accepted = standin.requests.filter((r) => r.status !== 429);
    // Nothing from either process while the pause lasts (a little slack for a request already on the wire).
    const during = accepted.filter((r) => r.at > at + 50 && r.at < at + 2_000 - 50);
    expect(during).toEqual([]);
    const after = accepted.filter((r) => r.at >= at + 2_000 - 50);
    expect(new Set(after.map((r) => r.agent))).toEqual(new Set(["w1", "w2"]));
    expect(new Set(accepted.filter((r) => r.at < at).map((r) => r.agent))).toEqual(new Set(["w1", "w2"]));
    // The refused request was sent again: every learner got exactly one message (no nonce repeats needed).
    expect(result.dms).toBe(40);
    const posts = accepted.filter((r) => r.channel);
    expect(posts).toHaveLength(40);
    // The 9/s budget, with the margin of one for arrival jitter as above.
    expect(maxInAnySecond(accepted.map((r) => r.at))).toBeLessThanOrEqual(10);
  }, 90_000);
});
