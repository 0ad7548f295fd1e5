/**
 * The ProgressStore port on Redis (ioredis). An answer is one EVALSHA of
 * record-answer.lua when the learner's snapshot is cached and current; a cold
 * or changed learner costs one extra read (load-snapshot.lua) first.
 */
import type { Redis } from "ioredis";
import { learnerId, type LearnerKey } from "../../core/identity.js";
import type {
  AnswerDecision,
  AnswerOutcome,
  AnswerRecord,
  AnswerRequest,
  DueCard,
  LearnerSnapshot,
  LeaderboardEntry,
  ProgressStore,
  QuizSession,
  TeamWeek,
} from "../../core/ports.js";
import type { SrsCard } from "../../core/srs.js";
import { EMPTY_STREAK, type StreakState } from "../../core/streak.js";
import { RedisKeys } from "./keys.js";
import { defineDrillbotScripts, type LoadReply } from "./lua-scripts.js";
import { parseJson } from "./parse-json.js";
import { SnapshotCache } from "./snapshot-cache.js";

export interface ProgressStoreOptions {
  prefix: string;
  /** How long an open quiz survives without activity. */
  sessionTtlSeconds?: number;
  /** How long an answered question slot is remembered (a slot is answered once); shared questions say their own. */
  recordTtlSeconds?: number;
  /** How long a platform event id is remembered (redeliveries come within minutes). */
  eventTtlSeconds?: number;
  cacheEntries?: number;
}

const WEEK_BOARD_TTL = 60 * 86_400;
/** Tallies of shared questions outlive the longest challenge (14 days) with room to post results. */
const TALLY_TTL = 21 * 86_400;
const MAX_STALE_RETRIES = 5;


export class RedisProgressStore implements ProgressStore {
  readonly keys: RedisKeys;
  private readonly cache: SnapshotCache;
  private readonly sessionTtl: number;
  private readonly recordTtl: number;
  private readonly eventTtl: number;

  constructor(
    private readonly redis: Redis,
    options: ProgressStoreOptions,
  ) {
    this.keys = new RedisKeys(options.prefix);
    // A learner mid-quiz is hot; 10,000 per process is plenty, and a miss only costs one extra read.
    this.cache = new SnapshotCache(options.cacheEntries ?? 10_000);
    this.sessionTtl = options.sessionTtlSeconds ?? 86_400;
    this.recordTtl = options.recordTtlSeconds ?? 86_400;
    this.eventTtl = options.eventTtlSeconds ?? 3_600;
    defineDrillbotScripts(redis);
  }

  private loadArgs(id: string, slotId: string | undefined, eventId: string | undefined, extraIds: string[]): (string | number)[] {
    const k = this.keys;
    return [k.learner(id), k.session(id), k.cards(id), k.slot(id, slotId ?? "-"), k.event(id, eventId ?? "-"), k.parked(id), ...extraIds];
  }

  private parseLoad(reply: LoadReply): { snap: LearnerSnapshot; slot: AnswerRecord | null; event: AnswerRecord | null } {
    const [flat, sessionJson, ids, cards, slot, event, parkedJson] = reply;
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
    const cardMap: Record<string, SrsCard | null> = {};
    ids.forEach((qid, i) => {
      cardMap[qid] = parseJson<SrsCard | null>(cards[i], null);
    });
    const snap: LearnerSnapshot = {
      version: Number(h.version ?? 0),
      timezone: h.tz || null,
      displayName: h.name || null,
      streak: parseJson<StreakState>(h.streak, EMPTY_STREAK),
      points: Number(h.points ?? 0),
      answered: Number(h.answered ?? 0),
      correct: Number(h.correct ?? 0),
      session: parseJson<QuizSession | null>(sessionJson, null),
      parked: parseJson<QuizSession | null>(parkedJson, null),
      cards: cardMap,
    };
    return { snap, slot: parseJson<AnswerRecord | null>(slot, null), event: parseJson<AnswerRecord | null>(event, null) };
  }

  async snapshot(learner: LearnerKey): Promise<LearnerSnapshot> {
    const id = learnerId(learner);
    const { snap } = this.parseLoad(await this.redis.drillbotLoad(...this.loadArgs(id, undefined, undefined, [])));
    this.cache.set(id, snap);
    return snap;
  }

  async cards(learner: LearnerKey): Promise<DueCard[]> {
    const flat = await this.redis.zrange(this.keys.due(learnerId(learner)), 0, -1, "WITHSCORES");
    const out: DueCard[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ questionId: flat[i]!, dueMs: Number(flat[i + 1]) });
    return out;
  }

  async startSession(learner: LearnerKey, session: QuizSession): Promise<LearnerSnapshot> {
    const id = learnerId(learner);
    const results = await this.redis
      .multi()
      .set(this.keys.session(id), JSON.stringify(session), "EX", this.sessionTtl)
      .hincrby(this.keys.learner(id), "version", 1)
      .drillbotLoad(...this.loadArgs(id, undefined, undefined, []))
      .exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error("starting the session was aborted");
    const { snap } = this.parseLoad(results[2]![1] as LoadReply);
    this.cache.set(id, snap);
    return snap;
  }

  async openSession(learner: LearnerKey, session: QuizSession): Promise<void> {
    const id = learnerId(learner);
    this.cache.delete(id);
    await this.redis.drillbotOpenSession(this.keys.session(id), this.keys.learner(id), this.keys.parked(id), JSON.stringify(session), this.sessionTtl, session.id);
  }

  async answer(learner: LearnerKey, request: AnswerRequest, decide: (snap: LearnerSnapshot) => AnswerDecision): Promise<AnswerOutcome> {
    const id = learnerId(learner);
    const cached = this.cache.get(id);
    // Fast path: a current cached snapshot that already holds the card needed.
    if (cached && (!request.questionId || request.questionId in cached.cards)) {
      const decision = decide(cached);
      if (decision.write) {
        const outcome = await this.commit(id, cached, decision);
        if (outcome) return this.withSnapshot(learner, outcome);
      }
      // A refusal decided on cached data is confirmed against fresh data below.
    }
    for (let attempt = 0; attempt < MAX_STALE_RETRIES; attempt++) {
      const extra = request.questionId ? [request.questionId] : [];
      const loaded = this.parseLoad(await this.redis.drillbotLoad(...this.loadArgs(id, request.slotId, request.eventId, extra)));
      this.cache.set(id, loaded.snap);
      if (loaded.event) return { status: "duplicate", record: loaded.event, snapshot: loaded.snap };
      if (loaded.slot) return { status: "already-answered", record: loaded.slot, snapshot: loaded.snap };
      const decision = decide(loaded.snap);
      if (!decision.write) return { status: "rejected", replies: decision.replies };
      const outcome = await this.commit(id, loaded.snap, decision);
      if (outcome) return this.withSnapshot(learner, outcome);
    }
    throw new Error(`answer for ${id} kept conflicting with concurrent writes`);
  }

  /** A redelivered event is answered with the learner as they are now (its open question). */
  private async withSnapshot(learner: LearnerKey, outcome: AnswerOutcome): Promise<AnswerOutcome> {
    if (outcome.status === "duplicate" && !outcome.snapshot) return { ...outcome, snapshot: await this.snapshot(learner) };
    return outcome;
  }

  /** Runs record-answer.lua; returns null when the snapshot was stale. */
  private async commit(id: string, snap: LearnerSnapshot, decision: AnswerDecision): Promise<AnswerOutcome | null> {
    const w = decision.write!;
    const k = this.keys;
    const sessionMode = w.session === undefined ? "keep" : w.session === null ? "del" : "set";
    const recordJson = JSON.stringify(w.record);
    const [status, payload] = await this.redis.drillbotRecord(
      k.learner(id),
      k.cards(id),
      k.due(id),
      k.days(id),
      k.session(id),
      k.slot(id, w.slotId),
      k.event(id, w.record.eventId),
      k.leaderboardAll(w.workspace),
      k.leaderboardWeek(w.workspace, w.weekKey),
      k.names(w.workspace),
      k.tally(w.tally?.sessionId ?? "-"),
      k.teamWeek(w.workspace, w.weekKey),
      k.teamWeekLearners(w.workspace, w.weekKey),
      k.parked(id),
      snap.version,
      w.questionId,
      JSON.stringify(w.card),
      Date.parse(w.card.due),
      JSON.stringify(w.streak),
      w.activeDate,
      w.pointsAwarded,
      id,
      w.correct ? 1 : 0,
      sessionMode,
      w.session ? JSON.stringify(w.session) : "",
      this.sessionTtl,
      recordJson,
      w.slotTtlSeconds ?? this.recordTtl,
      WEEK_BOARD_TTL,
      w.displayName,
      w.tally?.value ?? "",
      TALLY_TTL,
      this.eventTtl,
      w.setId,
      w.parked === undefined ? "keep" : w.parked === null ? "del" : "set",
      w.parked ? JSON.stringify(w.parked) : "",
      snap.session?.id ?? "-",
      snap.parked?.id ?? "-",
    );
    if (status === "recorded") {
      this.cache.set(id, {
        ...snap,
        version: Number(payload),
        displayName: w.displayName,
        streak: w.streak,
        points: snap.points + w.pointsAwarded,
        answered: snap.answered + 1,
        correct: snap.correct + (w.correct ? 1 : 0),
        session: w.session === undefined ? snap.session : w.session,
        parked: w.parked === undefined ? snap.parked : w.parked,
        cards: { ...snap.cards, [w.questionId]: w.card },
      });
      return { status: "recorded", replies: decision.replies };
    }
    if (status === "duplicate" || status === "already-answered") {
      this.cache.delete(id);
      return { status, record: parseJson<AnswerRecord>(payload, w.record), snapshot: null };
    }
    this.cache.delete(id);
    return null;
  }

  async setTimezone(learner: LearnerKey, zone: string): Promise<void> {
    const id = learnerId(learner);
    this.cache.delete(id);
    await this.redis.multi().hset(this.keys.learner(id), "tz", zone).hincrby(this.keys.learner(id), "version", 1).exec();
  }

  async markLessonRead(learner: LearnerKey, lessonId: string): Promise<void> {
    await this.redis.sadd(this.keys.lessons(learnerId(learner)), lessonId);
  }

  async lessonsRead(learner: LearnerKey): Promise<string[]> {
    return this.redis.smembers(this.keys.lessons(learnerId(learner)));
  }

  async activeDays(learner: LearnerKey, dates: string[]): Promise<boolean[]> {
    if (dates.length === 0) return [];
    const counts = await this.redis.hmget(this.keys.days(learnerId(learner)), ...dates);
    return counts.map((c) => Number(c ?? 0) > 0);
  }

  async teamWeek(workspace: string, weekKey: string): Promise<TeamWeek> {
    const res = await this.redis.pipeline().hgetall(this.keys.teamWeek(workspace, weekKey)).pfcount(this.keys.teamWeekLearners(workspace, weekKey)).exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error("team figures read failed");
    const h = (res[0]![1] ?? {}) as Record<string, string>;
    const bySet: TeamWeek["bySet"] = {};
    for (const [field, value] of Object.entries(h)) {
      const m = /^([ac]):(.*)$/.exec(field);
      if (!m) continue;
      const entry = (bySet[m[2]!] ??= { answered: 0, correct: 0 });
      if (m[1] === "a") entry.answered = Number(value);
      else entry.correct = Number(value);
    }
    const sets = Object.values(bySet);
    return {
      learners: Number(res[1]![1] ?? 0),
      answered: sets.reduce((n, f) => n + f.answered, 0),
      correct: sets.reduce((n, f) => n + f.correct, 0),
      bySet,
    };
  }

  async leaderboard(
    workspace: string,
    period: { kind: "week"; weekKey: string } | { kind: "all" },
    limit: number,
    learner: LearnerKey,
  ): Promise<{ top: LeaderboardEntry[]; you: LeaderboardEntry | null }> {
    const key = period.kind === "week" ? this.keys.leaderboardWeek(workspace, period.weekKey) : this.keys.leaderboardAll(workspace);
    const me = learnerId(learner);
    const results = await this.redis
      .pipeline()
      .zrevrange(key, 0, limit - 1, "WITHSCORES")
      .zrevrank(key, me)
      .zscore(key, me)
      .exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error("leaderboard read failed");
    const flat = results[0]![1] as string[];
    const myRank = results[1]![1] as number | null;
    const myScore = results[2]![1] as string | null;
    const ids: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      ids.push(flat[i]!);
      scores.push(Number(flat[i + 1]));
    }
    const wanted = myRank !== null && myRank >= limit ? [...ids, me] : ids;
    const names = wanted.length ? await this.redis.hmget(this.keys.names(workspace), ...wanted) : [];
    const top = ids.map((lid, i) => ({ learnerId: lid, name: names[i] ?? lid, points: scores[i]!, rank: i + 1 }));
    const you =
      myRank === null
        ? null
        : (top.find((e) => e.learnerId === me) ?? { learnerId: me, name: names[names.length - 1] ?? me, points: Number(myScore ?? 0), rank: myRank + 1 });
    return { top, you };
  }
}
