/**
 * Scenario "memory": what a learner costs in Redis, by MEMORY USAGE summed over
 * the learner's keys (profile hash, cards hash, due index, active days, lessons
 * read; an open quiz is transient and counted apart), for a learner with 50 cards and one with a card for every
 * question of the course, and what one answer record (slot or event key) costs.
 * Learners study through the real StudyService and Redis store, with Discord-sized
 * ids, a few quizzes a day. The same state is then rewritten in the old JSON
 * forms and measured again, for the before/after comparison.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { decodeAnswerRecord } from "../core/answer-record-codec.js";
import type { Catalog } from "../core/content/catalog.js";
import { learnerId, type LearnerKey } from "../core/identity.js";
import type { Reply } from "../core/replies.js";
import { StudyService } from "../core/service/study-service.js";
import { decodeCard } from "../core/srs-codec.js";
import { RedisProgressStore } from "../bots/redis/progress-store.js";
import { typedAnswer } from "./answers.js";

export interface MemoryFigures {
  bytesPerLearner50Cards: number;
  bytesPerLearnerAllCards: number;
  /**
   * What one answer's records cost (the slot's record and the event's pointer
   * to it, for a day and an hour): MEMORY USAGE of every learner's records,
   * divided by the answers they hold.
   */
  bytesPerAnswerRecord: number;
  /** Mean stored length of one card and one slot record (bytes). */
  cardValueBytes: number;
  recordValueBytes: number;
}

export interface MemoryResult extends MemoryFigures {
  courseQuestions: number;
  allCardsLearnerCards: number;
  cardsEncoding50: string;
  cardsEncodingAll: string;
  /** MEMORY USAGE of each key of one learner of each kind. */
  perKey: Record<"learner50Cards" | "learnerAllCards", Record<string, number>>;
  /**
   * Projections, measured on this state: without the due index (a zset the cards
   * hash duplicates), and then with the cards hash a listpack under
   * hash-max-listpack-entries 1024 (DUMP/RESTORE of the same hash).
   */
  withoutDueIndex: { bytesPerLearner50Cards: number; bytesPerLearnerAllCards: number; bytesPerLearnerAllCardsListpack1024: number; cardsEncodingAt1024: string };
  /** Records per answer in one learner's day of 20, 60 and 200 answers (the headline figure is the 60-answer day). */
  recordsByDay: { answers: number; bytesPerAnswer: number; encoding: string }[];
  /** The same learners with cards and records in the old JSON forms (cards under question ids, one string key per record). */
  jsonBefore: MemoryFigures;
}

type Question = Extract<Reply, { type: "question" }>;

const snowflake = () => (BigInt("0x" + randomBytes(8).toString("hex")) % 900_000_000_000_000_000n + 100_000_000_000_000_000n).toString();

async function memoryOf(redis: Redis, keys: string[]): Promise<number> {
  const p = redis.pipeline();
  for (const k of keys) p.memory("USAGE", k, "SAMPLES", "0");
  const res = (await p.exec()) ?? [];
  return res.reduce((sum, [, v]) => sum + Number(v ?? 0), 0);
}

/**
 * Studies until the learner holds `target` cards (or the course runs out): the
 * course's lessons and practice sets in order, 20-question quizzes answered a
 * minute or so apart, the next set the next day.
 */
async function study(service: StudyService, store: RedisProgressStore, redis: Redis, catalog: Catalog, learner: LearnerKey, target: number, clock: { t: number }): Promise<number> {
  const cardsKey = store.keys.cards(learnerId(learner));
  const sets = [...new Set(catalog.questions.map((q) => q.setId))];
  const ctx = (eventId: string) => ({ learner, displayName: "Learner", eventId });
  for (const set of sets) {
    const size = catalog.questions.filter((q) => q.setId === set).length;
    for (let quiz = 0; quiz < 20; quiz++) {
      const have = await redis.hlen(cardsKey);
      const ids = new Set((await redis.hkeys(cardsKey)).map((f) => store.codes.questionOf(f)));
      const left = catalog.questions.filter((q) => q.setId === set && !ids.has(q.question.id)).length;
      if (have >= target || left === 0) break;
      const count = Math.min(20, size);
      let replies = await service.handle(ctx(snowflake()), { kind: "quiz", topic: set, count });
      for (let n = 0; n < count; n++) {
        const q = replies.find((r): r is Question => r.type === "question");
        if (!q) break;
        clock.t += 20_000 + (n % 5) * 9_000;
        replies = await service.handle(ctx(snowflake()), { kind: "answer", ref: q.ref, raw: typedAnswer(q, quiz + n) });
        if ((await redis.hlen(cardsKey)) >= target) break;
      }
    }
    if ((await redis.hlen(cardsKey)) >= target) break;
    clock.t += 86_400_000;
  }
  return redis.hlen(cardsKey);
}

/**
 * One learner's day of answers, as the records hash holds them (a record lives
 * a day, so the hash holds at most a day's): 20-question quizzes answered about
 * a minute apart until `n` answers, then MEMORY USAGE of the hash per answer.
 */
async function answersInADay(service: StudyService, store: RedisProgressStore, redis: Redis, learner: LearnerKey, n: number, clock: { t: number }): Promise<{ answers: number; bytesPerAnswer: number; encoding: string }> {
  const ctx = (eventId: string) => ({ learner, displayName: "Learner", eventId });
  let answered = 0;
  while (answered < n) {
    let replies = await service.handle(ctx(snowflake()), { kind: "quiz", count: 20 });
    for (let i = 0; i < 20 && answered < n; i++) {
      const q = replies.find((r): r is Question => r.type === "question");
      if (!q) break;
      clock.t += 40_000 + (i % 5) * 7_000;
      replies = await service.handle(ctx(snowflake()), { kind: "answer", ref: q.ref, raw: typedAnswer(q, answered) });
      answered += 1;
    }
  }
  const key = store.keys.answers(learnerId(learner));
  return { answers: answered, bytesPerAnswer: Math.round((await memoryOf(redis, [key])) / answered), encoding: String(await redis.object("ENCODING", key)) };
}

/**
 * A card for every question of the course: whole-course quizzes answered 50 ms
 * apart (so no earlier card comes due and crowds out new ones), then 30 days of
 * one 20-question review quiz a day, so cards carry varied histories.
 */
async function studyAll(service: StudyService, store: RedisProgressStore, redis: Redis, learner: LearnerKey, clock: { t: number }): Promise<number> {
  const cardsKey = store.keys.cards(learnerId(learner));
  const ctx = (eventId: string) => ({ learner, displayName: "Learner", eventId });
  const quiz = async (step: (n: number) => number, salt: number) => {
    let replies = await service.handle(ctx(snowflake()), { kind: "quiz", count: 20 });
    for (let n = 0; n < 20; n++) {
      const q = replies.find((r): r is Question => r.type === "question");
      if (!q) break;
      clock.t += step(n);
      replies = await service.handle(ctx(snowflake()), { kind: "answer", ref: q.ref, raw: typedAnswer(q, salt + n) });
    }
  };
  let before = -1;
  for (let i = 0; i < 100; i++) {
    const have = await redis.hlen(cardsKey);
    if (have === before) break;
    before = have;
    await quiz(() => 50, i);
  }
  for (let day = 0; day < 30; day++) {
    clock.t += 86_400_000;
    await quiz((n) => 40_000 + (n % 5) * 11_000, day);
  }
  return redis.hlen(cardsKey);
}

function learnerKeysOf(store: RedisProgressStore, learner: LearnerKey): string[] {
  const id = learnerId(learner);
  const k = store.keys;
  return [k.learner(id), k.cards(id), k.due(id), k.days(id), k.lessons(id)];
}

/** The keys holding answer records and how many answers they hold; their values without the expiry stamp. */
interface Records {
  keys: string[];
  answers: number;
  values(): Promise<string[]>;
}

async function figures(redis: Redis, store: RedisProgressStore, small: LearnerKey[], big: LearnerKey[], records: Records): Promise<MemoryFigures> {
  const perLearner = async (ls: LearnerKey[]) => {
    let total = 0;
    for (const l of ls) total += await memoryOf(redis, learnerKeysOf(store, l));
    return Math.round(total / ls.length);
  };
  const cardValues = (await Promise.all([...small, ...big].map((l) => redis.hvals(store.keys.cards(learnerId(l)))))).flat();
  const recordValues = await records.values();
  const mean = (xs: string[]) => Math.round(xs.reduce((n, x) => n + Buffer.byteLength(x), 0) / Math.max(1, xs.length));
  return {
    bytesPerLearner50Cards: await perLearner(small),
    bytesPerLearnerAllCards: await perLearner(big),
    bytesPerAnswerRecord: Math.round((await memoryOf(redis, records.keys)) / Math.max(1, records.answers)),
    cardValueBytes: mean(cardValues),
    recordValueBytes: mean(recordValues),
  };
}

/** MEMORY USAGE of a copy of `key` restored while hash-max-listpack-entries is 1024 (the setting is put back after). */
async function asListpack1024(redis: Redis, key: string): Promise<{ bytes: number; encoding: string }> {
  const dump = await redis.dumpBuffer(key);
  const [, was] = (await redis.config("GET", "hash-max-listpack-entries")) as [string, string];
  const copy = `${key}:listpack-copy`;
  try {
    await redis.config("SET", "hash-max-listpack-entries", "1024");
    await redis.restore(copy, 0, dump!);
    return { bytes: await memoryOf(redis, [copy]), encoding: String(await redis.object("ENCODING", copy)) };
  } finally {
    await redis.del(copy);
    await redis.config("SET", "hash-max-listpack-entries", was);
  }
}

/** The learners' records hashes (keys.ts answers()): one slot field per answer. */
async function recordHashes(redis: Redis, store: RedisProgressStore, learners: LearnerKey[]): Promise<Records> {
  const keys = learners.map((l) => store.keys.answers(learnerId(l)));
  const all = await Promise.all(keys.map((k) => redis.hgetall(k)));
  const slots = all.flatMap((h) => Object.entries(h).filter(([f]) => f.startsWith("s")));
  return { keys, answers: slots.length, values: async () => slots.map(([, v]) => v.slice(6)) };
}

/**
 * Rewrites the learners' state in the forms drillbot stored before issue 13:
 * cards as JSON under question ids, and each answer's records as two JSON
 * string keys (slot and event) with their TTLs.
 */
async function rewriteAsJson(redis: Redis, store: RedisProgressStore, learners: LearnerKey[]): Promise<Records> {
  const keys: string[] = [];
  let answers = 0;
  for (const l of learners) {
    const id = learnerId(l);
    const key = store.keys.cards(id);
    const h = await redis.hgetall(key);
    const json: string[] = [];
    for (const [field, text] of Object.entries(h)) json.push(store.codes.questionOf(field), JSON.stringify(decodeCard(text)));
    await redis.del(key);
    if (json.length) await redis.hset(key, ...json);
    const records = await redis.hgetall(store.keys.answers(id));
    await redis.del(store.keys.answers(id));
    for (const [field, value] of Object.entries(records)) {
      if (!field.startsWith("e")) continue;
      const slotId = value.slice(7);
      const record = decodeAnswerRecord(records[`s${slotId}`]?.slice(6))!;
      const text = JSON.stringify({ ...record, eventId: field.slice(1) });
      const [slotKey, eventKey] = [store.keys.slot(id, slotId), store.keys.event(id, field.slice(1))];
      await redis.set(slotKey, text, "EX", 86_400);
      await redis.set(eventKey, text, "EX", 3_600);
      keys.push(slotKey, eventKey);
      answers += 1;
    }
  }
  return { keys, answers, values: async () => (await Promise.all(keys.filter((k) => k.includes(":slot:")).map((k) => redis.get(k)))).filter((v): v is string => v !== null) };
}

export async function benchMemory(url: string, catalog: Catalog, learnersEach = 3): Promise<MemoryResult> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  const clock = { t: Date.parse("2026-03-02T08:00:00Z") };
  const store = new RedisProgressStore(redis, { prefix: "drillbot:" });
  const service = new StudyService({ catalog, store, clock: { now: () => new Date(clock.t) }, newId: () => randomBytes(6).toString("hex") });
  const guild = snowflake();
  const learner = (): LearnerKey => ({ platform: "discord", workspace: guild, user: snowflake() });
  const small = Array.from({ length: learnersEach }, learner);
  const big = Array.from({ length: Math.max(1, Math.ceil(learnersEach / 2)) }, learner);
  const courseQuestions = catalog.questions.length;
  try {
    const start = clock.t;
    for (const l of small) {
      clock.t = start;
      await study(service, store, redis, catalog, l, 50, clock);
    }
    let allCards = Infinity;
    for (const l of big) {
      clock.t = start;
      allCards = Math.min(allCards, await studyAll(service, store, redis, l, clock));
    }
    const recordsByDay = [];
    for (const n of [20, 60, 200]) {
      clock.t = start;
      recordsByDay.push(await answersInADay(service, store, redis, learner(), n, clock));
    }
    const records = await recordHashes(redis, store, [...small, ...big]);
    const after = { ...(await figures(redis, store, small, big, records)), bytesPerAnswerRecord: recordsByDay[1]!.bytesPerAnswer };
    const encoding = async (l: LearnerKey) => String(await redis.object("ENCODING", store.keys.cards(learnerId(l))));
    const breakdown = async (l: LearnerKey) => {
      const keys = learnerKeysOf(store, l);
      const names = ["profile", "cards", "due", "days", "lessons"];
      const out: Record<string, number> = {};
      for (let i = 0; i < keys.length; i++) out[names[i]!] = await memoryOf(redis, [keys[i]!]);
      return out;
    };
    const perKey = { learner50Cards: await breakdown(small[0]!), learnerAllCards: await breakdown(big[0]!) };
    const dueOf = async (ls: LearnerKey[]) => Math.round((await memoryOf(redis, ls.map((l) => store.keys.due(learnerId(l))))) / ls.length);
    const relisted = await asListpack1024(redis, store.keys.cards(learnerId(big[0]!)));
    const withoutDueIndex = {
      bytesPerLearner50Cards: after.bytesPerLearner50Cards - (await dueOf(small)),
      bytesPerLearnerAllCards: after.bytesPerLearnerAllCards - (await dueOf(big)),
      bytesPerLearnerAllCardsListpack1024: perKey.learnerAllCards.profile! + perKey.learnerAllCards.days! + perKey.learnerAllCards.lessons! + relisted.bytes,
      cardsEncodingAt1024: relisted.encoding,
    };
    const cardsEncoding50 = await encoding(small[0]!);
    const cardsEncodingAll = await encoding(big[0]!);
    const oldRecords = await rewriteAsJson(redis, store, [...small, ...big]);
    const jsonBefore = await figures(redis, store, small, big, oldRecords);
    return {
      ...after,
      courseQuestions,
      allCardsLearnerCards: allCards,
      cardsEncoding50,
      cardsEncodingAll,
      perKey,
      withoutDueIndex,
      recordsByDay,
      jsonBefore,
    };
  } finally {
    redis.disconnect();
  }
}
