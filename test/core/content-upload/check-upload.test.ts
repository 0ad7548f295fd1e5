import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readPacks } from "../../../bots/content/load-packs.js";
import { formatProblem, type RawPack } from "../../../core/content/catalog.js";
import type { ImportedPack, QuestionData } from "../../../core/content/import/imported-pack.js";
import { checkUpload, UPLOAD_LIMITS, type UploadCheck } from "../../../core/content/upload/check-upload.js";
import { packToYaml, parsePackYaml, toRawPacks } from "../../../core/content/upload/pack-yaml.js";

const enc = (s: string) => new TextEncoder().encode(s);
let builtIn: RawPack[] = [];
beforeAll(async () => {
  // The "mini" test course: concepts alpha and beta, lessons alpha-lesson and beta-lesson, practice set "mixed" with question mix-1.
  builtIn = (await readPacks(new URL("../../fixtures/content", import.meta.url).pathname)).packs;
});

const upload = (fileName: string, text: string | Uint8Array, extra: Partial<Parameters<typeof checkUpload>[0]> = {}): UploadCheck =>
  checkUpload({ fileName, bytes: typeof text === "string" ? enc(text) : text, builtIn, others: [], ...extra });

function accepted(r: UploadCheck) {
  if (!r.ok) throw new Error(`${r.message}\n${r.problems.map(formatProblem).join("\n")}`);
  return r;
}
function refused(r: UploadCheck) {
  if (r.ok) throw new Error(`expected a refusal, got pack ${r.summary.packId}`);
  return { message: r.message, problems: r.problems.map(formatProblem) };
}

const TEAM_PACK = `id: team-pack
title: Team deploys
concepts:
  - id: deploys
    title: Deploys
lessons:
  - id: team-deploys
    order: 1
    title: Deploying safely
    concepts: [deploys]
    cards:
      - body: Ship to 1% of traffic first, watch the error rate, then go on.
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
practice:
  - id: team-mixed
    title: Mixed
    questions:
      - id: team-freeze
        type: truefalse
        difficulty: intermediate
        concepts: [deploys]
        source: { file: Runbook, section: Freezes }
        stem: Deploys are frozen on Fridays after 3 pm.
        answer: true
        explanation: The runbook freezes deploys before the weekend.
        wrongExplanation: The freeze exists because weekend cover is thin.
`;

const CSV = [
  "question,options,answer,explanation,topic,difficulty",
  '"Which cache problem hits the database when many keys expire together?",Stampede|Warming|Write-behind,a,"Many callers rebuild the same entries at once.",Caching,intermediate',
  '"Which spread expiry times out?",Random TTL jitter|Early refresh|One TTL for all,a|b,"Both stop keys expiring in the same instant.",Caching,hard',
  '"How long is the third wait with 100 ms base, factor 2?",100 ms|200 ms|400 ms,3,"100, 200, then 400 ms.",Retries,easy',
].join("\n");

const TSV = ["id\tquestion\toption_a\toption_b\tanswer\tconcepts", "disk-full\tA disk is at 95%. First step?\tDelete logs by hand\tFind what grows\tb\tcapacity"].join("\n");

const COURSE = JSON.stringify({
  course: {
    title: "Queues 101",
    micro_concepts: [{ concept_id: "queue_basics", name: "Queues as shock absorbers", prerequisites: [] }],
    segments: [{ segment_id: "s1", title: "Why queues", micro_concept_id: "queue_basics", learning_outcomes: ["Read queue depth as lag"] }],
    interleaved_practice: [{ question: "What does a growing queue depth say?", options: ["Consumers fall behind", "Producers stopped"], correct_option_index: 0, related_micro_concepts: ["queue_basics"] }],
  },
});

describe("checkUpload: good uploads", () => {
  it("accepts a single-file YAML pack and stores it as normalized YAML that checks to the same pack", () => {
    const r = accepted(upload("team-pack.yaml", TEAM_PACK));
    expect([r.format, r.summary, r.warnings, r.notes]).toEqual(["YAML pack", { packId: "team-pack", title: "Team deploys", lessons: 1, questions: 2 }, [], []]);
    expect(r.yaml).toMatch(/^# drillbot course pack "team-pack"\./);
    const again = accepted(upload("exported.yaml", r.yaml));
    expect(again.pack).toEqual(r.pack);
    expect(again.yaml).toBe(r.yaml);
  });

  it("recognizes a YAML pack by its content when the name has no extension", () => {
    expect(accepted(upload("team-pack", `# my pack\n---\n${TEAM_PACK}`)).format).toBe("YAML pack");
  });

  it("converts a CSV question table, one lesson per topic, with the importer's notes", () => {
    const r = accepted(upload("team-quiz.csv", CSV));
    expect([r.format, r.summary]).toEqual(["question table", { packId: "team-quiz", title: "Team quiz", lessons: 2, questions: 3 }]);
    expect(r.pack.lessons.map((l) => l.data.questions?.map((q) => [q.type, q.source.section]))).toEqual([
      [["single", "row 2"], ["multi", "row 3"]],
      [["single", "row 4"]],
    ]);
    expect(r.notes.join("\n")).toContain("option(s) had no explanation");
    expect(r.yaml).toContain("# Converted from team-quiz.csv (question table).");
    const again = accepted(upload("team-quiz.yaml", r.yaml));
    expect([again.format, again.pack]).toEqual(["YAML pack", r.pack]);
  });

  it("converts a TSV question table and a course JSON", () => {
    const tsv = accepted(upload("ops.tsv", TSV));
    expect([tsv.format, tsv.summary]).toEqual(["question table", { packId: "ops", title: "Ops", lessons: 1, questions: 1 }]);
    expect(tsv.pack.lessons[0]?.data.questions?.[0]?.id).toBe("disk-full");
    const json = accepted(upload("queues.json", COURSE));
    expect([json.format, json.summary]).toEqual(["course JSON", { packId: "queues-101", title: "Queues 101", lessons: 1, questions: 1 }]);
    expect(accepted(upload("queues.yaml", json.yaml)).pack).toEqual(json.pack);
  });

  it("renames a converted table's concepts that the built-in course already has, instead of refusing", () => {
    const r = accepted(upload("greek.csv", "question,options,answer,topic\nFirst letter?,Alpha|Beta,a,Alpha\nSecond?,Alpha|Beta,b,Beta\n"));
    expect(r.pack.manifest.concepts.map((c) => c.id)).toEqual(["greek-alpha", "greek-beta"]);
    expect(r.pack.lessons.map((l) => [l.data.concepts, l.data.questions?.map((q) => q.concepts)])).toEqual([
      [["greek-alpha"], [["greek-alpha"]]],
      [["greek-beta"], [["greek-beta"]]],
    ]);
    expect(r.notes.at(-1)).toBe('concept(s) "alpha" → "greek-alpha", "beta" → "greek-beta" renamed: the built-in course or another pack of this workspace already has them');
  });

  it("checks a new version of a pack without the version it replaces", () => {
    const ops = accepted(upload("ops.tsv", TSV));
    const others = [toRawPacks(accepted(upload("team-pack.yaml", TEAM_PACK)).pack, "team-pack.yaml"), toRawPacks(ops.pack, "ops.yaml")];
    const v2 = TEAM_PACK.replace("title: Team deploys", "title: Team deploys, second edition");
    expect(accepted(upload("team-pack.yaml", v2, { others })).summary.title).toBe("Team deploys, second edition");
    expect(accepted(upload("team-pack.yaml", v2, { others: others.slice(1) })).summary.title).toBe("Team deploys, second edition");
    // A different pack reusing the replaced pack's question ids still collides.
    const copy = refused(upload("copy.yaml", v2.replace("id: team-pack", "id: team-copy"), { others }));
    expect(copy.problems.some((p) => p.includes('already used by this workspace\'s pack "team-pack"'))).toBe(true);
  });
});

describe("checkUpload: problems, each naming file, place and field", () => {
  it("YAML syntax: line and column", () => {
    expect(refused(upload("team.yaml", TEAM_PACK.replace("concepts: [deploys]\n    cards:", "concepts: [deploys\n    cards:")))).toEqual({
      message: "1 problem in team.yaml: nothing was stored",
      problems: ["team.yaml: line 11, column 5: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    });
  });

  it("schema fields: path and line", () => {
    const r = refused(upload("team.yaml", TEAM_PACK.replace("          - { id: b, text: 50%, explanation: Half of all users would see a bad build. }\n", "")));
    expect(r).toEqual({ message: "1 problem in team.yaml: nothing was stored", problems: ["team.yaml: lessons[0].questions[0].options (line 23): needs at least 2 items"] });
  });

  it("the cross-checks of content check: answers, concepts, repeated ids", () => {
    const bad = TEAM_PACK.replace("        answer: a\n", "        answer: c\n")
      .replace("    concepts: [deploys]\n    cards:", "    concepts: [deploys, canaries]\n    cards:")
      .replace("      - id: team-freeze\n", "      - id: team-canary\n");
    expect(refused(upload("team.yaml", bad)).problems).toEqual([
      'team.yaml: lessons[0].concepts (line 10): "canaries" is not a concept declared under concepts',
      'team.yaml: lessons[0].questions[0].answer (line 25): "c" is not one of the option ids a, b',
      'team.yaml: practice[0].questions[0].id (line 31): question id "team-canary" is already used in lessons[0]',
    ]);
    const twice = TEAM_PACK.replace("practice:\n  - id: team-mixed", "practice:\n  - id: team-deploys");
    expect(refused(upload("team.yaml", twice)).problems).toEqual(['team.yaml: practice[0].id (line 28): lesson or practice set id "team-deploys" is used twice (also at lessons[0].id (line 7))']);
  });

  it("bad CSV rows: every row, with its column", () => {
    const csv = CSV.replace("Random TTL jitter|Early refresh|One TTL for all,a|b", "Random TTL jitter|Early refresh|One TTL for all,d").replace("Retries,easy", "Retries,tricky");
    expect(refused(upload("team.csv", csv))).toEqual({
      message: "2 problems in team.csv: nothing was stored",
      problems: [
        'team.csv: row 3, column "answer": answer "d" matches no option; use a letter (a-c), a number (1-3) or the option\'s exact text',
        'team.csv: row 4, column "difficulty": difficulty "tricky" is not understood; use one of intro, intermediate, advanced, mastery (or easy, medium, hard, expert, or 1-4)',
      ],
    });
  });

  it("a CSV whose rows reuse question ids of the built-in course: the rows and the owner", () => {
    const csv = "id,question,options,answer\nq-new,New?,x|y,a\na-single,Clash?,x|y,a\nmix-1,Clash too?,x|y,b\n";
    expect(refused(upload("ids.csv", csv)).problems).toEqual([
      'ids.csv: row 3, id: question id "a-single" is already used by the built-in pack "mini"; choose another id',
      'ids.csv: row 4, id: question id "mix-1" is already used by the built-in pack "mini"; choose another id',
    ]);
  });

  it("ids the built-in course uses: pack, concept, lesson and question", () => {
    const clash = TEAM_PACK.replace("id: team-pack", "id: mini").replace("  - id: deploys\n", "  - id: alpha\n").replace(/\[deploys\]/g, "[alpha]").replace("  - id: team-deploys\n", "  - id: alpha-lesson\n").replace("      - id: team-canary\n", "      - id: mix-1\n");
    expect(refused(upload("clash.yaml", clash))).toEqual({
      message: "4 problems in clash.yaml: nothing was stored",
      problems: [
        'clash.yaml: id (line 1): pack id "mini" is already used by the built-in pack "mini"; change the id',
        'clash.yaml: concepts[0].id (line 4): concept id "alpha" is already used by the built-in pack "mini"; choose another id',
        'clash.yaml: lessons[0].id (line 7): lesson or practice set id "alpha-lesson" is already used by the built-in pack "mini"; choose another id',
        'clash.yaml: lessons[0].questions[0].id (line 16): question id "mix-1" is already used by the built-in pack "mini"; choose another id',
      ],
    });
  });

  it("ids another pack of the same workspace uses", () => {
    const others = [toRawPacks(accepted(upload("ops.tsv", TSV)).pack, "ops.yaml")];
    const r = refused(upload("team.yaml", TEAM_PACK.replace("      - id: team-freeze\n", "      - id: disk-full\n"), { others }));
    expect(r.problems).toEqual(['team.yaml: practice[0].questions[0].id (line 31): question id "disk-full" is already used by this workspace\'s pack "ops"; choose another id']);
    // A table named like one of the workspace's packs replaces that pack, so its ids are free.
    expect(accepted(upload("ops.csv", "question,options,answer\nQ?,x|y,a\n", { others })).summary.packId).toBe("ops");
  });

  it("a file over the size limit is refused before it is read: 1 MB for tables and course JSON, 4 MB for YAML packs", () => {
    const junk = new Uint8Array(UPLOAD_LIMITS.maxBytes + 1).fill(0xff);
    expect(refused(upload("big.csv", junk))).toEqual({
      message: "big.csv is 1,048,577 bytes, over the limit of 1,048,576: nothing was stored",
      problems: ["big.csv: the file is 1 MB (1,048,577 bytes); this kind of upload may be at most 1 MB (1,048,576 bytes); a YAML pack (.yaml) 4 MB: split it into smaller packs"],
    });
    expect(refused(upload("big.json", new Uint8Array(3 * 1024 * 1024)))).toMatchObject({ message: "big.json is 3 MB, over the 1 MB limit: nothing was stored" });
    expect(refused(upload("big.yaml", junk)).message).toBe("big.yaml is not UTF-8 text: nothing was stored");
    expect(refused(upload("big.yaml", new Uint8Array(UPLOAD_LIMITS.maxPackBytes + 1).fill(0xff))).problems).toEqual([
      "big.yaml: the file is 4 MB (4,194,305 bytes); this kind of upload may be at most 4 MB (4,194,304 bytes); other files 1 MB: split it into smaller packs",
    ]);
    expect(refused(upload("team.csv", CSV, { limits: { maxBytes: 100 } })).message).toBe(`team.csv is ${enc(CSV).length} bytes, over the 100 bytes limit: nothing was stored`);
  });

  it("too many questions or lessons: the counts and the limits", () => {
    expect(refused(upload("team.csv", CSV, { limits: { maxQuestions: 2 } }))).toEqual({
      message: "team.csv has 3 questions (at most 2): nothing was stored",
      problems: ["team.csv: the pack has 3 questions (at most 2) per upload: split it into smaller packs"],
    });
    expect(refused(upload("team.csv", CSV, { limits: { maxLessons: 1, maxQuestions: 1 } })).message).toBe("team.csv has 3 questions (at most 1) and 2 lessons (at most 1): nothing was stored");
  });

  it("a converted pack whose YAML would exceed the pack limit (its export could not be uploaded again)", () => {
    const r = refused(upload("team.csv", CSV, { limits: { maxPackBytes: 1500 } }));
    expect(r.message).toMatch(/^team\.csv is [\d.]+ KB as a YAML pack, over the 1\.5 KB limit: nothing was stored$/);
    expect(accepted(upload("team.csv", CSV, { limits: { maxPackBytes: 8000 } })).yaml.length).toBeGreaterThan(1500);
  });

  it("takes a 2,000-question CSV under 1 MB: its YAML fits the pack limit", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `"Case ${i}: which option is right?",First ${i}|Second ${i}|Third ${i}|Fourth ${i},${"abcd"[i % 4]},"Because of case ${i}.",Topic ${i % 40}`);
    const csv = ["question,options,answer,explanation,topic", ...rows].join("\n");
    const r = accepted(upload("big.csv", csv));
    expect(r.summary).toMatchObject({ lessons: 40, questions: 2000 });
    expect(enc(r.yaml).length).toBeGreaterThan(UPLOAD_LIMITS.maxBytes);
    expect(accepted(upload("big.yaml", r.yaml)).summary).toEqual(r.summary);
    expect(refused(upload("big.csv", `${csv}\n"One more?",a|b,a,"x",Topic 0`)).message).toBe("big.csv has 2,001 questions (at most 2,000): nothing was stored");
  });

  it("not UTF-8: a Latin-1 CSV, UTF-16, an image, a spreadsheet workbook, NUL bytes", () => {
    const latin1 = Uint8Array.from([...enc("question,options,answer\nCaf"), 0xe9, ...enc("?,x|y,a\n")]);
    expect(refused(upload("menu.csv", latin1))).toEqual({
      message: "menu.csv is not UTF-8 text: nothing was stored",
      problems: ['menu.csv: the file is not UTF-8 text (byte 0xE9 on line 2); it is probably in a Windows or Latin-1 encoding: save it as UTF-8 text (in a spreadsheet: "Save as" CSV UTF-8)'],
    });
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[..."question"].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(refused(upload("q.csv", utf16)).message).toBe("q.csv is UTF-16 text, not UTF-8: nothing was stored");
    expect(refused(upload("q.csv", utf16.subarray(2))).message).toBe("q.csv is not UTF-8 text: nothing was stored");
    expect(refused(upload("logo.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).message).toBe("logo.png is a PNG image, not a text file: nothing was stored");
    expect(refused(upload("quiz.xlsx", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).problems).toEqual([
      "quiz.xlsx: this is a ZIP archive (an Excel .xlsx or OpenDocument file is one), not a text file; upload a .yaml pack, a course .json or a .csv/.tsv question table",
    ]);
  });

  it("empty files, and files that are none of the formats", () => {
    expect(refused(upload("q.csv", new Uint8Array(0))).message).toBe("q.csv is empty: nothing was stored");
    expect(refused(upload("q.csv", " \n\t\n")).message).toBe("q.csv is empty: nothing was stored");
    expect(refused(upload("q.yaml", "# only a comment\n")).problems).toEqual(["q.yaml: the file has no content; a pack needs id, title, concepts, lessons (see the export of any pack)"]);
    expect(refused(upload("notes.txt", "Remember to study.\n"))).toEqual({
      message: "notes.txt is not a pack, a course JSON or a question table: nothing was stored",
      problems: ["notes.txt: not a YAML pack (.yaml), a course JSON nor a question table (first row needs columns question, options (or option_a, option_b, ...), answer)"],
    });
    expect(refused(upload("q.json", '{"course": {"micro_concepts": []}}')).problems).toEqual(["q.json: course.micro_concepts: a course needs at least one micro-concept"]);
  });

  it("lists the first 50 problems and counts the rest", () => {
    const rows = Array.from({ length: 60 }, (_, i) => `Q${i}?,x|y,z`);
    const r = refused(upload("many.csv", ["question,options,answer", ...rows].join("\n")));
    expect(r.message).toBe("60 problems in many.csv: nothing was stored");
    expect(r.problems).toHaveLength(51);
    expect(r.problems.at(-1)).toBe("many.csv: ... and 10 more problems");
  });

  it("keeps folders and control characters of the file name out of messages", () => {
    expect(refused(upload("C:\\Users\\ana\\q\u0007.csv", new Uint8Array(0))).message).toBe("q.csv is empty: nothing was stored");
  });

  it("never throws: any bytes under any name give a result, a refusal naming the file", () => {
    const name = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("a.yaml", "a.csv", "a.tsv", "a.json", "a.txt", ""));
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.array(fc.constantFrom("id: x\n", "lessons:\n", "  - ", "question,options,answer\n", '{"course":', "a|b,", '"', "\t", "[", "&a ", "*a", "- ", ": "), { maxLength: 40 }).map((parts) => parts.join("")),
    );
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), text.map(enc));
    fc.assert(
      fc.property(name, bytes, (fileName, b) => {
        const r = checkUpload({ fileName, bytes: b, builtIn, others: [] });
        if (r.ok) return;
        expect(r.problems.length).toBeGreaterThan(0);
        expect(r.message).toMatch(/: nothing was stored$/);
        expect(r.problems.every((p) => p.message.length > 0 && p.file.length > 0)).toBe(true);
        expect(r.problems.map((p) => p.message).join("\n")).not.toMatch(/could not be checked/);
      }),
      { numRuns: 400 },
    );
  });
});

describe("checkUpload: answer-cue warnings", () => {
  const question = (i: number, q: Partial<QuestionData> & Pick<QuestionData, "type">): QuestionData =>
    ({ id: `cue-${i}`, difficulty: "intro", concepts: ["cues"], source: { file: "t", section: "s" }, stem: `Question ${i}?`, explanation: "Because.", ...q }) as QuestionData;
  const packOf = (questions: QuestionData[]): string => {
    const pack: ImportedPack = {
      manifest: { id: "cue-pack", title: "Cues", concepts: [{ id: "cues", title: "Cues" }], practice: [{ id: "cue-set", title: "Cues", questions }] },
      lessons: [],
    };
    return packToYaml(pack);
  };
  const opt = (id: string, text: string) => ({ id, text, explanation: "x" });

  it("warns when the right option is the longest: the share, the limit and rows to fix", () => {
    const rows = Array.from({ length: 10 }, (_, i) => `Q${i}?,No|Nope|Yes: because the replica lags behind the primary,c`);
    const r = accepted(upload("long.csv", ["question,options,answer", ...rows].join("\n")));
    expect(r.warnings).toEqual([
      "the correct option is the longest in 100% of 10 single-choice questions: a learner can guess by length (keep it under 35%) (e.g. row 2, row 3, row 4)",
      "the correct option is typically 16.0x as long as the wrong ones: make the wrong options as specific as the right one (keep it under 1.25x)",
    ]);
  });

  it("warns when true/false leans one way and when multiple select always has the same count", () => {
    const tf = Array.from({ length: 6 }, (_, i) => question(i, { type: "truefalse", answer: i < 5, wrongExplanation: "No." }));
    const multi = Array.from({ length: 6 }, (_, i) => question(10 + i, { type: "multi", options: [opt("a", "x1"), opt("b", "x2"), opt("c", "x3")], answer: ["a", "b"] }));
    expect(accepted(upload("cues.yaml", packOf([...tf, ...multi]))).warnings).toEqual([
      "True is the answer in 83% of 6 true/false questions: always answering True scores well (keep True between 40% and 60%)",
      "100% of 6 multiple-select questions have exactly 2 right options: a learner can guess how many to pick (vary it)",
    ]);
  });

  it("has no warnings for a balanced set, or one too small to judge", () => {
    const tf = Array.from({ length: 6 }, (_, i) => question(i, { type: "truefalse", answer: i % 2 === 0, wrongExplanation: "No." }));
    expect(accepted(upload("fair.yaml", packOf(tf))).warnings).toEqual([]);
    const few = Array.from({ length: 3 }, (_, i) => question(i, { type: "truefalse", answer: true, wrongExplanation: "No." }));
    expect(accepted(upload("few.yaml", packOf(few))).warnings).toEqual([]);
  });
});

describe("checkUpload: packs that lean on other packs", () => {
  it("warns that a pack using the built-in course's concepts and lessons depends on that pack staying on", () => {
    const leaning = TEAM_PACK.replace("    concepts: [deploys]\n    cards:", "    concepts: [deploys, alpha]\n    prerequisites: [alpha-lesson]\n    cards:");
    expect(accepted(upload("team.yaml", leaning)).warnings).toEqual([
      'this pack uses concept "alpha", lesson "alpha-lesson" of the built-in pack "mini": switching that pack off would take this one out of the course too',
    ]);
    expect(refused(upload("team.yaml", leaning, { builtIn: [] })).problems).toEqual([
      'team.yaml: lessons[0].concepts (line 10): "alpha" is not a concept declared under concepts',
      'team.yaml: lessons[0].prerequisites (line 11): "alpha-lesson" is not a lesson id',
    ]);
  });
});

describe("parsePackYaml of stored packs", () => {
  it("reads back what checkUpload stores", () => {
    const r = accepted(upload("team-quiz.csv", CSV));
    const back = parsePackYaml(r.yaml, "team-quiz.yaml");
    expect(back.ok && back.pack).toEqual(r.pack);
  });
});
