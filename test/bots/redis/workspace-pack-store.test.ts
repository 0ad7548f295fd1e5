import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { PACK_VERSIONS_KEPT, RedisWorkspacePackStore } from "../../../bots/redis/workspace-pack-store.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const WS = "slack:T1";
const info = (packId: string, questions = 3) => ({ packId, title: `Pack ${packId}`, lessons: 1, questions, fileName: `${packId}.csv`, format: "question table", uploadedBy: "U1", uploadedAt: "2026-03-02T12:00:00.000Z" });

function store(): { s: RedisWorkspacePackStore; client: Redis } {
  const client = new Redis(redis.server.url);
  return { s: new RedisWorkspacePackStore(client, uniquePrefix()), client };
}

describe("workspace packs in Redis", () => {
  it("an upload of the same pack id replaces it as a new version; rollback restores the previous one, then there is none to go back to", async () => {
    const { s, client } = store();
    expect(await s.contentVersion(WS)).toBe(0);
    const first = await s.save(WS, info("team"), "id: team # v1");
    expect(first).toMatchObject({ packId: "team", version: 1, previous: [] });
    const second = await s.save(WS, info("team", 5), "id: team # v2");
    expect(second).toMatchObject({ version: 2, previous: [1], questions: 5 });
    expect(await s.text(WS, "team")).toBe("id: team # v2");
    expect(await s.contentVersion(WS)).toBe(2);

    const back = await s.rollback(WS, "team");
    // the version's own info comes back with it (3 questions, not version 2's 5)
    expect(back).toMatchObject({ version: 1, previous: [], questions: 3 });
    expect((await s.packs(WS))[0]).toMatchObject({ version: 1, questions: 3 });
    expect(await s.text(WS, "team")).toBe("id: team # v1");
    expect(await s.rollback(WS, "team")).toBeNull();
    expect(await s.rollback(WS, "no-such-pack")).toBeNull();
    expect(await s.contentVersion(WS)).toBe(3);
    // the version rolled back from is gone, with its info; a new upload gets a fresh number
    expect((await client.hkeys(s.keys.workspacePack(WS, "team"))).sort()).toEqual(["i1", "n", "v1"]);
    expect(await s.save(WS, info("team"), "id: team # v3")).toMatchObject({ version: 3, previous: [1] });
    client.disconnect();
  });

  it(`keeps the current version and ${PACK_VERSIONS_KEPT - 1} before it, dropping older versions`, async () => {
    const { s, client } = store();
    for (let v = 1; v <= 8; v++) await s.save(WS, info("big"), `v${v}`);
    const [pack] = await s.packs(WS);
    expect(pack).toMatchObject({ version: 8, previous: [7, 6, 5, 4] });
    const kept = (await client.hkeys(s.keys.workspacePack(WS, "big"))).filter((f) => f.startsWith("v")).sort();
    expect(kept).toEqual(["v4", "v5", "v6", "v7", "v8"]);
    client.disconnect();
  });

  it("packs, their texts and switches belong to one workspace; switching bumps the content version once per change", async () => {
    const { s, client } = store();
    await s.save(WS, info("alpha"), "alpha yaml");
    await s.save(WS, info("beta"), "beta yaml");
    await s.save("discord:G1", info("alpha"), "another team's alpha");
    expect((await s.packs(WS)).map((p) => p.packId)).toEqual(["alpha", "beta"]);
    expect((await s.currentTexts(WS)).map((t) => t.text)).toEqual(["alpha yaml", "beta yaml"]);
    expect((await s.currentTexts("discord:G1")).map((t) => t.text)).toEqual(["another team's alpha"]);
    expect(await s.packs("slack:T2")).toEqual([]);

    const before = await s.contentVersion(WS);
    await s.setEnabled(WS, "db-scaling", false);
    await s.setEnabled(WS, "db-scaling", false);
    await s.setEnabled(WS, "beta", false);
    expect(await s.disabled(WS)).toEqual(["db-scaling", "beta"]);
    expect(await s.disabled("discord:G1")).toEqual([]);
    await s.setEnabled(WS, "db-scaling", true);
    expect(await s.disabled(WS)).toEqual(["beta"]);
    expect(await s.contentVersion(WS)).toBe(before + 3);
    // the workspace's other settings are untouched
    expect(await client.hget(s.keys.workspaceSettings(WS), "version")).toBeNull();
    client.disconnect();
  });

  it("stores each version gzipped (a pack's JSON repeats itself: about a tenth of the size) and reads it back exactly", async () => {
    const { s, client } = store();
    const text = JSON.stringify({ manifest: { id: "big" }, lessons: Array.from({ length: 200 }, (_, i) => ({ fileName: `l${i}.yaml`, data: { id: `lesson-${i}`, questions: [{ stem: "Which setting controls memory?", options: ["maxmemory", "maxclients"] }] } })) });
    await s.save(WS, info("big"), text);
    const stored = await client.hgetBuffer(s.keys.workspacePack(WS, "big"), "v1");
    expect([stored![0], stored![1]]).toEqual([0x1f, 0x8b]);
    expect(stored!.length).toBeLessThan(text.length / 8);
    expect(await s.text(WS, "big")).toBe(text);
    expect((await s.currentTexts(WS))[0]!.text).toBe(text);
    client.disconnect();
  });
});
