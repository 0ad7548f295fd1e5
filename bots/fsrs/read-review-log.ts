/**
 * Reads a workspace's review log stream (RedisKeys.reviewLog) page by page
 * with XRANGE, so no single reply holds the whole log. Entry fields (written by
 * record-answer.lua): l learner id, q question id, r FSRS rating, d the
 * learner's local date, t the answer time in ms (optional: without it, the
 * entry id's milliseconds).
 */
import type { Cluster, Redis } from "ioredis";
import type { LogEntry } from "../../core/fsrs/review-histories.js";

export const LOG_PAGE = 5_000;

/** A stream entry as a log entry; fields that are missing or malformed make it unusable (isUsableEntry). */
export function entryFromStream(id: string, fields: readonly string[]): LogEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  const t = Number(f.t);
  return {
    learner: f.l ?? "",
    question: f.q ?? "",
    rating: Number(f.r),
    date: f.d ?? "",
    ms: f.t !== undefined && Number.isSafeInteger(t) && t > 0 ? t : Number(id.split("-")[0]),
  };
}

/** Calls `onPage` with each page of entries, oldest first; returns how many entries were read. */
export async function readReviewLog(redis: Redis | Cluster, key: string, onPage: (entries: LogEntry[]) => void, pageSize = LOG_PAGE): Promise<number> {
  let start = "-";
  let read = 0;
  for (;;) {
    const page = await redis.xrange(key, start, "+", "COUNT", pageSize);
    if (page.length === 0) break;
    onPage(page.map(([id, fields]) => entryFromStream(id, fields)));
    read += page.length;
    if (page.length < pageSize) break;
    start = `(${page[page.length - 1]![0]}`;
  }
  return read;
}
