import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDelimited } from "../../../core/content/import/delimited-text.js";

const cells = (text: string, d: "," | "\t" | ";" = ",") => {
  const r = parseDelimited(text, d);
  if (!r.ok) throw new Error(r.error);
  return r.records.map((rec) => rec.cells);
};

describe("delimited text reader", () => {
  it("splits plain fields and records", () => {
    expect(cells("a,b,c\nd,e,f\n")).toEqual([
      ["a", "b", "c"],
      ["d", "e", "f"],
    ]);
  });

  it("keeps delimiters, doubled quotes and line breaks inside quoted fields", () => {
    expect(cells('"one, two","say ""hi""","line 1\nline 2"\n')).toEqual([["one, two", 'say "hi"', "line 1\nline 2"]]);
  });

  it("treats CRLF, LF and lone CR as record ends and turns quoted CRLF into LF", () => {
    expect(cells('a,b\r\n"x\r\ny",z\rlast,row')).toEqual([
      ["a", "b"],
      ["x\ny", "z"],
      ["last", "row"],
    ]);
  });

  it("reads tab-separated text, where commas are ordinary characters", () => {
    expect(cells("q\toptions\nWhy, though?\ta|b\n", "\t")).toEqual([
      ["q", "options"],
      ["Why, though?", "a|b"],
    ]);
  });

  it("keeps empty fields, including a trailing one, and drops a byte-order mark", () => {
    expect(cells("\uFEFFa,,c,\n,,\n")).toEqual([
      ["a", "", "c", ""],
      ["", "", ""],
    ]);
  });

  it("records the line each record starts on", () => {
    const r = parseDelimited('h1,h2\n"multi\nline",x\nnext,y\n', ",");
    expect(r.ok && r.records.map((x) => x.line)).toEqual([1, 2, 4]);
  });

  it("tolerates spaces around a quoted field", () => {
    expect(cells('a, "b, c" ,d')).toEqual([["a", "b, c", "d"]]);
  });

  it("keeps a quote inside an unquoted field as it is", () => {
    expect(cells('5" screen,ok')).toEqual([['5" screen', "ok"]]);
  });

  it("names the line of a quoted field that is never closed", () => {
    const r = parseDelimited('a,b\nc,"never\nclosed\n', ",");
    expect(r).toEqual({ ok: false, error: "line 2: a quoted field starts here but its closing double quote is missing" });
  });

  it("names the line where text follows a closing quote", () => {
    const r = parseDelimited('a,b\n"x"y,z\n', ",");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^line 2: unexpected text after a closing double quote/);
  });

  it("reads back whatever a spreadsheet-style writer produced", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", "\t", '"', "\n", "\r\n", "|", "é") });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(",", "\t") as fc.Arbitrary<"," | "\t">, fc.boolean(), (rows, d, always) => {
        const width = rows[0]!.length;
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? "x"));
        // Either quote every cell, or only those that need it (as spreadsheets do).
        const needs = (s: string) => always || s === "" || s.includes(d) || /["\r\n]/.test(s);
        const quote = (s: string) => (needs(s) ? `"${s.replace(/"/g, '""')}"` : s);
        const text = table.map((r) => r.map(quote).join(d)).join("\r\n");
        const expected = table.map((r) => r.map((s) => s.replace(/\r\n/g, "\n")));
        expect(cells(text, d)).toEqual(expected);
      }),
    );
  });
});
