/**
 * Part of `drillbot migrate`: rewrites every learner's cards in the current
 * compact form (core/srs-codec's dense form, under short question codes,
 * bots/redis/question-codes.ts) at once, instead of card by card as learners
 * answer. Cards of an older drillbot (JSON, or the comma-separated form, under
 * question ids) read either way; this only frees the memory now.
 *
 * Safe to re-run (a compact card is left as it is) and to run beside live
 * processes: each hash is rewritten under WATCH, and again if an answer
 * changed it meanwhile. A card under its code wins over an old one under the
 * question id. Text that is not a card is left alone and counted.
 */
import type { Cluster, Redis } from "ioredis";
import { decodeCard, encodeCard } from "../../core/srs-codec.js";
import type { RedisKeys } from "../redis/keys.js";
import { isQuestionCode, QuestionCodes } from "../redis/question-codes.js";
import { globLiteral, keyHolders, scanKeys } from "../redis/scan-keys.js";

export interface CompactTally {
  hashes: number;
  cards: number;
  unreadable: number;
}

/** The changes that make one cards hash compact: fields to set and fields to drop. */
function plan(h: Record<string, string>, codes: QuestionCodes): { set: string[]; drop: string[]; cards: number; unreadable: number } {
  const set: string[] = [];
  const drop: string[] = [];
  let [cards, unreadable] = [0, 0];
  for (const [field, text] of Object.entries(h)) {
    const card = decodeCard(text);
    if (!card) {
      unreadable++;
      continue;
    }
    const target = codes.fieldOf(field);
    const compact = encodeCard(card);
    if (target !== field) {
      drop.push(field);
      if (h[target] === undefined) set.push(target, compact);
      cards++;
    } else if (compact !== text) {
      set.push(field, compact);
      cards++;
    }
  }
  return { set, drop, cards, unreadable };
}

async function compactOne(node: Redis, key: string, codes: QuestionCodes, t: CompactTally): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await node.watch(key);
    const h = await node.hgetall(key);
    await codes.register(Object.keys(h).filter((f) => !isQuestionCode(f)));
    const p = plan(h, codes);
    if (p.set.length === 0 && p.drop.length === 0) {
      await node.unwatch();
      t.unreadable += p.unreadable;
      return;
    }
    const tx = node.multi();
    if (p.drop.length) tx.hdel(key, ...p.drop);
    if (p.set.length) tx.hset(key, ...p.set);
    if (await tx.exec()) {
      t.hashes++;
      t.cards += p.cards;
      t.unreadable += p.unreadable;
      return;
    }
  }
  throw new Error(`${key} kept changing while it was being compacted: run migrate again`);
}

export async function compactCards(redis: Redis | Cluster, keys: RedisKeys): Promise<CompactTally> {
  const codes = QuestionCodes.of(redis, keys);
  const t: CompactTally = { hashes: 0, cards: 0, unreadable: 0 };
  // WATCH needs the very connection that holds the key: one master at a time.
  for (const node of keyHolders(redis)) {
    await scanKeys(node, `${globLiteral(keys.prefix)}learner:*:cards`, async (batch) => {
      for (const key of batch) await compactOne(node, key, codes, t);
    }, { type: "hash" });
  }
  return t;
}
