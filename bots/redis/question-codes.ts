/**
 * Short, stable names for questions as fields of learners' cards hashes: a
 * learner with a card for every question stores "A7" 518 times instead of ids
 * like "replication-lag-11", which keeps the hash a small listpack (issue 13's
 * memory targets). Codes are given once, in Redis (register-questions.lua), so
 * every process and every restart agrees; each process keeps the table in
 * memory. A question without a code yet is registered before its first card
 * or session is written (one round trip, once per process, none when the
 * composition root registered the catalog at start). A field that is not a
 * code is a question id written by an older drillbot and still reads as one.
 *
 * One table per Redis (the built-in and file-loaded courses). It is shared by
 * the stores on the same client, so a read meeting a code another process
 * gave since refreshes it once.
 */
import type { Cluster, Redis } from "ioredis";
import type { RedisKeys } from "./keys.js";
import { defineDrillbotScripts } from "./lua-scripts.js";

/** Codes start with an upper-case letter; question ids are lower-case (core/content/schema.ts). */
export const isQuestionCode = (field: string): boolean => field.charCodeAt(0) >= 65 && field.charCodeAt(0) <= 90;

const tables = new WeakMap<object, Map<string, QuestionCodes>>();

export class QuestionCodes {
  private readonly codeOf = new Map<string, string>();
  private readonly idOf = new Map<string, string>();
  private pending: Promise<void> = Promise.resolve();
  private lastRefresh = 0;
  private sealed = false;

  private constructor(
    private readonly redis: Redis | Cluster,
    private readonly key: string,
  ) {
    defineDrillbotScripts(redis);
  }

  /** The table for this client and key prefix (one per process). */
  static of(redis: Redis | Cluster, keys: RedisKeys): QuestionCodes {
    const key = keys.questionCodes();
    let byKey = tables.get(redis);
    if (!byKey) tables.set(redis, (byKey = new Map()));
    let codes = byKey.get(key);
    if (!codes) byKey.set(key, (codes = new QuestionCodes(redis, key)));
    return codes;
  }

  private learn(id: string, code: string): void {
    this.codeOf.set(id, code);
    this.idOf.set(code, id);
  }

  /**
   * From now on give codes to no further ids: questions of workspaces' own
   * packs keep their ids as fields, so the one table (which every process
   * holds in memory) stays the size of the built-in course however many packs
   * workspaces upload. A code given before still applies.
   */
  seal(): void {
    this.sealed = true;
  }

  /** Gives codes to the ids that have none (one round trip when any is new to this process; none otherwise, and none once sealed). */
  async register(ids: Iterable<string>): Promise<void> {
    if (this.sealed) return;
    const missing = [...new Set(ids)].filter((id) => !this.codeOf.has(id));
    if (missing.length === 0) return;
    // One registration at a time, so concurrent first answers do not each send the same ids.
    const run = this.pending.then(async () => {
      const still = missing.filter((id) => !this.codeOf.has(id));
      for (let i = 0; i < still.length; i += 1_000) {
        const batch = still.slice(i, i + 1_000);
        const codes = await this.redis.drillbotRegisterQuestions(this.key, ...batch);
        batch.forEach((id, j) => this.learn(id, codes[j]!));
      }
    });
    this.pending = run.catch(() => undefined);
    await run;
  }

  /**
   * Learns the codes other processes gave these ids, without giving any (a
   * read: an id from a mangled button must write nothing). One round trip when
   * any id is new to this process.
   */
  async lookUp(ids: Iterable<string>): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !this.codeOf.has(id));
    if (unknown.length === 0) return;
    const codes = await this.redis.hmget(this.key, ...unknown);
    unknown.forEach((id, i) => codes[i] && this.learn(id, codes[i]!));
  }

  /** The field a question's card is stored under: its code, or its id when it has none yet. */
  fieldOf(questionId: string): string {
    return this.codeOf.get(questionId) ?? questionId;
  }

  /**
   * The question ids of a cards hash's fields, aligned (null for a code this
   * process cannot name even after reading the table again: a lost table).
   * Reads the table again, at most once a second, when a code is new to it.
   */
  async questionsOf(fields: string[]): Promise<(string | null)[]> {
    if (fields.some((f) => isQuestionCode(f) && !this.idOf.has(f)) && Date.now() - this.lastRefresh > 1_000) await this.refresh();
    return fields.map((f) => (isQuestionCode(f) ? (this.idOf.get(f) ?? null) : f));
  }

  /** The question id of a cards-hash field this process knows (the field itself when it is an id, or an unknown code). */
  questionOf(field: string): string {
    return isQuestionCode(field) ? (this.idOf.get(field) ?? field) : field;
  }

  /** Reads the whole table (every code given by any process). */
  async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    const all = await this.redis.hgetall(this.key);
    for (const [id, code] of Object.entries(all)) if (id !== "#") this.learn(id, code);
  }
}
