/**
 * A stand-in for Slack's side, for tests: the Web API (auth.test, users.info,
 * chat.postMessage, chat.postEphemeral, views.publish, views.open,
 * apps.connections.open, conversations.open, files.getUploadURLExternal,
 * files.completeUploadExternal, files.info), the file upload URLs, the files
 * people shared with the app (slack-hosted-files.ts: url_private_download
 * behind the bot token, a sign-in redirect without it) and response_url
 * endpoints, on 127.0.0.1. Records every call; a test can make a method fail
 * (ok:false, 429 + Retry-After) or take a scope away from the token.
 * A response_url works as Slack's does: five uses within 30 minutes of being
 * issued (a test can move the stand-in's clock on), then 404. Blocks and views
 * breaking Block Kit's published limits are refused (slack-limits.ts).
 *
 * OAuth (slack-oauth-standin.ts): oauth.v2.access trades an install's code
 * (issued by `oauth.issueCode`, as Slack's authorize page would) for a bot
 * token, and with token rotation a refresh token for a new pair, once. With
 * `strictTokens` every Web API call must carry a token Slack issued: unknown
 * ones get invalid_auth, revoked ones token_revoked, expired ones
 * token_expired, and each recorded call names the workspace its token is for.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { SlackFileUploads } from "./slack-file-uploads.js";
import { SlackHostedFiles } from "./slack-hosted-files.js";
import { blocksProblem, hasFileInput, SLACK_LIMITS, viewProblem } from "./slack-limits.js";
import { SlackOAuthStandin } from "./slack-oauth-standin.js";

export interface ApiCall {
  method: string;
  /** Form fields, with JSON fields (blocks, view) parsed. */
  body: Record<string, any>;
  authorization: string | undefined;
  /** The token the call used (Bearer header, else the body's `token`). */
  token: string | undefined;
  /** The workspace (team, or enterprise for an org-wide install) of that token, when the stand-in issued it. */
  owner: string | undefined;
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

/** The bot scopes bots/slack/manifest.yml asks for: what an installed app's token holds. */
export const MANIFEST_SCOPES: readonly string[] = (
  parseYaml(readFileSync(new URL("../../bots/slack/manifest.yml", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } }
).oauth_config.scopes.bot;

/** The scope each of these methods needs from a bot token (docs.slack.dev/reference/methods). */
const NEEDED_SCOPE: Record<string, string> = {
  "conversations.open": "im:write",
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
  "files.info": "files:read",
};

const jsonish = (v: string): unknown => (/^[[{]/.test(v) ? (() => { try { return JSON.parse(v); } catch { return v; } })() : v);

function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = jsonish(v);
  return out;
}

/** A multipart/form-data Web API call, read with undici's form parser; file parts are kept as Buffers. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, any>> {
  const form = await new Request("http://api.invalid/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
  const out: Record<string, any> = {};
  for (const [k, v] of form) out[k] = typeof v === "string" ? jsonish(v) : Buffer.from(await v.arrayBuffer());
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
  /** The bot token's scopes (the manifest's), checked for conversations.open and files.*; a test may delete one. */
  readonly scopes = new Set<string>(MANIFEST_SCOPES);
  /** When set, conversations.open and files.* refuse any other token with invalid_auth. */
  botToken: string | undefined;
  /** Channels (besides the DMs conversations.open opened) that files may be shared in. */
  readonly channels = new Set<string>(["C1"]);
  /** DM channel id -> user id, for each DM conversations.open opened. */
  readonly ims = new Map<string, string>();
  /** DM channel id -> the workspace of the token that opened it (OAuth tests: each workspace has its own DMs). */
  private readonly imOwners = new Map<string, string | undefined>();
  readonly files = new SlackFileUploads(() => this.base);
  /** Files people shared with the app (a modal's file_input, a DM), served behind the bot token. */
  readonly shared = new SlackHostedFiles(() => this.base);
  /** The OAuth side: install codes, issued tokens, rotation, uninstalls. */
  readonly oauth = new SlackOAuthStandin(() => this.nowMs());
  /** Every Web API call must carry a token the stand-in issued (OAuth tests). */
  strictTokens = false;
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

  /** The stand-in's clock (epoch ms): response_url expiry, install codes, rotating tokens. */
  nowMs(): number {
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

  /** The next `times` calls to `method` get HTTP 429 with Retry-After, as Slack rate-limits. */
  rateLimit(method: string, retryAfterSec: number, times = 1): void {
    this.fail(method, { status: 429, headers: { "retry-after": String(retryAfterSec) }, body: { ok: false, error: "ratelimited" } }, times);
  }

  /** Files shared in a conversation (a DM's id from conversations.open, or a channel id). */
  uploadsTo(channel: string) {
    return this.files.completed.filter((u) => u.channel === channel);
  }

  /** The DM a person opens with the app from its Messages tab (the same conversation conversations.open gives the app). */
  userDm(user: string, owner?: string): string {
    const existing = this.dmOf(user, owner);
    if (existing) return existing;
    const id = `D${owner ?? ""}${user.slice(1)}`;
    this.ims.set(id, user);
    this.imOwners.set(id, owner);
    return id;
  }

  /** May this token read this workspace's files (a bot token of that workspace with files:read)? */
  private mayReadFiles(token: string, team: string): boolean {
    if (!this.scopes.has("files:read")) return false;
    if (this.strictTokens) return this.oauth.problem(token) === null && this.oauth.identity(token)?.owner === team;
    return this.botToken === undefined || token === this.botToken;
  }

  /** The DM conversations.open opened with this user, if any. */
  dmOf(user: string, owner?: string): string | undefined {
    return [...this.ims].find(([id, u]) => u === user && (owner === undefined || this.imOwners.get(id) === owner))?.[0];
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
      this.route(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`stand-in failed: ${(err as Error).message}`);
      });
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, buf: Buffer): Promise<void> {
    const raw = buf.toString("utf8");
    const url = new URL(req.url ?? "/", this.base);
    const contentType = req.headers["content-type"];
    const send = (r: CannedResponse): void => {
      if (r.delayMs) {
        const { delayMs: wait, ...rest } = r;
        setTimeout(() => send(rest), wait);
        return;
      }
      res.writeHead(r.status ?? 200, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body));
    };
    if (req.method === "GET" && url.pathname.startsWith("/files-pri/")) {
      await this.shared.gate();
      const out = this.shared.download(url.pathname, req.headers.authorization, (token, team) => this.mayReadFiles(token, team));
      res.writeHead(out.status, out.headers);
      if (!out.headers["content-length"] && out.body.length > 1) {
        // Chunked: the bytes in two writes, as a stream.
        res.write(out.body.subarray(0, out.body.length >> 1));
        res.end(out.body.subarray(out.body.length >> 1));
      } else res.end(out.body);
      return;
    }
    if (req.method === "GET" && url.pathname === "/") {
      const out = this.shared.signInPage();
      res.writeHead(out.status, out.headers);
      res.end(out.body);
      return;
    }
    if (url.pathname.startsWith("/upload/v1/")) {
      const out = await this.files.receive(url.pathname.slice("/upload/v1/".length), contentType, buf);
      res.writeHead(out.status, { "content-type": "text/plain" });
      res.end(out.text);
      return;
    }
    if (url.pathname.startsWith("/response/")) {
      const post = { id: decodeURIComponent(url.pathname.slice("/response/".length)), body: parseBody(raw, contentType) };
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
      const body = contentType?.toLowerCase().startsWith("multipart/form-data") ? await parseMultipart(buf, contentType) : parseBody(raw, contentType);
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
      const token = bearer ?? (typeof body.token === "string" && body.token ? body.token : undefined);
      const call: ApiCall = { method: url.pathname.slice(5), body, authorization: req.headers.authorization, token, owner: token ? this.oauth.identity(token)?.owner : undefined };
      this.calls.push(call);
      for (const o of this.overrides.get(call.method) ?? []) {
        const canned = o(call);
        if (canned) return send(canned);
      }
      if (call.method === "oauth.v2.access") return send({ body: this.oauth.access(body, req.headers.authorization) });
      const invalid = call.method.startsWith("views.") ? viewProblem(call.body.view) : call.method.startsWith("chat.") || call.method === "files.completeUploadExternal" ? blocksProblem(call.body.blocks) : null;
      if (invalid) {
        this.invalidPosts.push({ where: call.method, problem: invalid });
        return send({ body: { ok: false, error: call.method.startsWith("views.") ? "invalid_arguments" : "invalid_blocks" } });
      }
      // A file_input needs the files:read scope (docs.slack.dev, "File input element"); Slack's exact error is unpublished, missing_scope assumed.
      if (call.method.startsWith("views.") && hasFileInput(call.body.view) && !this.scopes.has("files:read")) {
        return send({ body: { ok: false, error: "missing_scope", needed: "files:read", provided: [...this.scopes].join(",") } });
      }
      return send(this.checkToken(call) ?? this.authorize(call) ?? this.answer(call));
    }
    send({ status: 404, body: { ok: false, error: "unknown_path" } });
  }

  /** With strictTokens: Slack's answer to a call whose token it did not issue, revoked, or let expire; null = allowed. */
  private checkToken(call: ApiCall): CannedResponse | null {
    if (!this.strictTokens || call.method === "apps.connections.open") return null;
    if (!call.token) return { body: { ok: false, error: "not_authed" } };
    const problem = this.oauth.problem(call.token);
    return problem ? { body: { ok: false, error: problem } } : null;
  }

  /** A DM belongs to one workspace: with issued tokens, only that workspace's token reaches it. */
  private seesIm(id: string, call: ApiCall): boolean {
    const owner = this.imOwners.get(id);
    return owner === undefined || owner === call.owner;
  }

  /** Slack's token and scope checks, for the methods that need a scope (see NEEDED_SCOPE); null = allowed. */
  private authorize(call: ApiCall): CannedResponse | null {
    const needed = NEEDED_SCOPE[call.method];
    if (!needed) return null;
    const bearer = /^Bearer\s+(\S+)$/i.exec(call.authorization ?? "")?.[1];
    const token = bearer ?? (typeof call.body.token === "string" && call.body.token ? call.body.token : undefined);
    if (!token) return { body: { ok: false, error: "not_authed" } };
    if (this.botToken !== undefined && token !== this.botToken) return { body: { ok: false, error: "invalid_auth" } };
    if (!this.scopes.has(needed)) return { body: { ok: false, error: "missing_scope", needed, provided: [...this.scopes].join(",") } };
    return null;
  }

  private answer(call: ApiCall): CannedResponse {
    const b = call.body;
    switch (call.method) {
      case "auth.test": {
        const who = call.token ? this.oauth.identity(call.token) : undefined;
        if (who) return { body: this.oauth.authTest(who) };
        return { body: { ok: true, url: "https://test.slack.invalid/", team: "Test", user: "drillbot", team_id: "T1", user_id: "UBOT", bot_id: "BBOT" } };
      }
      case "users.info": {
        // A person of the token's own workspace first ("T1:U1"), then one known by member id alone.
        const owner = call.owner;
        const u = (owner ? this.users.get(`${owner}:${String(b.user)}`) : undefined) ?? this.users.get(String(b.user));
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
      case "conversations.open": {
        if (b.channel) return this.ims.has(String(b.channel)) && this.seesIm(String(b.channel), call) ? { body: { ok: true, channel: { id: b.channel } } } : { body: { ok: false, error: "channel_not_found" } };
        const users = String(b.users ?? "").split(",").map((u) => u.trim()).filter(Boolean);
        if (users.length === 0) return { body: { ok: false, error: "users_list_not_supplied" } };
        // Group DMs are not modelled here; say so rather than answer as Slack would.
        if (users.length > 1) return { status: 501, body: { ok: false, error: "standin_does_not_model_group_dms" } };
        const user = users[0]!;
        if (!/^[UW][A-Z0-9]+$/.test(user)) return { body: { ok: false, error: "user_not_found" } };
        const existing = this.dmOf(user, call.owner);
        const id = existing ?? `D${call.owner ?? ""}${user.slice(1)}`;
        this.ims.set(id, user);
        this.imOwners.set(id, call.owner);
        return { body: { ok: true, channel: { id }, ...(existing ? { already_open: true } : {}) } };
      }
      case "files.getUploadURLExternal":
        return this.files.getUploadUrl(b);
      case "files.completeUploadExternal":
        return this.files.complete(b, (id) => this.channels.has(id) || (this.ims.has(id) && this.seesIm(id, call)));
      case "files.info":
        return this.shared.info(b, this.strictTokens ? call.owner : undefined);
      default:
        return { body: { ok: false, error: "unknown_method" } };
    }
  }
}
