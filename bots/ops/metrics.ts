/**
 * drillbot's Prometheus registry: Node's default metrics with a drillbot_
 * prefix, and gauges read at scrape time. No per-user or per-server labels.
 */
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";

export interface MetricsSources {
  /** Is the app's Redis connection ready? */
  redisUp: () => boolean;
}

export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "drillbot_" });
  new Gauge({
    name: "drillbot_redis_up",
    help: "1 when the bot's Redis connection is ready, else 0",
    registers: [registry],
    collect() {
      this.set(sources.redisUp() ? 1 : 0);
    },
  });
  return registry;
}
