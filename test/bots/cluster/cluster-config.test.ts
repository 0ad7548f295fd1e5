/** REDIS_CLUSTER_NODES: a list of host:port, refused with a message naming the variable and an example. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../bots/config.js";

const load = (env: Record<string, string>) => loadConfig(env, "/tmp");

describe("REDIS_CLUSTER_NODES", () => {
  it("reads host:port pairs (names, IPv4, bracketed IPv6) and the nodes' password, which is kept out of logs", () => {
    const c = load({ REDIS_CLUSTER_NODES: " redis-1.internal:6379, 10.0.0.2:7000,[::1]:7001 ", REDIS_PASSWORD: "s3cret-pass" });
    expect(c.redisCluster).toEqual({ nodes: [{ host: "redis-1.internal", port: 6379 }, { host: "10.0.0.2", port: 7000 }, { host: "::1", port: 7001 }], password: "s3cret-pass" });
    expect(c.redisUrl).toBeUndefined();
    expect(c.secrets).toContain("s3cret-pass");
    expect(load({}).redisCluster).toBeUndefined();
  });

  it.each([
    ["10.0.0.1", '"10.0.0.1" is not host:port'],
    ["10.0.0.1:6379,,10.0.0.2:6379", "has an empty entry"],
    ["10.0.0.1:0", '"10.0.0.1:0" is not host:port (a port from 1 to 65535)'],
    ["10.0.0.1:70000", "a port from 1 to 65535"],
    ["redis://10.0.0.1:6379", "is not host:port"],
  ])("refuses %s, naming the variable and showing an example", (value, reason) => {
    expect(() => load({ REDIS_CLUSTER_NODES: value })).toThrow(reason);
    expect(() => load({ REDIS_CLUSTER_NODES: value })).toThrow(/REDIS_CLUSTER_NODES.*e\.g\. REDIS_CLUSTER_NODES=10\.0\.0\.1:6379,/);
  });

  it("is not set together with REDIS_URL, and REDIS_PASSWORD belongs to it", () => {
    expect(() => load({ REDIS_CLUSTER_NODES: "a:1", REDIS_URL: "redis://127.0.0.1:6379" })).toThrow("REDIS_URL and REDIS_CLUSTER_NODES are both set");
    expect(() => load({ REDIS_PASSWORD: "x" })).toThrow("REDIS_PASSWORD is set without REDIS_CLUSTER_NODES");
  });
});
