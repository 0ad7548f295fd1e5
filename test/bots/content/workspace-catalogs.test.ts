/**
 * Each workspace's catalog on a real Redis: the built-in packs it keeps on
 * plus its own uploaded packs (checked with checkUpload, stored as YAML),
 * cached by the workspace's content version.
 */
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { readPacks } from "../../../bots/content/load-packs.js";
import { WorkspaceCatalogs } from "../../../bots/content/workspace-catalogs.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisWorkspacePackStore } from "../../../bots/redis/workspace-pack-store.js";
import { buildCatalog } from "../../../core/content/catalog.js";
import { checkUpload } from "../../../core/content/upload/check-upload.js";
import { toRawPacks } from "../../../core/content/upload/pack-yaml.js";
import { readStoredPack, storedPackText } from "../../../core/content/upload/stored-pack.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const CSV = "question,options,answer,topic\nWhich port does Redis use by default?,6379|5432|3306,a,Team ops\nIs AOF append-only?,true|false,a,Team ops\n";

async function setup() {
  const { packs: raw } = await readPacks("test/fixtures/content");
  const built = buildCatalog(raw);
  if (!built.ok) throw new Error("fixture course does not build");
  const client = new Redis(redis.server.url);
  const store = new RedisWorkspacePackStore(client, uniquePrefix());
  let t = 1_000_000;
  const catalogs = new WorkspaceCatalogs({
    builtIn: { catalog: built.catalog, raw },
    packs: store,
    parse: (text, info) => {
      const pack = readStoredPack(text);
      return pack ? toRawPacks(pack, `${info.packId}.yaml`) : null;
    },
    log: plainLogger("error", []),
    now: () => t,
  });
  const upload = async (ws: string) => {
    const check = checkUpload({ fileName: "team.csv", bytes: new TextEncoder().encode(CSV), builtIn: raw, others: [] });
    if (!check.ok) throw new Error(check.message);
    const { packId, title, lessons, questions } = check.summary;
    await store.save(ws, { packId, title, lessons, questions, fileName: "team.csv", format: check.format, uploadedBy: "U1", uploadedAt: "2026-03-02T12:00:00Z" }, storedPackText(check.pack));
    return packId;
  };
  return { built: built.catalog, raw, client, store, catalogs, upload, advance: (ms: number) => (t += ms) };
}

describe("each workspace's catalog", () => {
  it("a workspace sees its own uploaded pack beside the built-in course; another workspace does not", async () => {
    const s = await setup();
    const packId = await s.upload("slack:T1");
    const mine = await s.catalogs.forWorkspace("slack:T1");
    const other = await s.catalogs.forWorkspace("slack:T2");
    expect(other).toBe(s.built);
    expect(mine.questions.length).toBe(s.built.questions.length + 2);
    expect(mine.questions.filter((q) => q.packId === packId).map((q) => q.question.stem)).toContain("Is AOF append-only?");
    s.client.disconnect();
  });

  it("is cached by content version: a change shows once the check after the interval has run (or at once when invalidated), not before", async () => {
    const s = await setup();
    const before = await s.catalogs.forWorkspace("discord:G1");
    await s.upload("discord:G1");
    expect(await s.catalogs.forWorkspace("discord:G1")).toBe(before);
    s.advance(5_001);
    // The lookup past the interval answers at once from the cache and checks the version in the background.
    expect(await s.catalogs.forWorkspace("discord:G1")).toBe(before);
    await s.catalogs.settled();
    const after = await s.catalogs.forWorkspace("discord:G1");
    expect(after.questions.length).toBe(before.questions.length + 2);
    // a built-in pack switched off leaves only the workspace's own questions
    await s.store.setEnabled("discord:G1", String((s.raw[0]!.manifest.data as { id: string }).id), false);
    s.catalogs.invalidate("discord:G1");
    expect((await s.catalogs.forWorkspace("discord:G1")).questions).toHaveLength(2);
    s.client.disconnect();
  });
});
