/**
 * What the containers run, run for real without Docker: redis-server with
 * the compose file's exact arguments, a worker started with the compose
 * command and the environment the image and compose give it, the image's
 * HEALTHCHECK command against it (ready, Redis down, Redis back), a real
 * Prometheus scraping it with deploy/prometheus's config and alert rules,
 * and SIGTERM. (deploy/compose-smoke.sh does the same inside Docker.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { dockerEnv, freePort, healthcheck, readCompose, readDockerfile, root, run, startComposeRedis, stopProcess, which } from "./deploy-files.js";

const compose = readCompose();
const dockerfile = readDockerfile();
const imageEnv = dockerEnv(dockerfile, Math.max(...dockerfile.map((i) => i.stage)));
const hc = healthcheck(dockerfile);
const prometheusBin = which("prometheus");

const temp: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(d);
  return d;
}

/** The image's HEALTHCHECK command, run with the container's environment. */
function runHealthcheck(env: Record<string, string>) {
  return run(hc.command[0]!, hc.command.slice(1), { env: { PATH: process.env.PATH ?? "", ...env }, timeoutMs: 15_000 });
}

async function eventually<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await attempt();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let redisDir: string;
let redisPort: number;
let redis: ChildProcess;
afterAll(async () => {
  if (redis) await stopProcess(redis, "SIGKILL");
  for (const d of temp.splice(0)) rmSync(d, { recursive: true, force: true });
});
beforeAll(async () => {
  redisDir = tempDir("drillbot-deploy-redis-");
  redisPort = await freePort();
  redis = await startComposeRedis(compose, redisDir, redisPort);
});

describe("Redis with the compose file's arguments", () => {
  it("keeps a multi-part append-only file fsynced every second, and refuses writes rather than evicting keys", async () => {
    const client = new Redis({ port: redisPort, host: "127.0.0.1", maxRetriesPerRequest: 1 });
    try {
      const get = async (name: string) => ((await client.config("GET", name)) as string[])[1];
      expect(await get("appendonly")).toBe("yes");
      expect(await get("appendfsync")).toBe("everysec");
      expect(await get("maxmemory-policy")).toBe("noeviction");
      expect(await get("dir")).toBe(redisDir);
      expect(existsSync(path.join(redisDir, "appendonlydir", "appendonly.aof.manifest"))).toBe(true);
      await client.set("drillbot:deploy:kept", "1");
      await client.config("SET", "maxmemory", "1");
      try {
        await expect(client.set("drillbot:deploy:more", "x".repeat(1000))).rejects.toThrow(/OOM/);
      } finally {
        await client.config("SET", "maxmemory", "0");
      }
      expect(await client.get("drillbot:deploy:kept")).toBe("1");
    } finally {
      client.disconnect();
    }
  });
});

describe("the image's health check script", () => {
  it("fails at once when nothing listens on METRICS_PORT", async () => {
    const res = await runHealthcheck({ METRICS_PORT: String(await freePort()) });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/not ready: .*ECONNREFUSED/);
    expect(res.ms).toBeLessThan(3_000);
  });

  it("fails within its timeout when the port accepts but never answers", async () => {
    const sockets: import("node:net").Socket[] = [];
    const server: Server = createServer((s) => void sockets.push(s));
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
    try {
      const res = await runHealthcheck({ METRICS_PORT: String(port), HEALTHCHECK_TIMEOUT_MS: "500" });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/no answer from \/readyz .* within 500 ms/);
      expect(res.ms).toBeLessThan(3_000);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it("refuses a METRICS_PORT that is not a port", async () => {
    const res = await runHealthcheck({ METRICS_PORT: "nine" });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("METRICS_PORT=nine is not a port");
  });
});

describe("a worker started as the container starts it", () => {
  const service = compose.services["worker-1"]!;
  let metricsPort: number;
  let env: Record<string, string>;
  let worker: ChildProcess;
  let stderr = "";

  beforeAll(async () => {
    metricsPort = await freePort();
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...imageEnv,
      ...service.environment,
      // What differs outside Docker: Redis's address, a free port, a data folder of its own.
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      METRICS_PORT: String(metricsPort),
      DRILLBOT_DATA_DIR: tempDir("drillbot-deploy-data-"),
      DRILLBOT_REDIS_PREFIX: `deploy${Date.now()}:`,
    };
    const [command, ...args] = service.command!;
    worker = spawn(command!, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    worker.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  });
  afterAll(async () => {
    if (worker) await stopProcess(worker, "SIGKILL");
  });

  it("becomes ready: the health check exits 0 and prints /readyz's verdict", async () => {
    const res = await eventually("the worker's health check passes", 45_000, async () => {
      if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}:\n${stderr}`);
      const r = await runHealthcheck(env);
      return r.code === 0 ? r : undefined;
    });
    expect(JSON.parse(res.stdout)).toEqual({ ready: true, checks: { redis: true }, stopping: false });
  }, 60_000);

  it("logs JSON lines, as the image's LOG_FORMAT asks", () => {
    const lines = stderr.split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(typeof JSON.parse(line)).toBe("object");
  });

  it.skipIf(!prometheusBin && !process.env.CI)(
    "is scraped by a real Prometheus with deploy/prometheus's config, and every alert rule evaluates without error",
    async () => {
      if (!prometheusBin) throw new Error("prometheus is not installed (Debian: apt-get install prometheus); .ci/run installs it");
      const dir = tempDir("drillbot-deploy-prometheus-");
      const config = parseYaml(readFileSync(path.join(root, "deploy/prometheus/prometheus.yml"), "utf8")) as {
        global: Record<string, string>;
        rule_files: string[];
        scrape_configs: { job_name: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[];
      };
      const promPort = await freePort();
      // The compose file's config with loopback addresses and a 1 s interval; rules and job unchanged.
      config.global.scrape_interval = "1s";
      config.global.evaluation_interval = "1s";
      config.rule_files = config.rule_files.map((f) => path.join(root, "deploy/prometheus", f));
      const job = config.scrape_configs.find((j) => j.job_name === "drillbot")!;
      job.static_configs = [{ targets: [`127.0.0.1:${metricsPort}`], labels: { role: "worker" } }];
      config.scrape_configs = config.scrape_configs.map((j) => (j.job_name === "prometheus" ? { ...j, static_configs: [{ targets: [`127.0.0.1:${promPort}`] }] } : j));
      writeFileSync(path.join(dir, "prometheus.yml"), stringifyYaml(config));
      const prom = spawn(prometheusBin, [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ["ignore", "ignore", "pipe"] });
      let promLog = "";
      prom.stderr!.on("data", (d: Buffer) => (promLog += d.toString()));
      const api = async (p: string) => {
        try {
          const r = await fetch(`http://127.0.0.1:${promPort}${p}`);
          return r.ok ? ((await r.json()) as { data: unknown }).data : undefined;
        } catch {
          return undefined;
        }
      };
      const value = async (query: string) => {
        const data = (await api(`/api/v1/query?query=${encodeURIComponent(query)}`)) as { result: { metric: Record<string, string>; value: [number, string] }[] } | undefined;
        return data?.result;
      };
      try {
        const up = await eventually("Prometheus scrapes the worker", 30_000, async () => {
          if (prom.exitCode !== null) throw new Error(`prometheus exited:\n${promLog}`);
          const r = await value('up{job="drillbot"}');
          return r?.length && r[0]!.value[1] === "1" ? r : undefined;
        });
        const scrapedAt = Date.now();
        expect(up[0]!.metric).toMatchObject({ job: "drillbot", role: "worker", instance: `127.0.0.1:${metricsPort}` });
        expect((await value("drillbot_redis_up"))?.[0]?.value[1]).toBe("1");
        const states = await eventually("queue gauges scraped", 10_000, async () => {
          const r = await value('count by (state) (drillbot_queue_jobs{queue="drillbot-tick"})');
          return r?.length ? r.map((x) => x.metric.state).sort() : undefined;
        });
        expect(states).toEqual(expect.arrayContaining(["waiting", "delayed", "active", "failed"]));
        type Rule = { name: string; type: string; health: string; lastError?: string; lastEvaluation: string };
        // Rules evaluated once the worker's metrics were in (an evaluation before the first scrape sees no target).
        const rules = await eventually("every rule evaluated after the first scrape", 20_000, async () => {
          const data = (await api("/api/v1/rules")) as { groups: { rules: Rule[] }[] } | undefined;
          const all = data?.groups.flatMap((g) => g.rules) ?? [];
          return all.length && all.every((r) => r.health !== "unknown" && Date.parse(r.lastEvaluation) > scrapedAt) ? all : undefined;
        });
        const alertNames = (parseYaml(readFileSync(path.join(root, "deploy/prometheus/alerts.yml"), "utf8")) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
        expect(rules.map((r) => r.name).sort()).toEqual([...alertNames].sort());
        expect(rules.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
        // With a healthy, idle worker no alert's expression matches: none is even pending.
        const active = ((await api("/api/v1/alerts")) as { alerts: { labels: { alertname: string }; state: string }[] }).alerts;
        expect(active.map((a) => `${a.labels.alertname} (${a.state})`)).toEqual([]);
      } finally {
        await stopProcess(prom);
      }
    },
    90_000,
  );

  it("exposes every metric the alert rules use", async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const rules = readFileSync(path.join(root, "deploy/prometheus/alerts.yml"), "utf8");
    const exprs = (parseYaml(rules) as { groups: { rules: { expr: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.expr)).join("\n");
    const used = new Set([...exprs.matchAll(/\bdrillbot_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, "")));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !families.has(name))).toEqual([]);
  });

  it("with Redis stopped, the health check fails (503) while the process stays alive; with Redis back, it passes again", async () => {
    expect(await stopProcess(redis)).toBe(0);
    const down = await eventually("the health check fails", 10_000, async () => {
      const r = await runHealthcheck(env);
      return r.code !== 0 ? r : undefined;
    });
    expect(down.stderr).toMatch(/\/readyz answered 503 .*"redis":false/);
    expect(worker.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);

    redis = await startComposeRedis(compose, redisDir, redisPort);
    const back = await eventually("the health check passes again", 30_000, async () => {
      const r = await runHealthcheck(env);
      return r.code === 0 ? r : undefined;
    });
    expect(JSON.parse(back.stdout).ready).toBe(true);
  }, 60_000);

  it("SIGTERM (the image's STOPSIGNAL) ends it with exit code 0, well within compose's stop_grace_period", async () => {
    const started = Date.now();
    const code = await stopProcess(worker, dockerfile.find((i) => i.op === "STOPSIGNAL")!.args as NodeJS.Signals);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const after = await runHealthcheck(env);
    expect(after.code).toBe(1);
  }, 40_000);
});
