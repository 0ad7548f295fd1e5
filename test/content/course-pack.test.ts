/**
 * The shipped course: it loads, it is big enough, lessons are chat-sized, and
 * every question grades its correct answer right and every wrong option wrong
 * with that option's own explanation.
 */
import { describe, expect, it } from "vitest";
import type { Question } from "../../core/content/schema.js";
import { grade, type AnswerInput } from "../../core/grading.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import { cueProblems } from "../../core/content/answer-cues.js";

const result = await loadCatalog("content");

function wrongInputs(q: Question): { input: AnswerInput; explanation?: string }[] {
  switch (q.type) {
    case "single":
      return q.options.filter((o) => o.id !== q.answer).map((o) => ({ input: { kind: "choices", ids: [o.id] }, explanation: o.explanation }));
    case "multi": {
      const out: { input: AnswerInput; explanation?: string }[] = [];
      for (const o of q.options) {
        const ids = q.answer.includes(o.id) ? q.answer.filter((id) => id !== o.id) : [...q.answer, o.id];
        if (ids.length) out.push({ input: { kind: "choices", ids }, explanation: o.explanation });
      }
      return out;
    }
    case "order": {
      const swapped = [...q.answer];
      [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
      return [{ input: { kind: "choices", ids: swapped }, explanation: q.options.find((o) => o.id === swapped[0])!.explanation }];
    }
    case "truefalse":
      return [{ input: { kind: "boolean", value: !q.answer }, explanation: q.wrongExplanation }];
    case "numeric":
      return [{ input: { kind: "number", value: q.answer.value + q.answer.tolerance + Math.max(1, Math.abs(q.answer.value)) }, explanation: q.wrongExplanation }];
    case "text":
      return [{ input: { kind: "text", value: "definitely not the answer" }, explanation: q.wrongExplanation }];
  }
}

function rightInput(q: Question): AnswerInput {
  switch (q.type) {
    case "single":
      return { kind: "choices", ids: [q.answer] };
    case "multi":
    case "order":
      return { kind: "choices", ids: q.answer };
    case "truefalse":
      return { kind: "boolean", value: q.answer };
    case "numeric":
      return { kind: "number", value: q.answer.value };
    case "text":
      return { kind: "text", value: q.answer[0]! };
  }
}

describe("the Database Scaling course", () => {
  it("loads without problems", () => {
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  if (!result.ok) return;
  const catalog = result.catalog;

  it("has at least 25 lessons and 420 questions, 14 or more a lesson of at least 4 types", () => {
    expect(catalog.lessons.length).toBeGreaterThanOrEqual(25);
    expect(catalog.questions.length).toBeGreaterThanOrEqual(420);
    for (const l of catalog.lessons) {
      expect(l.questions.length, l.id).toBeGreaterThanOrEqual(14);
      expect(new Set(l.questions.map((q) => q.type)).size, l.id).toBeGreaterThanOrEqual(4);
    }
  });

  it("cannot be beaten by the form of the options (answer-cue limits of content check)", () => {
    expect(cueProblems(catalog.questions.map((q) => q.question))).toEqual([]);
  });

  it("the interleaved set covers every concept and includes numeric and ordering items", () => {
    const practice = catalog.questions.filter((q) => q.setId === "interleaved").map((q) => q.question);
    const covered = new Set(practice.flatMap((q) => q.concepts));
    expect(catalog.concepts.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(practice.some((q) => q.type === "numeric")).toBe(true);
    expect(practice.some((q) => q.type === "order")).toBe(true);
  });

  it("keeps the expert's corrections: tolerances that refuse the mistake each question warns about", () => {
    const numeric = (id: string) => {
      const q = catalog.question(id)?.question;
      if (q?.type !== "numeric") throw new Error(`${id} is not a numeric question`);
      return q;
    };
    const pool = numeric("connection-pooling-02");
    expect(grade(pool, { kind: "number", value: 17 })!.correct).toBe(true);
    expect(grade(pool, { kind: "number", value: 16 })!.correct).toBe(false); // forgot the spindle
    const miss = numeric("measure-first-05");
    expect(miss.answer.tolerance).toBeLessThanOrEqual(0.3);
    expect(grade(miss, { kind: "number", value: 10 })!.correct).toBe(false);
    const mix14 = catalog.question("mix-14")!.question;
    expect(mix14.stem).not.toMatch(/CONCURRENTLY/);
  });

  it("has an interleaved practice set of at least 20 mastery questions mixing concepts", () => {
    const practice = catalog.questions.filter((q) => q.setId === "interleaved");
    expect(practice.length).toBeGreaterThanOrEqual(20);
    for (const q of practice) {
      expect(q.question.difficulty).toBe("mastery");
      expect(q.question.concepts.length, q.question.id).toBeGreaterThanOrEqual(2);
    }
  });

  it("no two question stems are alike", () => {
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
    const seen = new Map<string, string>();
    for (const { question } of catalog.questions) {
      const key = norm(question.stem);
      expect(seen.get(key), `${question.id} repeats ${seen.get(key)}`).toBeUndefined();
      seen.set(key, question.id);
    }
  });

  it("mixes question types: every type appears, scenario single choice is the most common", () => {
    const counts = new Map<string, number>();
    for (const { question } of catalog.questions) counts.set(question.type, (counts.get(question.type) ?? 0) + 1);
    for (const t of ["single", "multi", "truefalse", "order", "numeric"]) expect(counts.get(t) ?? 0, t).toBeGreaterThan(0);
    expect(counts.get("single")!).toBe(Math.max(...counts.values()));
  });

  it("every question grades its correct answer as right", () => {
    for (const { question } of catalog.questions) {
      expect(grade(question, rightInput(question))?.correct, question.id).toBe(true);
    }
  });

  it("every wrong option grades wrong and shows its own explanation", () => {
    for (const { question } of catalog.questions) {
      for (const wrong of wrongInputs(question)) {
        const r = grade(question, wrong.input);
        expect(r?.correct, `${question.id} ${JSON.stringify(wrong.input)}`).toBe(false);
        if (wrong.explanation) expect([...r!.chosen, ...r!.missed].map((c) => c.explanation), question.id).toContain(wrong.explanation);
      }
    }
  });

  it("every option has its own explanation", () => {
    for (const { question } of catalog.questions) {
      if (question.type === "single" || question.type === "multi" || question.type === "order") {
        const texts = question.options.map((o) => o.explanation.trim());
        expect(new Set(texts).size, question.id).toBe(texts.length);
      }
    }
  });
});
