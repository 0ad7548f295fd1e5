/**
 * Scenario "delivery": N personal drills due in one minute, delivered by 1 and
 * by 3 real worker processes (the real messengers) to local stand-ins that
 * enforce the platforms' limits with real 429s: Discord's global 50 requests
 * in any second per bot token (test/support/discord-rate-standin.ts), Slack's
 * chat.postMessage at one message per second per channel and 20 per second
 * per workspace (test/support/slack-rate-standin.ts). Each Discord setting
 * runs twice on the same Redis: the first round opens every DM channel, the
 * second finds them cached. Lateness is each learner's first message's
 * arrival minus the moment the minute's tick ran.
 */
import { DiscordRateStandin } from "../test/support/discord-rate-standin.js";
import { deliveryRound, type RoundResult } from "../test/support/delivery-round.js";
import { SlackRateStandin } from "../test/support/slack-rate-standin.js";

const TOKEN = "bench-bot-token.delivery.0";

export interface DeliveryBench {
  learners: number;
  discord: Record<string, { firstContact: RoundResult; reachedBefore: RoundResult }>;
  slack: Record<string, RoundResult>;
  targets: { usefulRequestsPerSecond: number; lastDrillWithinSeconds: number };
}

export async function benchDelivery(url: string, learners: number, log: (line: string) => void, slackLearners = learners): Promise<DeliveryBench> {
  const out: DeliveryBench = { learners, discord: {}, slack: {}, targets: { usefulRequestsPerSecond: 45, lastDrillWithinSeconds: Number(((learners / 45) * 1.1).toFixed(1)) } };
  for (const workers of [1, 3]) {
    const standin = await DiscordRateStandin.start({ token: TOKEN, perSecond: 50 });
    try {
      const base = { redisUrl: url, prefix: `bench-delivery-d${workers}:`, standin, token: TOKEN, learners, workers, content: "content", timeoutMs: 3_600_000 };
      const firstContact = await deliveryRound({ ...base, now: "2026-03-02T09:00:30Z" });
      log(`  discord, ${workers} worker(s), first contact: ${JSON.stringify(firstContact)}`);
      const reachedBefore = await deliveryRound({ ...base, now: "2026-03-03T09:00:30Z" });
      log(`  discord, ${workers} worker(s), reached before: ${JSON.stringify(reachedBefore)}`);
      out.discord[`workers${workers}`] = { firstContact, reachedBefore };
    } finally {
      await standin.close();
    }
  }
  for (const workers of [1, 3]) {
    const standin = await SlackRateStandin.start(TOKEN, 20);
    try {
      const r = await deliveryRound({ redisUrl: url, prefix: `bench-delivery-s${workers}:`, standin, platform: "slack", token: TOKEN, learners: slackLearners, workers, rate: 18, content: "content", now: "2026-03-02T09:00:30Z", timeoutMs: 3_600_000 });
      log(`  slack, ${workers} worker(s): ${JSON.stringify(r)}`);
      out.slack[`workers${workers}`] = r;
    } finally {
      await standin.close();
    }
  }
  return out;
}
