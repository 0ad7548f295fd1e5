/**
 * A stand-in for Discord on 127.0.0.1: the REST API (gateway discovery,
 * interaction callbacks, webhook edits and follow-ups, command registration,
 * opening DM channels and posting to channels, with nonce checks) and a
 * plain-JSON gateway WebSocket (HELLO, IDENTIFY, READY, heartbeats,
 * GUILD_CREATE, INTERACTION_CREATE). The real discord.js client talks to it;
 * it records what the bot sent, per interaction, as a user would see it.
 * Every message body is checked against Discord's published limits
 * (discord-limits.ts) and refused with 400/50035 like Discord's; uploads
 * (multipart payload_json + files[n]) are read and checked as Discord does
 * (discord-uploads.ts); command registrations are checked against Discord's
 * rules for commands (discord-command-limits.ts).
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import type { APIEmbed } from "discord.js";
import { commandsProblem } from "./discord-command-limits.js";
import { CALLBACK, Conversation, EPHEMERAL, type JsonObject, type SeenFile, type SeenMessage } from "./discord-conversation.js";
import { guildCreatePayload, type StandinGuild } from "./discord-interactions.js";
import { INVALID_FORM_BODY, messageProblem } from "./discord-limits.js";
import { attachFiles, attachmentJson, parseMultipart, resolveEmbedImages, UPLOAD_LIMITS, type Refusal, type UploadedFile } from "./discord-uploads.js";

export interface StandinOptions {
  token: string;
  appId: string;
  guilds: StandinGuild[];
  /** A second callback for one interaction: "reject" like Discord (400, code 40060) or "accept". */
  repeatCallbacks?: "reject" | "accept";
  /** Upload limit per file (default Discord's 10 MiB). */
  fileLimitBytes?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  /** The JSON body (payload_json of a multipart one). */
  body: unknown;
  /** The files[n] parts of a multipart body. */
  files: { index: number; filename: string; contentType: string; size: number }[];
  status: number;
  at: number;
}

/** An embed image naming no image of its message (Discord shows none). */
export interface UnresolvedImageRef {
  path: string;
  embed: number;
  url: string;
}

interface RateLimitRule {
  method: string;
  path: RegExp;
  retryAfter: number;
}

/** A message posted with POST /channels/{id}/messages (a DM or a channel post). */
export interface ChannelPost {
  channelId: string;
  /** The request body as sent (content, embeds, components, nonce, enforce_nonce...). */
  body: JsonObject;
  message: SeenMessage;
  /** The request repeated an earlier nonce with enforce_nonce: Discord returned that message, posted nothing. */
  deduplicated: boolean;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

export class DiscordStandin {
  readonly requests: RecordedRequest[] = [];
  readonly rateLimited: { path: string; at: number }[] = [];
  readonly identifies: JsonObject[] = [];
  readonly registeredCommands = new Map<string, JsonObject[]>();
  /** Every INTERACTION_CREATE body sent, by interaction token (to deliver one again). */
  readonly sentInteractions = new Map<string, JsonObject>();
  readonly botUser = { id: "900000000000000001", username: "drillbot", discriminator: "0000", global_name: null, avatar: null, bot: true, flags: 0 };
  repeatCallbacks: "reject" | "accept";
  private readonly conversations = new Map<string, Conversation>();
  private readonly rules: RateLimitRule[] = [];
  private readonly holds: { method: string; path: RegExp; ms: number }[] = [];
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  private active: { ws: WebSocket; seq: number } | null = null;
  /** Every POST /channels/{id}/messages that got a 200, in order. */
  readonly posts: ChannelPost[] = [];
  /** user id -> DM channel id, as opened with POST /users/@me/channels. */
  readonly dmChannels = new Map<string, string>();
  private readonly failures = new Map<string, { status: number; code: number; message: string }>();
  private readonly replyFailures: { status: number; code: number; message: string }[] = [];
  /** attachment:// references that named no image of their message, in every message accepted. */
  readonly unresolvedImages: UnresolvedImageRef[] = [];
  private messageSeq = 0;
  /** The path of the request being routed (for the record of unresolved images). */
  private currentPath = "";
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  port = 0;

  private constructor(readonly options: StandinOptions) {
    this.repeatCallbacks = options.repeatCallbacks ?? "reject";
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on("connection", (ws) => this.onConnection(ws));
    this.events.setMaxListeners(100);
  }

  static async start(options: StandinOptions): Promise<DiscordStandin> {
    const s = new DiscordStandin(options);
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` requests matching method and path get a 429 with retry_after seconds. */
  rateLimit(method: string, path: RegExp, retryAfter: number, times = 1): void {
    for (let i = 0; i < times; i++) this.rules.push({ method, path, retryAfter });
  }

  /**
   * The next `times` requests matching method and path are carried out at once
   * (a message is posted), but their answer is held back `ms`: Discord took the
   * message and the bot has not heard so yet (a slow network, or a bot cut off).
   */
  holdResponses(method: string, path: RegExp, ms: number, times = 1): void {
    for (let i = 0; i < times; i++) this.holds.push({ method, path, ms });
  }

  /** Posts to `channelId` fail from now on like Discord's (e.g. 403 code 50007: the user's DMs are closed). */
  failPosts(channelId: string, status: number, code: number, message: string): void {
    this.failures.set(channelId, { status, code, message });
  }

  /** The DM channel Discord would open for a user (the same every time). */
  dmChannelOf(userId: string): string {
    return `61${userId.slice(2)}`;
  }

  /** Messages that really appeared in a channel (repeats dropped by nonce excluded). */
  postsIn(channelId: string): SeenMessage[] {
    return this.posts.filter((p) => p.channelId === channelId && !p.deduplicated).map((p) => p.message);
  }

  conversation(token: string): Conversation | undefined {
    return this.conversations.get(token);
  }

  /** Sends INTERACTION_CREATE on the live gateway connection. */
  dispatchInteraction(payload: JsonObject): Conversation {
    const token = String(payload.token);
    let conv = this.conversations.get(token);
    if (!conv) {
      conv = new Conversation(String(payload.id), token, String(payload.channel_id));
      this.conversations.set(token, conv);
    }
    this.sentInteractions.set(token, payload);
    this.dispatch("INTERACTION_CREATE", payload);
    return conv;
  }

  /** Dispatches an interaction and waits until `until` holds (default: answered). */
  async interact(payload: JsonObject, until: (c: Conversation) => boolean = (c) => c.answered, timeoutMs = 5000): Promise<Conversation> {
    const conv = this.dispatchInteraction(payload);
    return this.waitFor(conv, until, timeoutMs);
  }

  async waitFor(conv: Conversation, until: (c: Conversation) => boolean, timeoutMs = 5000): Promise<Conversation> {
    if (until(conv)) return conv;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!until(conv)) return;
        cleanup();
        resolve(conv);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`interaction ${conv.interactionId}: condition not met within ${timeoutMs} ms; saw ${JSON.stringify(conv.callbacks)} / ${conv.text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off("change", check);
      };
      this.events.on("change", check);
    });
  }

  private dispatch(t: string, d: unknown): void {
    const a = this.active;
    if (!a || a.ws.readyState !== WebSocket.OPEN) throw new Error("no bot is connected to the stand-in gateway");
    a.seq += 1;
    a.ws.send(JSON.stringify({ op: 0, t, s: a.seq, d }));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => {
      this.sockets.delete(ws);
      if (this.active?.ws === ws) this.active = null;
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { op: number; d: JsonObject };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (msg.op === 2) this.onIdentify(ws, msg.d);
      else if (msg.op === 6) {
        this.active = { ws, seq: Number(msg.d.seq ?? 0) };
        this.dispatch("RESUMED", {});
      }
    });
  }

  private onIdentify(ws: WebSocket, d: JsonObject): void {
    this.identifies.push({ ...d, token: d.token === this.options.token ? "[ok]" : "[wrong]" });
    if (d.token !== this.options.token) {
      ws.close(4004, "Authentication failed.");
      return;
    }
    this.active = { ws, seq: 0 };
    this.dispatch("READY", {
      v: 10,
      user: this.botUser,
      guilds: this.options.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${Date.now()}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [0, 1],
      application: { id: this.options.appId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const g of this.options.guilds) this.dispatch("GUILD_CREATE", guildCreatePayload(g, this.botUser));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const contentType = String(req.headers["content-type"] ?? "");
    const method = req.method ?? "GET";
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, "");
    let body: unknown;
    let uploads: UploadedFile[] = [];
    let refused: Refusal | null = null;
    if (contentType.startsWith("multipart/form-data")) {
      const parsed = await parseMultipart(raw, contentType, this.options.fileLimitBytes ?? UPLOAD_LIMITS.fileBytes);
      if (Array.isArray(parsed)) refused = parsed;
      else ({ body, files: uploads } = parsed);
    } else {
      const text = raw.toString("utf8");
      body = text && contentType.includes("json") ? JSON.parse(text) : text || undefined;
    }
    const record = (status: number) => {
      const files = uploads.map((u) => ({ index: u.index, filename: u.filename, contentType: u.contentType, size: u.bytes.length }));
      this.requests.push({ method, path, query: url.search, body, files, status, at: Date.now() });
      this.events.emit("change");
    };
    if (refused) {
      record(refused[0]);
      json(res, refused[0], refused[1]);
      return;
    }
    const ruleIndex = this.rules.findIndex((r) => r.method === method && r.path.test(path));
    if (ruleIndex >= 0) {
      const { retryAfter } = this.rules.splice(ruleIndex, 1)[0]!;
      this.rateLimited.push({ path, at: Date.now() });
      record(429);
      json(res, 429, { message: "You are being rate limited.", retry_after: retryAfter, global: false }, {
        "Retry-After": String(retryAfter),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": String(Date.now() / 1000 + retryAfter),
        "X-RateLimit-Reset-After": String(retryAfter),
        "X-RateLimit-Bucket": "standin-bucket",
        "X-RateLimit-Scope": "user",
      });
      return;
    }
    const [status, out] = this.route(method, path, body as JsonObject | undefined, req.headers.authorization, uploads);
    record(status);
    const holdIndex = this.holds.findIndex((h) => h.method === method && h.path.test(path));
    if (holdIndex >= 0) {
      const { ms } = this.holds.splice(holdIndex, 1)[0]!;
      await new Promise((r) => setTimeout(r, ms));
      if (res.destroyed || res.socket?.destroyed) return; // the bot hung up meanwhile
    }
    if (status === 204) {
      res.writeHead(204).end();
      return;
    }
    json(res, status, out);
  }

  /** The next `times` edits and follow-ups of interaction replies fail with this (Discord refusing a reply). */
  failReplies(status: number, code: number, message: string, times = 1): void {
    this.replyFailures.push(...Array.from({ length: times }, () => ({ status, code, message })));
  }

  private route(method: string, path: string, body: JsonObject | undefined, auth: string | undefined, uploads: UploadedFile[]): [number, unknown] {
    const isReply = /^\/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/.test(path) && method !== "DELETE";
    const isMessage = isReply || (method === "POST" && /^\/channels\/\d+\/messages$/.test(path)) || (method === "POST" && /\/callback$/.test(path));
    if (isReply && this.replyFailures.length > 0) {
      const f = this.replyFailures.shift()!;
      return [f.status, { message: f.message, code: f.code }];
    }
    if (isMessage) {
      const data = /\/callback$/.test(path) ? ((body?.data as JsonObject | undefined) ?? undefined) : body;
      const problem = Number(body?.type) === 9 && /\/callback$/.test(path) ? null : messageProblem(data);
      if (problem) return INVALID_FORM_BODY(problem);
    } else if (uploads.length > 0) {
      return INVALID_FORM_BODY("this endpoint takes no files");
    }
    this.currentPath = path;
    const authed = auth === `Bot ${this.options.token}`;
    const unauthorized: [number, unknown] = [401, { message: "401: Unauthorized", code: 0 }];
    let m: RegExpMatchArray | null;
    if (method === "GET" && path === "/gateway/bot") {
      if (!authed) return unauthorized;
      const url = `ws://127.0.0.1:${this.port}`;
      return [200, { url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }];
    }
    if (method === "GET" && path === "/gateway") return [200, { url: `ws://127.0.0.1:${this.port}` }];
    if (method === "GET" && path === "/users/@me") return authed ? [200, this.botUser] : unauthorized;
    if (method === "PUT" && (m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      if (!authed) return unauthorized;
      const list = (Array.isArray(body) ? body : []) as JsonObject[];
      const problem = commandsProblem(list);
      if (problem) return INVALID_FORM_BODY(problem);
      const saved = list.map((c, i) => ({ ...c, id: `${800000000000000000n + BigInt(i)}`, application_id: m![1], version: "1" }));
      this.registeredCommands.set(m[2] ? `guild:${m[2]}` : "global", saved);
      return [200, saved];
    }
    if (method === "POST" && path === "/users/@me/channels") return authed ? this.openDm(body) : unauthorized;
    if (method === "POST" && (m = path.match(/^\/channels\/(\d+)\/messages$/))) return authed ? this.postMessage(m[1]!, body ?? {}, uploads) : unauthorized;
    if (method === "POST" && (m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) return this.callback(m[1]!, m[2]!, body, uploads);
    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/))) return this.editOriginal(method, m[2]!, body, uploads);
    if (method === "POST" && (m = path.match(/^\/webhooks\/(\d+)\/([^/]+)$/))) return this.followUp(m[2]!, body, uploads);
    return [404, { message: "404: Not Found", code: 0 }];
  }

  private openDm(body: JsonObject | undefined): [number, unknown] {
    const recipient = String(body?.recipient_id ?? "");
    if (!/^\d{15,25}$/.test(recipient)) return [400, { message: "Invalid Form Body", code: 50035 }];
    const id = this.dmChannelOf(recipient);
    this.dmChannels.set(recipient, id);
    return [200, { id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient, username: `user${recipient.slice(-4)}`, discriminator: "0", global_name: null, avatar: null }] }];
  }

  private postMessage(channelId: string, body: JsonObject, uploads: UploadedFile[]): [number, unknown] {
    const failure = this.failures.get(channelId);
    if (failure) return [failure.status, { message: failure.message, code: failure.code }];
    const files = attachFiles(body, uploads, null, channelId);
    if (isRefusal(files)) return files;
    const nonce = body.nonce;
    if (body.enforce_nonce === true && nonce !== undefined) {
      const earlier = this.posts.find((p) => p.channelId === channelId && !p.deduplicated && p.body.nonce === nonce);
      if (earlier) {
        this.posts.push({ channelId, body, message: earlier.message, deduplicated: true });
        return [200, earlier.message.raw];
      }
    }
    const message = this.message(channelId, body, false, { type: 0, nonce }, files);
    this.posts.push({ channelId, body, message, deduplicated: false });
    return [200, message.raw];
  }

  private message(where: Conversation | string, data: JsonObject | undefined, ephemeral: boolean, extra: JsonObject = {}, attached: SeenFile[] = []): SeenMessage {
    this.messageSeq += 1;
    const id = `${700000000000000000n + BigInt(this.messageSeq)}`;
    const files = attached.map((f) => ({ ...f, shownIn: [] }));
    const resolved = resolveEmbedImages((data?.embeds as APIEmbed[] | undefined) ?? [], files);
    for (const u of resolved.unresolved) this.unresolvedImages.push({ path: this.currentPath, ...u });
    const embeds = resolved.embeds;
    const components = (data?.components as JsonObject[]) ?? [];
    const content = String(data?.content ?? "");
    const channelId = typeof where === "string" ? where : where.channelId;
    const fromInteraction = typeof where !== "string";
    const raw: JsonObject = {
      id,
      type: 20,
      channel_id: channelId,
      author: this.botUser,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      // Discord lists only the files no embed shows.
      attachments: files.filter((f) => f.shownIn.length === 0).map(attachmentJson),
      embeds,
      components,
      pinned: false,
      flags: ephemeral ? EPHEMERAL : 0,
      ...(fromInteraction ? { webhook_id: this.options.appId, application_id: this.options.appId } : {}),
      ...extra,
    };
    return { id, ephemeral, content, embeds, files, components, deleted: false, raw };
  }

  private callback(interactionId: string, token: string, body: JsonObject | undefined, uploads: UploadedFile[]): [number, unknown] {
    const conv = this.conversations.get(token);
    if (!conv || conv.interactionId !== interactionId) return [404, { message: "Unknown interaction", code: 10062 }];
    if (conv.callbacks.length > 0 && this.repeatCallbacks === "reject") {
      return [400, { message: "Interaction has already been acknowledged.", code: 40060 }];
    }
    const type = Number(body?.type);
    const data = body?.data as JsonObject | undefined;
    const files = attachFiles(data, uploads, null, conv.channelId);
    if (isRefusal(files)) return files;
    if (files.length > 0 && type !== CALLBACK.message && type !== CALLBACK.updateMessage) return INVALID_FORM_BODY(`an interaction response of type ${type} takes no files`);
    conv.callbacks.push({ type, data });
    const ephemeral = (Number(data?.flags ?? 0) & EPHEMERAL) !== 0;
    if (type === CALLBACK.message) {
      conv.original = this.message(conv, data, ephemeral, {}, files);
      conv.pendingDefer = false;
    } else if (type === CALLBACK.deferredMessage) {
      // A repeated acknowledgement (only when accepted) keeps the message the first one made.
      conv.original ??= this.message(conv, { content: "" }, ephemeral);
      conv.pendingDefer = true;
    }
    return [204, null];
  }

  private editOriginal(method: string, token: string, body: JsonObject | undefined, uploads: UploadedFile[]): [number, unknown] {
    const conv = this.conversations.get(token);
    if (!conv?.original) return [404, { message: "Unknown Message", code: 10008 }];
    if (method === "DELETE") {
      conv.original.deleted = true;
      conv.pendingDefer = false;
      return [204, null];
    }
    if (method !== "PATCH") return [405, { message: "405: Method Not Allowed", code: 0 }];
    const before = conv.original;
    const files = attachFiles(body, uploads, before.files, conv.channelId);
    if (isRefusal(files)) return files;
    const next = this.message(conv, { content: body?.content ?? before.content, embeds: body?.embeds ?? before.embeds, components: body?.components ?? before.components }, before.ephemeral, {}, files);
    conv.original = { ...next, id: before.id, raw: { ...next.raw, id: before.id, edited_timestamp: new Date().toISOString() } };
    conv.pendingDefer = false;
    return [200, conv.original.raw];
  }

  private followUp(token: string, body: JsonObject | undefined, uploads: UploadedFile[]): [number, unknown] {
    const conv = this.conversations.get(token);
    if (!conv || conv.callbacks.length === 0) return [404, { message: "Unknown Webhook", code: 10015 }];
    const files = attachFiles(body, uploads, null, conv.channelId);
    if (isRefusal(files)) return files;
    const msg = this.message(conv, body, (Number(body?.flags ?? 0) & EPHEMERAL) !== 0, {}, files);
    conv.followUps.push(msg);
    return [200, msg.raw];
  }
}

function isRefusal(v: SeenFile[] | Refusal): v is Refusal {
  return typeof v[0] === "number";
}

export { CALLBACK, Conversation };
