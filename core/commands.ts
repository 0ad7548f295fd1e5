/**
 * The command vocabulary, the same on every platform, and the parser for its
 * text form ("/quiz indexes 5", Slack's "/study quiz indexes 5", a shell line).
 */
import type { AnswerInput } from "./grading.js";
import { charCount, MAX_FIELD, MAX_LINE, quoteInput, tooLong } from "./input-limits.js";
import type { QuestionRef } from "./replies.js";
import { parseDays, parseTime, parseZone, type Weekday } from "./schedule/recurrence.js";
import { parseDuration } from "./schedule/model.js";

export type DrillCommand =
  | { kind: "drill"; action: "me-on"; time: string; zone?: string; count?: number }
  | { kind: "drill"; action: "me-off" }
  | { kind: "drill"; action: "remind"; on: boolean }
  | { kind: "drill"; action: "channel-on"; time: string; zone: string; days: Weekday[]; windowMinutes: number | null }
  | { kind: "drill"; action: "channel-off" }
  | { kind: "drill"; action: "list" };

export interface WrittenQuestion {
  stem: string;
  options: string[];
  /** 0-based index of the right option. */
  correct: number;
  explanation: string;
}

export type ChallengeCommand =
  | { kind: "challenge"; action: "post"; pick: string; minutes: number }
  | { kind: "challenge"; action: "write"; question: WrittenQuestion; minutes: number };

export type Command =
  | { kind: "help" }
  | { kind: "learn"; topic?: string }
  | { kind: "quiz"; topic?: string; count?: number }
  | { kind: "review" }
  | { kind: "streak" }
  | { kind: "leaderboard"; period: "week" | "all" }
  | { kind: "stats" }
  | { kind: "team" }
  | { kind: "tz"; zone?: string }
  /** A typed answer to the open question, or a button press naming its slot. */
  | { kind: "answer"; ref?: QuestionRef; raw?: string; input?: AnswerInput; onlyIfOpen?: boolean }
  | DrillCommand
  | ChallengeCommand
  | { kind: "invalid"; reason: string; usage: string };

export const MAX_QUIZ_COUNT = 20;
export const DEFAULT_QUIZ_COUNT = 5;

export const USAGE = {
  help: "/help",
  learn: "/learn [topic]",
  quiz: `/quiz [topic] [count 1-${MAX_QUIZ_COUNT}]`,
  review: "/review",
  streak: "/streak",
  leaderboard: "/leaderboard [week|all]",
  stats: "/stats",
  team: "/team",
  tz: "/tz <IANA zone, e.g. Europe/Berlin>",
  drill: "/drill me <HH:MM> [zone] [count] | /drill me off | /drill remind on|off | /drill channel <HH:MM> <zone> [weekdays|mon,wed,...] [window 2h] | /drill channel off | /drill list",
  challenge: "/challenge post <topic or question id> <duration, e.g. 2h> | /challenge write <duration> <question> | <option> | *<right option> | ... | <explanation>",
} as const;

function invalid(reason: string, usage: string): Command {
  return { kind: "invalid", reason, usage };
}

export function parseDrill(args: string[]): Command {
  const [what, ...rest] = args.map((a) => a.trim()).filter(Boolean);
  const sub = (what ?? "").toLowerCase();
  if (sub === "list") return { kind: "drill", action: "list" };
  if (sub === "remind") {
    const v = (rest[0] ?? "").toLowerCase();
    if (v === "on" || v === "off") return { kind: "drill", action: "remind", on: v === "on" };
    return invalid("say /drill remind on or /drill remind off.", USAGE.drill);
  }
  if (sub === "me") {
    if ((rest[0] ?? "").toLowerCase() === "off") return { kind: "drill", action: "me-off" };
    if (!rest[0]) return invalid("give the time for your daily drill, e.g. /drill me 08:30 Europe/Berlin.", USAGE.drill);
    const time = parseTime(rest[0]);
    if (!time.ok) return invalid(time.reason, USAGE.drill);
    const cmd: DrillCommand = { kind: "drill", action: "me-on", time: time.value };
    for (const word of rest.slice(1)) {
      if (/^\d+$/.test(word)) {
        const n = Number(word);
        if (n < 1 || n > MAX_QUIZ_COUNT) return invalid(`a drill has 1 to ${MAX_QUIZ_COUNT} questions (you gave ${word}).`, USAGE.drill);
        cmd.count = n;
      } else {
        const zone = parseZone(word);
        if (!zone.ok) return invalid(zone.reason, USAGE.drill);
        cmd.zone = zone.value;
      }
    }
    return cmd;
  }
  if (sub === "channel") {
    if ((rest[0] ?? "").toLowerCase() === "off") return { kind: "drill", action: "channel-off" };
    if (rest.length < 2) return invalid("give a time and a time zone, e.g. /drill channel 09:00 Europe/Berlin weekdays.", USAGE.drill);
    const time = parseTime(rest[0]!);
    if (!time.ok) return invalid(time.reason, USAGE.drill);
    const zone = parseZone(rest[1]!);
    if (!zone.ok) return invalid(zone.reason, USAGE.drill);
    let words = rest.slice(2);
    let windowMinutes: number | null = null;
    const w = words.findIndex((x) => x.toLowerCase() === "window");
    if (w >= 0) {
      const d = parseDuration(words[w + 1] ?? "");
      if (!d.ok) return invalid(d.reason, USAGE.drill);
      windowMinutes = d.minutes;
      words = [...words.slice(0, w), ...words.slice(w + 2)];
    }
    const days = parseDays(words);
    if (!days.ok) return invalid(days.reason, USAGE.drill);
    return { kind: "drill", action: "channel-on", time: time.value, zone: zone.value, days: days.value, windowMinutes };
  }
  return invalid(sub ? `unknown drill option ${quoteInput(what ?? "")}.` : "say what to set up.", USAGE.drill);
}

/** "/challenge post indexes 2h" or "/challenge write 1h Stem? | A | *B | C | Why B." */
export function parseChallenge(text: string): Command {
  const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  const sub = (m?.[1] ?? "").toLowerCase();
  const rest = (m?.[2] ?? "").trim();
  if (sub === "post") {
    const words = rest.split(/\s+/).filter(Boolean);
    const flag = words.find(isFlag);
    if (flag) return unknownFlag(flag, USAGE.challenge);
    if (words.length < 2) return invalid("name a topic or question id and a duration, e.g. /challenge post indexes 2h.", USAGE.challenge);
    const d = parseDuration(words[words.length - 1]!);
    if (!d.ok) return invalid(d.reason, USAGE.challenge);
    return { kind: "challenge", action: "post", pick: words.slice(0, -1).join(" ").toLowerCase(), minutes: d.minutes };
  }
  if (sub === "write") {
    const [first, ...after] = rest.split(/\s+/);
    if (first && isFlag(first)) return unknownFlag(first, USAGE.challenge);
    const d = parseDuration(first ?? "");
    if (!d.ok) return invalid(d.reason, USAGE.challenge);
    const parts = after.join(" ").split("|").map((p) => p.trim());
    if (parts.length < 4) return invalid("write the question, 2 to 5 options (mark the right one with *), and an explanation, separated by |.", USAGE.challenge);
    const stem = parts[0]!;
    const explanation = parts[parts.length - 1]!;
    const raw = parts.slice(1, -1);
    const starred = raw.filter((o) => o.startsWith("*")).length;
    if (starred > 1) return invalid(`mark exactly one right option with * (you marked ${starred}).`, USAGE.challenge);
    const correct = raw.findIndex((o) => o.startsWith("*"));
    const options = raw.map((o) => o.replace(/^\*/, "").trim());
    const problem = checkWritten({ stem, options, correct, explanation });
    if (problem) return invalid(problem, USAGE.challenge);
    return { kind: "challenge", action: "write", question: { stem, options, correct, explanation }, minutes: d.minutes };
  }
  return invalid(sub ? `unknown challenge option ${quoteInput(sub)}.` : "say post or write.", USAGE.challenge);
}

/** What is wrong with an admin-written question, or null. Shared by the shell syntax and platform forms. */
export function checkWritten(q: WrittenQuestion): string | null {
  if (!q.stem.trim()) return "the question text is empty.";
  if (q.options.length < 2 || q.options.length > 5) return `a challenge needs 2 to 5 options (you gave ${q.options.length}).`;
  if (q.options.some((o) => !o.trim())) return "an option is empty.";
  if (q.correct < 0 || q.correct >= q.options.length) return "mark exactly one right option (with * in the shell, or by its number in the form).";
  if (!q.explanation.trim()) return "add an explanation of the right answer.";
  return (
    tooLong(q.stem, MAX_FIELD.stem, "the question") ??
    q.options.map((o, i) => tooLong(o, MAX_FIELD.option, `option ${i + 1}`)).find(Boolean) ??
    tooLong(q.explanation, MAX_FIELD.explanation, "the explanation")
  );
}

/** "--bogus", "-x", or the long dashes phones put in their place. */
function isFlag(word: string): boolean {
  return /^(--|[\u2013\u2014])\S/.test(word) || /^-[a-z]/i.test(word);
}

function unknownFlag(word: string, usage: string): Command {
  return invalid(`${quoteInput(word)} is not an option drillbot knows.`, usage);
}

/** A word that reads as a number ("5", "-1", "2.5", "+3"): a question count, valid or not. */
const NUMBER_LIKE = /^[-+]?\d+([.,]\d+)?$/;

function parseCount(token: string): number | "bad" {
  if (!/^\d+$/.test(token)) return "bad";
  const n = Number(token);
  return n >= 1 && n <= MAX_QUIZ_COUNT ? n : "bad";
}

const USAGE_BY_WORD: Record<string, string> = {
  help: USAGE.help, start: USAGE.help, "?": USAGE.help, learn: USAGE.learn, lesson: USAGE.learn, quiz: USAGE.quiz,
  review: USAGE.review, streak: USAGE.streak, leaderboard: USAGE.leaderboard, top: USAGE.leaderboard, stats: USAGE.stats,
  team: USAGE.team, tz: USAGE.tz, timezone: USAGE.tz, settings: "/settings tz <IANA zone>", drill: USAGE.drill,
};

/**
 * Parses one command line. A leading slash is optional ("quiz" == "/quiz"),
 * so Slack's "/study quiz" text and shell lines share this grammar.
 * Returns null for an unknown command word.
 */
export function parseCommandText(line: string): Command | null {
  if (charCount(line) > MAX_LINE) return invalid(tooLong(line, MAX_LINE, "That line")!, USAGE.help);
  const words = line.trim().replace(/^\//, "").split(/\s+/).filter(Boolean);
  const [head, ...args] = words;
  const word = (head ?? "help").toLowerCase();
  const flag = word !== "challenge" ? args.find(isFlag) : undefined;
  if (flag && USAGE_BY_WORD[word]) return unknownFlag(flag, USAGE_BY_WORD[word]!);
  switch (word) {
    case "help":
    case "start":
    case "?":
      return { kind: "help" };
    case "learn":
    case "lesson":
      return args.length ? { kind: "learn", topic: args.join(" ").toLowerCase() } : { kind: "learn" };
    case "quiz": {
      const last = args[args.length - 1];
      const count = last !== undefined && NUMBER_LIKE.test(last) ? parseCount(last) : undefined;
      if (count === "bad") return { kind: "invalid", reason: `${quoteInput(last!)} is not a question count: use a whole number from 1 to ${MAX_QUIZ_COUNT}.`, usage: USAGE.quiz };
      const topicWords = count === undefined ? args : args.slice(0, -1);
      const cmd: Command = { kind: "quiz" };
      if (topicWords.length) cmd.topic = topicWords.join(" ").toLowerCase();
      if (count !== undefined) cmd.count = count;
      return cmd;
    }
    case "review":
      return { kind: "review" };
    case "streak":
      return { kind: "streak" };
    case "leaderboard":
    case "top": {
      const p = (args[0] ?? "week").toLowerCase();
      if (p === "week" || p === "weekly") return { kind: "leaderboard", period: "week" };
      if (p === "all" || p === "alltime" || p === "all-time") return { kind: "leaderboard", period: "all" };
      return { kind: "invalid", reason: `${quoteInput(args[0] ?? "")} is not a leaderboard period: use week or all.`, usage: USAGE.leaderboard };
    }
    case "stats":
      return { kind: "stats" };
    case "team":
      return { kind: "team" };
    case "tz":
    case "timezone":
      return args[0] ? { kind: "tz", zone: args[0] } : { kind: "tz" };
    case "settings":
      if ((args[0] ?? "").toLowerCase() === "tz") return args[1] ? { kind: "tz", zone: args[1] } : { kind: "tz" };
      return { kind: "invalid", reason: `unknown setting ${quoteInput(args[0] ?? "")}.`, usage: "/settings tz <IANA zone>" };
    case "answer":
      return { kind: "answer", raw: args.join(" ") };
    case "drill":
      return parseDrill(args);
    case "challenge":
      return parseChallenge(line.trim().replace(/^\/?challenge\b/i, ""));
    default:
      return null;
  }
}
