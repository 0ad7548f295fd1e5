/**
 * The order a question's choices are shown in a given session: shuffled so
 * answers are not learnt by position, yet the same on every platform, every
 * process and after a restart (seeded by session and question id).
 */
import type { Question } from "../content/schema.js";

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: a tiny seeded generator, enough for shuffling four options. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function choiceOrder(sessionId: string, q: Question): string[] {
  if (q.type === "truefalse") return ["true", "false"];
  if (q.type !== "single" && q.type !== "multi" && q.type !== "order") return [];
  const ids = q.options.map((o) => o.id);
  const next = generator(seedOf(`${sessionId}/${q.id}`));
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}
