/**
 * Turns what a learner typed ("2", "b", "1 3", "c a d b", "17", "true") into a
 * structured answer for the question on screen, given the order in which its
 * choices were displayed. Returns a user-facing reason when it cannot.
 */
import type { Question } from "./content/schema.js";
import type { AnswerInput } from "./grading.js";
import { readNumber } from "./numeric-answer.js";

export type ParsedAnswer = { ok: true; input: AnswerInput } | { ok: false; reason: string };

const LETTERS = "abcdefghij";

/** The ids of the choices a learner sees, in display order. */
export function displayedChoiceIds(q: Question, order?: string[]): string[] {
  if (q.type === "truefalse") return ["true", "false"];
  if (q.type === "single" || q.type === "multi" || q.type === "order") return order ?? q.options.map((o) => o.id);
  return [];
}

export function answerHint(q: Question): string {
  switch (q.type) {
    case "single":
      return "Type the number of your choice.";
    case "multi":
      return "Select all that apply: type the numbers separated by spaces (e.g. 1 3).";
    case "order": {
      const n = q.options.length;
      const example = Array.from({ length: n }, (_, i) => ((i * 2 + 1) % n) + 1);
      return `Type the numbers in the right order, separated by spaces (e.g. ${new Set(example).size === n ? example.join(" ") : Array.from({ length: n }, (_, i) => n - i).join(" ")}).`;
    }
    case "truefalse":
      return "Type 1 for True or 2 for False.";
    case "numeric":
      return `Type a number${q.answer.unit ? ` (in ${q.answer.unit})` : ""}.`;
    case "text":
      return "Type your answer in a few words.";
  }
}

function tokenToIndex(token: string, count: number): number | null {
  const t = token.toLowerCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= count ? n - 1 : null;
  }
  if (t.length === 1 && LETTERS.indexOf(t) >= 0 && LETTERS.indexOf(t) < count) return LETTERS.indexOf(t);
  return null;
}

export function parseAnswer(q: Question, raw: string, order?: string[]): ParsedAnswer {
  const text = raw.trim();
  if (!text) return { ok: false, reason: answerHint(q) };
  const ids = displayedChoiceIds(q, order);
  const range = `1-${ids.length}`;
  switch (q.type) {
    case "truefalse": {
      const t = text.toLowerCase();
      if (["1", "t", "true", "yes", "a"].includes(t)) return { ok: true, input: { kind: "boolean", value: true } };
      if (["2", "f", "false", "no", "b"].includes(t)) return { ok: true, input: { kind: "boolean", value: false } };
      return { ok: false, reason: `"${text}" is not a choice: type 1 for True or 2 for False.` };
    }
    case "single": {
      const i = tokenToIndex(text, ids.length);
      if (i === null) return { ok: false, reason: `"${text}" is not a choice: type a number from ${range}.` };
      return { ok: true, input: { kind: "choices", ids: [ids[i]!] } };
    }
    case "multi":
    case "order": {
      const tokens = text.split(/[\s,;]+/).filter(Boolean);
      const picked: string[] = [];
      for (const tok of tokens) {
        const i = tokenToIndex(tok, ids.length);
        if (i === null) return { ok: false, reason: `"${tok}" is not a choice: use numbers from ${range}.` };
        if (picked.includes(ids[i]!)) return { ok: false, reason: `${tok} is listed twice: name each choice once.` };
        picked.push(ids[i]!);
      }
      if (q.type === "order" && picked.length !== ids.length) {
        return { ok: false, reason: `Put all ${ids.length} items in order: type each number from ${range} once (e.g. ${ids.map((_, i) => i + 1).reverse().join(" ")}).` };
      }
      return { ok: true, input: { kind: "choices", ids: picked } };
    }
    case "numeric": {
      const reading = readNumber(text, q.answer.unit);
      if (!reading.ok) return { ok: false, reason: reading.reason };
      return { ok: true, input: { kind: "number", value: reading.value, ...(reading.note ? { note: `${text}, ${reading.note}` } : {}) } };
    }
    case "text":
      return { ok: true, input: { kind: "text", value: text } };
  }
}
