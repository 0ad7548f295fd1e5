import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Question } from "../../core/content/schema.js";
import { grade } from "../../core/grading.js";
import { matchTextAnswer, normalizeText, typoAllowance } from "../../core/text-answer.js";

const base = { difficulty: "intro" as const, concepts: ["x"], source: { file: "f", section: "s" }, explanation: "the working set is what is touched" };
const q: Question = { ...base, id: "t", type: "text", stem: "?", answer: ["working set", "hot set"], wrongExplanation: "written for people who said 'cache size'" };

describe("short text answers", () => {
  it("an exact answer in any case and punctuation is right", () => {
    expect(grade(q, { kind: "text", value: "Working-Set!" })!.correct).toBe(true);
    expect(grade(q, { kind: "text", value: "Working-Set!" })!.chosen[0]!.text).toBe("Working-Set!");
  });

  it("one typo in a 5+ character answer is accepted and says what was accepted", () => {
    const r = grade(q, { kind: "text", value: "workin set" })!;
    expect(r.correct).toBe(true);
    expect(r.chosen[0]!.text).toBe("workin set (accepted: working set)");
  });

  it("two typos are accepted for 9+ characters but not for shorter answers", () => {
    expect(grade(q, { kind: "text", value: "wroking set" })!.correct).toBe(true); // transposition = 2 edits, 11 chars
    expect(matchTextAnswer(["shard"], "sahrd").kind).not.toBe("close"); // 5 chars: one edit only
    expect(matchTextAnswer(["WAL"], "WAK").kind).toBe("none"); // 3 chars: no typo allowance
  });

  it("a near miss gets feedback about the right term, not the explanation for another wrong idea", () => {
    const r = grade(q, { kind: "text", value: "work st" })!;
    expect(r.correct).toBe(false);
    expect(r.chosen[0]!.explanation).toContain('"working set"');
    expect(r.chosen[0]!.explanation).not.toContain("cache size");
  });

  it("a different idea gets the explanation written for wrong answers", () => {
    const r = grade(q, { kind: "text", value: "buffer pool size" })!;
    expect(r.correct).toBe(false);
    expect(r.chosen[0]!.explanation).toBe(q.wrongExplanation);
  });

  it("any single-character edit of an answer of 5+ letters is accepted", () => {
    const word = fc.stringMatching(/^[a-z]{5,14}$/);
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom("a", "e", "x", "z"), fc.constantFrom("sub", "del", "ins"), (w, at, ch, op) => {
        const i = at % w.length;
        const typed = op === "sub" ? w.slice(0, i) + ch + w.slice(i + 1) : op === "del" ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + ch + w.slice(i);
        return matchTextAnswer([w], typed).kind !== "none" && matchTextAnswer([w], typed).kind !== "near";
      }),
    );
  });

  it("an answer is never accepted beyond its allowance of edits", () => {
    // An independent edit-distance oracle (dynamic programming), not the library under test.
    const edits = (x: string, y: string) => {
      const row = Array.from({ length: y.length + 1 }, (_, j) => j);
      for (let i = 1; i <= x.length; i++) {
        let prev = row[0]!;
        row[0] = i;
        for (let j = 1; j <= y.length; j++) {
          const keep = row[j]!;
          row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
          prev = keep;
        }
      }
      return row[y.length]!;
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[a-z]{1,12}$/), (a, t) => {
        const m = matchTextAnswer([a], t);
        const accepted = m.kind === "exact" || m.kind === "close";
        return accepted === edits(normalizeText(a), normalizeText(t)) <= typoAllowance(normalizeText(a).length);
      }),
    );
  });
});
