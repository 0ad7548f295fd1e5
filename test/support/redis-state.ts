/** Everything stored under a key pattern, as plain data: to show that something wrote nothing. */
import type { Redis } from "ioredis";

export async function redisState(client: Redis, pattern = "*"): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await client.type(key);
    if (type === "string") out[key] = await client.get(key);
    else if (type === "hash") out[key] = await client.hgetall(key);
    else if (type === "zset") out[key] = await client.zrange(key, 0, -1, "WITHSCORES");
    else if (type === "set") out[key] = (await client.smembers(key)).sort();
    else if (type === "list") out[key] = await client.lrange(key, 0, -1);
    else out[key] = type;
  }
  return out;
}
