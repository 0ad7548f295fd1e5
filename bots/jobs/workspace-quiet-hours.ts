/**
 * A workspace's quiet hours for the delivery workers: one HGET of the
 * settings hash per workspace, kept a few seconds (a change by an admin takes
 * effect within that time). Malformed settings count as none.
 */
import type { Cluster, Redis } from "ioredis";
import { asQuietHours, type QuietHours } from "../../core/quiet-hours.js";
import type { RedisKeys } from "../redis/keys.js";
import { parseJson } from "../redis/parse-json.js";

const MAX_CACHED = 10_000;

export class WorkspaceQuietHours {
  private readonly cache = new Map<string, { at: number; value: Promise<QuietHours | null> }>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: RedisKeys,
    private readonly ttlMs = 5_000,
    /** Real time, for the cache only (never the clock deliveries are decided on). */
    private readonly nowMs: () => number = Date.now,
  ) {}

  get(workspace: string): Promise<QuietHours | null> {
    const now = this.nowMs();
    const hit = this.cache.get(workspace);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = this.redis.hget(this.keys.workspaceSettings(workspace), "quiet").then((json) => asQuietHours(parseJson<unknown>(json, null)));
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(workspace, { at: now, value });
    // A failed read is not kept: the next delivery asks Redis again.
    value.catch(() => {
      if (this.cache.get(workspace)?.value === value) this.cache.delete(workspace);
    });
    return value;
  }
}
