/**
 * The ScheduleStore port on Redis: subscriptions as a hash of JSON plus a
 * sorted set of next-run times (what the minute tick scans), posted drills,
 * challenges, and the tallies of shared questions.
 */
import type { Redis } from "ioredis";
import { learnerId, type LearnerKey } from "../../core/identity.js";
import type { ScheduleStore } from "../../core/ports.js";
import { channelKey, type Challenge, type ChannelDrill, type ChannelRef, type PersonalDrill, type PostedDrill, type TallyEntry } from "../../core/schedule/model.js";
import { EMPTY_STREAK, type StreakState } from "../../core/streak.js";
import { RedisKeys } from "./keys.js";
import { parseJson } from "./parse-json.js";
import { defineDrillbotScripts } from "./lua-scripts.js";

const KEEP_SECONDS = 21 * 86_400;

const parse = <T>(text: string | null | undefined): T | null => parseJson<T | null>(text, null);

export class RedisScheduleStore implements ScheduleStore {
  readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    defineDrillbotScripts(redis);
  }

  async savePersonalDrill(sub: PersonalDrill, drillAtMs: number, remindAtMs: number | null): Promise<void> {
    const id = learnerId(sub.learner);
    const k = this.keys;
    const tx = this.redis.multi().hset(k.scheduleData("personal"), id, JSON.stringify(sub)).zadd(k.scheduleDue("personal"), drillAtMs, id);
    if (remindAtMs === null) tx.zrem(k.scheduleDue("remind"), id);
    else tx.zadd(k.scheduleDue("remind"), remindAtMs, id);
    await tx.exec();
  }

  async removePersonalDrill(learner: LearnerKey): Promise<boolean> {
    const id = learnerId(learner);
    const k = this.keys;
    const res = await this.redis.multi().hdel(k.scheduleData("personal"), id).zrem(k.scheduleDue("personal"), id).zrem(k.scheduleDue("remind"), id).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  async personalDrill(learner: LearnerKey): Promise<PersonalDrill | null> {
    return parse<PersonalDrill>(await this.redis.hget(this.keys.scheduleData("personal"), learnerId(learner)));
  }

  async personalDrillById(id: string): Promise<PersonalDrill | null> {
    return parse<PersonalDrill>(await this.redis.hget(this.keys.scheduleData("personal"), id));
  }

  async saveChannelDrill(sub: ChannelDrill, nextAtMs: number): Promise<void> {
    const id = channelKey(sub.channel);
    await this.redis.multi().hset(this.keys.scheduleData("channel"), id, JSON.stringify(sub)).zadd(this.keys.scheduleDue("channel"), nextAtMs, id).exec();
  }

  async removeChannelDrill(channel: ChannelRef): Promise<boolean> {
    const id = channelKey(channel);
    const res = await this.redis.multi().hdel(this.keys.scheduleData("channel"), id).zrem(this.keys.scheduleDue("channel"), id).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  async channelDrillById(id: string): Promise<ChannelDrill | null> {
    return parse<ChannelDrill>(await this.redis.hget(this.keys.scheduleData("channel"), id));
  }

  async channelDrills(platform: ChannelRef["platform"], workspace: string): Promise<ChannelDrill[]> {
    const wanted = `${platform}:${encodeURIComponent(workspace)}:`;
    const out: ChannelDrill[] = [];
    let cursor = "0";
    do {
      const [next, flat] = await this.redis.hscan(this.keys.scheduleData("channel"), cursor, "MATCH", `${wanted}*`, "COUNT", 500);
      cursor = next;
      for (let i = 1; i < flat.length; i += 2) {
        const sub = parse<ChannelDrill>(flat[i]);
        if (sub) out.push(sub);
      }
    } while (cursor !== "0");
    return out.sort((a, b) => a.channel.channel.localeCompare(b.channel.channel));
  }

  async nextChannelPick(channel: ChannelRef): Promise<number> {
    return (await this.redis.hincrby(this.keys.channelPicks(), channelKey(channel), 1)) - 1;
  }

  async savePostedDrill(posted: PostedDrill): Promise<void> {
    await this.redis.set(this.keys.postedDrill(posted.sessionId), JSON.stringify(posted), "EX", KEEP_SECONDS);
  }

  async postedDrill(sessionId: string): Promise<PostedDrill | null> {
    return parse<PostedDrill>(await this.redis.get(this.keys.postedDrill(sessionId)));
  }

  /** Records `sessionId` as the channel's latest drill; returns the one it replaces, if any. */
  async swapLastPosted(channel: ChannelRef, sessionId: string): Promise<string | null> {
    const key = channelKey(channel);
    const res = await this.redis.multi().hget(this.keys.channelLastPosted(), key).hset(this.keys.channelLastPosted(), key, sessionId).exec();
    const previous = (res?.[0]?.[1] as string | null) ?? null;
    return previous && previous !== sessionId ? previous : null;
  }

  /**
   * Claims a scheduled delivery (see claim-delivery.lua) and, for personal
   * drills and reminders, reads the subscription, the learner's cards, and
   * the learner's streak and zone (for breaks), in the same round trip.
   */
  async claimDelivery(
    markerKey: string,
    markerTtlSeconds: number,
    isRetry: boolean,
    personal?: { subscriptionId: string; withCards: boolean },
  ): Promise<{ claimed: boolean; sub: PersonalDrill | null; cards: { questionId: string; dueMs: number }[]; learner: { streak: StreakState; timezone: string | null } }> {
    const args = [
      markerKey,
      personal ? this.keys.scheduleData("personal") : "",
      personal?.withCards ? this.keys.due(personal.subscriptionId) : "",
      markerTtlSeconds,
      personal?.subscriptionId ?? "",
      isRetry ? "1" : "0",
    ];
    let claim: [number, string | null, string[]];
    let learner: (string | null)[] = [null, null];
    if (personal) {
      // A personal subscription's id is its learner's id.
      const res = await this.redis.pipeline().drillbotClaimDelivery(...args).hmget(this.keys.learner(personal.subscriptionId), "streak", "tz").exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error("claim-delivery: no reply");
      claim = res[0]![1] as [number, string | null, string[]];
      learner = res[1]![1] as (string | null)[];
    } else {
      claim = await this.redis.drillbotClaimDelivery(...args);
    }
    const [claimed, sub, flat] = claim;
    const cards: { questionId: string; dueMs: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) cards.push({ questionId: flat[i]!, dueMs: Number(flat[i + 1]) });
    return {
      claimed: claimed === 1,
      sub: parse<PersonalDrill>(sub),
      cards,
      learner: { streak: parseJson<StreakState>(learner[0] ?? undefined, EMPTY_STREAK), timezone: learner[1] || null },
    };
  }

  async saveChallenge(challenge: Challenge): Promise<void> {
    await this.redis.set(this.keys.challenge(challenge.id), JSON.stringify(challenge), "EX", KEEP_SECONDS);
  }

  async challenge(id: string): Promise<Challenge | null> {
    return parse<Challenge>(await this.redis.get(this.keys.challenge(id)));
  }

  async tally(sessionId: string): Promise<TallyEntry[]> {
    const all = await this.redis.hgetall(this.keys.tally(sessionId));
    return Object.entries(all).map(([id, value]) => {
      const [correct, ms, ...name] = value.split("|");
      return { learnerId: id, correct: correct === "1", answeredAtMs: Number(ms), name: name.join("|") };
    });
  }
}
