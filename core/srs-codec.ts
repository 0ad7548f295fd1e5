/**
 * The stored form of an FSRS card: a short fixed-width string instead of JSON
 * with ISO dates (about 21 bytes instead of 230, well under Redis' 64-byte
 * listpack value limit). Layout "d" (current), digits from a 64-character
 * alphabet, fixed widths and no separators:
 *   due: seconds since 2020-01-01 (5 digits, to 2054)
 *   stability: round((ln s + 16) * 7000) (3 digits: 0.015% apart)
 *   difficulty: round(d * 10000) (3 digits)
 *   state * 16 + learning_steps (1 digit)
 *   reps, lapses (2 digits each, up to 4095)
 *   last_review: seconds before due (the rest; empty when none).
 * elapsed_days and scheduled_days are not stored: ts-fsrs recomputes the first
 * from last_review at each review (and deprecates it), and the second is the
 * whole days from last_review to due. A card "d" cannot hold (out of range) is
 * stored in the older comma-separated form "c", which keeps every field; both
 * and the first JSON form still decode.
 */
import type { SrsCard } from "./srs.js";

const TAG = "c";

/** 4 significant digits, the shortest decimal text ("0.4072" -> ".4072"). */
function short(n: number): string {
  const text = String(Number(n.toPrecision(4)));
  return text.startsWith("0.") ? text.slice(1) : text.startsWith("-0.") ? `-${text.slice(2)}` : text;
}

const int36 = (n: number) => n.toString(36);

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n);
}

/** The card with the precision it is stored with: dates to the second, stability to 4 significant digits, difficulty to 0.001. */
export function roundCard(card: SrsCard): SrsCard {
  const decoded = decodeCard(encodeCard(card));
  return decoded ?? card;
}

/** The "c" form (comma-separated, every field); JSON when even that cannot hold the card (not expected from ts-fsrs). */
function encodeWide(card: SrsCard): string {
  const due = Date.parse(card.due);
  const last = card.last_review === undefined ? null : Date.parse(card.last_review);
  const counts = [card.elapsed_days, card.scheduled_days, card.learning_steps, card.reps, card.lapses, card.state];
  if (!Number.isFinite(due) || (last !== null && !Number.isFinite(last)) || !Number.isFinite(card.stability) || !Number.isFinite(card.difficulty) || !counts.every(isCount)) {
    return JSON.stringify(card);
  }
  const dueS = Math.round(due / 1000);
  const lastField = last === null ? "" : int36(dueS - Math.round(last / 1000));
  return TAG + [int36(dueS), short(card.stability), int36(Math.round(card.difficulty * 1000)), ...counts.map(int36), lastField].join(",");
}

function parseNumber(text: string | undefined): number {
  return text === undefined || text === "" ? NaN : Number(text);
}

function parseInt36(text: string | undefined): number {
  return text !== undefined && /^-?[0-9a-z]+$/.test(text) ? parseInt(text, 36) : NaN;
}

/**
 * Only a stored card's due time (ms), read without decoding the rest: the
 * delivery path reads every card of a learner for this alone. Null when the
 * text is not a card.
 */
export function dueMsOf(text: string | null | undefined): number | null {
  if (!text) return null;
  if (text.startsWith("{")) {
    const card = decodeJsonCard(text);
    return card ? Date.parse(card.due) : null;
  }
  if (text.startsWith(DENSE)) {
    const dueS = text.length >= 1 + DUE_W ? digitsOf(text, 1, DUE_W) : NaN;
    return Number.isFinite(dueS) ? (EPOCH_S + dueS) * 1000 : null;
  }
  if (!text.startsWith(TAG)) return null;
  const comma = text.indexOf(",", TAG.length);
  const dueS = parseInt36(text.slice(TAG.length, comma < 0 ? undefined : comma));
  return comma > 0 && Number.isFinite(dueS) ? dueS * 1000 : null;
}

export function decodeCard(text: string | null | undefined): SrsCard | null {
  if (!text) return null;
  if (text.startsWith("{")) return decodeJsonCard(text);
  if (text.startsWith(DENSE)) return decodeDense(text);
  if (!text.startsWith(TAG)) return null;
  const f = text.slice(TAG.length).split(",");
  if (f.length !== 10) return null;
  const dueS = parseInt36(f[0]);
  const stability = parseNumber(f[1]);
  const difficulty = parseInt36(f[2]) / 1000;
  const counts = f.slice(3, 9).map(parseInt36);
  const lastOffset = f[9] === "" ? null : parseInt36(f[9]);
  if (![dueS, stability, difficulty, ...counts].every(Number.isFinite) || (lastOffset !== null && !Number.isFinite(lastOffset))) return null;
  const [elapsed_days, scheduled_days, learning_steps, reps, lapses, state] = counts as [number, number, number, number, number, number];
  const card: SrsCard = {
    due: new Date(dueS * 1000).toISOString(),
    stability,
    difficulty,
    elapsed_days,
    scheduled_days,
    learning_steps,
    reps,
    lapses,
    state,
  };
  if (lastOffset !== null) card.last_review = new Date((dueS - lastOffset) * 1000).toISOString();
  return card;
}

/** The stored text of a card: the dense "d" form when it can hold the card, else the "c" form. */
export function encodeCard(card: SrsCard): string {
  return encodeDense(card) ?? encodeWide(card);
}

const DENSE = "d";
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const VALUE_OF = new Map([...DIGITS].map((c, i) => [c, i]));
const EPOCH_S = Date.UTC(2020, 0, 1) / 1000;
const [DUE_W, STAB_W, DIFF_W, STATE_W, COUNT_W] = [5, 3, 3, 1, 2];
const FIXED_W = DUE_W + STAB_W + DIFF_W + STATE_W + 2 * COUNT_W;
const STAB_SHIFT = 16;
const STAB_SCALE = 7000;
const DIFF_SCALE = 10_000;

/** n in exactly `width` digits, or null when it does not fit. */
function digits(n: number, width: number): string | null {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 64 ** width) return null;
  let out = "";
  for (let i = 0; i < width; i++, n = Math.floor(n / 64)) out = DIGITS[n % 64]! + out;
  return out;
}

/** n in as few digits as it takes ("0" for zero). */
function varDigits(n: number): string | null {
  for (let w = 1; w <= 8; w++) if (n < 64 ** w) return digits(n, w);
  return null;
}

/** The number written in text[from, from + width) (NaN when a character is not a digit). */
function digitsOf(text: string, from: number, width: number): number {
  let n = 0;
  for (let i = from; i < from + width; i++) {
    const v = VALUE_OF.get(text[i]!);
    if (v === undefined) return NaN;
    n = n * 64 + v;
  }
  return n;
}

function encodeDense(card: SrsCard): string | null {
  const due = Date.parse(card.due);
  const last = card.last_review === undefined ? null : Date.parse(card.last_review);
  if (!Number.isFinite(due) || (last !== null && !Number.isFinite(last)) || !(card.stability > 0) || !Number.isFinite(card.stability)) return null;
  const dueS = Math.round(due / 1000);
  const lastOffset = last === null ? null : dueS - Math.round(last / 1000);
  if (![card.state, card.learning_steps].every(isCount) || card.state < 0 || card.state > 3 || card.learning_steps < 0 || card.learning_steps > 15) return null;
  const parts = [
    digits(dueS - EPOCH_S, DUE_W),
    digits(Math.round((Math.log(card.stability) + STAB_SHIFT) * STAB_SCALE), STAB_W),
    digits(Math.round(card.difficulty * DIFF_SCALE), DIFF_W),
    digits(card.state * 16 + card.learning_steps, STATE_W),
    digits(card.reps, COUNT_W),
    digits(card.lapses, COUNT_W),
    lastOffset === null ? "" : varDigits(lastOffset),
  ];
  return parts.every((p) => p !== null) ? DENSE + parts.join("") : null;
}

function decodeDense(text: string): SrsCard | null {
  const lastText = text.slice(1 + FIXED_W);
  if (text.length < 1 + FIXED_W || lastText.length > 8) return null;
  let at = 1;
  const next = (width: number) => digitsOf(text, (at += width) - width, width);
  const dueS = EPOCH_S + next(DUE_W);
  const stability = Math.exp(next(STAB_W) / STAB_SCALE - STAB_SHIFT);
  const difficulty = next(DIFF_W) / DIFF_SCALE;
  const stateSteps = next(STATE_W);
  const reps = next(COUNT_W);
  const lapses = next(COUNT_W);
  const lastOffset = lastText === "" ? null : digitsOf(lastText, 0, lastText.length);
  if (![dueS, stability, difficulty, stateSteps, reps, lapses].every(Number.isFinite) || Number.isNaN(lastOffset) || stateSteps >= 64) return null;
  const card: SrsCard = {
    due: new Date(dueS * 1000).toISOString(),
    stability,
    difficulty,
    elapsed_days: 0,
    scheduled_days: lastOffset === null ? 0 : Math.floor((lastOffset + 1) / 86_400),
    learning_steps: stateSteps % 16,
    reps,
    lapses,
    state: Math.floor(stateSteps / 16),
  };
  if (lastOffset !== null) card.last_review = new Date((dueS - lastOffset) * 1000).toISOString();
  return card;
}

function decodeJsonCard(text: string): SrsCard | null {
  try {
    const c = JSON.parse(text) as Partial<SrsCard> | null;
    if (!c || typeof c !== "object" || typeof c.due !== "string" || !Number.isFinite(Date.parse(c.due))) return null;
    // Cards from ts-fsrs before version 5 have no learning steps: such a card is at step 0.
    return (c.learning_steps === undefined ? { ...c, learning_steps: 0 } : c) as SrsCard;
  } catch {
    return null;
  }
}
