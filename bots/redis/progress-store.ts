/**
 * The ProgressStore port on Redis (ioredis). An answer is one EVALSHA of
 * record-answer.lua when the learner's snapshot is cached and current; a cold
 * or changed learner costs one extra read (load-snapshot.lua) first. Every
 * command or script here touches one workspace's keys only (one hash tag, see
 * keys.ts), so it runs unchanged on a Redis Cluster. Cards and answer records
 * are stored in the compact forms of core/srs-codec and core/answer-record-codec
 * (old JSON ones are still read, and rewritten when next written).
 */
import type { Cluster, Redis } from "ioredis";
import { ANONYMOUS, learnerId, workspaceId, type LearnerKey } from "../../core/identity.js";
import type {
  AnswerDecision,
  AnswerOutcome,
  AnswerRecord,
  AnswerRequest,
  DueCard,
  LearnerSnapshot,
  LeaderboardEntry,
  ProgressStore,
  FittedParameters,
  LearnerSettings,
  QuizSession,
  TeamMember,
  TeamTotals,
  TeamWeek,
  WorkspaceSettings,
} from "../../core/ports.js";
import { asQuietHours } from "../../core/quiet-hours.js";
import type { SrsCard } from "../../core/srs.js";
import { decodeCard, dueMsOf, encodeCard, roundCard } from "../../core/srs-codec.js";
import { decodeAnswerRecord, encodeAnswerRecord } from "../../core/answer-record-codec.js";
import { EMPTY_STREAK, type StreakState } from "../../core/streak.js";
import { RedisKeys } from "./keys.js";
import { defineDrillbotScripts, type LoadReply } from "./lua-scripts.js";
import { parseJson } from "./parse-json.js";
import { QuestionCodes } from "./question-codes.js";
import { SnapshotCache } from "./snapshot-cache.js";
import { answerRetries, answers } from "../ops/telemetry.js";

export interface ProgressStoreOptions {
  prefix: string;
  /** How long an open quiz survives without activity. */
  sessionTtlSeconds?: number;
  /** How long an answered question slot is remembered (a slot is answered once); shared questions say their own. */
  recordTtlSeconds?: number;
  /** How long a platform event id is remembered (redeliveries come within minutes). */
  eventTtlSeconds?: number;
  cacheEntries?: number;
  /** The review log keeps about this many entries per workspace (default 200,000)... */
  reviewLogMaxEntries?: number;
  /** ...and none older than this many days (default 365). */
  reviewLogMaxAgeDays?: number;
  /**
   * Replication is asynchronous: an answer acknowledged just before its master
   * dies can be missing on the replica that takes over. With this, each answer
   * is followed by WAIT in the same pipeline (still one round trip), so it is
   * acknowledged only once `replicas` replicas hold it or `timeoutMs` passed.
   */
  replicaAcks?: { replicas: number; timeoutMs: number };
}

/** A learner hash's or a workspace settings hash's flat HGETALL as an object. */
function hashOf(flat: string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
  return h;
}

function retentionOf(text: string | undefined): number | null {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 && n < 1 ? n : null;
}

export function parseWorkspaceSettings(h: Record<string, string>): WorkspaceSettings {
  return {
    version: Number(h.version ?? 0),
    retention: retentionOf(h.retention),
    fsrs: parseJson<FittedParameters | null>(h.fsrs, null),
    quiet: asQuietHours(parseJson<unknown>(h.quiet, null)),
  };
}

function learnerSettingsOf(h: Record<string, string>): LearnerSettings {
  return { private: h.private === "1", retention: retentionOf(h.retention) };
}

/** A cards hash (HGETALL) as [question id, stored card] pairs; a field no process can name (a lost code table) is left out. */
async function cardEntries(h: Record<string, string>, codes: QuestionCodes): Promise<[string, string][]> {
  const fields = Object.keys(h);
  const ids = await codes.questionsOf(fields);
  const byId = new Map<string, string>();
  fields.forEach((field, i) => {
    const id = ids[i];
    // A card under its code wins over one an older drillbot left under the question id.
    if (id && (field !== id || !byId.has(id))) byId.set(id, h[field]!);
  });
  return [...byId];
}

/** A cards hash (HGETALL) as due entries, soonest first (ties by question id); unreadable cards are left out. */
export async function dueCardsOf(h: Record<string, string>, codes: QuestionCodes): Promise<DueCard[]> {
  const out: DueCard[] = [];
  for (const [questionId, text] of await cardEntries(h, codes)) {
    const dueMs = dueMsOf(text);
    if (dueMs !== null) out.push({ questionId, dueMs });
  }
  return out.sort((a, b) => a.dueMs - b.dueMs || (a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0));
}

const WEEK_BOARD_TTL = 60 * 86_400;
/** Tallies of shared questions outlive the longest challenge (14 days) with room to post results. */
const TALLY_TTL = 21 * 86_400;
const MAX_STALE_RETRIES = 5;


/** A slot's and an event's fields in a learner's answer records hash (keys.ts answers()). */
const slotField = (slotId: string) => `s${slotId}`;
const eventField = (eventId: string) => `e${eventId}`;

/** A session's JSON with its questions' card fields ("f", read by load-snapshot.lua). */
function sessionText(session: QuizSession, codes: QuestionCodes): string {
  return JSON.stringify({ ...session, f: session.questionIds.map((q) => codes.fieldOf(q)) });
}

function parseSession(json: string | null | undefined): QuizSession | null {
  const session = parseJson<(QuizSession & { f?: unknown }) | null>(json ?? undefined, null);
  if (session) delete session.f;
  return session;
}

export class RedisProgressStore implements ProgressStore {
  readonly keys: RedisKeys;
  /** Short codes for question ids as cards-hash fields (shared by the stores on this client). */
  readonly codes: QuestionCodes;
  private readonly cache: SnapshotCache;
  private readonly sessionTtl: number;
  private readonly recordTtl: number;
  private readonly eventTtl: number;
  private readonly logMaxEntries: number;
  private readonly logMaxAgeMs: number;
  private readonly replicaAcks: { replicas: number; timeoutMs: number } | undefined;

  constructor(
    private readonly redis: Redis | Cluster,
    options: ProgressStoreOptions,
  ) {
    this.keys = new RedisKeys(options.prefix);
    // A learner mid-quiz is hot; 10,000 per process is plenty, and a miss only costs one extra read.
    this.cache = new SnapshotCache(options.cacheEntries ?? 10_000);
    this.sessionTtl = options.sessionTtlSeconds ?? 86_400;
    this.recordTtl = options.recordTtlSeconds ?? 86_400;
    this.eventTtl = options.eventTtlSeconds ?? 3_600;
    this.logMaxEntries = options.reviewLogMaxEntries ?? 200_000;
    this.logMaxAgeMs = (options.reviewLogMaxAgeDays ?? 365) * 86_400_000;
    this.replicaAcks = options.replicaAcks;
    defineDrillbotScripts(redis);
    this.codes = QuestionCodes.of(redis, this.keys);
  }

  /** Gives the course's questions their codes up front (one round trip at start-up), so no answer waits for one. */
  /** `onlyThese`: no other question gets a code (workspaces' uploaded questions are stored under their ids; see QuestionCodes.seal). */
  async useQuestions(questionIds: Iterable<string>, opts: { onlyThese?: boolean } = {}): Promise<void> {
    await this.codes.register(questionIds);
    if (opts.onlyThese) this.codes.seal();
  }

  private loadArgs(learner: LearnerKey, slotId: string | undefined, eventId: string | undefined, extraIds: string[]): (string | number)[] {
    const k = this.keys;
    const id = learnerId(learner);
    const extra = extraIds.flatMap((q) => [q, this.codes.fieldOf(q)]);
    return [
      k.learner(id),
      k.session(id),
      k.cards(id),
      k.slot(id, slotId ?? "-"),
      k.event(id, eventId ?? "-"),
      k.parked(id),
      k.workspaceSettings(workspaceId(learner)),
      k.answers(id),
      slotId === undefined ? "" : slotField(slotId),
      eventId === undefined ? "" : eventField(eventId),
      ...extra,
    ];
  }

  /** A stored answer record; its question is stored by code (records an older drillbot wrote: by id). */
  private async readRecord(text: string | null | undefined): Promise<AnswerRecord | null> {
    const record = decodeAnswerRecord(text);
    if (!record) return null;
    const [questionId] = await this.codes.questionsOf([record.ref.questionId]);
    return { ...record, ref: { ...record.ref, questionId: questionId ?? record.ref.questionId } };
  }

  /** An answer record as stored: the event id is its field already, the question its code (60 -> about 45 bytes, under the 64 of a listpack). */
  private recordText(record: AnswerRecord): string {
    return encodeAnswerRecord({ ...record, eventId: "", ref: { ...record.ref, questionId: this.codes.fieldOf(record.ref.questionId) } });
  }

  private parseLoad(reply: LoadReply): { snap: LearnerSnapshot; slot: string | null; event: string | null } {
    const [flat, sessionJson, ids, cards, slot, event, parkedJson, workspaceFlat] = reply;
    const h = hashOf(flat);
    const cardMap: Record<string, SrsCard | null> = {};
    ids.forEach((qid, i) => {
      cardMap[qid] = decodeCard(cards[i]);
    });
    const snap: LearnerSnapshot = {
      version: Number(h.version ?? 0),
      timezone: h.tz || null,
      displayName: h.name || null,
      settings: learnerSettingsOf(h),
      workspace: parseWorkspaceSettings(hashOf(workspaceFlat ?? [])),
      streak: parseJson<StreakState>(h.streak, EMPTY_STREAK),
      points: Number(h.points ?? 0),
      answered: Number(h.answered ?? 0),
      correct: Number(h.correct ?? 0),
      session: parseSession(sessionJson),
      parked: parseSession(parkedJson),
      cards: cardMap,
    };
    return { snap, slot, event };
  }

  async snapshot(learner: LearnerKey): Promise<LearnerSnapshot> {
    const id = learnerId(learner);
    const { snap } = this.parseLoad(await this.redis.drillbotLoad(...this.loadArgs(learner, undefined, undefined, [])));
    this.cache.set(id, snap);
    return snap;
  }

  /** Read from the cards hash (each card holds its due time), not the due index: the index is to go (docs/PERFORMANCE.md). */
  async cards(learner: LearnerKey): Promise<DueCard[]> {
    return dueCardsOf(await this.redis.hgetall(this.keys.cards(learnerId(learner))), this.codes);
  }

  async startSession(learner: LearnerKey, session: QuizSession): Promise<LearnerSnapshot> {
    const id = learnerId(learner);
    await this.codes.register(session.questionIds);
    const results = await this.redis
      .multi()
      .set(this.keys.session(id), sessionText(session, this.codes), "EX", this.sessionTtl)
      .hincrby(this.keys.learner(id), "version", 1)
      .drillbotLoad(...this.loadArgs(learner, undefined, undefined, []))
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
    await this.codes.register(session.questionIds);
    await this.redis.drillbotOpenSession(this.keys.session(id), this.keys.learner(id), this.keys.parked(id), sessionText(session, this.codes), this.sessionTtl, session.id);
  }

  async answer(learner: LearnerKey, request: AnswerRequest, decide: (snap: LearnerSnapshot) => AnswerDecision): Promise<AnswerOutcome> {
    let correct = false;
    const outcome = await this.decideAndRecord(learner, request, (snap) => {
      const decision = decide(snap);
      correct = decision.write?.correct ?? false;
      return decision;
    });
    answers.inc({ platform: learner.platform, result: outcome.status === "recorded" ? (correct ? "correct" : "wrong") : outcome.status });
    if (outcome.status === "duplicate") answerRetries.inc({ reason: "duplicate" });
    return outcome;
  }

  private async decideAndRecord(learner: LearnerKey, request: AnswerRequest, decide: (snap: LearnerSnapshot) => AnswerDecision): Promise<AnswerOutcome> {
    const id = learnerId(learner);
    const cached = this.cache.get(id);
    // Fast path: a current cached snapshot that already holds the card needed.
    if (cached && (!request.questionId || request.questionId in cached.cards)) {
      const decision = decide(cached);
      if (decision.write) {
        const outcome = await this.commit(id, cached, decision);
        if (outcome) return this.withSnapshot(learner, outcome);
        answerRetries.inc({ reason: "stale" });
      }
      // A refusal decided on cached data is confirmed against fresh data below.
    }
    for (let attempt = 0; attempt < MAX_STALE_RETRIES; attempt++) {
      const extra = request.questionId ? [request.questionId] : [];
      // Its code may have been given by another process (new content): learn it, or a card under it would be missed.
      await this.codes.lookUp(extra);
      const loaded = this.parseLoad(await this.redis.drillbotLoad(...this.loadArgs(learner, request.slotId, request.eventId, extra)));
      this.cache.set(id, loaded.snap);
      const [event, slot] = [await this.readRecord(loaded.event), await this.readRecord(loaded.slot)];
      if (event) return { status: "duplicate", record: event, snapshot: loaded.snap };
      if (slot) return { status: "already-answered", record: slot, snapshot: loaded.snap };
      const decision = decide(loaded.snap);
      if (!decision.write) return { status: "rejected", replies: decision.replies };
      const outcome = await this.commit(id, loaded.snap, decision);
      if (outcome) return this.withSnapshot(learner, outcome);
      answerRetries.inc({ reason: "stale" });
    }
    throw new Error(`answer for ${id} kept conflicting with concurrent writes`);
  }

  /** A redelivered event is answered with the learner as they are now (its open question). */
  private async withSnapshot(learner: LearnerKey, outcome: AnswerOutcome): Promise<AnswerOutcome> {
    if (outcome.status === "duplicate" && !outcome.snapshot) return { ...outcome, snapshot: await this.snapshot(learner) };
    return outcome;
  }

  /** record-answer.lua, followed by WAIT in the same pipeline (the same node) when replica acks are asked for. */
  private async record(...args: (string | number)[]): Promise<[string, string]> {
    if (!this.replicaAcks) return this.redis.drillbotRecord(...args);
    const res = await this.redis.pipeline().drillbotRecord(...args).wait(this.replicaAcks.replicas, this.replicaAcks.timeoutMs).exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error("recording the answer was aborted");
    return res[0]![1] as [string, string];
  }

  /** Runs record-answer.lua; returns null when the snapshot was stale. */
  private async commit(id: string, snap: LearnerSnapshot, decision: AnswerDecision): Promise<AnswerOutcome | null> {
    const w = decision.write!;
    const k = this.keys;
    const sessionMode = w.session === undefined ? "keep" : w.session === null ? "del" : "set";
    // Cards and records are stored compactly (core/srs-codec, core/answer-record-codec); the
    // cache keeps the card as stored, so a cached and a reloaded snapshot schedule alike.
    const card = roundCard(w.card);
    await this.codes.register([w.questionId, ...(w.session?.questionIds ?? []), ...(w.parked?.questionIds ?? [])]);
    const recordText = this.recordText(w.record);
    const [status, payload] = await this.record(
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
      k.tally(w.workspace, w.tally?.sessionId ?? "-"),
      k.teamWeek(w.workspace, w.weekKey),
      k.teamWeekLearners(w.workspace, w.weekKey),
      k.parked(id),
      k.workspaceSettings(w.workspace),
      k.reviewLog(w.workspace),
      k.teamTotals(w.workspace),
      k.answers(id),
      snap.version,
      w.questionId,
      encodeCard(card),
      Date.parse(card.due),
      JSON.stringify(w.streak),
      w.activeDate,
      w.pointsAwarded,
      id,
      w.correct ? 1 : 0,
      sessionMode,
      w.session ? sessionText(w.session, this.codes) : "",
      this.sessionTtl,
      recordText,
      w.slotTtlSeconds ?? this.recordTtl,
      WEEK_BOARD_TTL,
      w.displayName,
      w.tally?.value ?? "",
      TALLY_TTL,
      this.eventTtl,
      w.setId,
      w.parked === undefined ? "keep" : w.parked === null ? "del" : "set",
      w.parked ? sessionText(w.parked, this.codes) : "",
      snap.session?.id ?? "-",
      snap.parked?.id ?? "-",
      w.workspaceVersion,
      w.review.rating,
      w.conceptIds.join(","),
      this.logMaxEntries,
      Math.max(0, w.review.atMs - this.logMaxAgeMs),
      w.boardName,
      w.review.atMs,
      this.codes.fieldOf(w.questionId),
      slotField(w.slotId),
      eventField(w.record.eventId),
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
        cards: { ...snap.cards, [w.questionId]: card },
      });
      return { status: "recorded", replies: decision.replies };
    }
    if (status === "duplicate" || status === "already-answered") {
      this.cache.delete(id);
      return { status, record: (await this.readRecord(payload)) ?? w.record, snapshot: null };
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

  async teamWeeks(workspace: string, weekKeys: string[]): Promise<Record<string, TeamWeek>> {
    const weeks = await Promise.all(weekKeys.map((w) => this.teamWeek(workspace, w)));
    return Object.fromEntries(weekKeys.map((w, i) => [w, weeks[i]!]));
  }

  async answersByDay(learner: LearnerKey): Promise<Record<string, number>> {
    const h = await this.redis.hgetall(this.keys.days(learnerId(learner)));
    return Object.fromEntries(Object.entries(h).map(([d, n]) => [d, Number(n)]));
  }

  async cardStates(learner: LearnerKey): Promise<Record<string, SrsCard>> {
    return this.parseCards(await this.redis.hgetall(this.keys.cards(learnerId(learner))));
  }

  private async parseCards(h: Record<string, string>): Promise<Record<string, SrsCard>> {
    const out: Record<string, SrsCard> = {};
    for (const [qid, text] of await cardEntries(h, this.codes)) {
      const card = decodeCard(text);
      if (card) out[qid] = card;
    }
    return out;
  }

  /** Everyone on the workspace's all-time board (whoever has answered there), read in one pipeline. */
  async teamMembers(workspace: string): Promise<TeamMember[]> {
    const ids = await this.redis.zrange(this.keys.leaderboardAll(workspace), 0, -1);
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hmget(this.keys.learner(id), "name", "private", "answered", "correct", "streak", "tz").hgetall(this.keys.cards(id));
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error("team members read failed");
    return Promise.all(ids.map(async (learnerId, i) => {
      const [name, priv, answered, correct, streak, tz] = res[2 * i]![1] as (string | null)[];
      const isPrivate = priv === "1";
      return {
        learnerId,
        name: isPrivate ? ANONYMOUS : name || "",
        timezone: tz || null,
        private: isPrivate,
        answered: Number(answered ?? 0),
        correct: Number(correct ?? 0),
        streak: parseJson<StreakState>(streak ?? undefined, EMPTY_STREAK),
        cards: await this.parseCards((res[2 * i + 1]![1] ?? {}) as Record<string, string>),
      };
    }));
  }

  async teamTotals(workspace: string): Promise<TeamTotals> {
    const h = await this.redis.hgetall(this.keys.teamTotals(workspace));
    const out: TeamTotals = { bySet: {}, byConcept: {} };
    for (const [field, value] of Object.entries(h)) {
      const m = /^([ac]):(k:)?(.*)$/.exec(field);
      if (!m) continue;
      const table = m[2] ? out.byConcept : out.bySet;
      const entry = (table[m[3]!] ??= { answered: 0, correct: 0 });
      if (m[1] === "a") entry.answered = Number(value);
      else entry.correct = Number(value);
    }
    return out;
  }

  async saveLearnerSettings(learner: LearnerKey, patch: Partial<LearnerSettings>): Promise<void> {
    const id = learnerId(learner);
    const key = this.keys.learner(id);
    this.cache.delete(id);
    const m = this.redis.multi();
    if (patch.retention !== undefined) {
      if (patch.retention === null) m.hdel(key, "retention");
      else m.hset(key, "retention", String(patch.retention));
    }
    if (patch.private !== undefined) {
      m.hset(key, "private", patch.private ? "1" : "0");
      // On the boards at once: the name others see, for a learner who has answered here before.
      const name = patch.private ? ANONYMOUS : ((await this.redis.hget(key, "name")) ?? null);
      const names = this.keys.names(workspaceId(learner));
      if (name !== null && (await this.redis.hexists(names, id))) m.hset(names, id, name);
    }
    m.hincrby(key, "version", 1);
    const res = await m.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error("saving the settings was aborted");
  }

  async saveStreak(learner: LearnerKey, expectedVersion: number, streak: StreakState): Promise<boolean> {
    const id = learnerId(learner);
    this.cache.delete(id);
    const ok = await this.redis.drillbotSaveStreak(this.keys.learner(id), expectedVersion, JSON.stringify(streak));
    return ok === 1;
  }

  async workspaceSettings(workspace: string): Promise<WorkspaceSettings> {
    return parseWorkspaceSettings(await this.redis.hgetall(this.keys.workspaceSettings(workspace)));
  }

  async saveWorkspaceSettings(workspace: string, patch: Partial<Omit<WorkspaceSettings, "version">>): Promise<WorkspaceSettings> {
    const key = this.keys.workspaceSettings(workspace);
    const m = this.redis.multi();
    for (const [field, value] of Object.entries(patch) as [keyof typeof patch, unknown][]) {
      if (value === undefined) continue;
      if (value === null) m.hdel(key, field);
      else m.hset(key, field, typeof value === "number" ? String(value) : JSON.stringify(value));
    }
    m.hincrby(key, "version", 1).hgetall(key);
    const res = await m.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error("saving the workspace settings was aborted");
    return parseWorkspaceSettings(res[res.length - 1]![1] as Record<string, string>);
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
