import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Question } from "../../core/content/schema.js";
import { grade } from "../../core/grading.js";
import { parseAnswer } from "../../core/answer-input.js";

const base = { difficulty: "intro" as const, concepts: ["x"], source: { file: "f", section: "s" }, explanation: "because" };
const opts = [
  { id: "a", text: "A", explanation: "why a" },
  { id: "b", text: "B", explanation: "why b" },
  { id: "c", text: "C", explanation: "why c" },
  { id: "d", text: "D", explanation: "why d" },
];
const single: Question = { ...base, id: "s", type: "single", stem: "?", options: opts, answer: "c" };
const multi: Question = { ...base, id: "m", type: "multi", stem: "?", options: opts, answer: ["a", "d"] };
const order: Question = { ...base, id: "o", type: "order", stem: "?", options: opts, answer: ["b", "d", "a", "c"] };
const tf: Question = { ...base, id: "t", type: "truefalse", stem: "?", answer: false, wrongExplanation: "it is false" };
const num: Question = { ...base, id: "n", type: "numeric", stem: "?", answer: { value: 17, tolerance: 1, unit: "connections" }, wrongExplanation: "use cores*2+1" };
const text: Question = { ...base, id: "x", type: "text", stem: "?", answer: ["write-ahead log", "WAL"], wrongExplanation: "it is the WAL" };

describe("grading", () => {
  it("single choice: the right option is correct and explains itself", () => {
    const r = grade(single, { kind: "choices", ids: ["c"] })!;
    expect(r.correct).toBe(true);
    expect(r.chosen).toEqual([{ text: "C", explanation: "why c" }]);
  });

  it("single choice: a wrong option shows its own explanation and the right answer", () => {
    const r = grade(single, { kind: "choices", ids: ["a"] })!;
    expect(r.correct).toBe(false);
    expect(r.chosen[0]!.explanation).toBe("why a");
    expect(r.correctAnswer).toEqual({ text: "C", explanation: "because" });
  });

  it("single choice: an unknown option id is not graded", () => {
    expect(grade(single, { kind: "choices", ids: ["z"] })).toBeNull();
  });

  it("multiple select needs exactly the right set, in any order", () => {
    expect(grade(multi, { kind: "choices", ids: ["d", "a"] })!.correct).toBe(true);
    expect(grade(multi, { kind: "choices", ids: ["a"] })!.correct).toBe(false);
    expect(grade(multi, { kind: "choices", ids: ["a", "d", "b"] })!.correct).toBe(false);
    expect(grade(multi, { kind: "choices", ids: ["a", "b"] })!.chosen.map((c) => c.explanation)).toEqual(["why a", "why b"]);
  });

  it("ordering is right only in the exact order and explains the misplaced items", () => {
    expect(grade(order, { kind: "choices", ids: ["b", "d", "a", "c"] })!.correct).toBe(true);
    const wrong = grade(order, { kind: "choices", ids: ["d", "b", "a", "c"] })!;
    expect(wrong.correct).toBe(false);
    expect(wrong.chosen.map((c) => c.text)).toEqual(["D", "B"]);
    expect(grade(order, { kind: "choices", ids: ["b", "d", "a"] })).toBeNull();
  });

  it("true/false explains the wrong side with its own text", () => {
    expect(grade(tf, { kind: "boolean", value: false })!.correct).toBe(true);
    const wrong = grade(tf, { kind: "boolean", value: true })!;
    expect(wrong.correct).toBe(false);
    expect(wrong.chosen[0]!.explanation).toBe("it is false");
  });

  it("numeric estimates are right within the tolerance and wrong outside it", () => {
    expect(grade(num, { kind: "number", value: 16 })!.correct).toBe(true);
    expect(grade(num, { kind: "number", value: 18 })!.correct).toBe(true);
    expect(grade(num, { kind: "number", value: 19 })!.correct).toBe(false);
    expect(grade(num, { kind: "number", value: 19 })!.chosen[0]!.explanation).toBe("use cores*2+1");
  });

  it("short text accepts any listed answer regardless of case, spaces and punctuation", () => {
    expect(grade(text, { kind: "text", value: "  Write ahead LOG. " })!.correct).toBe(true);
    expect(grade(text, { kind: "text", value: "wal" })!.correct).toBe(true);
    expect(grade(text, { kind: "text", value: "redo log" })!.correct).toBe(false);
    expect(grade(text, { kind: "text", value: "!!!" })).toBeNull();
  });

  it("numeric grading agrees with |answer - value| <= tolerance for any number", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        expect(grade(num, { kind: "number", value: v })!.correct).toBe(Math.abs(v - 17) <= 1 + 1e-9);
      }),
    );
  });

  it("multiple select is correct exactly for the answer set, whatever the order", () => {
    fc.assert(
      fc.property(fc.subarray(["a", "b", "c", "d"], { minLength: 1 }), fc.boolean(), (ids, reverse) => {
        const picked = reverse ? [...ids].reverse() : ids;
        const expected = ids.length === 2 && ids.includes("a") && ids.includes("d");
        expect(grade(multi, { kind: "choices", ids: picked })!.correct).toBe(expected);
      }),
    );
  });
});

describe("typed answers", () => {
  const shown = ["d", "c", "b", "a"];

  it("a number picks the choice at that displayed position", () => {
    expect(parseAnswer(single, "2", shown)).toEqual({ ok: true, input: { kind: "choices", ids: ["c"] } });
    expect(parseAnswer(single, "b", shown)).toEqual({ ok: true, input: { kind: "choices", ids: ["c"] } });
  });

  it("a number out of range says which are valid", () => {
    const r = parseAnswer(single, "7", shown);
    expect(r).toEqual({ ok: false, reason: '"7" is not a choice: type a number from 1-4.' });
  });

  it("ordering needs every item once", () => {
    expect(parseAnswer(order, "4 3 2 1", shown)).toEqual({ ok: true, input: { kind: "choices", ids: ["a", "b", "c", "d"] } });
    const missing = parseAnswer(order, "1 2", shown);
    expect(missing.ok).toBe(false);
    expect(parseAnswer(order, "1 1 2 3", shown).ok).toBe(false);
  });

  it("true/false accepts numbers and words", () => {
    expect(parseAnswer(tf, "2")).toEqual({ ok: true, input: { kind: "boolean", value: false } });
    expect(parseAnswer(tf, "True")).toEqual({ ok: true, input: { kind: "boolean", value: true } });
    expect(parseAnswer(tf, "maybe").ok).toBe(false);
  });

  it("numeric answers accept thousands separators and a trailing unit", () => {
    expect(parseAnswer(num, "1,700 connections")).toEqual({ ok: true, input: { kind: "number", value: 1700 } });
    expect(parseAnswer(num, "lots").ok).toBe(false);
  });
});
