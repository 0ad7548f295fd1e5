/**
 * The WorkspacePackStore port on Redis: a workspace's own content packs, each
 * version the pack as gzipped JSON (core/content/upload/stored-pack.ts; about a tenth of the
 * JSON, compressed and expanded on libuv's thread pool) in the pack's versions hash, the current one
 * named in the workspace's packs hash; the packs it switched off (built-in or
 * its own) and its content version in its settings hash. Every key carries
 * the workspace's hash tag, so each script runs on a Redis Cluster. Saves,
 * rollbacks and switches are one script each (save-pack.lua,
 * rollback-pack.lua, switch-pack.lua, remove-pack.lua).
 */
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { Cluster, Redis } from "ioredis";
import type { WorkspacePackInfo, WorkspacePackStore } from "../../core/ports.js";
import { RedisKeys } from "./keys.js";
import { defineDrillbotScripts } from "./lua-scripts.js";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The stored bytes as the pack's JSON text (gzip, or plain text as first stored). */
async function expand(stored: Buffer): Promise<string> {
  return stored[0] === 0x1f && stored[1] === 0x8b ? (await gunzipAsync(stored)).toString("utf8") : stored.toString("utf8");
}

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
    for (const i of infos) p.hgetBuffer(this.keys.workspacePack(workspace, i.packId), `v${i.version}`);
    const res = (await p.exec()) ?? [];
    const failed = res.find(([err]) => err);
    if (failed) throw failed[0];
    const out = await Promise.all(infos.map(async (info, n) => {
      const stored = res[n]?.[1];
      return Buffer.isBuffer(stored) ? { info, text: await expand(stored) } : null;
    }));
    return out.filter((x): x is { info: WorkspacePackInfo; text: string } => x !== null);
  }

  async text(workspace: string, packId: string): Promise<string | null> {
    const info = infoOf(await this.redis.hget(this.keys.workspacePacks(workspace), packId));
    const stored = info ? await this.redis.hgetBuffer(this.keys.workspacePack(workspace, packId), `v${info.version}`) : null;
    return stored ? expand(stored) : null;
  }

  async save(workspace: string, info: Omit<WorkspacePackInfo, "version" | "previous">, packText: string): Promise<WorkspacePackInfo> {
    const k = this.keys;
    const text = await this.redis.drillbotSavePack(k.workspacePacks(workspace), k.workspacePack(workspace, info.packId), k.workspaceSettings(workspace), info.packId, JSON.stringify(info), await gzipAsync(Buffer.from(packText, "utf8")), PACK_VERSIONS_KEPT);
    return infoOf(text)!;
  }

  async rollback(workspace: string, packId: string): Promise<WorkspacePackInfo | null> {
    const k = this.keys;
    return infoOf(await this.redis.drillbotRollbackPack(k.workspacePacks(workspace), k.workspacePack(workspace, packId), k.workspaceSettings(workspace), packId));
  }

  async remove(workspace: string, packId: string): Promise<WorkspacePackInfo | null> {
    const k = this.keys;
    return infoOf(await this.redis.drillbotRemovePack(k.workspacePacks(workspace), k.workspacePack(workspace, packId), k.workspaceSettings(workspace), packId));
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
