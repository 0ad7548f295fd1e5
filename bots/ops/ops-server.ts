/**
 * The operator's port (METRICS_PORT): GET /metrics for Prometheus,
 * GET /healthz (the process is alive) and GET /readyz (every dependency this
 * role needs answers; 503 from the moment shutdown begins). Plain node:http:
 * nothing here is on the path of a learner's answer. With `dashboard`, every
 * path under its base path (any method) goes to it; it does its own auth.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** One thing readiness depends on: its name and whether it is up now. */
export interface ReadinessCheck {
  name: string;
  ready: () => boolean | Promise<boolean>;
}

export interface OpsServerOptions {
  port: number;
  /** Default 0.0.0.0 (a container's port is published from outside); tests pass 127.0.0.1. */
  host?: string;
  registry: Registry;
  checks: () => readonly ReadinessCheck[];
  /** True once shutdown has begun: /readyz answers 503 from then on. */
  stopping: () => boolean;
  /** The optional queue dashboard (queue-dashboard.ts); without it its paths are 404. */
  dashboard?: DashboardRoute;
}

/** A handler for every path under basePath, any method; it does its own auth. */
export interface DashboardRoute {
  readonly basePath: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
}

/** True when pathname is basePath itself or below it. */
export function underBasePath(pathname: string, basePath: string): boolean {
  return pathname === basePath || pathname.startsWith(`${basePath}/`);
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** How long a readiness check may take before it counts as down. */
const CHECK_TIMEOUT_MS = 1_000;

async function runCheck(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([Promise.resolve().then(check.ready).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The readiness verdict: every check's state, and whether all are up (never while stopping). */
export async function readiness(checks: readonly ReadinessCheck[], stopping: boolean): Promise<{ ready: boolean; checks: Record<string, boolean>; stopping: boolean }> {
  const results = await Promise.all(checks.map(runCheck));
  const byName = Object.fromEntries(checks.map((c, i) => [c.name, results[i]!]));
  return { ready: !stopping && results.every(Boolean), checks: byName, stopping };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://ops");
    if (opts.dashboard && underBasePath(url.pathname, opts.dashboard.basePath)) return opts.dashboard.handle(req, res);
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "only GET\n");
    void (async () => {
      switch (url.pathname) {
        case "/healthz":
          return send(res, 200, "application/json", JSON.stringify({ ok: true }));
        case "/readyz": {
          const verdict = await readiness(opts.checks(), opts.stopping());
          return send(res, verdict.ready ? 200 : 503, "application/json", JSON.stringify(verdict));
        }
        case "/metrics":
          return send(res, 200, opts.registry.contentType, await opts.registry.metrics());
        default:
          return send(res, 404, "text/plain; charset=utf-8", "not found: try /metrics, /healthz or /readyz\n");
      }
    })().catch((err: unknown) => send(res, 500, "text/plain; charset=utf-8", `${err instanceof Error ? err.message : "error"}\n`));
  });
  // Scrapers keep connections open; closing must not wait for them.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
