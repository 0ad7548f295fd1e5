/**
 * Workspace content, composed once for the bot and for tests: the pack store
 * on Redis, each workspace's catalog built from the built-in packs it keeps
 * on plus its own, and the /content service over both.
 */
import type { Cluster, Redis } from "ioredis";
import type { Catalog, RawPack } from "../../core/content/catalog.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import { toRawPacks } from "../../core/content/upload/pack-yaml.js";
import { readStoredPack } from "../../core/content/upload/stored-pack.js";
import type { Clock, PackWork } from "../../core/ports.js";
import { ContentService, type WORKSPACE_CONTENT_LIMITS } from "../../core/service/content-service.js";
import type { Logger } from "../logger.js";
import { RedisWorkspacePackStore } from "../redis/workspace-pack-store.js";
import { WorkspaceCatalogs } from "./workspace-catalogs.js";

export interface WorkspaceContent {
  packs: RedisWorkspacePackStore;
  catalogs: WorkspaceCatalogs;
  content: ContentService;
  /** Every pack id the workspace has, built-in first, switched on or off (for autocomplete). */
  packIds(workspace: string): Promise<string[]>;
}

export function createWorkspaceContent(opts: {
  redis: Redis | Cluster;
  prefix: string;
  builtIn: { catalog: Catalog; raw: RawPack[] };
  clock: Clock;
  log: Logger;
  limits?: Partial<UploadLimits>;
  /** How much one workspace may hold (core/service/content-service.ts WORKSPACE_CONTENT_LIMITS). */
  workspaceLimits?: Partial<typeof WORKSPACE_CONTENT_LIMITS>;
  /** How long a process trusts its cached catalog of a workspace before asking Redis for the content version (5 s). */
  checkEveryMs?: number;
  /** Where upload checks and YAML writing run (the bot: a thread, pack-work-pool.ts); in place without it. */
  work?: PackWork;
}): WorkspaceContent {
  const packs = new RedisWorkspacePackStore(opts.redis, opts.prefix);
  const catalogs = new WorkspaceCatalogs({
    builtIn: opts.builtIn,
    packs,
    parse: (text, info) => {
      const pack = readStoredPack(text);
      return pack ? toRawPacks(pack, `${info.packId} (version ${info.version})`) : null;
    },
    log: opts.log,
    ...(opts.checkEveryMs !== undefined ? { checkEveryMs: opts.checkEveryMs } : {}),
  });
  const content = new ContentService({ builtIn: opts.builtIn, packs, catalogs, clock: opts.clock, ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.workspaceLimits ? { workspaceLimits: opts.workspaceLimits } : {}), ...(opts.work ? { work: opts.work } : {}) });
  const builtInIds = opts.builtIn.catalog.packs.map((p) => p.manifest.id);
  return { packs, catalogs, content, packIds: async (ws) => [...builtInIds, ...(await packs.packs(ws)).map((p) => p.packId)] };
}
