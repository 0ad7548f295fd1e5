/**
 * A stand-in for Discord on 127.0.0.1: the REST API (gateway discovery,
 * the current application, interaction callbacks, webhook edits and
 * follow-ups, command registration, opening DM channels and posting to
 * channels, with nonce checks) and a sharded plain-JSON gateway
 * (discord-gateway.ts). Interactions reach the bot as INTERACTION_CREATE on
 * the gateway, or, once an Interactions Endpoint URL is set, as signed HTTP
 * POSTs whose answers must come within 3 s (discord-http-delivery.ts), as
 * Discord does. The real discord.js client talks to it; it records what the
 * bot sent, per interaction, as a user would see it.
 * Every interaction response (callback or HTTP answer) must be one Discord
 * accepts for that interaction (discord-interaction-responses.ts).
 * Every message body is checked against Discord's published limits
 * (discord-limits.ts) and refused with 400/50035 like Discord's; uploads
 * (multipart payload_json + files[n]) are read and checked as Discord does
 * (discord-uploads.ts); command registrations are checked against Discord's
 * rules for commands (discord-command-limits.ts).
 * Files users attach to slash commands (hostAttachment) are served on the
 * same port as Discord's CDN serves them: GET /attachments/{id}/{name} with
 * the file's bytes, 404 for one it does not have.
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIEmbed } from "discord.js";
import { commandsProblem } from "./discord-command-limits.js";
import { CALLBACK, Conversation, EPHEMERAL, type JsonObject, type SeenFile, type SeenMessage } from "./discord-conversation.js";
import { StandinGateway } from "./discord-gateway.js";
import { deliver, signatureHeaders, postInteraction, signingKeys, HTTP_ANSWER_DEADLINE_MS, type HttpAnswer, type SigningKeys } from "./discord-http-delivery.js";
import { responseProblem } from "./discord-interaction-responses.js";
import { snowflake, type ResolvedAttachment, type StandinGuild } from "./discord-interactions.js";
import { INVALID_FORM_BODY, messageProblem } from "./discord-limits.js";
import { attachFiles, attachmentJson, contentTypeOf, discordFileName, parseMultipart, resolveEmbedImages, UPLOAD_LIMITS, type Refusal, type UploadedFile } from "./discord-uploads.js";

export interface StandinOptions {
  token: string;
  appId: string;
  guilds: StandinGuild[];
  /** A second callback for one interaction: "reject" like Discord (400, code 40060) or "accept". */
  repeatCallbacks?: "reject" | "accept";
  /** Upload limit per file (default Discord's 10 MiB). */
  fileLimitBytes?: number;
  /** GET /gateway/bot's recommended shard count (default 1). */
  gatewayShards?: number;
  /** session_start_limit.max_concurrency (default 1). */
  maxConcurrency?: number;
  /** Guilds one shard may hold before IDENTIFY is closed with 4011 (Discord: 2,500). */
  maxGuildsPerShard?: number;
  /** Refuse IDENTIFYs faster than max_concurrency per 5 s with op 9 (see discord-gateway.ts). */
  enforceIdentifyRate?: boolean;
}

/** One interaction delivered over HTTP and what came back. */
export interface HttpDelivery {
  interactionId: string;
  type: number;
  answer: HttpAnswer;
  /** Why Discord would count it as failed, or null. */
  failure: string | null;
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
  readonly registeredCommands = new Map<string, JsonObject[]>();
  /** Every INTERACTION_CREATE body sent, by interaction token (to deliver one again). */
  readonly sentInteractions = new Map<string, JsonObject>();
  readonly botUser = { id: "900000000000000001", username: "drillbot", discriminator: "0000", global_name: null, avatar: null, bot: true, flags: 0 };
  repeatCallbacks: "reject" | "accept";
  private readonly conversations = new Map<string, Conversation>();
  private readonly rules: RateLimitRule[] = [];
  private readonly holds: { method: string; path: RegExp; ms: number }[] = [];
  private readonly events = new EventEmitter();
  readonly gateway: StandinGateway;
  /** The application's signing key pair; the bot is given publicKeyHex (DISCORD_PUBLIC_KEY). */
  readonly keys: SigningKeys = signingKeys();
  /** Set: interactions are POSTed here and not sent on the gateway (Discord's two ways are exclusive). */
  interactionsEndpoint: string | null = null;
  readonly httpDeliveries: HttpDelivery[] = [];
  /** Every POST /channels/{id}/messages that got a 200, in order. */
  readonly posts: ChannelPost[] = [];
  /** user id -> DM channel id, as opened with POST /users/@me/channels. */
  readonly dmChannels = new Map<string, string>();
  private readonly failures = new Map<string, { status: number; code: number; message: string }>();
  private readonly replyFailures: { status: number; code: number; message: string }[] = [];
  /** attachment:// references that named no image of their message, in every message accepted. */
  readonly unresolvedImages: UnresolvedImageRef[] = [];
  private messageSeq = 0;
  /** Files users attached to slash commands, by attachment id, as the CDN serves them. */
  private readonly attachments = new Map<string, { meta: ResolvedAttachment; bytes: Buffer; chunked: boolean }>();
  /** The path of the request being routed (for the record of unresolved images). */
  private currentPath = "";
  private readonly server: http.Server;
  port = 0;

  private constructor(readonly options: StandinOptions) {
    this.repeatCallbacks = options.repeatCallbacks ?? "reject";
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.gateway = new StandinGateway(
      this.server,
      {
        token: options.token,
        appId: options.appId,
        guilds: options.guilds,
        botUser: this.botUser,
        ...(options.gatewayShards ? { shards: options.gatewayShards } : {}),
        ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
        ...(options.maxGuildsPerShard ? { maxGuildsPerShard: options.maxGuildsPerShard } : {}),
        ...(options.enforceIdentifyRate ? { enforceIdentifyRate: true } : {}),
      },
      () => `ws://127.0.0.1:${this.port}`,
    );
    this.events.setMaxListeners(100);
  }

  /** Every IDENTIFY received (token masked), with when. */
  get identifies(): JsonObject[] {
    return this.gateway.identifies;
  }

  get publicKeyHex(): string {
    return this.keys.publicKeyHex;
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
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A file a user attaches to a slash command: Discord stores it on its CDN
   * and resolves the option to this object. `size` is what Discord reports
   * (default the real size; a test may make it lie). `chunked`: the CDN sends
   * the bytes without a Content-Length, so only reading tells how many there are.
   */
  hostAttachment(filename: string, content: Buffer | string, opts: { size?: number; chunked?: boolean } = {}): ResolvedAttachment {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const id = snowflake();
    const name = discordFileName(filename);
    // Discord's CDN links carry signed expiry parameters; they change nothing here.
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(name)}?ex=${Math.floor(Date.now() / 1000 + 86_400).toString(16)}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${id.slice(-8)}`;
    const meta: ResolvedAttachment = { id, filename: name, size: opts.size ?? bytes.length, url, proxy_url: url, content_type: contentTypeOf(name), ephemeral: true };
    this.attachments.set(id, { meta, bytes, chunked: opts.chunked ?? false });
    return meta;
  }

  /** The CDN no longer has this file (expired, deleted): its URL answers 404. */
  forgetAttachment(id: string): void {
    this.attachments.delete(id);
  }

  /** Every GET of an attachment's URL (hosted or not), in order. */
  attachmentGets(id?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "GET" && r.path.startsWith("/attachments/") && (id === undefined || r.path.startsWith(`/attachments/${id}/`)));
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

  /** Sends the interaction to the bot: POSTed to the Interactions Endpoint URL when one is set, else INTERACTION_CREATE on its guild's shard. */
  dispatchInteraction(payload: JsonObject): Conversation {
    const token = String(payload.token);
    let conv = this.conversations.get(token);
    if (!conv) {
      conv = new Conversation(String(payload.id), token, String(payload.channel_id));
      this.conversations.set(token, conv);
    }
    this.sentInteractions.set(token, payload);
    conv.deliveredAt = Date.now();
    if (this.interactionsEndpoint) {
      conv.overHttp = true;
      void this.deliverOverHttp(this.interactionsEndpoint, conv, payload);
    } else {
      this.gateway.dispatch("INTERACTION_CREATE", payload, typeof payload.guild_id === "string" ? payload.guild_id : undefined);
    }
    return conv;
  }

  /**
   * Sets the Interactions Endpoint URL as the Developer Portal does: only if
   * the endpoint answers a signed PING with PONG and refuses a bad signature
   * with 401. From then on interactions go there.
   */
  async setInteractionsEndpoint(url: string): Promise<void> {
    const ping = { id: "1", application_id: this.options.appId, type: 1, token: "ping-token", version: 1 };
    const pong = await deliver(url, this.keys, ping);
    if (pong.kind !== "answer" || pong.status !== 200 || !pong.contentType.includes("application/json") || JSON.parse(pong.body).type !== 1) {
      throw new Error(`interactions endpoint ${url} did not answer PING with PONG: ${JSON.stringify(pong)}`);
    }
    const body = JSON.stringify(ping);
    const forged = { ...signatureHeaders(this.keys, body), "x-signature-ed25519": "ab".repeat(64) };
    const refused = await postInteraction(url, body, forged);
    if (refused.kind !== "answer" || refused.status !== 401) throw new Error(`interactions endpoint ${url} accepted a bad signature: ${JSON.stringify(refused)}`);
    this.interactionsEndpoint = url;
  }

  /** Discord's side of one HTTP delivery: the answer must come within 3 s and be a response Discord accepts. */
  private async deliverOverHttp(url: string, conv: Conversation, payload: JsonObject): Promise<void> {
    const answer = await deliver(url, this.keys, payload, HTTP_ANSWER_DEADLINE_MS);
    let failure: string | null = null;
    if (answer.kind === "timeout") failure = `no answer within ${HTTP_ANSWER_DEADLINE_MS} ms`;
    else if (answer.kind === "error") failure = `the request failed: ${answer.message}`;
    else if (answer.status === 202 && answer.body === "") {
      if (conv.callbacks.length === 0) failure = "202 without a response on the callback endpoint";
    } else if (answer.status !== 200) failure = `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
    else if (!answer.contentType.includes("application/json")) failure = `the answer's Content-Type is ${answer.contentType || "missing"}, not application/json`;
    else if (conv.callbacks.length > 0) failure = "answered on the callback endpoint and in the HTTP answer";
    else {
      let response: JsonObject | undefined;
      try {
        response = JSON.parse(answer.body) as JsonObject;
      } catch {
        failure = "the answer is not JSON";
      }
      failure ??= responseProblem(payload, response);
      if (!failure) this.acceptResponse(conv, response!, []);
    }
    if (failure) conv.failure = failure;
    conv.httpSettled = true;
    this.httpDeliveries.push({ interactionId: conv.interactionId, type: Number(payload.type), answer, failure });
    this.events.emit("change");
  }

  /** Dispatches an interaction and waits until `until` holds (default: answered). */
  async interact(payload: JsonObject, until: (c: Conversation) => boolean = (c) => c.answered, timeoutMs = 5000): Promise<Conversation> {
    const conv = this.dispatchInteraction(payload);
    return this.waitFor(conv, until, timeoutMs);
  }

  /** Resolves once `until` holds; rejects at once when Discord counted the interaction as failed (unless `until` holds then). */
  async waitFor(conv: Conversation, until: (c: Conversation) => boolean, timeoutMs = 5000): Promise<Conversation> {
    if (until(conv)) return conv;
    if (conv.failure) throw new Error(`interaction ${conv.interactionId} failed: ${conv.failure}`);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (until(conv)) {
          cleanup();
          resolve(conv);
        } else if (conv.failure) {
          cleanup();
          reject(new Error(`interaction ${conv.interactionId} failed: ${conv.failure}`));
        }
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
    if (method === "GET" && path.startsWith("/attachments/")) {
      // The CDN: the file's bytes for a hosted attachment's own path, else 404 (Discord's CDN answers a text body).
      const m = /^\/attachments\/(\d+)\/(.+)$/.exec(path);
      const hosted = m ? this.attachments.get(m[1]!) : undefined;
      if (!hosted || hosted.meta.filename !== m![2]) {
        record(404);
        res.writeHead(404, { "content-type": "text/plain" }).end("This content is no longer available.");
        return;
      }
      record(200);
      const type = { "content-type": hosted.meta.content_type ?? "application/octet-stream" };
      if (!hosted.chunked) return void res.writeHead(200, { ...type, "content-length": hosted.bytes.length }).end(hosted.bytes);
      res.writeHead(200, type);
      for (let at = 0; at < hosted.bytes.length && !res.destroyed; at += 64 * 1024) {
        // Waits for the reader: a client that stopped reading leaves the rest unsent.
        if (!res.write(hosted.bytes.subarray(at, at + 64 * 1024))) await drained(res);
      }
      res.end();
      return;
    }
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
    if (method === "GET" && path === "/gateway/bot") return authed ? [200, this.gateway.gatewayBot()] : unauthorized;
    if (method === "GET" && path === "/applications/@me") {
      if (!authed) return unauthorized;
      return [200, { id: this.options.appId, name: "drillbot", icon: null, description: "", bot_public: true, bot_require_code_grant: false, verify_key: this.keys.publicKeyHex, flags: 0, bot: this.botUser }];
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
    const unknown: [number, unknown] = [404, { message: "Unknown interaction", code: 10062 }];
    if (!conv || conv.interactionId !== interactionId) return unknown;
    // Over HTTP the token dies with a failed delivery, or 3 s after it was sent without a response.
    if (conv.overHttp && conv.callbacks.length === 0 && (conv.failure || Date.now() - conv.deliveredAt > HTTP_ANSWER_DEADLINE_MS)) return unknown;
    if (conv.callbacks.length > 0 && this.repeatCallbacks === "reject") {
      return [400, { message: "Interaction has already been acknowledged.", code: 40060 }];
    }
    const problem = responseProblem(this.sentInteractions.get(token) ?? {}, body);
    if (problem) return INVALID_FORM_BODY(problem);
    const type = Number(body?.type);
    const data = body?.data as JsonObject | undefined;
    const files = attachFiles(data, uploads, null, conv.channelId);
    if (isRefusal(files)) return files;
    if (files.length > 0 && type !== CALLBACK.message && type !== CALLBACK.updateMessage) return INVALID_FORM_BODY(`an interaction response of type ${type} takes no files`);
    this.acceptResponse(conv, body ?? {}, files);
    return [204, null];
  }

  /** An interaction response Discord took (from the callback endpoint or an HTTP answer). */
  private acceptResponse(conv: Conversation, body: JsonObject, files: SeenFile[]): void {
    const type = Number(body.type);
    const data = body.data as JsonObject | undefined;
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

/** Resolves when the response can take more, or is closed. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function isRefusal(v: SeenFile[] | Refusal): v is Refusal {
  return typeof v[0] === "number";
}

export { CALLBACK, Conversation };
