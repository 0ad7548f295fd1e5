/**
 * The optional queue dashboard (Bull Board) on the operator's port: behind
 * basic auth on every path (page, static files, JSON API), and read-only twice
 * over: every queue adapter is in Bull Board's readOnlyMode, and any method
 * other than GET or HEAD under the base path is refused with 405 before Bull
 * Board sees it, so no retry, clean, promote, pause or add can run.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import { underBasePath, type DashboardRoute } from "./ops-server.js";

export const DEFAULT_DASHBOARD_PATH = "/admin/queues";
export const DASHBOARD_REALM = 'Basic realm="drillbot queues", charset="UTF-8"';

export interface QueueDashboardOptions {
  queues: readonly Queue[];
  user: string;
  password: string;
  /** Where the dashboard lives on the port; default /admin/queues. */
  basePath?: string;
  /** An error while drawing the page or answering the API (never carries the credentials). */
  onError?: (err: unknown) => void;
}

/** What ops-server routes to: every request whose path is basePath or under it. */
export interface QueueDashboard extends DashboardRoute {
  /** Shows one more queue (e.g. one started after the port opened), read-only like the others. */
  addQueue(queue: Queue): void;
}

/** The part of an express app used here. */
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  disable(setting: string): void;
}

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** The user and password of a `Basic` Authorization header, or null. */
function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function checkOptions(opts: QueueDashboardOptions, basePath: string): void {
  if (!opts.user || opts.user.includes(":")) throw new Error("queue dashboard: the user must be set and must not contain ':' (basic auth splits on it)");
  if (!opts.password) throw new Error("queue dashboard: the password must be set");
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) throw new Error(`queue dashboard: base path ${JSON.stringify(basePath)} must look like /admin/queues (no trailing slash)`);
  if (["/metrics", "/healthz", "/readyz"].some((p) => underBasePath(p, basePath))) throw new Error(`queue dashboard: base path ${basePath} would hide /metrics, /healthz or /readyz`);
}

export function createQueueDashboard(opts: QueueDashboardOptions): QueueDashboard {
  const basePath = opts.basePath ?? DEFAULT_DASHBOARD_PATH;
  checkOptions(opts, basePath);
  const expectedUser = digest(opts.user);
  const expectedPassword = digest(opts.password);

  const adapter = new ExpressAdapter();
  // The page's <base href> and its API calls are built from this: it must be where the board is mounted.
  adapter.setBasePath(basePath);
  const board = createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "drillbot queues" } },
  });
  // An express app (Bull Board's dependency, not ours): called as (req, res, next), with paths relative to basePath.
  const app = adapter.getRouter() as ExpressApp;
  app.disable("x-powered-by");

  const authorized = (req: IncomingMessage): boolean => {
    const given = basicCredentials(req.headers.authorization);
    // Both digests are always compared, in constant time, whatever the input.
    const userOk = timingSafeEqual(digest(given?.user ?? ""), expectedUser);
    const passwordOk = timingSafeEqual(digest(given?.password ?? ""), expectedPassword);
    return given !== null && userOk && passwordOk;
  };

  const refuse = (res: ServerResponse, status: number, headers: Record<string, string>, body: string): void => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(body);
  };

  return {
    basePath,
    addQueue: (queue) => board.addQueue(new BullMQAdapter(queue, { readOnlyMode: true })),
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://ops");
      if (!underBasePath(url.pathname, basePath)) return refuse(res, 404, {}, "not found\n");
      if (!authorized(req)) return refuse(res, 401, { "www-authenticate": DASHBOARD_REALM }, "the queue dashboard needs the DRILLBOT_ADMIN_USER and DRILLBOT_ADMIN_PASSWORD credentials\n");
      if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, { allow: "GET, HEAD" }, "the queue dashboard is read-only\n");
      // Bull Board sees the normalized path that was checked above, less the base path.
      req.url = `${url.pathname.slice(basePath.length) || "/"}${url.search}`;
      app(req, res, (err?: unknown) => {
        if (err !== undefined) opts.onError?.(err);
        if (res.headersSent) return void res.end();
        if (err !== undefined) refuse(res, 500, {}, "the queue dashboard failed; see the bot's log\n");
        else refuse(res, 404, {}, "not found in the queue dashboard\n");
      });
    },
  };
}
