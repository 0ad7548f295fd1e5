import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Question } from "../../core/content/schema.js";
import { parseAnswer } from "../../core/answer-input.js";
import { grade } from "../../core/grading.js";
import { readNumber } from "../../core/numeric-answer.js";

const value = (raw: string, unit?: string) => {
  const r = readNumber(raw, unit);
  if (!r.ok) throw new Error(`refused ${raw}: ${r.reason}`);
  return r.value;
};

describe("reading a typed number", () => {
  it("takes thousands suffixes and words: 24k, 1.5M, 2 million, 3bn", () => {
    expect(value("24k")).toBe(24_000);
    expect(value("24 K")).toBe(24_000);
    expect(value("1.5M")).toBe(1_500_000);
    expect(value("2 million")).toBe(2_000_000);
    expect(value("3bn")).toBe(3e9);
    expect(value("12 thousand queries", "queries")).toBe(12_000);
  });

  it("takes thousands separators and a percent sign", () => {
    expect(value("2,000")).toBe(2000);
    expect(value("1,500,000")).toBe(1_500_000);
    expect(value("10 %", "%")).toBe(10);
    expect(value("10%", "percent")).toBe(10);
  });

  it("converts a time typed in another unit into the question's unit", () => {
    expect(value("90 minutes", "hours")).toBe(1.5);
    expect(value("2 s", "ms")).toBe(2000);
    expect(value("5m", "minutes")).toBe(5);
    expect(value("52.56 min", "minutes")).toBe(52.56);
    expect(value("3 hours", "hours per year")).toBe(3);
  });

  it("reads a full number for a question counted in millions", () => {
    expect(value("2.5", "million readings")).toBe(2.5);
    expect(value("2.5 million", "million readings")).toBe(2.5);
    expect(value("2,500,000", "million readings")).toBe(2.5);
  });

  it("takes the question's unit in the learner's own words", () => {
    expect(value("17 connections", "connections")).toBe(17);
    expect(value("17 conns", "connections")).toBe(17);
    expect(value("300 writes/s", "writes/s")).toBe(300);
  });

  it("refuses a unit of another kind, naming the unit to use", () => {
    const size = readNumber("5 GB", "ms");
    expect(size.ok).toBe(false);
    if (!size.ok) expect(size.reason).toContain("the answer is in ms");
    const time = readNumber("20 ms", "connections");
    expect(time.ok).toBe(false);
    if (!time.ok) expect(time.reason).toContain("connections");
  });

  it("refuses text that is not a number, quoting at most a short, clean excerpt", () => {
    const r = readNumber(`seventeen\u0007${"x".repeat(200)}`, "connections");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).not.toMatch(/[\u0000-\u001f]/);
      expect(r.reason.length).toBeLessThan(140);
    }
  });

  it("any integer written with k reads as a thousand times it", () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (n) => value(`${n}k`) === n * 1000));
  });

  it("any integer written with en-US thousands separators reads as itself", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => value(n.toLocaleString("en-US")) === n));
  });
});

describe("numeric grading with what people type", () => {
  const base = { difficulty: "intro" as const, concepts: ["x"], source: { file: "f", section: "s" }, explanation: "because", wrongExplanation: "no" };
  const qps: Question = { ...base, id: "q", type: "numeric", stem: "?", answer: { value: 24000, tolerance: 1000, unit: "queries/s" } };
  const hours: Question = { ...base, id: "h", type: "numeric", stem: "?", answer: { value: 1.5, tolerance: 0.1, unit: "hours" } };

  function gradeTyped(q: Question, typed: string) {
    const parsed = parseAnswer(q, typed);
    if (!parsed.ok) throw new Error(parsed.reason);
    return grade(q, parsed.input)!;
  }

  it("24k is right for 24,000 and the feedback says how it was read", () => {
    const r = gradeTyped(qps, "24k");
    expect(r.correct).toBe(true);
    expect(r.chosen[0]!.text).toBe("24k, read as 24,000 queries/s");
  });

  it("90 minutes is right for 1.5 hours; 90 alone is wrong", () => {
    expect(gradeTyped(hours, "90 minutes").correct).toBe(true);
    expect(gradeTyped(hours, "90").correct).toBe(false);
  });

  it("a plain number keeps its plain echo", () => {
    expect(gradeTyped(qps, "24000").chosen[0]!.text).toBe("24000");
  });
});
