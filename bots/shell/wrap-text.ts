/**
 * Wraps terminal text at word boundaries to a width, keeping each line's
 * indentation (a bullet or a numbered choice continues under its text). A
 * line marked preformatted (code) is printed as it is.
 */

/** Starts a line that must not be wrapped (code); the marker itself is not printed. */
export const PREFORMATTED = "\uE000";

/** The terminal's width: process.stdout.columns when it is a terminal, else 80. */
export function terminalWidth(stream: { columns?: number } = process.stdout): number {
  const columns = stream.columns;
  return typeof columns === "number" && columns >= 20 ? columns : 80;
}

const MARKER = /^(\s*)((?:[-*•+]|\d{1,2}[.)]|\[[ x]\])\s+)?/;

/** Splits `word` into pieces of at most `max` characters (code points, so emoji are never cut in half). */
function pieces(word: string, max: number): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += max) out.push(chars.slice(i, i + max).join(""));
  return out;
}

const len = (s: string) => [...s].length;

function wrapLine(line: string, width: number): string[] {
  if (line.startsWith(PREFORMATTED)) return [line.slice(PREFORMATTED.length)];
  if (len(line) <= width) return [line];
  const m = MARKER.exec(line)!;
  let lead = (m[1] ?? "") + (m[2] ? `${m[2].trimEnd()} ` : "");
  let rest = line.slice(m[0].length);
  // An indent deeper than half the width is dropped: the text gets the room.
  if (len(lead) > width / 2) {
    lead = "";
    rest = line.trim();
  }
  // Continuation lines start under the text.
  const hang = " ".repeat(len(lead));
  const words = rest.split(/ +/).filter(Boolean);
  const out: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of words) {
    const room = width - len(current) - (empty ? 0 : 1);
    if (len(word) <= room) {
      current += (empty ? "" : " ") + word;
      empty = false;
      continue;
    }
    if (!empty) {
      out.push(current);
      current = hang;
      empty = true;
    }
    const parts = pieces(word, Math.max(1, width - len(current)));
    for (const [i, part] of parts.entries()) {
      if (i < parts.length - 1) {
        out.push(current + part);
        current = hang;
      } else {
        current += part;
        empty = false;
      }
    }
  }
  if (!empty || out.length === 0) out.push(current);
  return out.map((l) => l.trimEnd());
}

export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => wrapLine(line, Math.max(20, width)))
    .join("\n");
}
