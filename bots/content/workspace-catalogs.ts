/**
 * The catalog each workspace sees (core/ports.ts CatalogSource): the built-in
 * packs it has not switched off plus its own packs, built with the same rules
 * as `content check`. Cached per workspace by its content version: a lookup
 * reads nothing from Redis while its entry is younger than `checkEveryMs`
 * (5 s); an older entry is still answered at once while one HGET of the
 * version runs in the background (rebuilding only when the version moved),
 * so a command or an answer never waits for the check and an answer stays
 * one round trip. Only a workspace this process has not seen yet is read
 * before answering. Changes made in this process show at once (invalidate);
 * other processes' within about `checkEveryMs`. A workspace that never
 * changed its content shares the built-in catalog object.
 *
 * A stored pack was checked when it was uploaded; should it no longer fit
 * (e.g. a new built-in pack took one of its ids) it is left out of the
 * workspace's catalog, with an error in the log, rather than taking the whole
 * catalog down.
 */
import { buildCatalog, formatProblem, rawPackId, type Catalog, type RawPack } from "../../core/content/catalog.js";
import type { CatalogSource, WorkspacePackInfo, WorkspacePackStore } from "../../core/ports.js";
import type { Logger } from "../logger.js";

export interface WorkspaceCatalogsOptions {
  builtIn: { catalog: Catalog; raw: RawPack[] };
  packs: WorkspacePackStore;
  /** A stored pack (core/content/upload/stored-pack.ts) as a raw pack for buildCatalog, or null when unreadable. */
  parse: (text: string, info: WorkspacePackInfo) => RawPack | null;
  log: Logger;
  now?: () => number;
  checkEveryMs?: number;
  /** Workspaces kept in memory (least recently used dropped first). */
  maxEntries?: number;
}

interface Entry {
  version: number;
  catalog: Catalog;
  checkedAt: number;
  /** The background check under way, if any. */
  checking?: Promise<void>;
}


export class WorkspaceCatalogs implements CatalogSource {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly checkEveryMs: number;
  private readonly maxEntries: number;

  constructor(private readonly opts: WorkspaceCatalogsOptions) {
    this.now = opts.now ?? Date.now;
    this.checkEveryMs = opts.checkEveryMs ?? 5_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  get builtIn(): Catalog {
    return this.opts.builtIn.catalog;
  }

  async forWorkspace(workspace: string): Promise<Catalog> {
    const now = this.now();
    const hit = this.entries.get(workspace);
    if (!hit) return (await this.load(workspace, now)).catalog;
    if (now - hit.checkedAt >= this.checkEveryMs && !hit.checking) {
      hit.checking = this.recheck(workspace, hit, now).finally(() => (hit.checking = undefined));
    }
    return hit.catalog;
  }

  /** Settles when the background checks started so far are done (tests, and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.checking));
  }

  private async load(workspace: string, now: number): Promise<Entry> {
    const version = await this.opts.packs.contentVersion(workspace);
    const entry: Entry = { version, catalog: version === 0 ? this.opts.builtIn.catalog : await this.build(workspace), checkedAt: now };
    this.remember(workspace, entry);
    return entry;
  }

  private async recheck(workspace: string, hit: Entry, now: number): Promise<void> {
    try {
      const version = await this.opts.packs.contentVersion(workspace);
      if (version === hit.version) {
        hit.checkedAt = now;
        return;
      }
      if (this.entries.get(workspace) !== hit) return; // invalidated meanwhile: the next lookup loads afresh
      const catalog = version === 0 ? this.opts.builtIn.catalog : await this.build(workspace);
      if (this.entries.get(workspace) === hit) this.remember(workspace, { version, catalog, checkedAt: now });
    } catch (err) {
      // Redis unreachable: keep answering from the catalog in hand and try again on a later lookup.
      this.opts.log.warn(`content: could not check workspace ${workspace}'s content version`, err);
    }
  }

  private remember(workspace: string, entry: Entry): void {
    this.entries.delete(workspace);
    this.entries.set(workspace, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  invalidate(workspace: string): void {
    this.entries.delete(workspace);
  }

  /** The built-in raw packs the workspace keeps on, and its own packs that are on, as raw packs. */
  private async rawPacks(workspace: string): Promise<{ builtIn: RawPack[]; own: { info: WorkspacePackInfo; raw: RawPack }[]; off: Set<string> }> {
    const [texts, disabled] = await Promise.all([this.opts.packs.currentTexts(workspace), this.opts.packs.disabled(workspace)]);
    const off = new Set(disabled);
    const own: { info: WorkspacePackInfo; raw: RawPack }[] = [];
    for (const t of texts) {
      const raw = this.opts.parse(t.text, t.info);
      if (raw) own.push({ info: t.info, raw });
      else this.opts.log.error(`content: workspace ${workspace}'s pack ${t.info.packId} (version ${t.info.version}) cannot be read; it is left out`);
    }
    return { builtIn: this.opts.builtIn.raw.filter((rp) => !off.has(rawPackId(rp))), own, off };
  }

  private async build(workspace: string): Promise<Catalog> {
    const { builtIn, own, off } = await this.rawPacks(workspace);
    const on = own.filter((p) => !off.has(p.info.packId));
    const all = buildCatalog([...builtIn, ...on.map((p) => p.raw)]);
    if (all.ok) return all.catalog;
    // Add the workspace's packs one at a time, leaving out any that no longer fit.
    let packs = [...builtIn];
    let catalog = buildCatalog(packs);
    if (!catalog.ok) throw new Error(`the built-in course does not build: ${catalog.problems.map(formatProblem).slice(0, 3).join("; ")}`);
    for (const p of on) {
      const next = buildCatalog([...packs, p.raw]);
      if (next.ok) {
        packs = [...packs, p.raw];
        catalog = next;
      } else {
        this.opts.log.error(`content: workspace ${workspace}'s pack ${p.info.packId} no longer fits the course (${next.problems.map(formatProblem).slice(0, 2).join("; ")}); it is left out until it is uploaded again`);
      }
    }
    return catalog.catalog;
  }
}
