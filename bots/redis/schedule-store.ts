/**
 * The ScheduleStore port on Redis: subscriptions as a hash of JSON plus a
 * sorted set of next-run times (what the minute tick scans), both spread over
 * SCHEDULE_BUCKETS bucket tags by subscription id; posted drills, challenges,
 * and the tallies of shared questions (under the workspace's tag).
 */
import type { Cluster, Redis } from "ioredis";
import { learnerId, workspaceId, type LearnerKey } from "../../core/identity.js";
import type { ScheduleStore } from "../../core/ports.js";
import { challengeIdOf, channelKey, type Challenge, type ChannelDrill, type ChannelRef, type PersonalDrill, type PostedDrill, type TallyEntry } from "../../core/schedule/model.js";
import { EMPTY_STREAK, type StreakState } from "../../core/streak.js";
import { RedisKeys, SCHEDULE_BUCKETS, scheduleBucket } from "./keys.js";
import { parseJson } from "./parse-json.js";
import { defineDrillbotScripts } from "./lua-scripts.js";
import { dueCardsOf } from "./progress-store.js";
import { QuestionCodes } from "./question-codes.js";

const KEEP_SECONDS = 21 * 86_400;

const parse = <T>(text: string | null | undefined): T | null => parseJson<T | null>(text, null);

export class RedisScheduleStore implements ScheduleStore {
  readonly keys: RedisKeys;
  private readonly codes: QuestionCodes;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    defineDrillbotScripts(redis);
    this.codes = QuestionCodes.of(redis, this.keys);
  }

  async savePersonalDrill(sub: PersonalDrill, drillAtMs: number, remindAtMs: number | null): Promise<void> {
    const id = learnerId(sub.learner);
    const k = this.keys;
    const b = scheduleBucket(id);
    const tx = this.redis.multi().hset(k.scheduleData("personal", b), id, JSON.stringify(sub)).zadd(k.scheduleDue("personal", b), drillAtMs, id);
    if (remindAtMs === null) tx.zrem(k.scheduleDue("remind", b), id);
    else tx.zadd(k.scheduleDue("remind", b), remindAtMs, id);
    await tx.exec();
  }

  async removePersonalDrill(learner: LearnerKey): Promise<boolean> {
    const id = learnerId(learner);
    const k = this.keys;
    const b = scheduleBucket(id);
    const res = await this.redis.multi().hdel(k.scheduleData("personal", b), id).zrem(k.scheduleDue("personal", b), id).zrem(k.scheduleDue("remind", b), id).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  async personalDrill(learner: LearnerKey): Promise<PersonalDrill | null> {
    return this.personalDrillById(learnerId(learner));
  }

  async personalDrillById(id: string): Promise<PersonalDrill | null> {
    return parse<PersonalDrill>(await this.redis.hget(this.keys.scheduleData("personal", scheduleBucket(id)), id));
  }

  async saveChannelDrill(sub: ChannelDrill, nextAtMs: number): Promise<void> {
    const id = channelKey(sub.channel);
    const b = scheduleBucket(id);
    await this.redis.multi().hset(this.keys.scheduleData("channel", b), id, JSON.stringify(sub)).zadd(this.keys.scheduleDue("channel", b), nextAtMs, id).exec();
  }

  async removeChannelDrill(channel: ChannelRef): Promise<boolean> {
    const id = channelKey(channel);
    const b = scheduleBucket(id);
    const res = await this.redis.multi().hdel(this.keys.scheduleData("channel", b), id).zrem(this.keys.scheduleDue("channel", b), id).exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  async channelDrillById(id: string): Promise<ChannelDrill | null> {
    return parse<ChannelDrill>(await this.redis.hget(this.keys.scheduleData("channel", scheduleBucket(id)), id));
  }

  async channelDrills(platform: ChannelRef["platform"], workspace: string): Promise<ChannelDrill[]> {
    const wanted = `${platform}:${encodeURIComponent(workspace)}:`;
    const out: ChannelDrill[] = [];
    for (let b = 0; b < SCHEDULE_BUCKETS; b++) {
      let cursor = "0";
      do {
        const [next, flat] = await this.redis.hscan(this.keys.scheduleData("channel", b), cursor, "MATCH", `${wanted}*`, "COUNT", 500);
        cursor = next;
        for (let i = 1; i < flat.length; i += 2) {
          const sub = parse<ChannelDrill>(flat[i]);
          if (sub) out.push(sub);
        }
      } while (cursor !== "0");
    }
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
   * Claims a scheduled delivery (SET NX on the sent-marker alone: the first
   * attempt of a job creates it; a retry of the same job goes on whether or
   * not it exists) and, for personal drills and reminders, reads the
   * subscription (its bucket), the learner's cards, streak and zone (the
   * learner's workspace) beside it: separate commands on up to three slots,
   * sent together, so one round trip. Reading before the claim is decided only
   * wastes a read when the claim fails; nothing is written but the marker.
   */
  async claimDelivery(
    markerKey: string,
    markerTtlSeconds: number,
    isRetry: boolean,
    personal?: { subscriptionId: string; withCards: boolean },
  ): Promise<{ claimed: boolean; sub: PersonalDrill | null; cards: { questionId: string; dueMs: number }[]; learner: { streak: StreakState; timezone: string | null } }> {
    const claim = this.redis.set(markerKey, "claimed", "EX", markerTtlSeconds, "NX");
    // A personal subscription's id is its learner's id.
    const id = personal?.subscriptionId;
    const [claimed, sub, flat, learner] = await Promise.all([
      claim,
      id ? this.redis.hget(this.keys.scheduleData("personal", scheduleBucket(id)), id) : null,
      // Due times come from the cards themselves (each card holds its own; there is no separate index).
      id && personal.withCards ? this.redis.hgetall(this.keys.cards(id)) : {},
      id ? this.redis.hmget(this.keys.learner(id), "streak", "tz") : [null, null],
    ]);
    const cards = await dueCardsOf(flat as Record<string, string>, this.codes);
    return {
      claimed: claimed === "OK" || isRetry,
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

  /**
   * The answers to a channel drill or challenge. The tally lives under its
   * channel's workspace (where the answer script writes it), found through the
   * posted drill or the challenge; an unknown session has none.
   */
  async tally(sessionId: string): Promise<TallyEntry[]> {
    const challengeId = challengeIdOf(sessionId);
    const channel = challengeId !== null ? (await this.challenge(challengeId))?.channel : (await this.postedDrill(sessionId))?.channel;
    if (!channel) return [];
    const all = await this.redis.hgetall(this.keys.tally(workspaceId(channel), sessionId));
    return Object.entries(all).map(([id, value]) => {
      const [correct, ms, ...name] = value.split("|");
      return { learnerId: id, correct: correct === "1", answeredAtMs: Number(ms), name: name.join("|") };
    });
  }
}
