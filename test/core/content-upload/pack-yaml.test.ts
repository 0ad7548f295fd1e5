import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildCatalog, formatProblem } from "../../../core/content/catalog.js";
import { packToYaml, parsePackYaml, toRawPacks } from "../../../core/content/upload/pack-yaml.js";
import { checkUpload } from "../../../core/content/upload/check-upload.js";
import { validPack } from "./pack-arbitrary.js";

const TEAM_PACK = `# A team's own pack
id: team-pack
title: Team deploys
concepts:
  - id: deploys
    title: Deploys
  - id: rollbacks
    title: Rollbacks
    prerequisites: [deploys]
lessons:
  - id: team-deploys
    order: 1
    title: Deploying safely
    concepts: [deploys]
    cards:
      - title: Canaries
        body: Ship to 1% of traffic first, watch the error rate, then go on.
    takeaways: [Canary first.]
    sources: [{ file: Runbook, section: Deploys }]
    questions:
      - id: team-canary
        type: single
        difficulty: intro
        concepts: [deploys]
        source: { file: Runbook, section: Deploys }
        stem: What share of traffic does a canary get first?
        options:
          - { id: a, text: 1%, explanation: A small share limits the harm. }
          - { id: b, text: 50%, explanation: Half of all users would see a bad build. }
        answer: a
        explanation: Start small so a bad build hurts few users.
  - id: team-rollbacks
    order: 2
    title: Rolling back
    concepts: [rollbacks]
    cards:
      - body: Keep the previous build ready to run.
    takeaways: [Roll back first, debug later.]
    sources: [{ file: Runbook, section: Rollbacks }]
    questions:
      - id: team-rollback-first
        type: truefalse
        difficulty: intermediate
        concepts: [rollbacks]
        source: { file: Runbook, section: Rollbacks }
        stem: During an incident, debug the new build before rolling back.
        answer: false
        explanation: Restore service first; debug the bad build afterwards.
        wrongExplanation: Debugging while users are failing prolongs the outage.
`;

function parsed(text: string, file = "team-pack.yaml") {
  const r = parsePackYaml(text, file);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
  return r.pack;
}
function problems(text: string, file = "team-pack.yaml") {
  const r = parsePackYaml(text, file);
  if (r.ok) throw new Error("expected problems");
  return r.problems.map(formatProblem);
}

describe("single-file YAML pack", () => {
  it("reads a pack's manifest fields and its lessons, normalized like content check reads them", () => {
    const pack = parsed(TEAM_PACK);
    expect(pack.manifest).toMatchObject({ id: "team-pack", title: "Team deploys", version: 1, practice: [] });
    expect(pack.manifest).not.toHaveProperty("lessons");
    expect(pack.lessons.map((l) => [l.fileName, l.data.id, l.data.topics, l.data.questions?.map((q) => q.id)])).toEqual([
      ["01-team-deploys.yaml", "team-deploys", [], ["team-canary"]],
      ["02-team-rollbacks.yaml", "team-rollbacks", [], ["team-rollback-first"]],
    ]);
  });

  it("writes manifest fields in pack.yaml order, then the lessons, each in lesson-file order", () => {
    const yaml = packToYaml(parsed(TEAM_PACK));
    expect(Object.keys(parse(yaml))).toEqual(["id", "title", "version", "concepts", "practice", "lessons"]);
    const doc = parse(yaml);
    expect(Object.keys(doc.lessons[0])).toEqual(["id", "order", "title", "topics", "concepts", "prerequisites", "learningOutcomes", "cards", "takeaways", "sources", "questions"]);
    expect(Object.keys(doc.lessons[0].questions[0])).toEqual(["id", "type", "difficulty", "concepts", "source", "stem", "options", "answer", "explanation"]);
    expect(Object.keys(doc.lessons[1].questions[0])).toEqual(["id", "type", "difficulty", "concepts", "source", "stem", "answer", "explanation", "wrongExplanation"]);
    // Readable: short word lists on one line, a comment on top when given.
    expect(yaml).toContain("    prerequisites: [deploys]\n");
    expect(packToYaml(parsed(TEAM_PACK), "Team pack.\nEdit and upload again.")).toMatch(/^# Team pack\.\n# Edit and upload again\.\n\nid: team-pack\n/);
  });

  it("names the line and column of a YAML syntax error", () => {
    const broken = TEAM_PACK.replace("    concepts: [deploys]\n    cards:", "    concepts: [deploys\n    cards:");
    const found = problems(broken);
    expect(found[0]).toMatch(/^team-pack\.yaml: line 1[45], column \d+: YAML syntax: /);
    expect(problems(TEAM_PACK.replace("title: Team deploys", "title: Team deploys\ntitle: again"))).toEqual(["team-pack.yaml: line 4, column 1: YAML syntax: Map keys must be unique"]);
  });

  it("names the field path and line of a structure error", () => {
    const oneOption = TEAM_PACK.replace("          - { id: b, text: 50%, explanation: Half of all users would see a bad build. }\n", "");
    expect(problems(oneOption)).toEqual(["team-pack.yaml: lessons[0].questions[0].options (line 28): needs at least 2 items"]);
    const wrong = TEAM_PACK.replace("difficulty: intermediate", "difficulty: hard").replace("answer: false", "answer: nope").replace("  - id: team-rollbacks\n", "  - id: Team Rollbacks\n");
    expect(problems(wrong)).toEqual([
      'team-pack.yaml: lessons[1].id (line 32): use lower-case letters, digits and dashes (e.g. "connection-pooling")',
      'team-pack.yaml: lessons[1].questions[0].difficulty (line 43): "hard" is not allowed; use one of intro, intermediate, advanced, mastery',
      'team-pack.yaml: lessons[1].questions[0].answer (line 47): expected true or false, found "nope"',
    ]);
    expect(problems(TEAM_PACK.replace("        type: truefalse\n", "        type: yesno\n"))).toEqual([
      'team-pack.yaml: lessons[1].questions[0].type (line 42): "yesno" is not a question type; use one of single, multi, truefalse, order, numeric, text',
    ]);
    expect(problems(TEAM_PACK.replace("title: Team deploys\n", ""))).toEqual(["team-pack.yaml: title (line 2): is missing (expected text)"]);
  });

  it("names an unknown field and the fields allowed there", () => {
    expect(problems(TEAM_PACK.replace("    takeaways: [Canary first.]\n", "    takeaway: [Canary first.]\n"))).toEqual([
      "team-pack.yaml: lessons[0].takeaways (line 11): is missing (expected a list)",
      "team-pack.yaml: lessons[0].takeaway (line 18): unknown field \"takeaway\"; allowed here: id, order, title, topics, concepts, prerequisites, summary, learningOutcomes, cards, takeaways, sources, questions",
    ]);
  });

  it("refuses a file that is not a mapping of pack fields, or whose lessons are not a list", () => {
    expect(problems("- id: a\n- id: b\n")).toEqual(["team-pack.yaml: line 1: a pack is a mapping of fields (id, title, concepts, lessons (see the export of any pack)), not a list or a single value"]);
    expect(problems("# nothing here\n")).toEqual(["team-pack.yaml: the file has no content; a pack needs id, title, concepts, lessons (see the export of any pack)"]);
    expect(problems(TEAM_PACK.replace(/lessons:\n[\s\S]*$/, "lessons: none\n"))).toEqual(['team-pack.yaml: lessons (line 10): must be a list of lessons (each line starting with "- ")']);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    const found = problems(bomb);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^team-pack\.yaml: cannot read the YAML: .*alias/i);
  });

  it("gives buildCatalog file names that point into the uploaded file", () => {
    const pack = parsed(TEAM_PACK);
    pack.lessons[1]!.data.concepts = ["rollbacks", "canaries"];
    const r = buildCatalog([toRawPacks(pack, "team-pack.yaml")]);
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual(['team-pack.yaml: lessons[1]: concepts: "canaries" is not a concept declared in pack.yaml']);
  });

  it("round-trips any valid pack: parsePackYaml(packToYaml(p)) is p, and checkUpload accepts it with the same summary", () => {
    fc.assert(
      fc.property(validPack, (pack) => {
        const yaml = packToYaml(pack, "generated");
        const back = parsePackYaml(yaml, "p.yaml");
        expect(back.ok ? back.pack : back.problems).toEqual(pack);
        const checked = checkUpload({ fileName: "p.yaml", bytes: new TextEncoder().encode(yaml), builtIn: [], others: [] });
        expect(checked.ok ? checked.summary : checked.problems).toEqual({
          packId: pack.manifest.id,
          title: pack.manifest.title,
          lessons: pack.lessons.length,
          questions: pack.lessons.reduce((n, l) => n + (l.data.questions?.length ?? 0), 0) + (pack.manifest.practice ?? []).reduce((n, s) => n + s.questions.length, 0),
        });
        expect(checked.ok && checked.pack).toEqual(pack);
        // The stored YAML is stable: checking it again gives the same pack and the same text.
        const again = checkUpload({ fileName: "p.yaml", bytes: new TextEncoder().encode(checked.ok ? checked.yaml : ""), builtIn: [], others: [] });
        expect(again.ok && again.pack).toEqual(pack);
        expect(again.ok && again.yaml).toBe(checked.ok && checked.yaml);
      }),
      { numRuns: 150 },
    );
  });
});
