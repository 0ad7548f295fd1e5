/**
 * Reads a typed number the way a person writes it: "24k", "1.5M", "2,000",
 * "10 %", "90 minutes", "2.5 million". Pure. The result is in the question's
 * own unit: "90 minutes" answers a question asked in hours as 1.5, and
 * "2.5 million" answers one asked in "million readings" as 2.5.
 *
 * Only unambiguous readings are taken: a size typed for a time question, or
 * an unknown word where a unit is expected, is refused with the unit to use.
 */
import { quoteInput } from "./input-limits.js";

export type NumericReading = { ok: true; value: number; note: string | null } | { ok: false; reason: string };

/** Scale words and suffixes. Lower-case "m" is read as minutes for a time question, else as million. */
const SCALES: Record<string, number> = {
  k: 1e3, thousand: 1e3, thousands: 1e3,
  m: 1e6, mn: 1e6, mm: 1e6, million: 1e6, millions: 1e6,
  b: 1e9, bn: 1e9, billion: 1e9, billions: 1e9,
};

type Dimension = "time" | "size" | "percent";

/** Units a person may type, by dimension, with their size in that dimension's base unit. */
const UNITS: Record<string, { dim: Dimension; factor: number }> = {
  ms: { dim: "time", factor: 0.001 }, millisecond: { dim: "time", factor: 0.001 }, milliseconds: { dim: "time", factor: 0.001 },
  s: { dim: "time", factor: 1 }, sec: { dim: "time", factor: 1 }, secs: { dim: "time", factor: 1 }, second: { dim: "time", factor: 1 }, seconds: { dim: "time", factor: 1 },
  min: { dim: "time", factor: 60 }, mins: { dim: "time", factor: 60 }, minute: { dim: "time", factor: 60 }, minutes: { dim: "time", factor: 60 },
  h: { dim: "time", factor: 3600 }, hr: { dim: "time", factor: 3600 }, hrs: { dim: "time", factor: 3600 }, hour: { dim: "time", factor: 3600 }, hours: { dim: "time", factor: 3600 },
  d: { dim: "time", factor: 86400 }, day: { dim: "time", factor: 86400 }, days: { dim: "time", factor: 86400 },
  kb: { dim: "size", factor: 1e3 }, mb: { dim: "size", factor: 1e6 }, gb: { dim: "size", factor: 1e9 }, tb: { dim: "size", factor: 1e12 },
  "%": { dim: "percent", factor: 1 }, percent: { dim: "percent", factor: 1 }, pct: { dim: "percent", factor: 1 },
};

interface QuestionUnit {
  /** The unit's known dimension, if any (e.g. "hours per year" is time). */
  known: { dim: Dimension; factor: number } | null;
  /** A scale word leading the unit ("million readings" counts in millions). */
  scale: number;
}

function describeUnit(unit: string | undefined): QuestionUnit {
  const words = (unit ?? "").toLowerCase().split(/[\s/]+/).filter(Boolean);
  const first = words[0];
  const scale = first && first.length > 2 && SCALES[first] ? SCALES[first]! : 1;
  const known = first ? UNITS[first] ?? null : null;
  return { known, scale };
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?`;

export function readNumber(raw: string, unit?: string): NumericReading {
  const typed = raw.trim();
  // "2,000" and "1,500,000" are thousands separators; "2,5" is not read as a decimal (ambiguous).
  const text = typed.replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
  const m = new RegExp(`^(${NUMBER})\\s*([a-z%][a-z% /.-]*)?$`, "i").exec(text);
  const hint = unit ? `type a number in ${unit}, e.g. 42 or 1.5k` : "type a number, e.g. 42, 4.5 or 24k";
  if (!m) return { ok: false, reason: `${quoteInput(typed, 40)} is not a number: ${hint}.` };
  let value = Number(m[1]);
  if (!Number.isFinite(value)) return { ok: false, reason: `${quoteInput(typed, 40)} is too large: ${hint}.` };
  const q = describeUnit(unit);
  let rest = (m[2] ?? "").trim();
  let converted = false;

  // A scale suffix or word first ("24k", "1.5M", "2.5 million"); "5m" on a time question is minutes.
  const scaleMatch = /^(k|mn|mm|m|bn|b|thousands?|millions?|billions?)(?![a-z])\s*(.*)$/i.exec(rest);
  if (scaleMatch && !(scaleMatch[1] === "m" && q.known?.dim === "time" && scaleMatch[2] === "")) {
    value *= SCALES[scaleMatch[1]!.toLowerCase()]!;
    rest = scaleMatch[2]!.trim();
    converted = true;
  }
  // A question counted in millions ("million readings"): a full number converts down.
  if (q.scale !== 1 && (converted || Math.abs(value) >= q.scale)) {
    value /= q.scale;
    converted = true;
  }

  if (rest) {
    const word = rest.toLowerCase().replace(/\.$/, "");
    const typedUnit = UNITS[word] ?? (word === "m" && q.known?.dim === "time" ? UNITS.min : undefined);
    if (typedUnit && q.known && q.known.dim !== typedUnit.dim) {
      return { ok: false, reason: `${quoteInput(typed, 40)}: the answer is in ${unit}, not ${quoteInput(rest, 20)}. Type a number in ${unit}.` };
    }
    if (typedUnit && !q.known && unit) {
      return { ok: false, reason: `${quoteInput(typed, 40)}: the answer is a number of ${unit}, not ${quoteInput(rest, 20)}. Type just the number.` };
    }
    if (typedUnit && q.known && q.known.factor !== typedUnit.factor) {
      value = (value * typedUnit.factor) / q.known.factor;
      converted = true;
    }
    // Any other word is taken as the learner naming the unit in their own words ("17 conns").
  }
  return { ok: true, value, note: converted ? `read as ${formatPlain(value)}${unit ? ` ${unit}` : ""}` : null };
}

function formatPlain(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(Number(n.toPrecision(6)));
}
