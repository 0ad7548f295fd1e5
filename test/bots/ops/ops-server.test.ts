/**
 * The operator's port: /healthz, /readyz and /metrics over real HTTP, and a
 * real `drillbot worker` process serving them on METRICS_PORT.
 */
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../../bots/ops/metrics.js";
import { startOpsServer, type ReadinessCheck } from "../../../bots/ops/ops-server.js";
import { removeTempDirs, startBot, tempDir } from "../reliability/bot-process.js";
import { useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
afterAll(removeTempDirs);

async function get(port: number, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text() };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("the metrics and health port", () => {
  it("says alive, ready only when every check is up and not stopping, and serves Prometheus text", async () => {
    let redisUp = true;
    let stopping = false;
    const checks: ReadinessCheck[] = [
      { name: "redis", ready: () => redisUp },
      { name: "discord", ready: async () => true },
    ];
    const ops = await startOpsServer({ port: 0, host: "127.0.0.1", registry: createMetrics({ redisUp: () => redisUp }), checks: () => checks, stopping: () => stopping });
    try {
      expect(await get(ops.port, "/healthz")).toEqual({ status: 200, body: JSON.stringify({ ok: true }) });
      const ready = await get(ops.port, "/readyz");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ ready: true, checks: { redis: true, discord: true }, stopping: false });
      const metrics = await get(ops.port, "/metrics");
      expect(metrics.body).toMatch(/^drillbot_redis_up 1$/m);
      expect(metrics.body).toMatch(/^drillbot_process_cpu_user_seconds_total /m);

      redisUp = false;
      const down = await get(ops.port, "/readyz");
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body).checks).toEqual({ redis: false, discord: true });
      expect((await get(ops.port, "/metrics")).body).toMatch(/^drillbot_redis_up 0$/m);
      expect((await get(ops.port, "/healthz")).status).toBe(200);

      redisUp = true;
      stopping = true;
      expect((await get(ops.port, "/readyz")).status).toBe(503);
      expect((await get(ops.port, "/nope")).status).toBe(404);
      expect((await get(ops.port, "/metrics", "POST")).status).toBe(405);
    } finally {
      await ops.close();
    }
  });

  it("counts a check that throws or hangs as down, within a second", async () => {
    const checks: ReadinessCheck[] = [
      { name: "throws", ready: () => { throw new Error("boom"); } },
      { name: "hangs", ready: () => new Promise<boolean>(() => undefined) },
    ];
    const ops = await startOpsServer({ port: 0, host: "127.0.0.1", registry: createMetrics({ redisUp: () => true }), checks: () => checks, stopping: () => false });
    try {
      const started = Date.now();
      const res = await get(ops.port, "/readyz");
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).checks).toEqual({ throws: false, hangs: false });
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await ops.close();
    }
  });

  it("a real worker process serves /healthz, /readyz and /metrics on METRICS_PORT, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const bot = startBot({ REDIS_URL: redis.server.url, DRILLBOT_REDIS_PREFIX: `ops${Date.now()}:`, DRILLBOT_DATA_DIR: tempDir(), METRICS_PORT: String(port) }, ["worker"]);
    try {
      await bot.waitFor(/worker is running/, { in: "stderr", timeoutMs: 30_000 });
      expect((await get(port, "/healthz")).status).toBe(200);
      const ready = await get(port, "/readyz");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body).checks).toEqual({ redis: true });
      const metrics = (await get(port, "/metrics")).body;
      expect(metrics).toMatch(/^drillbot_redis_up 1$/m);
      // /readyz's checks, one by one, for alerts: a worker checks Redis only.
      expect(metrics).toMatch(/^drillbot_ready\{check="redis"\} 1$/m);
      expect(metrics).not.toMatch(/^drillbot_ready\{check="discord"/m);
      bot.child.kill("SIGTERM");
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      bot.child.kill("SIGKILL");
    }
  }, 60_000);

  it("with DRILLBOT_ADMIN_USER/PASSWORD a real worker serves the read-only queue dashboard: 401 without them, 200 with them, the FSRS queue listed", async () => {
    const port = await freePort();
    const password = "correct-horse-battery";
    const bot = startBot(
      { REDIS_URL: redis.server.url, DRILLBOT_REDIS_PREFIX: `dash${Date.now()}:`, DRILLBOT_DATA_DIR: tempDir(), METRICS_PORT: String(port), DRILLBOT_ADMIN_USER: "ops", DRILLBOT_ADMIN_PASSWORD: password },
      ["worker"],
    );
    try {
      await bot.waitFor(/worker is running/, { in: "stderr", timeoutMs: 30_000 });
      expect(bot.stderr()).toContain("read-only queue dashboard at /admin/queues");
      const bare = await fetch(`http://127.0.0.1:${port}/admin/queues`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get("www-authenticate")).toMatch(/^Basic realm="drillbot queues"/);
      const wrong = await fetch(`http://127.0.0.1:${port}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from("ops:guess").toString("base64")}` } });
      expect(wrong.status).toBe(401);
      const auth = { authorization: `Basic ${Buffer.from(`ops:${password}`).toString("base64")}` };
      expect((await fetch(`http://127.0.0.1:${port}/admin/queues`, { headers: auth })).status).toBe(200);
      const api = (await (await fetch(`http://127.0.0.1:${port}/admin/queues/api/queues`, { headers: auth })).json()) as { queues: { name: string; readOnlyMode: boolean }[] };
      expect(api.queues.map((q) => q.name).sort()).toEqual(["drillbot-deliver-discord", "drillbot-deliver-shell", "drillbot-deliver-slack", "drillbot-fsrs", "drillbot-tick"]);
      expect(api.queues.every((q) => q.readOnlyMode)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/admin/queues/api/queues/drillbot-tick/clean/completed`, { method: "PUT", headers: auth })).status).toBe(405);
      expect(bot.stderr()).not.toContain(password);
      bot.child.kill("SIGTERM");
      expect((await bot.exited).code).toBe(0);
    } finally {
      bot.child.kill("SIGKILL");
    }
  }, 60_000);

  it("refuses a METRICS_PORT that is not a port before starting anything", async () => {
    const bot = startBot({ REDIS_URL: redis.server.url, DRILLBOT_DATA_DIR: tempDir(), METRICS_PORT: "99999" }, ["worker"]);
    const exit = await bot.exited;
    expect(exit.code).toBe(2);
    expect(bot.stderr()).toContain("METRICS_PORT");
  }, 30_000);
});
