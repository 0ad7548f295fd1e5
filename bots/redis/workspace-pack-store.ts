/**
 * The WorkspacePackStore port on Redis: a workspace's own content packs, each
 * version the pack as JSON (core/content/upload/stored-pack.ts) in the pack's versions hash, the current one
 * named in the workspace's packs hash; the packs it switched off (built-in or
 * its own) and its content version in its settings hash. Every key carries
 * the workspace's hash tag, so each script runs on a Redis Cluster. Saves,
 * rollbacks and switches are one script each (save-pack.lua,
 * rollback-pack.lua, switch-pack.lua).
 */
import type { Cluster, Redis } from "ioredis";
import type { WorkspacePackInfo, WorkspacePackStore } from "../../core/ports.js";
import { RedisKeys } from "./keys.js";
import { defineDrillbotScripts } from "./lua-scripts.js";

/** Versions of a pack kept: the current one and this many minus one to roll back to. */
export const PACK_VERSIONS_KEPT = 5;

function infoOf(text: string | null | undefined): WorkspacePackInfo | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as WorkspacePackInfo;
    // Lua's cjson writes an empty list as {}.
    return { ...o, previous: Array.isArray(o.previous) ? o.previous : [] };
  } catch {
    return null;
  }
}

export class RedisWorkspacePackStore implements WorkspacePackStore {
  readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
    defineDrillbotScripts(redis);
  }

  async packs(workspace: string): Promise<WorkspacePackInfo[]> {
    const all = await this.redis.hgetall(this.keys.workspacePacks(workspace));
    return Object.values(all)
      .map(infoOf)
      .filter((i): i is WorkspacePackInfo => i !== null)
      .sort((a, b) => a.packId.localeCompare(b.packId));
  }

  async currentTexts(workspace: string): Promise<{ info: WorkspacePackInfo; text: string }[]> {
    const infos = await this.packs(workspace);
    if (infos.length === 0) return [];
    const p = this.redis.pipeline();
    for (const i of infos) p.hget(this.keys.workspacePack(workspace, i.packId), `v${i.version}`);
    const res = (await p.exec()) ?? [];
    const failed = res.find(([err]) => err);
    if (failed) throw failed[0];
    return infos.flatMap((info, n) => {
      const text = res[n]?.[1];
      return typeof text === "string" ? [{ info, text }] : [];
    });
  }

  async text(workspace: string, packId: string): Promise<string | null> {
    const info = infoOf(await this.redis.hget(this.keys.workspacePacks(workspace), packId));
    return info ? this.redis.hget(this.keys.workspacePack(workspace, packId), `v${info.version}`) : null;
  }

  async save(workspace: string, info: Omit<WorkspacePackInfo, "version" | "previous">, packText: string): Promise<WorkspacePackInfo> {
    const k = this.keys;
    const text = await this.redis.drillbotSavePack(k.workspacePacks(workspace), k.workspacePack(workspace, info.packId), k.workspaceSettings(workspace), info.packId, JSON.stringify(info), packText, PACK_VERSIONS_KEPT);
    return infoOf(text)!;
  }

  async rollback(workspace: string, packId: string): Promise<WorkspacePackInfo | null> {
    const k = this.keys;
    return infoOf(await this.redis.drillbotRollbackPack(k.workspacePacks(workspace), k.workspacePack(workspace, packId), k.workspaceSettings(workspace), packId));
  }

  async disabled(workspace: string): Promise<string[]> {
    const text = await this.redis.hget(this.keys.workspaceSettings(workspace), "packs-off");
    try {
      const list = JSON.parse(text ?? "[]") as unknown;
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
    } catch {
      return [];
    }
  }

  async setEnabled(workspace: string, packId: string, on: boolean): Promise<void> {
    await this.redis.drillbotSwitchPack(this.keys.workspaceSettings(workspace), packId, on ? "1" : "0");
  }

  async contentVersion(workspace: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.workspaceSettings(workspace), "content")) ?? 0);
  }
}
