/**
 * Slack installations (OAuth distribution) in Redis: one per workspace, or
 * one per enterprise for an org-wide install, each a single string encrypted
 * with DRILLBOT_SECRET_KEY (token-crypto.ts; nothing of it is readable in
 * Redis). It is Bolt's InstallationStore (the install flow stores, Bolt's
 * authorize fetches, an uninstall deletes) and the per-workspace token source
 * of the scheduled messenger. Expiring tokens are refreshed under a lock
 * shared by every process (token-rotation.ts) before they are handed out.
 *
 * Decrypted installations are kept in-process for `cacheMs` (default 10 s),
 * so another process's uninstall reaches this one within that time; Slack
 * refuses the revoked token meanwhile.
 */
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "../logger.js";
import { RedisKeys, SLACK_ID } from "../redis/keys.js";
import { SecretBox, SecretDecryptError } from "./token-crypto.js";
import { TokenRotation, type StoredInstallation } from "./token-rotation.js";

/** How every "not installed" message starts (Bolt passes only the message on). */
export const NOT_INSTALLED = "drillbot is not installed in Slack";

/** A request or a send for a workspace drillbot is not installed in (never was, or was uninstalled). */
export class SlackNotInstalledError extends Error {
  override name = "SlackNotInstalledError";
}

/** What the messenger needs: the bot token for a workspace (team id), or null when drillbot is not installed there. */
export interface SlackTokenSource {
  botTokenFor(team: string): Promise<string | null>;
  /** Drops what is kept in-process for this workspace (Slack refused its token). */
  forget?(team: string): void;
}

export interface SlackInstallationStoreOptions {
  redis: Redis | Cluster;
  /** The key prefix (DRILLBOT_REDIS_PREFIX). */
  prefix: string;
  /** DRILLBOT_SECRET_KEY, 32 bytes (parseSecretKey). */
  secretKey: Buffer;
  /** The app's OAuth credentials, for token refreshes. */
  clientId: string;
  clientSecret: string;
  /** Web API base URL (default Slack's); a missing trailing "/" is added. */
  apiUrl?: string;
  log: Logger;
  /** Epoch ms; default Date.now. */
  now?: () => number;
  /** In-process cache of decrypted installations (default 10 s; 0: read Redis every time). */
  cacheMs?: number;
  /** Rotation settings (see TokenRotationOptions). */
  refreshBeforeS?: number;
  lockTtlMs?: number;
}

/** Compare-and-set: the new text only if the key still holds the old one. */
const REPLACE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;

const CACHE_LIMIT = 10_000;

/** Whose installation answers this query: the enterprise for an org-wide install, else the workspace. */
export function ownerOf(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string | null {
  const owner = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  return owner && SLACK_ID.test(owner) ? owner : null;
}

function installationOwner(inst: Installation): string | null {
  return ownerOf({ teamId: inst.team?.id, enterpriseId: inst.enterprise?.id, isEnterpriseInstall: inst.isEnterpriseInstall === true });
}

/** Bolt gets no refresh token: it would rotate without a lock (see token-rotation.ts). */
function forBolt(inst: Installation): Installation {
  if (!inst.bot) return inst;
  const { refreshToken: _r, expiresAt: _e, ...bot } = inst.bot;
  return { ...inst, bot };
}

export class SlackInstallationStore implements InstallationStore, SlackTokenSource {
  readonly keys: RedisKeys;
  private readonly box: SecretBox;
  private readonly rotation: TokenRotation;
  private readonly now: () => number;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { stored: StoredInstallation; until: number }>();
  /** Teams already linked to their enterprise in Redis by this process. */
  private readonly linked = new Set<string>();

  constructor(private readonly opts: SlackInstallationStoreOptions) {
    this.keys = new RedisKeys(opts.prefix);
    this.box = new SecretBox(opts.secretKey);
    this.now = opts.now ?? Date.now;
    this.cacheMs = opts.cacheMs ?? 10_000;
    this.rotation = new TokenRotation({
      redis: opts.redis,
      keys: this.keys,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
      log: opts.log,
      now: this.now,
      ...(opts.refreshBeforeS !== undefined ? { refreshBeforeS: opts.refreshBeforeS } : {}),
      ...(opts.lockTtlMs !== undefined ? { lockTtlMs: opts.lockTtlMs } : {}),
      read: (owner) => this.read(owner),
      replace: (owner, raw, next) => this.replace(owner, raw, next),
    });
  }

  // ---- Bolt's InstallationStore ----

  async storeInstallation(installation: Installation): Promise<void> {
    const owner = installationOwner(installation);
    if (!owner) throw new Error("Slack's answer to the install named no workspace or enterprise id drillbot can use");
    if (!installation.bot?.token) throw new Error(`the install in ${owner} brought no bot token: the app must ask for bot scopes (see bots/slack/manifest-distributed.yml)`);
    const key = this.keys.slackInstallation(owner);
    await this.opts.redis.set(key, this.box.seal(JSON.stringify(installation), key));
    this.cache.delete(owner);
    const kind = installation.isEnterpriseInstall ? "org-wide in enterprise" : "in workspace";
    const name = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
    this.opts.log.info(`slack: drillbot installed ${kind} ${owner}${name ? ` (${name})` : ""}${installation.bot.refreshToken ? "; its bot token rotates" : ""}`);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const owner = ownerOf(query);
    const stored = owner ? await this.current(owner) : null;
    if (!stored) throw new SlackNotInstalledError(`${NOT_INSTALLED} ${query.isEnterpriseInstall ? "enterprise" : "workspace"} ${owner ?? "(no id)"} (never installed, or uninstalled)`);
    return forBolt(stored.installation);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const owner = ownerOf(query);
    if (owner) await this.remove(owner);
  }

  /** Deletes the installation of a workspace (T...) or org-wide install (E...): its token is gone from Redis. */
  async remove(owner: string): Promise<void> {
    if (!SLACK_ID.test(owner)) return;
    const removed = await this.opts.redis.del(this.keys.slackInstallation(owner));
    this.cache.delete(owner);
    this.opts.log.info(`slack: ${removed ? "deleted the installation of" : "no installation to delete for"} ${owner}`);
  }

  // ---- the messenger's token source ----

  /** The workspace's own installation, else the org-wide one its enterprise has (linkTeam). */
  async botTokenFor(team: string): Promise<string | null> {
    if (!SLACK_ID.test(team)) return null;
    const own = await this.current(team);
    if (own) return own.installation.bot?.token ?? null;
    const enterprise = await this.opts.redis.get(this.keys.slackOrgOf(team));
    if (!enterprise || !SLACK_ID.test(enterprise)) return null;
    const org = await this.current(enterprise);
    return org?.installation.isEnterpriseInstall ? (org.installation.bot?.token ?? null) : null;
  }

  /** Remembers that an org-wide install covers `team` (seen on its requests), so scheduled sends there find the token. */
  async linkTeam(team: string, enterprise: string): Promise<void> {
    if (this.linked.has(team) || !SLACK_ID.test(team) || !SLACK_ID.test(enterprise)) return;
    await this.opts.redis.set(this.keys.slackOrgOf(team), enterprise);
    this.linked.add(team);
  }

  /** Drops what this process keeps of an installation (after Slack refused its token). */
  forget(owner: string): void {
    this.cache.delete(owner);
  }

  // ---- inside ----

  /** The installation with a usable token (refreshed if it was about to expire), or null. */
  private async current(owner: string): Promise<StoredInstallation | null> {
    const hit = this.cache.get(owner);
    if (hit && hit.until > this.now() && !this.rotation.expiring(hit.stored.installation)) return hit.stored;
    let stored = await this.read(owner);
    if (stored && this.rotation.expiring(stored.installation)) stored = await this.rotation.fresh(owner);
    this.cache.delete(owner);
    if (stored && this.cacheMs > 0) {
      this.cache.set(owner, { stored, until: this.now() + this.cacheMs });
      if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    }
    return stored;
  }

  private async read(owner: string): Promise<StoredInstallation | null> {
    const key = this.keys.slackInstallation(owner);
    const raw = await this.opts.redis.get(key);
    if (raw === null) return null;
    const text = this.box.open(raw, key);
    let installation: Installation;
    try {
      installation = JSON.parse(text) as Installation;
    } catch {
      throw new SecretDecryptError(`the installation at ${key} decrypted to something that is not an installation: install drillbot in that workspace again`);
    }
    if (typeof installation?.bot?.token !== "string") throw new SecretDecryptError(`the installation at ${key} has no bot token: install drillbot in that workspace again`);
    return { raw, installation };
  }

  private async replace(owner: string, raw: string, next: Installation): Promise<string | null> {
    const key = this.keys.slackInstallation(owner);
    const sealed = this.box.seal(JSON.stringify(next), key);
    const done = (await this.opts.redis.eval(REPLACE, 1, key, raw, sealed)) === 1;
    this.cache.delete(owner);
    return done ? sealed : null;
  }
}
