/**
 * The shell's /content: an admin at the terminal uploads a local CSV by its
 * path, quizzes on it, and gets clear answers for a missing file or a
 * directory; nothing is stored for those.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LearnerKey } from "../../../core/identity.js";
import { drillHarness } from "../../support/drill-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { openTerminal } from "../../support/shell-terminal.js";

const redis = useTestRedis();
const me: LearnerKey = { platform: "shell", workspace: "local", user: "ada" };
const CSV = "id,question,options,answer,explanation,topic\nops-port,Which port does Redis listen on by default?,6379|5432,a,6379 is the default.,Team ops\nops-aof,Is the AOF append-only?,true|false,a,Writes are appended.,Team ops\n";

describe("shell /content", () => {
  it("uploads a local file by path, then quizzes on it; a missing file or a folder is refused and nothing is stored", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const dir = await mkdtemp(path.join(os.tmpdir(), "drillbot-upload-"));
    const file = path.join(dir, "team-ops.csv");
    await writeFile(file, CSV);
    const t = await openTerminal(h.service, me, 200);
    expect(await t.type(`/content upload ${path.join(dir, "missing.csv")}`)).toContain("there is no such file");
    expect(await t.type(`/content upload ${dir}`)).toContain("is not a file");
    expect(await h.workspaces!.packs.packs("shell:local")).toEqual([]);
    expect(await t.type(`/content upload ${file}`)).toContain("Stored team-ops version 1: Team ops, 1 lesson, 2 questions from team-ops.csv");
    expect(await t.type("/quiz team-ops")).toMatch(/Which port does Redis listen on by default\?|Is the AOF append-only\?/);
    // Another terminal of the same learner has no question on screen: a typed answer is not graded, and the open uploaded question is shown.
    const other = await openTerminal(h.service, me, 200);
    const shown = await other.type("1");
    expect(shown).toContain("No question is on screen here, so that answer was not graded.");
    expect(shown).toMatch(/Which port does Redis listen on by default\?|Is the AOF append-only\?/);
    await other.close();
    expect(await t.type("/content export team-ops")).toContain("team-ops version 1: this workspace's pack as a YAML pack");
    await t.close();
    await h.shutdown();
  });
});
