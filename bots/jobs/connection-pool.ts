/**
 * The Redis connections BullMQ uses, all made here: each one gets an error
 * listener and a short reconnect schedule, and close can quit them or cut them.
 * BullMQ is handed our ioredis instances; the blocking connection it makes for
 * each worker comes from duplicate(), which we override so it lands here too.
 * With `clusterNodes` every connection is an ioredis Cluster client of those
 * nodes (the other options apply to each node's connection).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";

/** Reconnect quickly (0.2 s, 0.4 s, … at most 2 s apart), so Redis coming back is noticed within 2 s. */
export const reconnectDelay = (times: number): number => Math.min(times * 200, 2_000);

/** Where BullMQ connects: one Redis (host, port, password, tls), or a Redis Cluster from its startup nodes. */
export interface ConnectionTarget extends RedisOptions {
  clusterNodes?: { host: string; port: number }[];
}

/** The Cluster client options drillbot uses (app and BullMQ alike), with `redisOptions` for each node's connection. */
export function clusterOptions(redisOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions,
    clusterRetryStrategy: reconnectDelay,
    // During a failover the slots' new owner is found by refreshing the slot map; retry meanwhile.
    retryDelayOnClusterDown: 200,
    retryDelayOnFailover: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2_000,
  };
}

export class ConnectionPool {
  readonly clients = new Set<Redis | Cluster>();

  constructor(
    private readonly base: ConnectionTarget,
    readonly onError: (err: unknown, source: string) => void,
  ) {}

  create(overrides: RedisOptions, source: string): Redis | Cluster {
    const pool = this;
    const { clusterNodes, ...base } = this.base;
    let client: Redis | Cluster;
    if (clusterNodes) {
      class PooledCluster extends Cluster {
        override duplicate(_nodes?: unknown[], more?: { redisOptions?: RedisOptions }): Cluster {
          return pool.create({ ...overrides, ...more?.redisOptions }, `${source} (blocking)`) as Cluster;
        }
      }
      client = new PooledCluster(clusterNodes, clusterOptions({ retryStrategy: reconnectDelay, ...base, ...overrides }));
    } else {
      class PooledRedis extends Redis {
        override duplicate(more?: Partial<RedisOptions>): Redis {
          return pool.create({ ...overrides, ...more }, `${source} (blocking)`) as Redis;
        }
      }
      client = new PooledRedis({ retryStrategy: reconnectDelay, ...base, ...overrides });
    }
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
