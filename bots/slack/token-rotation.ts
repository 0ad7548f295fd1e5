/**
 * Token rotation for Slack installations, safe across processes. A rotating
 * bot token lives 12 hours; oauth.v2.access with grant_type=refresh_token
 * trades the refresh token for a new access token AND a new refresh token,
 * and the old refresh token is refused after that one use. So exactly one
 * process may refresh a workspace's token: it holds `refreshLock` (SET NX PX)
 * while it asks Slack, writes the new pair only if the installation is still
 * the one it read (compare and set: an uninstall or a fresh install in the
 * meantime wins), then lets go. Every other process waits, reading the
 * installation until the new token is there.
 *
 * Bolt's InstallProvider refreshes too, but without a lock; the store hands
 * Bolt installations without their refresh token, so only this runs.
 */
import { randomUUID } from "node:crypto";
import { webApi, type Installation } from "@slack/bolt";
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "../logger.js";
import { slackClientOptions } from "../ops/platform-metrics.js";
import { boltLogger, withoutDebug } from "./bolt-logger.js";
import type { RedisKeys } from "../redis/keys.js";

/** An installation as read from Redis: the stored (encrypted) text, for compare-and-set, and what it holds. */
export interface StoredInstallation {
  raw: string;
  installation: Installation;
}

export interface TokenRotationOptions {
  redis: Redis | Cluster;
  keys: RedisKeys;
  clientId: string;
  clientSecret: string;
  /** Web API base URL (default Slack's), ending in "/". */
  apiUrl?: string;
  log: Logger;
  /** Epoch ms; tests move it on. */
  now: () => number;
  /** Refresh when the token has this little left (default 2 hours, as Bolt does). */
  refreshBeforeS?: number;
  /** How long the lock is held at most (default 30 s; the refresh request gives up well before). */
  lockTtlMs?: number;
  /** How often a waiting process looks again (default 50 ms). */
  waitStepMs?: number;
  read(owner: string): Promise<StoredInstallation | null>;
  /** Stores `next` only if the installation is still `raw`: its new stored text, or null when it changed (uninstalled, installed again). */
  replace(owner: string, raw: string, next: Installation): Promise<string | null>;
}

/** Compare-and-delete: lets go of the lock only if this process still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** What oauth.v2.access says when a refresh token cannot be used (again). */
const REFUSED = new Set(["invalid_refresh_token", "invalid_grant", "invalid_client_id", "bad_client_secret", "token_revoked", "app_uninstalled"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TokenRotation {
  private readonly client: webApi.WebClient;
  private readonly refreshBeforeS: number;
  private readonly lockTtlMs: number;
  private readonly waitStepMs: number;
  /** One refresh per workspace at a time in this process; the Redis lock covers the others. */
  private readonly inFlight = new Map<string, Promise<StoredInstallation | null>>();

  constructor(private readonly opts: TokenRotationOptions) {
    this.refreshBeforeS = opts.refreshBeforeS ?? 7200;
    this.lockTtlMs = opts.lockTtlMs ?? 30_000;
    this.waitStepMs = opts.waitStepMs ?? 50;
    this.client = new webApi.WebClient(
      undefined,
      slackClientOptions({
        ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
        // A refresh's answer holds the new tokens: this client never logs at debug level.
        logger: boltLogger(withoutDebug(opts.log), webApi.LogLevel.WARN),
        // Two tries of 8 s at most, well inside the lock's 30 s.
        retryConfig: { retries: 1, factor: 1, minTimeout: 500, maxTimeout: 1_000 },
        timeout: 8_000,
      }),
    );
  }

  /** Does this installation's bot token need a refresh now? */
  expiring(inst: Installation): boolean {
    const bot = inst.bot;
    if (!bot?.refreshToken || typeof bot.expiresAt !== "number") return false;
    return bot.expiresAt - this.opts.now() / 1000 <= this.refreshBeforeS;
  }

  private expired(inst: Installation): boolean {
    const at = inst.bot?.expiresAt;
    return typeof at === "number" && at <= this.opts.now() / 1000;
  }

  /** The installation with a token good for a while: refreshed here, or by another process. Null when it is gone or unusable. */
  fresh(owner: string): Promise<StoredInstallation | null> {
    let p = this.inFlight.get(owner);
    if (!p) {
      p = this.refreshOnce(owner).finally(() => this.inFlight.delete(owner));
      this.inFlight.set(owner, p);
    }
    return p;
  }

  private async refreshOnce(owner: string): Promise<StoredInstallation | null> {
    const { redis, keys } = this.opts;
    const lockKey = keys.slackRefreshLock(owner);
    const giveUpAt = Date.now() + this.lockTtlMs + 5_000;
    for (;;) {
      const seen = await this.opts.read(owner);
      if (!seen || !this.expiring(seen.installation)) return seen;
      const me = randomUUID();
      if ((await redis.set(lockKey, me, "PX", this.lockTtlMs, "NX")) === "OK") {
        try {
          // Another process may have finished between the read and the lock.
          const current = await this.opts.read(owner);
          if (!current || !this.expiring(current.installation)) return current;
          return await this.rotate(owner, current);
        } finally {
          await redis.eval(RELEASE, 1, lockKey, me).catch((err: unknown) => this.opts.log.warn(`slack: could not let go of the token lock of ${owner}; it lapses by itself`, err));
        }
      }
      if (Date.now() > giveUpAt) {
        if (!this.expired(seen.installation)) return seen;
        throw new Error(`slack: the bot token of ${owner} has expired and another process has held its refresh for over ${Math.round(this.lockTtlMs / 1000)} s`);
      }
      await sleep(this.waitStepMs);
    }
  }

  private async rotate(owner: string, current: StoredInstallation): Promise<StoredInstallation | null> {
    const inst = current.installation;
    const bot = inst.bot!;
    let res: webApi.OauthV2AccessResponse;
    try {
      res = await this.client.oauth.v2.access({
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
        grant_type: "refresh_token",
        refresh_token: bot.refreshToken!,
      });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      const usable = !this.expired(inst);
      if (code && REFUSED.has(code)) {
        this.opts.log.error(`slack: Slack refused to refresh the bot token of ${owner} (${code}): drillbot must be installed there again (/slack/install)${usable ? "; the current token works until it expires" : ""}`);
        return usable ? current : null;
      }
      this.opts.log.warn(`slack: could not refresh the bot token of ${owner} (${code ?? (err as Error).message ?? "no answer"})${usable ? "; using the current one, which has not expired yet" : ""}`);
      if (usable) return current;
      throw err;
    }
    if (!res.access_token || !res.refresh_token || typeof res.expires_in !== "number") {
      throw new Error(`slack: oauth.v2.access answered a refresh of ${owner} without a new access token, refresh token and expiry`);
    }
    const next: Installation = {
      ...inst,
      bot: { ...bot, token: res.access_token, refreshToken: res.refresh_token, expiresAt: Math.floor(this.opts.now() / 1000) + res.expires_in },
    };
    const raw = await this.opts.replace(owner, current.raw, next);
    if (raw === null) {
      this.opts.log.info(`slack: the installation of ${owner} changed while its token was refreshed (uninstalled or installed again); the refreshed token is dropped`);
      return this.opts.read(owner);
    }
    this.opts.log.info(`slack: refreshed the bot token of ${owner}; it expires in ${Math.round(res.expires_in / 3600)} h`);
    return { raw, installation: next };
  }
}
