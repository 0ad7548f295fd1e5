/**
 * Start-up check of a Redis the operator runs (REDIS_URL): one connection
 * attempt and a PING, bounded in time, so a wrong URL stops drillbot at once
 * with a line naming REDIS_URL instead of leaving the scheduler waiting.
 */
import { Redis } from "ioredis";

export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}

/** host:port of a Redis URL, never its user or password. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return "(unparsable URL)";
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === "ECONNREFUSED") return "connection refused (nothing listens there)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ETIMEDOUT" || /timed out|ETIMEDOUT/.test(message)) return "no answer";
  // Messages such as ioredis' "Connection is closed." end with their own full stop; the sentence adds one.
  return code ?? message.slice(0, 120).replace(/\.+$/, "");
}

export async function probeRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const where = redisAddress(url);
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let lastError: unknown;
  client.on("error", (err) => (lastError = err));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
  } catch (err) {
    const cause = lastError ?? err;
    const text = cause instanceof Error ? cause.message : String(cause);
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(text)) {
      throw new RedisUnreachableError(`the Redis at REDIS_URL (${where}) refused the login: put the right user and password in REDIS_URL (redis://user:password@host:port).`);
    }
    throw new RedisUnreachableError(
      `cannot reach the Redis at REDIS_URL (${where}): ${reason(cause)}. Start that Redis or fix REDIS_URL; unset REDIS_URL to let drillbot run its own.`,
    );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
