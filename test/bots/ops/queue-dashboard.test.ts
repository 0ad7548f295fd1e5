/**
 * The queue dashboard (Bull Board) on the operator's port: real BullMQ queues
 * on a real redis-server, a real ops server on 127.0.0.1, real HTTP. Basic auth
 * on every path, read-only (405 for writes, jobs left as they were), and the
 * health and metrics paths still open.
 */
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryQueueName, TICK_QUEUE } from "../../../bots/jobs/job-types.js";
import { createMetrics } from "../../../bots/ops/metrics.js";
import { startOpsServer, type OpsServer } from "../../../bots/ops/ops-server.js";
import { createQueueDashboard, DASHBOARD_REALM, type QueueDashboard } from "../../../bots/ops/queue-dashboard.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();

const USER = "operator";
const PASSWORD = "correct horse battery staple";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const GOOD = basic(USER, PASSWORD);

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

async function call(port: number, path: string, init: { method?: string; auth?: string; json?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.auth) headers.authorization = init.auth;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("the queue dashboard on the operator's port", () => {
  const queues: Queue[] = [];
  let deliveries: Queue;
  let ticks: Queue;
  let waitingId: string;
  let failedId: string;
  let dashboard: QueueDashboard;
  let ops: OpsServer;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const prefix = `${uniquePrefix()}bull`;
    const connection = { host: "127.0.0.1", port: redis.server.port };
    deliveries = new Queue(deliveryQueueName("discord"), { connection, prefix });
    ticks = new Queue(TICK_QUEUE, { connection, prefix });
    queues.push(deliveries, ticks);
    // A waiting job: no worker runs on the delivery queue.
    waitingId = (await deliveries.add("deliver", { kind: "close-drill", sessionId: "s1" }, { jobId: "close-drill-s1" })).id!;
    // A failed job: one attempt, and the worker throws.
    const worker = new Worker(TICK_QUEUE, async () => {
      throw new Error("tick broke");
    }, { connection, prefix, autorun: false });
    const failed = new Promise<string>((resolve) => worker.on("failed", (job) => resolve(job!.id!)));
    await ticks.add("tick", {}, { attempts: 1, jobId: "tick-1" });
    void worker.run();
    failedId = await failed;
    await worker.close();

    dashboard = createQueueDashboard({ queues: [deliveries, ticks], user: USER, password: PASSWORD, onError: (err) => errors.push(err) });
    ops = await startOpsServer({
      port: 0,
      host: "127.0.0.1",
      registry: createMetrics({ redisUp: () => true }),
      checks: () => [{ name: "redis", ready: () => true }],
      stopping: () => false,
      dashboard,
    });
  });

  afterAll(async () => {
    await ops?.close();
    await Promise.all(queues.map((q) => q.close()));
  });

  it("answers 401 with the Basic challenge without credentials, with a wrong password or user, and with a malformed header", async () => {
    const attempts: Array<[string, string | undefined]> = [
      ["/admin/queues", undefined],
      ["/admin/queues", basic(USER, "correct horse battery stapl")],
      ["/admin/queues", basic(USER, `${PASSWORD}x`)],
      ["/admin/queues", basic("Operator", PASSWORD)],
      ["/admin/queues", `Bearer ${PASSWORD}`],
      ["/admin/queues", `Basic ${Buffer.from(`${USER}${PASSWORD}`).toString("base64")}`],
      ["/admin/queues", "Basic !!!"],
      ["/admin/queues/api/queues", undefined],
      [`/admin/queues/api/queues/${TICK_QUEUE}/${failedId}`, basic(USER, "wrong password here")],
      ["/admin/queues/static/images/logo.svg", undefined],
    ];
    for (const [path, auth] of attempts) {
      const res = await call(ops.port, path, auth ? { auth } : {});
      expect(res.status, `${path} with ${auth ?? "no credentials"}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(DASHBOARD_REALM);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="drillbot queues", charset="UTF-8"');
      expect(res.body).not.toContain(TICK_QUEUE);
    }
  });

  it("serves the page and its static files with the right credentials, with a base href that matches where it is mounted", async () => {
    for (const path of ["/admin/queues", "/admin/queues/", `/admin/queues/queue/${TICK_QUEUE}`]) {
      const page = await call(ops.port, path, { auth: GOOD });
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.body).toContain('<base href="/admin/queues/"');
      expect(page.body).toContain("drillbot queues");
      expect(page.body).not.toContain(PASSWORD);
    }
    // Every script and stylesheet the page names is served under the base path, only with credentials.
    const page = await call(ops.port, "/admin/queues", { auth: GOOD });
    const assets = [...page.body.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map((m) => `/admin/queues/${m[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect((await call(ops.port, asset, { auth: GOOD })).status, asset).toBe(200);
      expect((await call(ops.port, asset)).status, asset).toBe(401);
    }
    expect((await call(ops.port, "/admin/queues", { method: "HEAD", auth: GOOD })).status).toBe(200);
  });

  it("lists the queues with their real counts through the JSON API, every one read-only", async () => {
    const res = await call(ops.port, "/admin/queues/api/queues", { auth: GOOD });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { queues: Array<{ name: string; counts: Record<string, number>; readOnlyMode: boolean; allowRetries: boolean }> };
    const byName = new Map(body.queues.map((q) => [q.name, q]));
    expect([...byName.keys()].sort()).toEqual([deliveryQueueName("discord"), TICK_QUEUE].sort());
    expect(byName.get(deliveryQueueName("discord"))!.counts).toMatchObject({ waiting: 1, failed: 0 });
    expect(byName.get(TICK_QUEUE)!.counts).toMatchObject({ waiting: 0, failed: 1 });
    for (const q of body.queues) {
      expect(q.readOnlyMode, q.name).toBe(true);
      expect(q.allowRetries, q.name).toBe(false);
    }

    const job = await call(ops.port, `/admin/queues/api/queues/${TICK_QUEUE}/${failedId}`, { auth: GOOD });
    expect(job.status).toBe(200);
    expect(JSON.parse(job.body).job).toMatchObject({ id: failedId, failedReason: "tick broke" });
  });

  it("refuses every write with 405 and leaves the jobs and queues as they were", async () => {
    const before = {
      deliveries: await deliveries.getJobCounts(),
      ticks: await ticks.getJobCounts(),
      failed: await ticks.getJob(failedId),
      waitingState: await deliveries.getJobState(waitingId),
    };
    expect(before.failed).toBeDefined();
    const writes: Array<[string, string, unknown?]> = [
      ["PUT", `/admin/queues/api/queues/${TICK_QUEUE}/${failedId}/retry`],
      ["PUT", `/admin/queues/api/queues/${TICK_QUEUE}/retry/failed`],
      ["PUT", `/admin/queues/api/queues/${TICK_QUEUE}/${failedId}/clean`],
      ["PUT", `/admin/queues/api/queues/${TICK_QUEUE}/clean/failed`],
      ["PUT", `/admin/queues/api/queues/${deliveryQueueName("discord")}/${waitingId}/promote`],
      ["PUT", `/admin/queues/api/queues/${deliveryQueueName("discord")}/promote`],
      ["PUT", `/admin/queues/api/queues/${deliveryQueueName("discord")}/pause`],
      ["PUT", "/admin/queues/api/queues/pause"],
      ["PUT", `/admin/queues/api/queues/${deliveryQueueName("discord")}/empty`],
      ["PUT", `/admin/queues/api/queues/${deliveryQueueName("discord")}/obliterate`],
      ["POST", `/admin/queues/api/queues/${deliveryQueueName("discord")}/add`, { name: "deliver", data: { kind: "close-drill", sessionId: "s2" } }],
      ["PATCH", `/admin/queues/api/queues/${deliveryQueueName("discord")}/${waitingId}/update-data`, { data: { kind: "close-drill", sessionId: "evil" } }],
      ["DELETE", `/admin/queues/api/queues/${deliveryQueueName("discord")}/${waitingId}`],
    ];
    for (const [method, path, json] of writes) {
      const res = await call(ops.port, path, { method, auth: GOOD, ...(json !== undefined ? { json } : {}) });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
      // Without credentials a write learns nothing but the challenge.
      expect((await call(ops.port, path, { method })).status, `${method} ${path} without credentials`).toBe(401);
    }

    expect(await deliveries.getJobCounts()).toEqual(before.deliveries);
    expect(await ticks.getJobCounts()).toEqual(before.ticks);
    expect(await ticks.getJobState(failedId)).toBe("failed");
    expect(await deliveries.getJobState(waitingId)).toBe(before.waitingState);
    const after = await ticks.getJob(failedId);
    expect(after!.attemptsMade).toBe(before.failed!.attemptsMade);
    expect(after!.failedReason).toBe("tick broke");
    expect((await deliveries.getJob(waitingId))!.data).toEqual({ kind: "close-drill", sessionId: "s1" });
    expect(await deliveries.isPaused()).toBe(false);
    expect(await ticks.isPaused()).toBe(false);
  });

  it("shows a queue added after the port opened, read-only like the others", async () => {
    const late = new Queue("drillbot-fsrs", { connection: { host: "127.0.0.1", port: redis.server.port }, prefix: `${uniquePrefix()}bull` });
    queues.push(late);
    await late.add("fsrs-optimize", {}, { delay: 60_000 });
    dashboard.addQueue(late);
    const body = JSON.parse((await call(ops.port, "/admin/queues/api/queues", { auth: GOOD })).body) as { queues: Array<{ name: string; counts: Record<string, number>; readOnlyMode: boolean }> };
    expect(body.queues.find((q) => q.name === "drillbot-fsrs")).toMatchObject({ readOnlyMode: true, counts: { delayed: 1 } });
    expect((await call(ops.port, "/admin/queues/api/queues/drillbot-fsrs/promote", { method: "PUT", auth: GOOD })).status).toBe(405);
    expect(await late.getJobCounts("delayed")).toEqual({ delayed: 1 });
  });

  it("keeps /metrics, /healthz and /readyz open without credentials, and everything else as before", async () => {
    const metrics = await call(ops.port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^drillbot_redis_up 1$/m);
    expect((await call(ops.port, "/healthz")).status).toBe(200);
    const ready = await call(ops.port, "/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true });
    expect((await call(ops.port, "/metrics", { method: "POST" })).status).toBe(405);
    // Only the base path and what is below it belong to the dashboard.
    for (const path of ["/admin", "/admin/queuesX", "/admin/queues-api", "/ADMIN/QUEUES/api/queues"]) {
      const res = await call(ops.port, path, { auth: GOOD });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain(TICK_QUEUE);
    }
    expect((await call(ops.port, "/admin/queues/no/such/page", { auth: GOOD })).status).toBe(404);
    expect(errors).toEqual([]);
  });
});

describe("the operator's port without the dashboard", () => {
  it("answers 404 at /admin/queues, with or without credentials", async () => {
    const ops = await startOpsServer({ port: 0, host: "127.0.0.1", registry: createMetrics({ redisUp: () => true }), checks: () => [], stopping: () => false });
    try {
      expect((await call(ops.port, "/admin/queues")).status).toBe(404);
      expect((await call(ops.port, "/admin/queues/api/queues", { auth: GOOD })).status).toBe(404);
      expect((await call(ops.port, "/admin/queues/api/queues/pause", { method: "PUT", auth: GOOD })).status).toBe(405);
      expect((await call(ops.port, "/healthz")).status).toBe(200);
    } finally {
      await ops.close();
    }
  });
});

describe("creating the dashboard", () => {
  it("refuses a user with a colon, an empty password and a base path that is malformed or hides the health paths", () => {
    const base = { queues: [], user: USER, password: PASSWORD };
    expect(() => createQueueDashboard({ ...base, user: "ops:team" })).toThrow(/must not contain ':'/);
    expect(() => createQueueDashboard({ ...base, user: "" })).toThrow(/user must be set/);
    expect(() => createQueueDashboard({ ...base, password: "" })).toThrow(/password must be set/);
    for (const basePath of ["", "/", "admin", "/admin/queues/", "/admin queues"]) {
      expect(() => createQueueDashboard({ ...base, basePath }), basePath).toThrow(/must look like \/admin\/queues/);
    }
    expect(() => createQueueDashboard({ ...base, basePath: "/metrics" })).toThrow(/would hide/);
    expect(createQueueDashboard({ ...base, basePath: "/ops/bull" }).basePath).toBe("/ops/bull");
  });
});
