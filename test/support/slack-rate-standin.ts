/**
 * A lean stand-in for Slack's chat.postMessage under load, on 127.0.0.1, for
 * the delivery benchmark. The limits it enforces (Slack's "Special" tier for
 * chat.postMessage, docs.slack.dev/apis/web-api/rate-limits: "generally allows
 * posting one message per second per channel, while also maintaining a
 * workspace-wide limit"; Slack publishes no figure for the latter): at most
 * one message per channel in any 1000 ms, and at most `workspacePerSecond`
 * (default 20) in any 1000 ms for the workspace. Past either: HTTP 429,
 * `Retry-After` in whole seconds, `{ ok: false, error: "ratelimited" }`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RateRequest } from "./discord-rate-standin.js";

export class SlackRateStandin {
  readonly requests: RateRequest[] = [];
  private readonly workspace: number[] = [];
  private readonly lastInChannel = new Map<string, number>();
  private server!: http.Server;
  private ts = 0;
  port = 0;

  private constructor(
    readonly token: string,
    readonly workspacePerSecond: number,
  ) {}

  static async start(token: string, workspacePerSecond = 20): Promise<SlackRateStandin> {
    const s = new SlackRateStandin(token, workspacePerSecond);
    s.server = http.createServer((req, res) => void s.handle(req, res));
    s.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = Date.now();
    const raw = Buffer.concat(chunks).toString("utf8");
    const body: Record<string, string> = String(req.headers["content-type"]).includes("json") ? (JSON.parse(raw || "{}") as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0]!;
    const channel = String(body.channel ?? "");
    const send = (status: number, out: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(out));
    };
    const record = (status: number, global: boolean) => this.requests.push({ at, method: "POST", path: `/${method}`, status, agent: "", ...(global ? {} : { channel }) });
    if (method !== "chat.postMessage") return send(404, { ok: false, error: "unknown_method" });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(200, { ok: false, error: "invalid_auth" });
    while (this.workspace.length && at - this.workspace[0]! >= 1000) this.workspace.shift();
    const last = this.lastInChannel.get(channel);
    const channelFull = last !== undefined && at - last < 1000;
    const workspaceFull = this.workspace.length >= this.workspacePerSecond;
    if (channelFull || workspaceFull) {
      // Recorded without a channel when the workspace limit refused it (the benchmark's "global" 429s).
      record(429, workspaceFull);
      return send(429, { ok: false, error: "ratelimited" }, { "Retry-After": "1" });
    }
    this.workspace.push(at);
    this.lastInChannel.set(channel, at);
    record(200, false);
    this.ts += 1;
    return send(200, { ok: true, channel, ts: `${Math.floor(at / 1000)}.${String(this.ts).padStart(6, "0")}`, message: { text: body.text ?? "" } });
  }
}
