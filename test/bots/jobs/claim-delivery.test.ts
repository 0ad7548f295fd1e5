import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import type { PersonalDrill } from "../../../core/schedule/model.js";
import { RedisScheduleStore } from "../../../bots/redis/schedule-store.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

function store(): { schedules: RedisScheduleStore; client: Redis } {
  // Autopipelining, as the app's client has: the claim and its reads go out together.
  const client = new Redis(redis.server.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  clients.push(client);
  return { schedules: new RedisScheduleStore(client, uniquePrefix()), client };
}

const ann: LearnerKey = { platform: "discord", workspace: "G1", user: "ann" };
const sub: PersonalDrill = { learner: ann, displayName: "ann", recurrence: { time: "08:30", zone: "Europe/Berlin", days: [1, 2, 3, 4, 5, 6, 7] }, count: 5, remind: true };

describe("claiming a scheduled delivery", () => {
  it("the first attempt creates the sent-marker with its TTL; another job with the same id is refused", async () => {
    const { schedules, client } = store();
    const marker = schedules.keys.sent("personal-drill__x__2026-03-02");
    const first = await schedules.claimDelivery(marker, 120, false);
    expect(first.claimed).toBe(true);
    expect(await client.get(marker)).toBe("claimed");
    const ttl = await client.ttl(marker);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    const again = await schedules.claimDelivery(marker, 120, false);
    expect(again.claimed).toBe(false);
  });

  it("a retry of the same job goes on whether its marker exists or not, and leaves an existing marker as it was", async () => {
    const { schedules, client } = store();
    const marker = schedules.keys.sent("personal-drill__y__2026-03-02");
    await client.set(marker, "held", "EX", 500);
    expect((await schedules.claimDelivery(marker, 120, true)).claimed).toBe(true);
    expect(await client.get(marker)).toBe("held");
    expect(await client.ttl(marker)).toBeGreaterThan(400);
    const fresh = schedules.keys.sent("personal-drill__z__2026-03-02");
    expect((await schedules.claimDelivery(fresh, 120, true)).claimed).toBe(true);
    expect(await client.get(fresh)).toBe("claimed");
  });

  it("reads the subscription, the learner's cards, streak and zone beside the claim", async () => {
    const { schedules, client } = store();
    await schedules.savePersonalDrill(sub, Date.parse("2026-03-02T07:30:00Z"), null);
    const id = learnerId(ann);
    // Each card holds its due time (seconds): q1 at 1 s, q2 at 2 s.
    await client.hset(schedules.keys.cards(id), "q2", "c2,1,1,0,0,0,1,0,2,", "q1", "c1,1,1,0,0,0,1,0,2,");
    await client.hset(schedules.keys.learner(id), "tz", "Asia/Tokyo");
    const claim = await schedules.claimDelivery(schedules.keys.sent("personal-drill__ann__2026-03-02"), 120, false, { subscriptionId: id, withCards: true });
    expect(claim.claimed).toBe(true);
    expect(claim.sub).toEqual(sub);
    expect(claim.cards).toEqual([
      { questionId: "q1", dueMs: 1_000 },
      { questionId: "q2", dueMs: 2_000 },
    ]);
    expect(claim.learner.timezone).toBe("Asia/Tokyo");
    const missing = await schedules.claimDelivery(schedules.keys.sent("reminder__nobody__2026-03-02"), 120, false, { subscriptionId: "discord:G1:nobody", withCards: false });
    expect(missing.sub).toBeNull();
    expect(missing.cards).toEqual([]);
  });
});
