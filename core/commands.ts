/**
 * The command vocabulary, the same on every platform, and the parser for its
 * text form ("/quiz indexes 5", Slack's "/study quiz indexes 5", a shell line).
 */
import type { AnswerInput } from "./grading.js";
import type { QuestionRef } from "./replies.js";

export type Command =
  | { kind: "help" }
  | { kind: "learn"; topic?: string }
  | { kind: "quiz"; topic?: string; count?: number }
  | { kind: "review" }
  | { kind: "streak" }
  | { kind: "leaderboard"; period: "week" | "all" }
  | { kind: "stats" }
  | { kind: "tz"; zone?: string }
  /** A typed answer to the open question, or a button press naming its slot. */
  | { kind: "answer"; ref?: QuestionRef; raw?: string; input?: AnswerInput }
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
  tz: "/tz <IANA zone, e.g. Europe/Berlin>",
} as const;

function parseCount(token: string | undefined): number | "bad" | undefined {
  if (token === undefined) return undefined;
  if (!/^\d+$/.test(token)) return "bad";
  const n = Number(token);
  return n >= 1 && n <= MAX_QUIZ_COUNT ? n : "bad";
}

/**
 * Parses one command line. A leading slash is optional ("quiz" == "/quiz"),
 * so Slack's "/study quiz" text and shell lines share this grammar.
 * Returns null for an unknown command word.
 */
export function parseCommandText(line: string): Command | null {
  const words = line.trim().replace(/^\//, "").split(/\s+/).filter(Boolean);
  const [head, ...args] = words;
  const word = (head ?? "help").toLowerCase();
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
      const count = /^\d+$/.test(last ?? "") ? parseCount(last) : undefined;
      if (count === "bad") return { kind: "invalid", reason: `"${last}" is not a question count: use a number from 1 to ${MAX_QUIZ_COUNT}.`, usage: USAGE.quiz };
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
      return { kind: "invalid", reason: `"${args[0]}" is not a leaderboard period: use week or all.`, usage: USAGE.leaderboard };
    }
    case "stats":
      return { kind: "stats" };
    case "tz":
    case "timezone":
      return args[0] ? { kind: "tz", zone: args[0] } : { kind: "tz" };
    case "settings":
      if ((args[0] ?? "").toLowerCase() === "tz") return args[1] ? { kind: "tz", zone: args[1] } : { kind: "tz" };
      return { kind: "invalid", reason: `unknown setting "${args[0] ?? ""}".`, usage: "/settings tz <IANA zone>" };
    case "answer":
      return { kind: "answer", raw: args.join(" ") };
    default:
      return null;
  }
}
