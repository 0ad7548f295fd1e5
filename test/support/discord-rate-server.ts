/**
 * Discord's REST API under load, lean, for the delivery tests and benchmark:
 * opening DM channels and posting messages, with Discord's global limit per
 * bot token enforced as at most `perSecond` requests in any 1000 ms (default
 * 50) by arrival time. A request past it gets what Discord sends: 429 with
 * `X-RateLimit-Global: true`, `X-RateLimit-Scope: global`, `Retry-After`
 * (seconds) and `{ message, retry_after, global: true }`. Per route it
 * answers with X-RateLimit-* headers for a bucket of 5 per 5 s per channel
 * (Discord's message bucket) and refuses past it with a user-scope 429.
 * Message bodies are checked against Discord's limits (discord-limits.ts).
 * Every request is reported (`onRecord`) with its arrival time, status and
 * the User-Agent's last word (so a test can tell worker processes apart).
 * It runs in a process of its own (discord-rate-standin.ts), as Discord does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { INVALID_FORM_BODY, messageProblem } from "./discord-limits.js";

export interface RateRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** The User-Agent's last word (a worker's userAgentAppendix). */
  agent: string;
  /** The channel posted to, for message posts. */
  channel?: string;
  body?: Record<string, any>;
}

export interface RateServerOptions {
  token: string;
  /** Global requests per any 1000 ms for the token (Discord: 50). */
  perSecond?: number;
  /** Keep message bodies in the record (tests); the benchmark drops them. */
  keepBodies?: boolean;
}

const MESSAGE_BUCKET = { limit: 5, windowMs: 5_000 };

/** The DM channel the stand-in opens with a user (a pure function of the id, so tests can name it). */
export function dmChannelOf(userId: string): string {
  return `61${userId.slice(2)}`;
}

export class DiscordRateServer {
  /** Accepted request times within the last second (the global window). */
  private readonly window: number[] = [];
  private readonly buckets = new Map<string, number[]>();
  private forced: number[] = [];
  private readonly nonces = new Set<string>();
  private posted = 0;
  private server!: http.Server;
  port = 0;
  readonly perSecond: number;

  private constructor(
    readonly options: RateServerOptions,
    private readonly onRecord: (r: RateRequest) => void,
  ) {
    this.perSecond = options.perSecond ?? 50;
  }

  static async start(options: RateServerOptions, onRecord: (r: RateRequest) => void): Promise<DiscordRateServer> {
    const s = new DiscordRateServer(options, onRecord);
    s.server = http.createServer((req, res) => void s.handle(req, res));
    s.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  /** The next request gets a global 429 with this Retry-After (seconds), whatever the window says. */
  forceGlobal429(retryAfterSeconds: number): void {
    this.forced.push(retryAfterSeconds);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0]!.replace(/^\/api(\/v\d+)?/, "");
    const agent = String(req.headers["user-agent"] ?? "").split(" ").pop() ?? "";
    const text = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, any> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, any>) : undefined;
    } catch {
      body = undefined;
    }
    const record = (status: number, channel?: string) =>
      this.onRecord({ at, method, path, status, agent, ...(channel ? { channel } : {}), ...(this.options.keepBodies && body ? { body } : {}) });
    const send = (status: number, out: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(out));
    };

    if (req.headers.authorization !== `Bot ${this.options.token}`) {
      record(401);
      return send(401, { message: "401: Unauthorized", code: 0 });
    }
    // Discord's global limit: count this request against the last second, refuse past it.
    while (this.window.length && at - this.window[0]! >= 1000) this.window.shift();
    const forced = this.forced.shift();
    if (forced !== undefined || this.window.length >= this.perSecond) {
      const retryAfter = forced ?? Math.max(0.001, (1000 - (at - this.window[0]!)) / 1000);
      record(429);
      return send(429, { message: "You are being rate limited.", retry_after: retryAfter, global: true }, {
        "Retry-After": String(Math.ceil(retryAfter)),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
      });
    }
    this.window.push(at);

    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String(body?.recipient_id ?? "");
      if (!/^\d{15,25}$/.test(recipient)) {
        record(400);
        return send(400, { message: "Invalid Form Body", code: 50035 });
      }
      record(200);
      return send(200, { id: dmChannelOf(recipient), type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient, username: "learner", discriminator: "0", global_name: null, avatar: null }] });
    }
    if (method === "POST" && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      const channel = m[1]!;
      const times = (this.buckets.get(channel) ?? []).filter((t) => at - t < MESSAGE_BUCKET.windowMs);
      const resetAfter = times.length ? (MESSAGE_BUCKET.windowMs - (at - times[0]!)) / 1000 : MESSAGE_BUCKET.windowMs / 1000;
      const bucketHeaders = (remaining: number) => ({
        "X-RateLimit-Limit": String(MESSAGE_BUCKET.limit),
        "X-RateLimit-Remaining": String(remaining),
        "X-RateLimit-Reset": String((at + resetAfter * 1000) / 1000),
        "X-RateLimit-Reset-After": String(resetAfter),
        "X-RateLimit-Bucket": "channel-messages",
      });
      if (times.length >= MESSAGE_BUCKET.limit) {
        record(429, channel);
        return send(429, { message: "You are being rate limited.", retry_after: resetAfter, global: false }, { ...bucketHeaders(0), "Retry-After": String(Math.ceil(resetAfter)), "X-RateLimit-Scope": "user" });
      }
      const problem = messageProblem(body);
      if (problem) {
        record(400, channel);
        const [status, out] = INVALID_FORM_BODY(problem);
        return send(status, out);
      }
      times.push(at);
      this.buckets.set(channel, times);
      const nonce = typeof body?.nonce === "string" ? `${channel}:${body.nonce}` : undefined;
      const repeated = nonce !== undefined && this.nonces.has(nonce);
      if (nonce) this.nonces.add(nonce);
      record(repeated ? 208 : 200, channel);
      // 208 is only our record's mark for a nonce repeat; Discord answers 200 with the earlier message.
      return send(200, { id: String(BigInt(at) * 1000n + BigInt(++this.posted)), channel_id: channel, type: 0, content: body?.content ?? "", embeds: body?.embeds ?? [], components: body?.components ?? [] }, bucketHeaders(MESSAGE_BUCKET.limit - times.length));
    }
    record(404);
    return send(404, { message: "404: Not Found", code: 0 });
  }
}
