/**
 * `drillbot migrate`: moves a database from key layout 1 (no hash tags) to
 * layout 2 (keys.ts), then marks it `<prefix>schema` = 2. Run it once, with
 * every drillbot process stopped, when upgrading. Then it rewrites every
 * learner's cards in the compact form (compact-cards.ts), which learners'
 * answers would otherwise do card by card.
 *
 * Safe to interrupt and to re-run: each key moves with RENAMENX (atomic; a key
 * whose new name exists already is left and reported), schedule sets are
 * copied entry by entry into their buckets (ZADD/HSET overwrite with the same
 * values) and only then deleted, and the schema mark is set last. Keys are
 * found with SCAN, never KEYS. A Redis Cluster cannot RENAME across slots: on
 * a cluster holding layout-1 keys it moves nothing and says what to do.
 * Exit codes: 0 moved or nothing to move, 1 refused or incomplete.
 */
import { Cluster, type Redis } from "ioredis";
import { workspaceId } from "../../core/identity.js";
import { challengeIdOf, type ChannelRef } from "../../core/schedule/model.js";
import { RedisKeys, SCHEDULE_BUCKETS, SCHEMA_VERSION, scheduleBucket, splitLearnerId } from "../redis/keys.js";
import { v1Move, type V1Move } from "../redis/layout-v1.js";
import { parseJson } from "../redis/parse-json.js";
import { globLiteral, scanKeys } from "../redis/scan-keys.js";
import { compactCards } from "./compact-cards.js";

const BATCH = 1_000;

interface Tally {
  moved: Map<string, number>;
  examples: Map<string, string>;
  kept: string[];
  entries: number;
}

/** The workspace a layout-1 tally belongs to: its channel's (posted drill or challenge), else its first answer's learner's. */
async function tallyWorkspace(redis: Redis, keys: RedisKeys, from: string, sessionId: string): Promise<string | null> {
  const challengeId = challengeIdOf(sessionId);
  const json = await redis.get(challengeId !== null ? keys.challenge(challengeId) : keys.postedDrill(sessionId));
  const channel = parseJson<{ channel?: ChannelRef } | null>(json ?? undefined, null)?.channel;
  if (channel?.platform && channel.workspace) return workspaceId(channel);
  const [, first] = await redis.hscan(from, "0", "COUNT", 10);
  return first[0] ? splitLearnerId(first[0]).workspace : null;
}

/** Copies a schedule set or hash into its bucket keys, then deletes it; returns the entries copied. */
async function split(redis: Redis, move: V1Move & { kind: "split" }): Promise<number> {
  let copied = 0;
  let cursor = "0";
  do {
    const [next, flat] = move.type === "zset" ? await redis.zscan(move.from, cursor, "COUNT", BATCH) : await redis.hscan(move.from, cursor, "COUNT", BATCH);
    cursor = next;
    const p = redis.pipeline();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const to = move.to(scheduleBucket(flat[i]!));
      if (move.type === "zset") p.zadd(to, flat[i + 1]!, flat[i]!);
      else p.hset(to, flat[i]!, flat[i + 1]!);
      copied++;
    }
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  } while (cursor !== "0");
  await redis.del(move.from);
  return copied;
}

async function apply(redis: Redis, keys: RedisKeys, move: V1Move, t: Tally): Promise<void> {
  const count = (to: string) => {
    t.moved.set(move.group, (t.moved.get(move.group) ?? 0) + 1);
    if (!t.examples.has(move.group)) t.examples.set(move.group, `${move.from} -> ${to}`);
  };
  if (move.kind === "split") {
    t.entries += await split(redis, move);
    count(move.to(0).replace(/\{0\}/, "{0..15}"));
    return;
  }
  let to: string;
  if (move.kind === "tally") {
    const workspace = await tallyWorkspace(redis, keys, move.from, move.sessionId);
    if (!workspace) return void t.kept.push(`${move.from} (no workspace found for it)`);
    to = keys.tally(workspace, move.sessionId);
  } else to = move.to;
  const renamed = await redis.renamenx(move.from, to).catch((err: Error) => {
    if (/no such key/i.test(err.message)) return -1; // gone meanwhile (expired)
    throw err;
  });
  if (renamed === 1) count(to);
  else if (renamed === 0) t.kept.push(`${move.from} (${to} exists already)`);
}

/** Runs the migration; `print` gets one line per finding. Returns the exit code. */
export async function migrate(redis: Redis | Cluster, prefix: string, print: (line: string) => void): Promise<number> {
  const keys = new RedisKeys(prefix);
  const match = `${globLiteral(prefix)}*`;
  if (redis instanceof Cluster) {
    let old = 0;
    let example = "";
    await scanKeys(redis, match, (batch) => {
      for (const k of batch) if (v1Move(k, keys)) (old++, (example ||= k));
    });
    if (old > 0) {
      print(
        `refused: this Redis Cluster holds ${old} key(s) in the old layout (e.g. ${example}). A cluster cannot rename a key into another slot, so migrate moves nothing here: run migrate against the standalone Redis the data lives in, then load that into the cluster (e.g. redis-cli --cluster import).`,
      );
      return 1;
    }
    await redis.set(keys.schema(), String(SCHEMA_VERSION));
    print(`nothing to move: no key under "${prefix}" is in the old layout; marked layout ${SCHEMA_VERSION}.`);
    return compact(redis, keys, print);
  }
  const t: Tally = { moved: new Map(), examples: new Map(), kept: [], entries: 0 };
  await scanKeys(redis, match, async (batch) => {
    for (const k of batch) {
      const move = v1Move(k, keys);
      if (move) await apply(redis, keys, move, t);
    }
  });
  const total = [...t.moved.values()].reduce((a, b) => a + b, 0);
  if (total === 0 && t.kept.length === 0) print(`nothing to move: no key under "${prefix}" is in the old layout.`);
  for (const [group, n] of t.moved) print(`moved ${n} ${group} key(s), e.g. ${t.examples.get(group)}`);
  if (t.entries > 0) print(`copied ${t.entries} schedule entries into their ${SCHEDULE_BUCKETS} bucket keys (${prefix}sched:{0..${SCHEDULE_BUCKETS - 1}}:...)`);
  if (t.kept.length > 0) {
    for (const line of t.kept.slice(0, 20)) print(`not moved: ${line}`);
    if (t.kept.length > 20) print(`not moved: ${t.kept.length - 20} more`);
    print(`${t.kept.length} key(s) were not moved: check them, then run migrate again; the database is not marked layout ${SCHEMA_VERSION} yet.`);
    return 1;
  }
  await redis.set(keys.schema(), String(SCHEMA_VERSION));
  print(`done: the database is in key layout ${SCHEMA_VERSION}${total ? ` (${total} key(s) moved)` : ""}.`);
  return compact(redis, keys, print);
}

async function compact(redis: Redis | Cluster, keys: RedisKeys, print: (line: string) => void): Promise<number> {
  const t = await compactCards(redis, keys);
  print(t.cards ? `compacted ${t.cards} card(s) of ${t.hashes} learner(s).` : "cards: all compact already.");
  if (t.unreadable) print(`left ${t.unreadable} cards-hash entr${t.unreadable === 1 ? "y" : "ies"} that are not cards as they were.`);
  return 0;
}
