/**
 * The key layout version kept at `<prefix>schema`. drillbot reads layout 2
 * only: it refuses to start on a database still in layout 1 (run migrate) and
 * marks an empty one as layout 2.
 */
import type { Cluster, Redis } from "ioredis";
import { SCHEMA_VERSION, type RedisKeys } from "./keys.js";
import { v1Move } from "./layout-v1.js";
import { globLiteral, scanKeys } from "./scan-keys.js";

export class KeyLayoutError extends Error {
  override name = "KeyLayoutError";
}

/** The first layout-1 key under the prefix, or null when there is none. */
export async function firstV1Key(redis: Redis | Cluster, keys: RedisKeys): Promise<string | null> {
  let found: string | null = null;
  await scanKeys(redis, `${globLiteral(keys.prefix)}*`, (batch) => {
    found = batch.find((k) => v1Move(k, keys) !== null) ?? null;
    return found !== null;
  });
  return found;
}

/** Resolves when the database is in layout 2 (marking an empty one so); throws KeyLayoutError otherwise. */
export async function requireCurrentLayout(redis: Redis | Cluster, keys: RedisKeys): Promise<void> {
  const version = await redis.get(keys.schema());
  if (version === String(SCHEMA_VERSION)) return;
  if (version !== null) {
    throw new KeyLayoutError(`this Redis holds drillbot data in key layout ${version.slice(0, 20)}, which this drillbot does not read (it reads layout ${SCHEMA_VERSION}): run the drillbot version that wrote it.`);
  }
  const old = await firstV1Key(redis, keys);
  if (old !== null) {
    throw new KeyLayoutError(`this Redis holds drillbot data in the old key layout (e.g. ${old.slice(0, 80)}): stop every drillbot process, run \`npm run drillbot -- migrate\` once, then start drillbot again.`);
  }
  await redis.set(keys.schema(), String(SCHEMA_VERSION), "NX");
}
