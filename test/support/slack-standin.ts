/**
 * A stand-in for Slack's side, for tests: the Web API (auth.test, users.info,
 * chat.postMessage, chat.postEphemeral, views.publish, views.open,
 * apps.connections.open) and response_url endpoints, on 127.0.0.1. Records
 * every call; a test can make a method fail (ok:false, 429 + Retry-After).
 * A response_url works as Slack's does: five uses within 30 minutes of being
 * issued (a test can move the stand-in's clock on), then 404. Blocks and views
 * breaking Block Kit's published limits are refused (slack-limits.ts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { blocksProblem, SLACK_LIMITS, viewProblem } from "./slack-limits.js";

export interface ApiCall {
  method: string;
  /** Form fields, with JSON fields (blocks, view) parsed. */
  body: Record<string, any>;
  authorization: string | undefined;
}

export interface ResponsePost {
  /** The id in the response_url path (/response/<id>). */
  id: string;
  body: Record<string, any>;
}

export interface CannedResponse {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
  /** Answer this much later (a slow Slack). */
  delayMs?: number;
}

export interface StandinUser {
  name: string;
  displayName?: string;
  tz?: string;
  /** users.info's is_admin / is_owner (workspace admins and owners may run admin subcommands). */
  admin?: boolean;
  owner?: boolean;
}

type Override = (call: ApiCall) => CannedResponse | undefined;

function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? (() => { try { return JSON.parse(v); } catch { return v; } })() : v;
  }
  return out;
}

export class SlackStandin {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** Posts to a response_url that Slack would refuse (used up or expired), with the error Slack gives. */
  readonly refusedResponses: (ResponsePost & { error: "used_url" | "expired_url" })[] = [];
  /** What Slack would have refused for breaking Block Kit's limits (a test may check it stays empty). */
  readonly invalidPosts: { where: string; problem: string }[] = [];
  /** How far the stand-in's clock is ahead of the real one (response_url expiry). */
  private clockOffsetMs = 0;
  private readonly issued = new Map<string, { atMs: number; uses: number }>();
  readonly users = new Map<string, StandinUser>();
  /** What apps.connections.open returns as `url` (Socket Mode tests). */
  socketUrl: string | undefined;
  private readonly overrides = new Map<string, Override[]>();
  private server!: http.Server;
  private base = "";
  private viewCounter = 0;
  private tsCounter = 0;

  static async start(): Promise<SlackStandin> {
    const s = new SlackStandin();
    s.server = http.createServer((req, res) => s.handle(req, res));
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A response_url, issued now (its 30 minutes start at the first call for this id). */
  responseUrl(id: string): string {
    if (!this.issued.has(id)) this.issued.set(id, { atMs: this.nowMs(), uses: 0 });
    return `${this.base}/response/${encodeURIComponent(id)}`;
  }

  /** Moves the stand-in's clock on (e.g. past a response_url's 30 minutes). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  private nowMs(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Why Slack would refuse one more post to this response_url, or null (counts the use). */
  private useResponseUrl(id: string): "used_url" | "expired_url" | null {
    const entry = this.issued.get(id) ?? { atMs: this.nowMs(), uses: 0 };
    this.issued.set(id, entry);
    if (this.nowMs() - entry.atMs > SLACK_LIMITS.responseUrlTtlMs) return "expired_url";
    if (entry.uses >= SLACK_LIMITS.responseUrlUses) return "used_url";
    entry.uses += 1;
    return null;
  }

  /** The next call(s) to `method` get this response instead (`times` calls, default 1). */
  fail(method: string, response: CannedResponse, times = 1): void {
    let left = times;
    this.override(method, () => (left-- > 0 ? response : undefined));
  }

  override(method: string, fn: Override): void {
    this.overrides.set(method, [...(this.overrides.get(method) ?? []), fn]);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponsePost[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Polls until `probe` returns something (not undefined/false), or fails after `timeoutMs`. */
  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", this.base);
      const send = (r: CannedResponse): void => {
        if (r.delayMs) {
          const { delayMs: wait, ...rest } = r;
          setTimeout(() => send(rest), wait);
          return;
        }
        res.writeHead(r.status ?? 200, { "content-type": "application/json", ...(r.headers ?? {}) });
        res.end(JSON.stringify(r.body));
      };
      if (url.pathname.startsWith("/response/")) {
        const post = { id: decodeURIComponent(url.pathname.slice("/response/".length)), body: parseBody(raw, req.headers["content-type"]) };
        const invalid = blocksProblem(post.body.blocks);
        if (invalid) {
          this.invalidPosts.push({ where: `response_url ${post.id}`, problem: invalid });
          return send({ status: 400, body: { ok: false, error: "invalid_blocks" } });
        }
        const refused = this.useResponseUrl(post.id);
        if (refused) {
          this.refusedResponses.push({ ...post, error: refused });
          return send({ status: 404, body: { ok: false, error: refused } });
        }
        this.responses.push(post);
        return send({ body: { ok: true } });
      }
      if (url.pathname.startsWith("/api/")) {
        const call: ApiCall = { method: url.pathname.slice(5), body: parseBody(raw, req.headers["content-type"]), authorization: req.headers.authorization };
        this.calls.push(call);
        for (const o of this.overrides.get(call.method) ?? []) {
          const canned = o(call);
          if (canned) return send(canned);
        }
        const invalid = call.method.startsWith("views.") ? viewProblem(call.body.view) : call.method.startsWith("chat.") ? blocksProblem(call.body.blocks) : null;
        if (invalid) {
          this.invalidPosts.push({ where: call.method, problem: invalid });
          return send({ body: { ok: false, error: call.method.startsWith("views.") ? "invalid_arguments" : "invalid_blocks" } });
        }
        return send(this.answer(call));
      }
      send({ status: 404, body: { ok: false, error: "unknown_path" } });
    });
  }

  private answer(call: ApiCall): CannedResponse {
    const b = call.body;
    switch (call.method) {
      case "auth.test":
        return { body: { ok: true, url: "https://test.slack.invalid/", team: "Test", user: "drillbot", team_id: "T1", user_id: "UBOT", bot_id: "BBOT" } };
      case "users.info": {
        const u = this.users.get(String(b.user));
        if (!u) return { body: { ok: false, error: "user_not_found" } };
        return {
          body: {
            ok: true,
            user: {
              id: b.user,
              name: u.name,
              real_name: u.name,
              ...(u.tz ? { tz: u.tz } : {}),
              is_admin: u.admin ?? false,
              is_owner: u.owner ?? false,
              profile: { display_name: u.displayName ?? "", real_name: u.name },
            },
          },
        };
      }
      case "chat.postMessage":
        return { body: { ok: true, channel: b.channel, ts: `1700000000.${String(++this.tsCounter).padStart(6, "0")}`, message: { text: b.text } } };
      case "chat.postEphemeral":
        return { body: { ok: true, message_ts: `1700000000.${String(++this.tsCounter).padStart(6, "0")}` } };
      case "views.publish":
      case "views.open":
        return { body: { ok: true, view: { ...(b.view ?? {}), id: `V${++this.viewCounter}` } } };
      case "apps.connections.open":
        return this.socketUrl ? { body: { ok: true, url: this.socketUrl } } : { body: { ok: false, error: "invalid_auth" } };
      default:
        return { body: { ok: false, error: "unknown_method" } };
    }
  }
}
