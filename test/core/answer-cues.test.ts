import { describe, expect, it } from "vitest";
import { cueProblems, measureCues } from "../../core/content/answer-cues.js";
import type { Question } from "../../core/content/schema.js";

const base = { difficulty: "intro" as const, concepts: ["x"], source: { file: "f", section: "s" }, explanation: "e", stem: "?" };
const opt = (id: string, text: string) => ({ id, text, explanation: `why ${id}` });

/** A single-choice question whose key has `keyLength` characters and distractors `otherLength`. */
function single(id: string, keyLength: number, otherLength: number): Question {
  return { ...base, id, type: "single", options: [opt("a", "k".repeat(keyLength)), opt("b", "d".repeat(otherLength)), opt("c", "e".repeat(otherLength))], answer: "a" };
}
const tf = (id: string, answer: boolean): Question => ({ ...base, id, type: "truefalse", answer, wrongExplanation: "w" });
const multi = (id: string, right: number): Question => ({
  ...base,
  id,
  type: "multi",
  options: ["a", "b", "c", "d", "e"].map((o) => opt(o, o)),
  answer: ["a", "b", "c", "d", "e"].slice(0, right),
});

describe("answer cues", () => {
  it("counts a key that is strictly longer than every distractor, but not a tie", () => {
    const qs = [single("long", 30, 10), single("tie", 10, 10), single("short", 5, 10), single("long2", 40, 20)];
    const c = measureCues(qs);
    expect(c.longestCorrectShare).toBe(0.5);
    expect(c.lengthRatioMedian).toBe(1.5); // ratios 3, 1, 0.5, 2 -> median (1 + 2) / 2
  });

  it("fails a set where picking the longest option wins, naming the worst questions first", () => {
    const qs = Array.from({ length: 12 }, (_, i) => single(`q-${i}`, i < 6 ? 20 + i * 10 : 10, 10));
    const problems = cueProblems(qs);
    expect(problems.some((p) => p.includes("longest in 50%"))).toBe(true);
    expect(problems.join(" ")).toContain("Worst: q-5 (7.00x), q-4 (6.00x)");
  });

  it("passes a set whose keys are as long as their distractors", () => {
    const qs = Array.from({ length: 12 }, (_, i) => single(`q-${i}`, i % 3 === 0 ? 12 : 10, 10 + (i % 2)));
    expect(cueProblems(qs)).toEqual([]);
  });

  it("fails true/false that leans False, listing questions to flip, and passes a balanced set", () => {
    const leaning = [...Array.from({ length: 7 }, (_, i) => tf(`f-${i}`, false)), ...Array.from({ length: 3 }, (_, i) => tf(`t-${i}`, true))];
    const problems = cueProblems(leaning);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("always answering False wins");
    expect(problems[0]).toContain("f-0");
    const balanced = [...Array.from({ length: 5 }, (_, i) => tf(`f-${i}`, false)), ...Array.from({ length: 5 }, (_, i) => tf(`t-${i}`, true))];
    expect(measureCues(balanced).trueShare).toBe(0.5);
    expect(cueProblems(balanced)).toEqual([]);
  });

  it("fails multiple select that almost always has the same number of right options", () => {
    const same = Array.from({ length: 10 }, (_, i) => multi(`m-${i}`, i < 7 ? 3 : 2));
    expect(measureCues(same).multiSameCountShare).toBe(0.7);
    expect(cueProblems(same)[0]).toContain("exactly 3 right options");
    const varied = Array.from({ length: 10 }, (_, i) => multi(`m-${i}`, (i % 5) + 1));
    expect(cueProblems(varied)).toEqual([]);
  });

  it("sets a limit on no figure from a handful of questions", () => {
    expect(cueProblems([single("a", 50, 10), single("b", 50, 10), tf("t", false), multi("m", 3)])).toEqual([]);
  });
});
