/**
 * Writes simulated or imported log entries into a workspace's review log in
 * the contract format of record-answer.lua (fields l, q, r, d, t), with ids
 * from the answer times so the stream's order and its age trim behave as in
 * production. For the FSRS benchmark and tests.
 */
import type { Cluster, Redis } from "ioredis";
import type { LogEntry } from "../../core/fsrs/review-histories.js";

export async function writeReviewLog(redis: Redis | Cluster, key: string, entries: readonly LogEntry[], opts: { withTime?: boolean } = {}): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.ms - b.ms);
  let lastMs = -1;
  let seq = 0;
  for (let i = 0; i < sorted.length; i += 1000) {
    const p = redis.pipeline();
    for (const e of sorted.slice(i, i + 1000)) {
      seq = e.ms === lastMs ? seq + 1 : 0;
      lastMs = e.ms;
      const fields = ["l", e.learner, "q", e.question, "r", String(e.rating), "d", e.date];
      if (opts.withTime !== false) fields.push("t", String(e.ms));
      p.xadd(key, `${e.ms}-${seq}`, ...fields);
    }
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed) throw failed[0];
  }
}
