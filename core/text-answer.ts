/**
 * Matches a typed short answer against a question's accepted answers the way
 * a person would: case, spacing, accents and punctuation do not matter, and a
 * small typo is forgiven (one edit for answers of 5+ characters, two for 9+).
 * A typed answer a little further off is a "near" miss: the learner gets
 * feedback about the right term, not an explanation meant for another idea.
 */
import { distance } from "fastest-levenshtein";

export type TextMatch =
  | { kind: "exact"; answer: string }
  | { kind: "close"; answer: string }
  | { kind: "near"; answer: string }
  | { kind: "none" };

export const normalizeText = (s: string): string =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}+]+/gu, " ")
    .trim();

/** Edits forgiven for an accepted answer of this (normalized) length. */
export function typoAllowance(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

export function matchTextAnswer(accepted: readonly string[], typed: string): TextMatch {
  const t = normalizeText(typed);
  if (!t) return { kind: "none" };
  let best: { answer: string; d: number; allowed: number; len: number } | null = null;
  for (const a of accepted) {
    const n = normalizeText(a);
    if (n === t) return { kind: "exact", answer: a };
    const d = distance(n, t);
    const allowed = typoAllowance(n.length);
    if (!best || d - allowed < best.d - best.allowed) best = { answer: a, d, allowed, len: n.length };
  }
  if (!best) return { kind: "none" };
  if (best.d <= best.allowed) return { kind: "close", answer: best.answer };
  // Near: within about a third of the term, and more than a short word apart from nothing.
  if (best.len >= 4 && best.d <= Math.max(best.allowed + 1, Math.ceil(best.len / 3))) return { kind: "near", answer: best.answer };
  return { kind: "none" };
}
