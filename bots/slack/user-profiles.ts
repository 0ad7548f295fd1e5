/**
 * Slack profiles (users.info): the learner's display name, time zone and
 * whether they are a workspace admin or owner, cached in-process with a TTL
 * (a demoted admin keeps admin rights here for up to `ttlMs`). A slow or
 * failing lookup never holds up a reply: after `waitMs` the caller goes on
 * without it (the lookup still fills the cache; an unknown profile is not an
 * admin), and a failure is remembered briefly so it is not retried at once.
 */
import type { webApi } from "@slack/bolt";
import { normalizeZone } from "../../core/time.js";
import type { Logger } from "../logger.js";

export interface SlackProfile {
  name?: string;
  /** A valid IANA zone from the profile's `tz`, if any. */
  zone?: string;
  /** A workspace admin or owner (`is_admin || is_owner`); absent when the lookup failed or timed out. */
  admin?: boolean;
}

interface Entry {
  profile: SlackProfile;
  expires: number;
  pending?: Promise<SlackProfile>;
}

export interface ProfileOptions {
  ttlMs?: number;
  failureTtlMs?: number;
  waitMs?: number;
  now?: () => number;
}

export class UserProfiles {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    opts: ProfileOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60 * 60_000;
    this.failureTtlMs = opts.failureTtlMs ?? 60_000;
    this.waitMs = opts.waitMs ?? 1500;
    this.now = opts.now ?? Date.now;
  }

  /** `client`: the listener's, holding the workspace's own token (default: the one given at construction). */
  async get(team: string, user: string, client?: webApi.WebClient): Promise<SlackProfile> {
    const key = `${team}:${user}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) return hit.profile;
    const pending = hit?.pending ?? this.fetch(key, user, client ?? this.client);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SlackProfile>((resolve) => {
      timer = setTimeout(() => resolve(hit?.profile ?? {}), this.waitMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private fetch(key: string, user: string, client: webApi.WebClient): Promise<SlackProfile> {
    const previous = this.cache.get(key);
    const pending = client.users
      .info({ user })
      .then((res) => {
        const u = res.user;
        const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || undefined;
        const zone = u?.tz ? normalizeZone(u.tz) ?? undefined : undefined;
        const admin = u?.is_admin === true || u?.is_owner === true;
        const profile: SlackProfile = { ...(name ? { name } : {}), ...(zone ? { zone } : {}), ...(admin ? { admin } : {}) };
        this.cache.set(key, { profile, expires: this.now() + this.ttlMs });
        return profile;
      })
      .catch((err: unknown) => {
        this.log.warn(`users.info failed for ${user}; using the name Slack sent and no profile time zone`, err);
        const profile = previous?.profile ?? {};
        this.cache.set(key, { profile, expires: this.now() + this.failureTtlMs });
        return profile;
      });
    this.cache.set(key, { profile: previous?.profile ?? {}, expires: previous?.expires ?? 0, pending });
    return pending;
  }
}
