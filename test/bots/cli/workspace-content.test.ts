/**
 * `drillbot content packs|upload|export|disable|rollback --workspace ...`: the
 * real CLI process on a real Redis, doing what /content does in chat; and
 * its argument checks.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseWorkspaceContentArgs } from "../../../bots/cli/workspace-content.js";
import { parsePackYaml } from "../../../core/content/upload/pack-yaml.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();
const root = path.resolve(__dirname, "../../..");
const CSV = "id,question,options,answer,explanation,topic\nops-port,Which port does Redis listen on by default?,6379|5432,a,6379 is the default.,Team ops\nops-aof,Is the AOF append-only?,true|false,a,Writes are appended.,Team ops\n";

function cli(prefix: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "bots/main.ts"), ...args],
      { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", REDIS_URL: redis.server.url, DRILLBOT_REDIS_PREFIX: prefix, DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}

describe("drillbot content ... --workspace (the command line)", () => {
  it("uploads a CSV into one workspace, lists it, exports it to a folder, switches it off; a refused upload exits 1 and stores nothing", async () => {
    const prefix = uniquePrefix();
    const dir = await mkdtemp(path.join(os.tmpdir(), "drillbot-cli-content-"));
    await writeFile(path.join(dir, "team-ops.csv"), CSV);
    await writeFile(path.join(dir, "bad.csv"), "question,options,answer\nQ?,x|y,c\n");
    const ws = ["--workspace", "slack:T0123ABCD"];

    const up = await cli(prefix, ["content", "upload", "team-ops.csv", ...ws, "--as", "Ada"], dir);
    expect(up.stderr).toContain("Stored team-ops version 1: Team ops, 1 lesson, 2 questions from team-ops.csv");
    expect(up.code).toBe(0);

    const bad = await cli(prefix, ["content", "upload", "bad.csv", ...ws], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Upload refused: 1 problem in bad\.csv: nothing was stored\.\n• bad\.csv: row 2/);

    const list = await cli(prefix, ["content", "packs", ...ws], dir);
    expect(list.stderr).toContain("• team-ops: Team ops (this workspace's, version 1), 1 lesson, 2 questions, on; uploaded by Ada");
    expect(list.stderr).not.toContain("• bad:");

    const out = await cli(prefix, ["content", "export", "team-ops", ...ws, "--out", dir], dir);
    expect(out.code).toBe(0);
    const yaml = await readFile(path.join(dir, "team-ops-v1.yaml"), "utf8");
    expect(parsePackYaml(yaml, "team-ops-v1.yaml").ok).toBe(true);

    const off = await cli(prefix, ["content", "disable", "team-ops", ...ws], dir);
    expect(off.stderr).toMatch(/^team-ops is off in this workspace/);
  }, 120_000);

  it("checks its arguments before connecting: workspace required and well formed, a pack id, a file to upload, --out only with export", () => {
    expect(parseWorkspaceContentArgs("packs", [])).toMatchObject({ ok: false, reason: expect.stringMatching(/^--workspace is required/) });
    expect(parseWorkspaceContentArgs("packs", ["--workspace", "slack:t01"])).toMatchObject({ ok: false, reason: expect.stringContaining("Did you mean slack:T01?") });
    expect(parseWorkspaceContentArgs("enable", ["--workspace", "shell:local"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^name one pack/) });
    expect(parseWorkspaceContentArgs("upload", ["--workspace", "shell:local"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^name the file to upload/) });
    expect(parseWorkspaceContentArgs("packs", ["--workspace", "shell:local", "--out", "x"])).toMatchObject({ ok: false, reason: expect.stringMatching(/^--out goes with content export and remove only/) });
    expect(parseWorkspaceContentArgs("packs", ["--workspace", "shell:local", "--force"])).toMatchObject({ ok: false, reason: expect.stringContaining("is not an option of content packs") });
    expect(parseWorkspaceContentArgs("upload", ["My Questions.csv", "--workspace", "discord:123456789012345678"])).toEqual({
      ok: true,
      value: { workspace: "discord:123456789012345678", command: { kind: "content", action: "upload", path: "My Questions.csv" }, out: null, as: "the command line" },
    });
  });
});
