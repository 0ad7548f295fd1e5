/**
 * Bounds on what people type, the same on every platform: how long a line or
 * a field may be, and how what they typed is quoted back in a message (short,
 * with control characters removed). Pure.
 */

/** A command line, a form field or a typed answer is never longer than this. */
export const MAX_LINE = 2000;

/** Fields that need less: what a learner types for one answer, a topic, a zone, a written challenge. */
export const MAX_FIELD = {
  answer: 500,
  topic: 100,
  zone: 64,
  stem: 1500,
  option: 200,
  explanation: 1000,
} as const;

/** At most this many characters of what was typed are quoted back. */
export const MAX_QUOTE = 60;

// C0/C1 controls and the invisible format characters that reorder or hide text (bidi overrides, zero-width).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Removes control and invisible formatting characters; tabs become spaces, other line breaks stay. */
export function stripControl(text: string): string {
  return text.replace(/\t/g, " ").replace(CONTROL, "");
}

/** What someone typed, safe to show back: no control characters, one line, at most MAX_QUOTE characters, in quotes. */
export function quoteInput(text: string, max = MAX_QUOTE): string {
  const clean = stripControl(text).replace(/\s+/g, " ").trim();
  const chars = [...clean];
  return `"${chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : clean}"`;
}

/** Characters as a person counts them (a surrogate pair is one). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const thousands = (n: number) => n.toLocaleString("en-US");

/** Why `text` is too long for `what` (at most `max` characters), or null when it fits. */
export function tooLong(text: string, max: number, what: string): string | null {
  const n = charCount(text);
  return n > max ? `${what} is ${thousands(n)} characters long; at most ${thousands(max)} are allowed. Shorten it and try again.` : null;
}

/**
 * Every quoted stretch of a message cut to MAX_QUOTE characters and cleaned
 * of control characters: a net under messages that quote input they did not
 * bound themselves.
 */
export function boundQuotes(message: string): string {
  return stripControl(message).replace(/"([^"\n]{61,})"/g, (_, inner: string) => quoteInput(inner));
}

/** "1 question", "2 questions". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
