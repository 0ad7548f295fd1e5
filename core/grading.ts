/**
 * Grading for every question type. Pure: takes the question and the learner's
 * structured answer, returns whether it was right and the explanations to show
 * (the chosen option(s) and the correct answer).
 */
import type { Question } from "./content/schema.js";
import { matchTextAnswer, normalizeText } from "./text-answer.js";

export type AnswerInput =
  | { kind: "choices"; ids: string[] }
  | { kind: "boolean"; value: boolean }
  /** `note` says how a typed "24k" or "90 minutes" was read, e.g. "24k, read as 24,000 queries". */
  | { kind: "number"; value: number; note?: string }
  | { kind: "text"; value: string };

export interface ExplainedPart {
  text: string;
  explanation: string;
}

export interface GradeResult {
  correct: boolean;
  /** What the learner picked, each with its own explanation. */
  chosen: ExplainedPart[];
  /** The correct answer in words, with why it is right. */
  correctAnswer: ExplainedPart;
  /** Multiple select: right options the learner left out, each with its explanation. */
  missed: ExplainedPart[];
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

export function correctAnswerText(q: Question): string {
  switch (q.type) {
    case "single":
      return q.options.find((o) => o.id === q.answer)?.text ?? q.answer;
    case "multi":
      return q.options.filter((o) => q.answer.includes(o.id)).map((o) => o.text).join("; ");
    case "order":
      return q.answer.map((id, i) => `${i + 1}. ${q.options.find((o) => o.id === id)?.text ?? id}`).join("  ");
    case "truefalse":
      return q.answer ? "True" : "False";
    case "numeric":
      return `${formatNumber(q.answer.value)}${q.answer.unit ? ` ${q.answer.unit}` : ""} (±${formatNumber(q.answer.tolerance)})`;
    case "text":
      return q.answer[0] ?? "";
  }
}

/** Returns null when the input's kind does not fit the question type (the caller asks again). */
export function grade(q: Question, input: AnswerInput): GradeResult | null {
  const correctAnswer = { text: correctAnswerText(q), explanation: q.explanation };
  switch (q.type) {
    case "single": {
      if (input.kind !== "choices" || input.ids.length !== 1) return null;
      const opt = q.options.find((o) => o.id === input.ids[0]);
      if (!opt) return null;
      return { correct: opt.id === q.answer, chosen: [{ text: opt.text, explanation: opt.explanation }], correctAnswer, missed: [] };
    }
    case "multi": {
      if (input.kind !== "choices" || input.ids.length === 0) return null;
      const picked = [...new Set(input.ids)];
      const opts = picked.map((id) => q.options.find((o) => o.id === id));
      if (opts.some((o) => !o)) return null;
      const correct = picked.length === q.answer.length && picked.every((id) => q.answer.includes(id));
      const missed = q.options.filter((o) => q.answer.includes(o.id) && !picked.includes(o.id)).map((o) => ({ text: o.text, explanation: o.explanation }));
      return { correct, chosen: opts.map((o) => ({ text: o!.text, explanation: o!.explanation })), correctAnswer, missed };
    }
    case "order": {
      if (input.kind !== "choices" || input.ids.length !== q.options.length || new Set(input.ids).size !== q.options.length) return null;
      const opts = input.ids.map((id) => q.options.find((o) => o.id === id));
      if (opts.some((o) => !o)) return null;
      const correct = input.ids.every((id, i) => q.answer[i] === id);
      const misplaced = opts.filter((o, i) => o!.id !== q.answer[i]);
      return { correct, chosen: (correct ? [] : misplaced).map((o) => ({ text: o!.text, explanation: o!.explanation })), correctAnswer, missed: [] };
    }
    case "truefalse": {
      if (input.kind !== "boolean") return null;
      const correct = input.value === q.answer;
      return { correct, chosen: [{ text: input.value ? "True" : "False", explanation: correct ? q.explanation : q.wrongExplanation }], correctAnswer, missed: [] };
    }
    case "numeric": {
      if (input.kind !== "number" || !Number.isFinite(input.value)) return null;
      const correct = Math.abs(input.value - q.answer.value) <= q.answer.tolerance + 1e-9;
      return { correct, chosen: [{ text: input.note ?? formatNumber(input.value), explanation: correct ? q.explanation : q.wrongExplanation }], correctAnswer, missed: [] };
    }
    case "text": {
      if (input.kind !== "text" || !normalizeText(input.value)) return null;
      const typed = input.value.trim();
      const match = matchTextAnswer(q.answer, typed);
      if (match.kind === "exact") return { correct: true, chosen: [{ text: typed, explanation: q.explanation }], correctAnswer, missed: [] };
      if (match.kind === "close") return { correct: true, chosen: [{ text: `${typed} (accepted: ${match.answer})`, explanation: q.explanation }], correctAnswer, missed: [] };
      if (match.kind === "near") {
        const explanation = `Close, but too far from "${match.answer}" to accept: check the spelling of the term. ${q.explanation}`;
        return { correct: false, chosen: [{ text: typed, explanation }], correctAnswer, missed: [] };
      }
      return { correct: false, chosen: [{ text: typed, explanation: q.wrongExplanation }], correctAnswer, missed: [] };
    }
  }
}
