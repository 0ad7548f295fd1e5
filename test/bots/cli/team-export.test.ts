import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkWorkspace, parseTeamExportArgs, runTeamExport, type TeamExportDeps, type TeamExportOptions } from "../../../bots/cli/team-export.js";
import type { TeamMember, TeamTotals } from "../../../core/ports.js";
import { review } from "../../../core/srs.js";
import { EMPTY_STREAK } from "../../../core/streak.js";
import { teamExportCsv } from "../../../core/team-export.js";
import { fixtureCatalog } from "../../support/study-harness.js";

const now = new Date("2026-11-20T12:00:00Z");
const GUILD = "discord:123456789012345678";

const members: TeamMember[] = [
  { learnerId: `${GUILD}:111`, name: "Zed", private: false, answered: 4, correct: 3, streak: { ...EMPTY_STREAK, current: 2, longest: 2, lastActive: "2026-11-20" }, cards: { "a-single": review(null, new Date("2026-11-19T12:00:00Z"), true) } },
  { learnerId: `${GUILD}:222`, name: "Priya Private", private: true, answered: 9, correct: 8, streak: EMPTY_STREAK, cards: {} },
];
const totals: TeamTotals = { bySet: { "alpha-lesson": { answered: 13, correct: 11 } }, byConcept: { alpha: { answered: 13, correct: 11 } } };

/** An in-memory implementation of the two ProgressStore methods the command reads (a fake of our port, not of Redis). */
function portWith(byWorkspace: Record<string, TeamMember[]>) {
  const asked: string[] = [];
  return {
    asked,
    teamMembers: async (ws: string) => (asked.push(ws), byWorkspace[ws] ?? []),
    teamTotals: async (ws: string): Promise<TeamTotals> => (byWorkspace[ws] ? totals : { bySet: {}, byConcept: {} }),
  };
}

let dir: string;
let said: string[];
let written: string[];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "drillbot-team-export-"));
  said = [];
  written = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deps(store = portWith({ [GUILD]: members })): Promise<TeamExportDeps & { store: ReturnType<typeof portWith> }> {
  return { store, catalog: await fixtureCatalog(), now, write: (t) => void written.push(t), say: (l) => void said.push(l) };
}

const options = (over: Partial<TeamExportOptions> = {}): TeamExportOptions => ({ workspace: GUILD, out: null, zone: "UTC", ...over });

describe("team export arguments", () => {
  it("accepts each platform's workspace id as core/identity forms it", () => {
    for (const id of [GUILD, "discord:dm", "slack:T0123ABCD", "slack:E012AB3CD", "shell:local"]) expect(checkWorkspace(id)).toEqual({ ok: true, value: id });
  });

  it("refuses malformed ids with what a right one looks like", () => {
    const reason = (id: string) => {
      const r = checkWorkspace(id);
      return r.ok ? "" : r.reason;
    };
    expect(reason("123456789012345678")).toMatch(/not a workspace id: use discord:<server id>, slack:<team id> or shell:local/);
    expect(reason("discord:my-server")).toMatch(/Discord server id is 17-20 digits/);
    expect(reason("discord:12345")).toMatch(/Discord server id/);
    expect(reason("slack:t0123abcd")).toMatch(/Did you mean slack:T0123ABCD\?/);
    expect(reason("slack:")).toMatch(/Slack team id/);
    expect(reason("shell:ann")).toMatch(/shell:local/);
    expect(reason("teams:abc")).toMatch(/not a workspace id/);
  });

  it("reads --workspace, --out and --tz, and refuses what it does not know", () => {
    expect(parseTeamExportArgs(["--workspace", GUILD])).toEqual({ ok: true, value: { workspace: GUILD, out: null, zone: "UTC" } });
    expect(parseTeamExportArgs(["--out", "x.csv", "--workspace", "shell:local", "--tz", "europe/berlin"])).toEqual({
      ok: true,
      value: { workspace: "shell:local", out: "x.csv", zone: "Europe/Berlin" },
    });
    const reason = (args: string[]) => {
      const r = parseTeamExportArgs(args);
      return r.ok ? "" : r.reason;
    };
    expect(reason([])).toMatch(/^--workspace is required .*Usage: drillbot team export/);
    expect(reason(["--workspace"])).toMatch(/--workspace needs a value/);
    expect(reason(["--workspace", GUILD, "--out"])).toMatch(/--out needs a value/);
    expect(reason(["--workspace", GUILD, "--bogus"])).toMatch(/"--bogus" is not an option of team export/);
    expect(reason(["--workspace", GUILD, "extra"])).toMatch(/"extra" is not expected here/);
    expect(reason(["--workspace", "slack:nope!"])).toMatch(/^--workspace: .*Slack team id/);
    expect(reason(["--workspace", GUILD, "--tz", "CET"])).toMatch(/^--tz: .*abbreviation/);
  });
});

describe("team export command", () => {
  it("writes the CSV to --out: the same file the core builds, with the private member anonymous", async () => {
    const d = await deps();
    const out = path.join(dir, "team.csv");
    expect(await runTeamExport(options({ out }), d)).toBe(0);
    const text = await readFile(out, "utf8");
    const expected = teamExportCsv({ catalog: d.catalog, members, totals, now, zone: "UTC", workspaceLabel: GUILD });
    expect(text).toBe(expected.csv);
    expect(d.store.asked).toEqual([GUILD]);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.section === "learner").map((r) => [r.name, r.answers])).toEqual([
      ["Zed", "4"],
      ["anonymous", "9"],
    ]);
    expect(text).not.toContain("Priya");
    expect(text).not.toContain(":222");
    expect(said).toEqual([`wrote ${out}: Team export for ${GUILD}: 2 learners (1 anonymous), 3 lessons and practice sets, 2 concepts`]);
    expect(written).toEqual([]);
  });

  it("--out a folder: the file is named for the workspace and the day", async () => {
    expect(await runTeamExport(options({ out: dir }), await deps())).toBe(0);
    expect(await readdir(dir)).toEqual(["drillbot-team-discord-123456789012345678-2026-11-20.csv"]);
  });

  it("without --out the CSV goes to stdout and the summary to the message stream", async () => {
    expect(await runTeamExport(options(), await deps())).toBe(0);
    expect(written).toHaveLength(1);
    expect(written[0]!.split("\r\n")[0]).toBe("\uFEFFsection,id,name,answers,correct,accuracy,current_streak,longest_streak,cards,cards_seen,cards_mastered,seen_share,mastered_share");
    expect(said).toEqual([`Team export for ${GUILD}: 2 learners (1 anonymous), 3 lessons and practice sets, 2 concepts`]);
  });

  it("a workspace where nobody has answered exits 1 with a clear message and writes nothing", async () => {
    const out = path.join(dir, "team.csv");
    expect(await runTeamExport(options({ workspace: "slack:T0NOBODY", out }), await deps())).toBe(1);
    expect(said).toEqual(["nobody has answered in slack:T0NOBODY yet, so there is nothing to export. Check the id (discord:<server id>, slack:<team id> or shell:local)."]);
    expect(await readdir(dir)).toEqual([]);
    expect(written).toEqual([]);
  });

  it("an --out in a missing folder fails with the reason and leaves nothing behind", async () => {
    const out = path.join(dir, "no-such-folder", "team.csv");
    expect(await runTeamExport(options({ out }), await deps())).toBe(1);
    expect(said[0]).toMatch(/^could not write ".*team\.csv": its folder does not exist\. Nothing was written; pick another --out\.$/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a write that fails leaves the old file as it was; a write that works replaces it whole, no temporary file left", async () => {
    const out = path.join(dir, "team.csv");
    await writeFile(out, "old contents");
    // A regular file where a folder should be: the write fails after the export was built.
    await writeFile(path.join(dir, "not-a-folder"), "");
    expect(await runTeamExport(options({ out: path.join(dir, "not-a-folder", "team.csv") }), await deps())).toBe(1);
    expect(said.at(-1)).toMatch(/^could not write ".*team\.csv": part of its path is a file, not a folder\. Nothing was written/);
    expect(await readFile(out, "utf8")).toBe("old contents");
    expect(await runTeamExport(options({ out }), await deps())).toBe(0);
    expect((await readFile(out, "utf8")).startsWith("\uFEFFsection,")).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(["not-a-folder", "team.csv"]);
  });
});
