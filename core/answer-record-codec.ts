/**
 * The stored form of an answer record (the slot and event records): short
 * "|"-separated fields instead of JSON with long names and an ISO date.
 * Layout, after the version tag "r":
 *   eventId | sessionId | index | questionId | flags | points | totalPoints |
 *   streak current | freezes spent | due (epoch seconds) | input
 * flags: 1 correct, 2 streak extended today, 4 freeze earned. Numbers are
 * base 36; ids escape "%" and "|"; the input comes last and is kept verbatim:
 * "c" choice ids (comma-separated), "b" 1/0, "n" number with an optional
 * "~note", "t" text, or "j" JSON for anything else. Records stored as JSON
 * (the old form) still decode. The due date keeps whole seconds.
 */
import type { AnswerInput } from "./grading.js";
import type { AnswerRecord } from "./ports.js";

const TAG = "r";

const esc = (s: string) => s.replace(/[%|]/g, (c) => (c === "%" ? "%25" : "%7C"));
const unesc = (s: string) => s.replace(/%(25|7C)/g, (_, h: string) => (h === "25" ? "%" : "|"));
const int36 = (n: number) => n.toString(36);

function parseInt36(text: string | undefined): number {
  return text !== undefined && /^-?[0-9a-z]+$/.test(text) ? parseInt(text, 36) : NaN;
}

function encodeInput(input: AnswerInput): string {
  switch (input.kind) {
    case "choices":
      if (input.ids.every((id) => id !== "" && !id.includes(","))) return `c${input.ids.join(",")}`;
      break;
    case "boolean":
      return input.value ? "b1" : "b0";
    case "number":
      if (Number.isFinite(input.value)) return `n${input.value}${input.note === undefined ? "" : `~${input.note}`}`;
      break;
    case "text":
      return `t${input.value}`;
  }
  return `j${JSON.stringify(input)}`;
}

function decodeInput(text: string): AnswerInput | null {
  const body = text.slice(1);
  switch (text[0]) {
    case "c":
      return { kind: "choices", ids: body === "" ? [] : body.split(",") };
    case "b":
      return body === "1" || body === "0" ? { kind: "boolean", value: body === "1" } : null;
    case "n": {
      const cut = body.indexOf("~");
      const value = Number(cut < 0 ? body : body.slice(0, cut));
      if (!Number.isFinite(value) || body === "") return null;
      return cut < 0 ? { kind: "number", value } : { kind: "number", value, note: body.slice(cut + 1) };
    }
    case "t":
      return { kind: "text", value: body };
    case "j":
      try {
        return JSON.parse(body) as AnswerInput;
      } catch {
        return null;
      }
    default:
      return null;
  }
}

/** The stored text of an answer record; one the compact form cannot hold exactly is kept as JSON. */
export function encodeAnswerRecord(r: AnswerRecord): string {
  const due = Date.parse(r.due);
  const ints = [r.ref.index, r.points, r.totalPoints, r.streak.current, r.streak.freezesSpent];
  if (!Number.isFinite(due) || !ints.every(Number.isSafeInteger)) return JSON.stringify(r);
  const flags = (r.correct ? 1 : 0) | (r.streak.extendedToday ? 2 : 0) | (r.streak.freezeEarned ? 4 : 0);
  return (
    TAG +
    [
      esc(r.eventId),
      esc(r.ref.sessionId),
      int36(r.ref.index),
      esc(r.ref.questionId),
      String(flags),
      int36(r.points),
      int36(r.totalPoints),
      int36(r.streak.current),
      int36(r.streak.freezesSpent),
      int36(Math.round(due / 1000)),
      encodeInput(r.input),
    ].join("|")
  );
}

/** A stored answer record (compact or the old JSON), or null when the text is not one. */
export function decodeAnswerRecord(text: string | null | undefined): AnswerRecord | null {
  if (!text) return null;
  if (text.startsWith("{")) {
    try {
      const r = JSON.parse(text) as AnswerRecord | null;
      return r && typeof r === "object" && r.ref && r.input ? r : null;
    } catch {
      return null;
    }
  }
  if (!text.startsWith(TAG)) return null;
  const f = text.slice(TAG.length).split("|");
  if (f.length < 11) return null;
  // The input is last and may itself hold "|".
  const input = decodeInput(f.slice(10).join("|"));
  const [index, flags, points, totalPoints, current, freezesSpent, dueS] = [f[2], f[4], f[5], f[6], f[7], f[8], f[9]].map(parseInt36) as number[];
  if (!input || ![index, flags, points, totalPoints, current, freezesSpent, dueS].every(Number.isFinite)) return null;
  return {
    eventId: unesc(f[0]!),
    ref: { sessionId: unesc(f[1]!), index: index!, questionId: unesc(f[3]!) },
    input,
    correct: (flags! & 1) !== 0,
    points: points!,
    totalPoints: totalPoints!,
    streak: { current: current!, extendedToday: (flags! & 2) !== 0, freezeEarned: (flags! & 4) !== 0, freezesSpent: freezesSpent! },
    due: new Date(dueS! * 1000).toISOString(),
  };
}
