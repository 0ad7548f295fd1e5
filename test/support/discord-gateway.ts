/**
 * The Discord stand-in's gateway: plain-JSON WebSocket sessions (HELLO,
 * IDENTIFY, READY, heartbeats, RESUME, GUILD_CREATE, dispatches) with
 * Discord's sharding rules (docs: Gateway > Sharding):
 * - IDENTIFY's `shard: [id, count]` (none means [0, 1]); an id outside the
 *   count closes 4010 Invalid shard;
 * - a guild belongs to shard (guild_id >> 22) % count; a shard that would hold
 *   more than `maxGuildsPerShard` guilds (2,500 on Discord) closes 4011
 *   Sharding required;
 * - events without a guild (DMs) go to shard 0;
 * - when `enforceIdentifyRate` is on, at most one IDENTIFY per rate-limit key
 *   (shard_id % max_concurrency) every 5 s: a faster one gets op 9 Invalid
 *   Session, as Discord answers. (Off by default: a test file starts a fresh
 *   bot for every test, which Discord would rate-limit the same way.)
 */
import { WebSocket, WebSocketServer } from "ws";
import type { Server } from "node:http";
import type { JsonObject } from "./discord-conversation.js";
import { guildCreatePayload, type StandinGuild } from "./discord-interactions.js";

export interface GatewayOptions {
  token: string;
  appId: string;
  guilds: StandinGuild[];
  botUser: { id: string };
  /** GET /gateway/bot's recommended shard count (default 1). */
  shards?: number;
  /** session_start_limit.max_concurrency (default 1). */
  maxConcurrency?: number;
  maxGuildsPerShard?: number;
  enforceIdentifyRate?: boolean;
}

export const IDENTIFY_WINDOW_MS = 5_000;

/** The shard a guild's events go to (docs: Sharding Formula). */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A guild id that lands on `shard` of `count` (distinct for each `n`). */
export function guildIdOnShard(shard: number, count: number, n: number): string {
  const base = 119_209_289_550n + BigInt(n * count);
  const high = base - (base % BigInt(count)) + BigInt(shard);
  return String((high << 22n) | BigInt(n));
}

interface Session {
  ws: WebSocket;
  shard: [number, number];
  sessionId: string;
  seq: number;
}

export interface IdentifyRecord extends JsonObject {
  at: number;
}

export class StandinGateway {
  readonly identifies: IdentifyRecord[] = [];
  /** Op 9 Invalid Session sent for identifying too fast, by shard id. */
  readonly invalidSessions: number[] = [];
  /** Close codes sent, e.g. 4011. */
  readonly closes: { code: number; shard: [number, number] | null }[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly live = new Map<number, Session>();
  private readonly sessions = new Map<string, Session>();
  private readonly lastIdentify = new Map<number, number>();
  private readonly wss: WebSocketServer;

  constructor(
    server: Server,
    private readonly opts: GatewayOptions,
    private readonly url: () => string,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on("connection", (ws) => this.onConnection(ws));
  }

  get shardCount(): number {
    return this.opts.shards ?? 1;
  }

  /** GET /gateway/bot's body. */
  gatewayBot(): JsonObject {
    return { url: this.url(), shards: this.shardCount, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: this.opts.maxConcurrency ?? 1 } };
  }

  /** The [id, count] of every live session. */
  get liveShards(): [number, number][] {
    return [...this.live.values()].map((s) => s.shard);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Sends a dispatch on the session that owns `guildId` (shard 0 for none). */
  dispatch(t: string, d: unknown, guildId?: string): void {
    const count = this.live.values().next().value?.shard[1] ?? 1;
    const shard = guildId ? shardOf(guildId, count) : 0;
    const s = this.live.get(shard);
    if (!s || s.ws.readyState !== WebSocket.OPEN) throw new Error(`no bot is connected to the stand-in gateway${guildId ? ` on shard ${shard} (guild ${guildId})` : ""}`);
    this.send(s, t, d);
  }

  private send(s: Session, t: string, d: unknown): void {
    s.seq += 1;
    s.ws.send(JSON.stringify({ op: 0, t, s: s.seq, d }));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => {
      this.sockets.delete(ws);
      for (const [id, s] of this.live) if (s.ws === ws) this.live.delete(id);
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { op: number; d: JsonObject };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (msg.op === 2) this.onIdentify(ws, msg.d);
      else if (msg.op === 6) this.onResume(ws, msg.d);
    });
  }

  private onResume(ws: WebSocket, d: JsonObject): void {
    const s = this.sessions.get(String(d.session_id));
    if (!s) {
      ws.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    s.ws = ws;
    s.seq = Number(d.seq ?? 0);
    this.live.set(s.shard[0], s);
    this.send(s, "RESUMED", {});
  }

  private closeWith(ws: WebSocket, code: number, reason: string, shard: [number, number] | null): void {
    this.closes.push({ code, shard });
    ws.close(code, reason);
  }

  private onIdentify(ws: WebSocket, d: JsonObject): void {
    const now = Date.now();
    const given = Array.isArray(d.shard) ? (d.shard as number[]) : null;
    const shard: [number, number] = given ? [Number(given[0]), Number(given[1])] : [0, 1];
    this.identifies.push({ ...d, token: d.token === this.opts.token ? "[ok]" : "[wrong]", at: now });
    if (d.token !== this.opts.token) return this.closeWith(ws, 4004, "Authentication failed.", shard);
    const [id, count] = shard;
    if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || id < 0 || id >= count) return this.closeWith(ws, 4010, "Invalid shard.", shard);
    if (this.opts.enforceIdentifyRate) {
      const key = id % (this.opts.maxConcurrency ?? 1);
      const last = this.lastIdentify.get(key);
      if (last !== undefined && now - last < IDENTIFY_WINDOW_MS) {
        this.invalidSessions.push(id);
        ws.send(JSON.stringify({ op: 9, d: false }));
        return;
      }
      this.lastIdentify.set(key, now);
    }
    const guilds = this.opts.guilds.filter((g) => shardOf(g.id, count) === id);
    if (guilds.length > (this.opts.maxGuildsPerShard ?? 2500)) return this.closeWith(ws, 4011, "Sharding required.", shard);
    const s: Session = { ws, shard, sessionId: `session-${id}-${now}-${Math.random().toString(36).slice(2, 8)}`, seq: 0 };
    this.live.set(id, s);
    this.sessions.set(s.sessionId, s);
    this.send(s, "READY", {
      v: 10,
      user: this.opts.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: s.sessionId,
      resume_gateway_url: this.url(),
      shard,
      application: { id: this.opts.appId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const g of guilds) this.send(s, "GUILD_CREATE", guildCreatePayload(g, this.opts.botUser));
  }
}
