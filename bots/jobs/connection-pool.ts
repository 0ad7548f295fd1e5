/**
 * The Redis connections BullMQ uses, all made here: each one gets an error
 * listener and a short reconnect schedule, and close can quit them or cut them.
 * BullMQ is handed our ioredis instances; the blocking connection it makes for
 * each worker comes from duplicate(), which we override so it lands here too.
 */
import { Redis, type RedisOptions } from "ioredis";

/** Reconnect quickly (0.2 s, 0.4 s, … at most 2 s apart), so Redis coming back is noticed within 2 s. */
export const reconnectDelay = (times: number): number => Math.min(times * 200, 2_000);

export class ConnectionPool {
  readonly clients = new Set<Redis>();

  constructor(
    private readonly base: RedisOptions,
    readonly onError: (err: unknown, source: string) => void,
  ) {}

  create(overrides: RedisOptions, source: string): Redis {
    const pool = this;
    class PooledRedis extends Redis {
      override duplicate(more?: Partial<RedisOptions>): Redis {
        return pool.create({ ...overrides, ...more }, `${source} (blocking)`);
      }
    }
    const client = new PooledRedis({ retryStrategy: reconnectDelay, ...this.base, ...overrides });
    client.on("error", (err) => this.onError(err, source));
    client.on("end", () => this.clients.delete(client));
    this.clients.add(client);
    return client;
  }

  /** Quits the connections that are up (the server finishes their commands first) and cuts the others. */
  async quitAll(): Promise<void> {
    await Promise.all(
      [...this.clients].map((c) => (c.status === "ready" ? c.quit().then(() => undefined, () => c.disconnect()) : Promise.resolve(c.disconnect()))),
    );
  }

  /** Cuts every connection now: pending commands fail with "Connection is closed". */
  disconnectAll(): void {
    for (const c of this.clients) c.disconnect();
  }
}
