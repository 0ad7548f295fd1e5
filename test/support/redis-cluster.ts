/**
 * A real Redis Cluster for tests: 3 masters and 3 replicas (redis-server
 * --cluster-enabled yes, joined by redis-cli --cluster create) on free
 * loopback ports, in a temporary folder; stopped and removed after.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { watchParent } from "../../bots/redis/embedded-redis.js";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Cluster, Redis } from "ioredis";
import { clusterOptions } from "../../bots/jobs/connection-pool.js";
import { fileFixture } from "./file-fixture.js";

export interface TestCluster {
  ports: number[];
  nodes: { host: string; port: number }[];
  /** A Cluster client for the test's own reads (the code under test gets its own). */
  client: Cluster;
  /** A new Cluster client (closed by stop()). */
  connect(): Cluster;
  /** The port of the master serving a key's slot now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the redis-server on that port (no shutdown, no save). */
  kill(port: number): void;
  /** Starts a killed node again from its folder: it rejoins the cluster (as a replica of whoever took over). */
  restart(port: number): Promise<void>;
  /** Resolves when every slot is served again (cluster_state:ok seen from a live node) and `port` is no longer a master. */
  waitForFailover(port: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const NODE_TIMEOUT_MS = 2_000;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** Six ports whose cluster bus ports (port + 10000) are free too. */
async function freePorts(count: number): Promise<number[]> {
  const out: number[] = [];
  let candidate = 20_000 + Math.floor(Math.random() * 20_000);
  while (out.length < count) {
    candidate += 1 + Math.floor(Math.random() * 7);
    if (candidate > 45_000) candidate = 20_000;
    if ((await portFree(candidate)) && (await portFree(candidate + 10_000))) out.push(candidate);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(" ")}: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout))),
  );
}

async function info(port: number, section: string): Promise<string> {
  const c = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  c.on("error", () => undefined);
  try {
    await c.connect();
    return section === "cluster" ? String(await c.cluster("INFO")) : await c.info(section);
  } finally {
    c.disconnect();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "drillbot-test-cluster-"));
  const ports = await freePorts(6);
  const procs = new Map<number, ChildProcess>();
  let exits = "";
  const launch = (port: number) => {
    const nodeDir = path.join(dir, String(port));
    const p = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--dir", nodeDir, "--appendonly", "yes", "--cluster-node-timeout", String(NODE_TIMEOUT_MS), "--save", ""],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let said = "";
    p.stdout!.on("data", (d: Buffer) => (said = (said + d.toString()).slice(-2_000)));
    p.stderr!.on("data", (d: Buffer) => (said = (said + d.toString()).slice(-2_000)));
    p.once("exit", (code) => code !== null && code !== 0 && (exits += `redis-server on ${port} exited (${code}): ${said}\n`));
    // Ends with this process however it ends (a killed test run leaves no node behind).
    watchParent(p);
    procs.set(port, p);
  };
  for (const port of ports) {
    // One folder per node: the append-only files of nodes sharing one would collide.
    mkdirSync(path.join(dir, String(port)));
    launch(port);
  }
  const clients: Cluster[] = [];
  const stop = async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    for (const p of procs.values()) if (p.exitCode === null) p.kill("SIGKILL");
    await Promise.all([...procs.values()].map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once("exit", r)) : undefined)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until("the nodes to listen", async () => (await Promise.all(ports.map((p) => info(p, "server")))).length === 6, 10_000);
    await run("redis-cli", ["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "1", "--cluster-yes"]);
    await until("cluster_state:ok on every node", async () => (await Promise.all(ports.map((p) => info(p, "cluster")))).every((i) => i.includes("cluster_state:ok")), 20_000);
    // Every replica attached and in sync, so a kill right away can fail over.
    await until("replicas in sync", async () => (await Promise.all(ports.map((p) => info(p, "replication")))).filter((i) => i.includes("master_link_status:up")).length === 3, 20_000);
  } catch (err) {
    await stop();
    throw exits ? new Error(`${(err as Error).message}\n${exits}`) : err;
  }
  const nodes = ports.map((port) => ({ host: "127.0.0.1", port }));
  const connect = () => {
    const c = new Cluster(nodes, clusterOptions({ maxRetriesPerRequest: 5 }));
    c.on("error", () => undefined);
    clients.push(c);
    return c;
  };
  const client = connect();
  return {
    ports,
    nodes,
    client,
    connect,
    async masterOf(key) {
      const slot = Number(await client.cluster("KEYSLOT", key));
      const slots = await client.cluster("SLOTS");
      const owner = slots.find(([from, to]) => slot >= from && slot <= to);
      if (!owner) throw new Error(`no node serves slot ${slot}`);
      return owner[2]![1];
    },
    kill(port) {
      procs.get(port)?.kill("SIGKILL");
    },
    async restart(port) {
      launch(port);
      await until(`${port} to rejoin as a replica in sync`, async () => (await info(port, "replication")).includes("master_link_status:up"), 20_000);
    },
    async waitForFailover(port, timeoutMs = 20_000) {
      const live = ports.filter((p) => p !== port);
      await until(
        `a replica to take over from ${port}`,
        async () => {
          const infos = await Promise.all(live.map((p) => info(p, "cluster")));
          if (!infos.every((i) => i.includes("cluster_state:ok"))) return false;
          const roles = await Promise.all(live.map((p) => info(p, "replication")));
          return roles.filter((r) => r.includes("role:master")).length === 3;
        },
        timeoutMs,
      );
    },
    stop,
  };
}

/** One cluster for the whole test file. */
export function useTestCluster(): TestCluster {
  return fileFixture(() => startTestCluster(), (c) => c.stop());
}
