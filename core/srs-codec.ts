/**
 * The stored form of an FSRS card: a short fixed-field string instead of JSON
 * with ISO dates (about 32 bytes instead of 230, under Redis' 64-byte listpack
 * value limit). Layout, after the version tag "c", comma-separated:
 *   due (epoch seconds, base 36), stability (4 significant digits),
 *   difficulty (thousandths, base 36: 4 significant digits over FSRS' 1-10),
 *   elapsed_days, scheduled_days, learning_steps, reps, lapses, state (base 36),
 *   last_review as seconds before due (base 36; empty when none).
 * Dates keep whole seconds. Cards stored as JSON (the old form) still decode.
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

/** The stored text of a card; a card the compact form cannot hold exactly (not expected from ts-fsrs) is kept as JSON. */
export function encodeCard(card: SrsCard): string {
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

/** A stored card (compact or the old JSON), or null when the text is not a card. */
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
  if (!text.startsWith(TAG)) return null;
  const comma = text.indexOf(",", TAG.length);
  const dueS = parseInt36(text.slice(TAG.length, comma < 0 ? undefined : comma));
  return comma > 0 && Number.isFinite(dueS) ? dueS * 1000 : null;
}

export function decodeCard(text: string | null | undefined): SrsCard | null {
  if (!text) return null;
  if (text.startsWith("{")) return decodeJsonCard(text);
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

function decodeJsonCard(text: string): SrsCard | null {
  try {
    const c = JSON.parse(text) as Partial<SrsCard> | null;
    if (!c || typeof c !== "object" || typeof c.due !== "string" || !Number.isFinite(Date.parse(c.due))) return null;
    return c as SrsCard;
  } catch {
    return null;
  }
}
