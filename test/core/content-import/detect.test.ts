import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importContent, NEITHER_MESSAGE } from "../../../core/content/import/detect.js";
import { describeJsonError } from "../../../core/content/import/json-error.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), "utf8");
const run = (name: string, text = fixture(name)) => importContent(text, { fileName: name });

describe("import format detection", () => {
  it("routes a course JSON, a CSV and a TSV to their converters", () => {
    const results = [run("queue-course.json"), run("team-questions.csv"), run("ops-drills.tsv")];
    expect(results.map((r) => (r.ok ? r.format : r.error))).toEqual(["course JSON", "question table", "question table"]);
  });

  it("sniffs the delimiter when the file name does not tell", () => {
    const r = importContent(fixture("ops-drills.tsv"), { fileName: "drills.txt" });
    expect(r.ok && r.format).toBe("question table");
    const semi = importContent("question;options;answer\nPick y;x|y;b\n", { fileName: "export" });
    expect(semi.ok && semi.pack.lessons[0]?.data.questions?.[0]?.stem).toBe("Pick y");
  });

  it("names line and column of a JSON syntax error", () => {
    const r = run("broken.json");
    expect(r.ok ? "" : r.error).toBe('broken.json: not valid JSON: line 5, column 27: expected "," or "}" after a property value, found character "\\""');
  });

  it("explains what either shape needs when a file is neither", () => {
    expect(run("neither.txt")).toEqual({ ok: false, error: `neither.txt: ${NEITHER_MESSAGE}` });
    expect(run("other.json", '{"title": "no course here"}')).toEqual({ ok: false, error: `other.json: ${NEITHER_MESSAGE}` });
    expect(NEITHER_MESSAGE).toBe('not a course JSON (no "course.micro_concepts") nor a question table (first row needs columns question, options (or option_a, option_b, ...), answer)');
  });

  it("says so when the file is empty", () => {
    expect(run("empty.csv", " \n").ok).toBe(false);
    expect(run("empty.csv", "\n")).toMatchObject({ error: expect.stringMatching(/^empty\.csv: the file is empty/) });
  });

  it("passes table problems through from the converter", () => {
    expect(run("wrong-columns.csv")).toMatchObject({ ok: false, error: expect.stringContaining("row 3: has 4 column(s)") });
  });
});

describe("JSON error positions", () => {
  it.each([
    ['{"a": 1,}', 'line 1, column 9: a comma before "}" leaves a property missing (remove the trailing comma)'],
    ['{\n  "a": [1, 2,]\n}', 'line 2, column 14: a comma before "]" leaves an item missing (remove the trailing comma)'],
    ['{"a": tru}', "line 1, column 7: unexpected character \"t\" where a value was expected"],
    ["{'a': 1}", 'line 1, column 2: expected a property name in double quotes, found character "\'"'],
    ['{"a": "open', "line 1, column 12: the file ends inside a string (a closing double quote is missing)"],
    ['{"a": 1} x', 'line 1, column 10: unexpected character "x" after the end of the JSON value'],
    ['{"a": "x\ny"}', "line 1, column 9: a line break or control character inside a string (write it as \\n or \\t)"],
    ['{"a": 01}', 'line 1, column 8: expected "," or "}" after a property value, found character "1"'],
  ])("%j → %s", (text, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(describeJsonError(text)).toBe(message);
  });
});
