/**
 * SCAN over every key matching a pattern, cursor by cursor (never KEYS), on a
 * standalone Redis or on every master of a Redis Cluster.
 */
import { Cluster, type Redis } from "ioredis";

/** Escapes glob characters so a literal key part matches itself in SCAN MATCH. */
export function globLiteral(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** The servers holding keys: the one standalone server, or each master of a cluster. */
export function keyHolders(redis: Redis | Cluster): Redis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}

/**
 * Calls `onBatch` with each batch of matching keys (optionally of one type); a
 * key may come twice, as SCAN allows. `onBatch` returning true stops the scan.
 */
export async function scanKeys(
  redis: Redis | Cluster,
  match: string,
  onBatch: (keys: string[]) => Promise<boolean | void> | boolean | void,
  opts: { type?: string; count?: number } = {},
): Promise<void> {
  for (const node of keyHolders(redis)) {
    let cursor = "0";
    do {
      const [next, batch] = opts.type
        ? await node.scan(cursor, "MATCH", match, "COUNT", opts.count ?? 1000, "TYPE", opts.type)
        : await node.scan(cursor, "MATCH", match, "COUNT", opts.count ?? 1000);
      if (batch.length && (await onBatch(batch)) === true) return;
      cursor = next;
    } while (cursor !== "0");
  }
}
