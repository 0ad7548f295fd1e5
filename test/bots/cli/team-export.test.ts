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
import type { LearnerKey } from "../../../core/identity.js";
import type { Reply } from "../../../core/replies.js";
import { cardStanding } from "../../../core/charts/mastery-data.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { correctPosition, fixtureCatalog, harness, only, type Harness } from "../../support/study-harness.js";

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

describe("team export on a real Redis", () => {
  const redis = useTestRedis();
  const GUILD_ID = "987654321098765432";
  const ann: LearnerKey = { platform: "discord", workspace: GUILD_ID, user: "ann" };
  const bob: LearnerKey = { platform: "discord", workspace: GUILD_ID, user: "bob" };
  const carol: LearnerKey = { platform: "discord", workspace: "111111111111111111", user: "carol" };

  /** Answers the open single-choice or true/false question right or wrong; returns whether the bot said it was right. */
  async function answer(h: Harness, who: LearnerKey, right: boolean): Promise<boolean> {
    const q = only(await h.say(who, "/quiz"), "question");
    const pos = await correctPosition(q);
    const replies: Reply[] = await h.say(who, String(right ? pos : pos === 1 ? 2 : 1));
    return only(replies, "feedback").correct;
  }

  it("exports what learners answered through the real service and store, the private one anonymous, other servers left out", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T12:00:00Z");
    only(await h.say(ann, "/quiz alpha 2"), "question");
    const annRight = [await answer(h, ann, true), await answer(h, ann, true)];
    await h.say(bob, "/settings private on");
    only(await h.say(bob, "/quiz alpha 2"), "question");
    const bobRight = [await answer(h, bob, true), await answer(h, bob, false)];
    only(await h.say(carol, "/quiz alpha 1"), "question");
    await answer(h, carol, true);

    const d = { store: h.store, catalog: await fixtureCatalog(), now: h.clock.now(), write: (t: string) => void written.push(t), say: (l: string) => void said.push(l) };
    expect(await runTeamExport(options({ workspace: `discord:${GUILD_ID}`, out: dir }), d)).toBe(0);
    const [file] = await readdir(dir);
    expect(file).toBe(`drillbot-team-discord-${GUILD_ID}-2026-03-02.csv`);
    const text = await readFile(path.join(dir, file!), "utf8");
    expect(text).not.toMatch(/bob/);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const learners = rows.filter((r) => r.section === "learner");
    const right = (xs: boolean[]) => String(xs.filter(Boolean).length);
    const annCards = await h.store.cardStates(ann);
    expect(learners).toHaveLength(2);
    expect(learners[0]).toMatchObject({
      name: "ann",
      answers: "2",
      correct: right(annRight),
      current_streak: "1",
      longest_streak: "1",
      cards_seen: String(Object.keys(annCards).length),
      cards_mastered: String(Object.values(annCards).filter((c) => cardStanding(c, h.clock.now()) === "mastered").length),
    });
    expect(learners[1]).toMatchObject({ name: "anonymous", answers: "2", correct: right(bobRight), accuracy: (bobRight.filter(Boolean).length / 2).toFixed(3) });
    const lesson = rows.find((r) => r.section === "lesson" && r.id === "alpha-lesson")!;
    expect(lesson).toMatchObject({ answers: "4", correct: String(Number(right(annRight)) + Number(right(bobRight))), cards: String(3 * 2) });
    expect(rows.find((r) => r.section === "concept" && r.id === "alpha")!.answers).toBe("4");
    expect(said).toEqual([`wrote ${path.join(dir, file!)}: Team export for discord:${GUILD_ID}: 2 learners (1 anonymous), 3 lessons and practice sets, 2 concepts`]);
    h.close();
  });

  it("a server nobody answered in exits 1 and writes nothing", async () => {
    const h = await harness(redis.server.url, uniquePrefix());
    const d = { store: h.store, catalog: await fixtureCatalog(), now: h.clock.now(), write: (t: string) => void written.push(t), say: (l: string) => void said.push(l) };
    expect(await runTeamExport(options({ workspace: "discord:222222222222222222", out: dir }), d)).toBe(1);
    expect(said[0]).toMatch(/^nobody has answered in discord:222222222222222222 yet/);
    expect(await readdir(dir)).toEqual([]);
    h.close();
  });
});
