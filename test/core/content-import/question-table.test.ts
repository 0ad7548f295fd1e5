import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../../core/content/catalog.js";
import type { ImportedPack, ImportResult, QuestionData } from "../../../core/content/import/imported-pack.js";
import { importQuestionTable } from "../../../core/content/import/question-table.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), "utf8");

function pack(r: ImportResult): ImportedPack {
  if (!r.ok) throw new Error(r.error);
  return r.pack;
}
function error(r: ImportResult): string {
  if (r.ok) throw new Error("expected the import to fail");
  return r.error;
}
const questions = (p: ImportedPack) => p.lessons.flatMap((l) => l.data.questions ?? []);
const options = (q: QuestionData | undefined) => (q && "options" in q ? q.options.map((o) => [o.id, o.text, o.explanation]) : []);
const accepted = (p: ImportedPack) => {
  const r = buildCatalog([{ manifest: { file: "pack.yaml", data: p.manifest }, lessons: p.lessons.map((l) => ({ file: l.fileName, data: l.data })) }]);
  return r.ok ? [] : r.problems;
};
const csv = (...lines: string[]) => importQuestionTable(lines.join("\n"), { fileName: "quiz.csv" });

describe("question table import", () => {
  describe("a CSV with quoted commas, line breaks and quotes (CRLF)", () => {
    const r = importQuestionTable(fixture("team-questions.csv"), { fileName: "team-questions.csv" });
    const p = pack(r);
    const qs = questions(p);

    it("groups rows into one lesson per topic, in order of appearance", () => {
      expect(p.manifest.id).toBe("team-questions");
      expect(p.lessons.map((l) => [l.fileName, l.data.title, l.data.topics, l.data.questions?.length])).toEqual([
        ["01-team-questions-caching.yaml", "Caching", ["caching"], 2],
        ["02-team-questions-retries.yaml", "Retries", ["retries"], 2],
      ]);
      expect(p.manifest.concepts.map((c) => c.id)).toEqual(["caching", "retries"]);
    });

    it("keeps commas, line breaks and doubled quotes inside cells", () => {
      expect(qs[0]?.stem).toBe("When a cache entry expires, many requests miss at once. What is that called?");
      expect(qs[2]?.stem).toBe("A client retries a failed call immediately, again and again.\nWhat is the risk?");
      expect(qs[2]?.explanation).toBe('Instant retries add load exactly when the service is weakest; back off and add jitter.\nSee the "Retries" card.');
    });

    it("reads answers given as a letter, several letters, the option text and a 1-based number", () => {
      expect(qs.map((q) => [q.type, "answer" in q ? q.answer : undefined])).toEqual([
        ["single", "a"],
        ["multi", ["a", "b"]],
        ["single", "a"],
        ["single", "c"],
      ]);
    });

    it("keeps per-option explanations and generates a clear one where a row has none", () => {
      expect(options(qs[0])).toEqual([
        ["a", "Cache stampede", "Correct: the herd of misses is the stampede."],
        ["b", "Cache warming", "Warming fills the cache ahead of time; it is a fix, not the problem."],
        ["c", "Write-behind", "Write-behind is about how writes reach the store."],
      ]);
      expect(options(qs[1]).map((o) => o[2])).toEqual([
        "This option is part of the intended answer; see the explanation.",
        "This option is part of the intended answer; see the explanation.",
        "Not the intended answer; see the explanation.",
        "Not the intended answer; see the explanation.",
      ]);
      expect(r.ok && r.notes).toContainEqual(expect.stringMatching(/^11 option\(s\) had no explanation/));
    });

    it("maps difficulty words and defaults a blank one to intermediate, saying so", () => {
      expect(qs.map((q) => q.difficulty)).toEqual(["intermediate", "advanced", "intermediate", "intro"]);
      expect(r.ok && r.notes).toContain("row(s) 4 have no difficulty; set to intermediate");
    });

    it("names each question's source row and passes the catalog checks", () => {
      expect(qs.map((q) => q.source.section)).toEqual(["row 2", "row 3", "row 4", "row 5"]);
      expect(qs.map((q) => q.id)).toEqual(["team-questions-01", "team-questions-02", "team-questions-03", "team-questions-04"]);
      expect(accepted(p)).toEqual([]);
    });
  });

  describe("a TSV with option and explanation columns", () => {
    const r = importQuestionTable(fixture("ops-drills.tsv"), { fileName: "ops-drills.tsv" });
    const p = pack(r);
    const qs = questions(p);

    it("reads option_a.. and explanation_a.. columns, ids and concepts", () => {
      expect(qs.map((q) => q.id)).toEqual(["disk-full", "pager-noise"]);
      expect(options(qs[0])).toEqual([
        ["a", "Delete the oldest log files by hand", "Deleting by hand can remove files the database still needs."],
        ["b", "Find what is growing, then add space or trim it safely", "Measure first, then act on the cause."],
        ["c", "Restart the database", "A restart frees nothing on disk."],
      ]);
      expect(qs[0]?.concepts).toEqual(["capacity", "on-call"]);
      expect(qs[1]?.type === "single" && qs[1].answer).toBe("b");
      expect(qs.map((q) => q.difficulty)).toEqual(["intermediate", "intro"]);
    });

    it("puts rows without a topic into one imported lesson and declares every concept", () => {
      expect(p.lessons.map((l) => [l.data.id, l.data.topics])).toEqual([["ops-drills-imported", ["imported"]]]);
      expect(p.manifest.concepts.map((c) => [c.id, c.title])).toEqual([
        ["ops-drills", "Ops drills"],
        ["capacity", "capacity"],
        ["on-call", "on-call"],
      ]);
      expect(accepted(p)).toEqual([]);
    });
  });

  it("matches headers whatever their case and spacing", () => {
    const p = pack(csv("  QUESTION , Option A,option-b, Option_C ,ANSWER", "Which is a prime?,4,6,7,c"));
    expect(options(questions(p)[0]).map((o) => o[1])).toEqual(["4", "6", "7"]);
  });

  it("accepts a literal bar written as \\|", () => {
    const p = pack(csv("question,options,answer", "Which shell operator pipes output?,&&|\\||;,b"));
    expect(options(questions(p)[0]).map((o) => o[1])).toEqual(["&&", "|", ";"]);
  });

  it("prefers a whole-cell text match, so an option with a comma can be the answer", () => {
    const p = pack(csv("question,options,answer", 'Pick one,"Yes, always|No|Sometimes","Yes, always"'));
    expect(questions(p)[0]?.type === "single" && questions(p)[0]).toMatchObject({ answer: "a" });
  });

  it("falls back to the correct option's own explanation when the explanation cell is empty", () => {
    const p = pack(csv("question,options,answer,explanation,option_explanations", "Q?,x|y,b,,Not x.|Y fits because of z."));
    expect(questions(p)[0]?.explanation).toBe("Y fits because of z.");
  });

  it.each([
    ["a row with the wrong column count", fixture("wrong-columns.csv"), "wrong-columns.csv: row 3: has 4 column(s) but the header has 3"],
    ["an answer that matches no option", fixture("bad-answer.csv"), 'bad-answer.csv: row 3: answer "e" matches no option; use a letter (a-d), a number (1-4)'],
    ["a missing answer column", fixture("missing-answer.csv"), "missing-answer.csv: the first row needs columns question, options (or option_a, option_b, ...), answer; missing: answer (found: question, options, explanation)"],
  ])("refuses %s, naming the row", (_name, text, message) => {
    const name = message.split(":")[0]!;
    expect(error(importQuestionTable(text, { fileName: name }))).toContain(message);
  });

  it.each([
    ["an ambiguous answer", ["question,options,answer", "How many?,3|1|2,1"], 'quiz.csv: row 2: answer "1" is ambiguous: it could mean option a or b'],
    ["a gap in the options", ["question,option_a,option_b,option_c,answer", "Q?,x,,z,a"], "row 2: option b is empty but a later one is not"],
    ["a multi-select with two options", ["question,options,answer", "Q?,x|y,a|b"], "row 2: more than one answer makes a multi-select question, which needs at least 3 options"],
    ["an unknown difficulty", ["question,options,answer,difficulty", "Q?,x|y,a,spicy"], 'row 2: difficulty "spicy" is not understood'],
    ["a duplicate id", ["id,question,options,answer", "one,Q?,x|y,a", "one,R?,x|y,b"], 'row 3: id "one" is already used in row 2'],
    ["an empty question", ["question,options,answer", ",x|y,a"], "row 2: the question cell is empty"],
    ["repeated option text", ["question,options,answer", "Q?,x|X|y,a"], "row 2: option b repeats the text of an earlier option"],
    ["two columns for one role", ["question,stem,options,answer", "Q?,Q?,x|y,a"], 'columns "question" and "stem" in the first row mean the same thing'],
    ["no rows", ["question,options,answer"], "quiz.csv: the table has a header but no question rows"],
    ["an unclosed quote", ["question,options,answer", '"Q?,x|y,a'], "quiz.csv: line 2: a quoted field starts here but its closing double quote is missing"],
  ])("refuses %s", (_name, lines, message) => {
    expect(error(csv(...lines))).toContain(message);
  });

  it("counts rows as a spreadsheet does, and names the line when a cell spans lines", () => {
    expect(error(csv("question,options,answer", '"two\nlines",x|y,a', "Q?,x|y,z"))).toContain('quiz.csv: row 3 (line 4): answer "z" matches no option');
  });

  it("skips blank rows", () => {
    expect(questions(pack(csv("question,options,answer", "", "Q?,x|y,a", ",,"))).length).toBe(1);
  });
});
