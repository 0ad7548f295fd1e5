/**
 * The command vocabulary, the same on every platform, and the parser for its
 * text form ("/quiz indexes 5", Slack's "/study quiz indexes 5", a shell line).
 */
import type { AnswerInput } from "./grading.js";
import { charCount, MAX_FIELD, MAX_LINE, quoteInput, tooLong } from "./input-limits.js";
import type { QuestionRef } from "./replies.js";
import { parseDays, parseTime, parseZone, type Weekday } from "./schedule/recurrence.js";
import { parseDuration } from "./schedule/model.js";
import { MAX_RETENTION, MIN_RETENTION } from "./srs.js";

export type DrillCommand =
  | { kind: "drill"; action: "me-on"; time: string; zone?: string; count?: number }
  | { kind: "drill"; action: "me-off" }
  | { kind: "drill"; action: "remind"; on: boolean }
  /** topic: a pack id, lesson or topic word the channel's questions come from (null: the whole course). */
  | { kind: "drill"; action: "channel-on"; time: string; zone: string; days: Weekday[]; windowMinutes: number | null; topic?: string }
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

/** "22:00-07:00" and an optional zone (the admin's own when absent). */
export interface QuietHoursInput {
  start: string;
  end: string;
  zone?: string;
}

export type SettingsCommand =
  | { kind: "settings"; action: "show" }
  | { kind: "settings"; action: "private"; on: boolean }
  /** null: back to the workspace's retention. */
  | { kind: "settings"; action: "retention"; value: number | null }
  /** Admins: the workspace's desired retention (null: back to 0.9). */
  | { kind: "settings"; action: "team-retention"; value: number | null }
  /** Admins: the workspace's quiet hours (null: none). */
  | { kind: "settings"; action: "quiet-hours"; quiet: QuietHoursInput | null };

/** A file an admin uploaded in chat (or named in the shell), as the adapter fetched it. */
export interface UploadedFile {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Workspace content (admins): packs list (everyone), switch a pack on or off,
 * go back to a pack's previous version, export it as YAML, remove it, upload a file.
 */
export type ContentCommand =
  | { kind: "content"; action: "packs" }
  | { kind: "content"; action: "enable" | "disable" | "rollback" | "export" | "remove"; pack: string }
  | {
      kind: "content";
      action: "upload";
      /** The fetched file; absent when none was attached (the reply says how to attach one). */
      file?: UploadedFile;
      /** The shell's text form names a local file: "/content upload team.csv". */
      path?: string;
      /** Why the adapter could not fetch the file (too large, download failed); the reply says it and stores nothing. */
      fetchProblem?: string;
    };

export type Command =
  | { kind: "help" }
  | { kind: "learn"; topic?: string }
  | { kind: "quiz"; topic?: string; count?: number }
  | { kind: "review" }
  | { kind: "streak" }
  | { kind: "leaderboard"; period: "week" | "all" }
  | { kind: "stats" }
  | { kind: "team"; export?: boolean }
  | { kind: "tz"; zone?: string }
  | SettingsCommand
  /** days: start a break of that many days; null: end it; undefined: say where it stands. */
  | { kind: "break"; days?: number | null }
  /** A typed answer to the open question, or a button press naming its slot. */
  | { kind: "answer"; ref?: QuestionRef; raw?: string; input?: AnswerInput; onlyIfOpen?: boolean }
  | DrillCommand
  | ChallengeCommand
  | ContentCommand
  | { kind: "invalid"; reason: string; usage: string };

export const MAX_QUIZ_COUNT = 20;
export const MAX_BREAK_DAYS = 30;
export const DEFAULT_QUIZ_COUNT = 5;

export const USAGE = {
  help: "/help",
  learn: "/learn [topic]",
  quiz: `/quiz [topic] [count 1-${MAX_QUIZ_COUNT}]`,
  review: "/review",
  streak: "/streak",
  leaderboard: "/leaderboard [week|all]",
  stats: "/stats",
  team: "/team [export]",
  tz: "/tz <IANA zone, e.g. Europe/Berlin>",
  settings:
    "/settings | /settings tz <zone> | /settings private on|off | /settings retention <0.85-0.97|default> | /settings team retention <0.85-0.97|default> | /settings team quiet <HH:MM-HH:MM> [zone] | /settings team quiet off",
  break: `/break <days 1-${MAX_BREAK_DAYS}> | /break off | /break`,
  drill: "/drill me <HH:MM> [zone] [count] | /drill me off | /drill remind on|off | /drill channel <HH:MM> <zone> [weekdays|mon,wed,...] [window 2h] [topic <pack>] | /drill channel off | /drill list",
  content: "/content packs | /content enable|disable|rollback|export|remove <pack> | /content upload <file: .yaml pack, course .json, .csv/.tsv table>",
  challenge: "/challenge post <pack, topic or question id> <duration, e.g. 2h> | /challenge write <duration> <question> | <option> | *<right option> | ... | <explanation>",
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
    let topic: string | undefined;
    const t = words.findIndex((x) => x.toLowerCase() === "topic" || x.toLowerCase() === "pack");
    if (t >= 0) {
      const named = words[t + 1];
      if (!named || named.toLowerCase() === "window") return invalid("name the pack or topic after topic, e.g. /drill channel 09:00 Europe/Berlin weekdays topic team-onboarding.", USAGE.drill);
      topic = named.toLowerCase();
      words = [...words.slice(0, t), ...words.slice(t + 2)];
    }
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
    return { kind: "drill", action: "channel-on", time: time.value, zone: zone.value, days: days.value, windowMinutes, ...(topic ? { topic } : {}) };
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

/** A pack id as typed: lower-case words joined by hyphens ("Team Onboarding" is not one). */
const PACK_ID = /^[a-z0-9][a-z0-9-]*$/;

/** "/content packs", "/content enable team-pack", "/content upload team.csv" (the shell names a local file). */
export function parseContent(args: string[], afterAction = ""): Command {
  const [what, ...rest] = args;
  const sub = (what ?? "").toLowerCase();
  if (sub === "" || sub === "packs" || sub === "list") {
    if (rest.length) return invalid(`/content packs takes nothing after it (you gave ${quoteInput(rest.join(" "))}).`, USAGE.content);
    return { kind: "content", action: "packs" };
  }
  if (["enable", "disable", "rollback", "export", "remove", "on", "off", "delete"].includes(sub)) {
    const action = sub === "on" ? "enable" : sub === "off" ? "disable" : sub === "delete" ? "remove" : (sub as "enable" | "disable" | "rollback" | "export" | "remove");
    if (rest.length !== 1) return invalid(`name one pack, e.g. /content ${action} team-onboarding (/content packs lists them).`, USAGE.content);
    const pack = rest[0]!.toLowerCase();
    if (!PACK_ID.test(pack) || charCount(pack) > 64) return invalid(`${quoteInput(rest[0]!)} is not a pack id: ids are lower-case letters, digits and hyphens (/content packs lists them).`, USAGE.content);
    return { kind: "content", action, pack };
  }
  if (sub === "upload" || sub === "import") {
    const path = afterAction.trim();
    return path ? { kind: "content", action: "upload", path } : { kind: "content", action: "upload" };
  }
  return invalid(`unknown content option ${quoteInput(what ?? "")}: use packs, enable, disable, rollback, export, remove or upload.`, USAGE.content);
}

/** "0.9", "0,9", "90%" or "default" as a desired retention. */
export function parseRetention(word: string | undefined): { ok: true; value: number | null } | { ok: false; reason: string } {
  const w = (word ?? "").trim().toLowerCase();
  if (w === "default" || w === "reset") return { ok: true, value: null };
  const m = /^(\d+(?:[.,]\d+)?)(%?)$/.exec(w);
  const n = m ? Number(m[1]!.replace(",", ".")) / (m[2] ? 100 : 1) : NaN;
  if (!m || !(n >= MIN_RETENTION - 1e-9 && n <= MAX_RETENTION + 1e-9)) {
    return { ok: false, reason: `${w ? quoteInput(word!) : "nothing"} is not a desired retention: give a share from ${MIN_RETENTION} to ${MAX_RETENTION} (e.g. 0.9 = you recall 9 cards in 10 when they come back), or default.` };
  }
  return { ok: true, value: Math.round(n * 1000) / 1000 };
}

/** "22:00-07:00" (or "22:00 07:00") and an optional IANA zone. */
export function parseQuietHours(words: string[]): { ok: true; value: QuietHoursInput } | { ok: false; reason: string } {
  const joined = words.join(" ").trim();
  const m = /^(\S+?)\s*(?:-|–|to|\s)\s*(\d{1,2}:\d{2})(?:\s+(\S+))?$/i.exec(joined);
  if (!m) return { ok: false, reason: `give the quiet window as HH:MM-HH:MM and optionally a zone, e.g. 22:00-07:00 Europe/Berlin (you gave ${quoteInput(joined || "nothing")}).` };
  const start = parseTime(m[1]!);
  if (!start.ok) return { ok: false, reason: start.reason };
  const end = parseTime(m[2]!);
  if (!end.ok) return { ok: false, reason: end.reason };
  if (start.value === end.value) return { ok: false, reason: "the quiet window starts and ends at the same time: give two different times, or say off." };
  if (!m[3]) return { ok: true, value: { start: start.value, end: end.value } };
  const zone = parseZone(m[3]);
  if (!zone.ok) return { ok: false, reason: zone.reason };
  return { ok: true, value: { start: start.value, end: end.value, zone: zone.value } };
}

/** The usage of each /settings word, so a refusal shows the line that applies. */
const SETTINGS_USAGE = {
  private: "/settings private on|off",
  retention: "/settings retention <0.85-0.97|default>",
  team: "/settings team retention <0.85-0.97|default> | /settings team quiet <HH:MM-HH:MM> [zone] | off",
} as const;

function parseSettings(args: string[]): Command {
  const [what, ...rest] = args;
  const sub = (what ?? "").toLowerCase();
  const onOff = (word: string | undefined) => ((word ?? "").toLowerCase() === "on" ? true : (word ?? "").toLowerCase() === "off" ? false : null);
  switch (sub) {
    case "":
      return { kind: "settings", action: "show" };
    case "tz":
    case "timezone":
      return rest[0] ? { kind: "tz", zone: rest[0] } : { kind: "tz" };
    case "private": {
      const on = onOff(rest[0]);
      if (on === null || rest.length > 1) return invalid("say /settings private on (anonymous in exports, team charts and leaderboards) or /settings private off.", SETTINGS_USAGE.private);
      return { kind: "settings", action: "private", on };
    }
    case "retention": {
      if (rest.length !== 1) return invalid("give one desired retention, e.g. /settings retention 0.9, or default.", SETTINGS_USAGE.retention);
      const r = parseRetention(rest[0]);
      return r.ok ? { kind: "settings", action: "retention", value: r.value } : invalid(r.reason, SETTINGS_USAGE.retention);
    }
    case "team": {
      const [item, ...more] = rest;
      const which = (item ?? "").toLowerCase();
      if (which === "retention") {
        if (more.length !== 1) return invalid("give one desired retention for the team, e.g. /settings team retention 0.9, or default.", SETTINGS_USAGE.team);
        const r = parseRetention(more[0]);
        return r.ok ? { kind: "settings", action: "team-retention", value: r.value } : invalid(r.reason, SETTINGS_USAGE.team);
      }
      if (which === "quiet" || which === "quiet-hours") {
        if (more.length === 1 && more[0]!.toLowerCase() === "off") return { kind: "settings", action: "quiet-hours", quiet: null };
        const q = parseQuietHours(more);
        return q.ok ? { kind: "settings", action: "quiet-hours", quiet: q.value } : invalid(q.reason, SETTINGS_USAGE.team);
      }
      return invalid(`unknown team setting ${quoteInput(item ?? "")}: use retention or quiet.`, SETTINGS_USAGE.team);
    }
    default:
      return invalid(`unknown setting ${quoteInput(what ?? "")}: use tz, private, retention or team.`, USAGE.settings);
  }
}

function parseBreak(args: string[]): Command {
  if (args.length === 0) return { kind: "break" };
  const word = args[0]!.toLowerCase();
  if (args.length === 1 && (word === "off" || word === "end" || word === "stop")) return { kind: "break", days: null };
  const m = /^(\d+)(d|days?)?$/.exec(args.join(""));
  const n = m ? Number(m[1]) : NaN;
  if (!m || n < 1 || n > MAX_BREAK_DAYS) return invalid(`${quoteInput(args.join(" "))} is not a break length: give a whole number of days from 1 to ${MAX_BREAK_DAYS}, or off.`, USAGE.break);
  return { kind: "break", days: n };
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
  team: USAGE.team, content: USAGE.content, tz: USAGE.tz, timezone: USAGE.tz, settings: USAGE.settings, drill: USAGE.drill, break: USAGE.break,
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
    case "team": {
      const sub = (args[0] ?? "").toLowerCase();
      if (!sub) return { kind: "team" };
      if (sub === "export" && args.length === 1) return { kind: "team", export: true };
      return invalid(`${quoteInput(args.join(" "))} is not a /team option: say /team, or /team export for the CSV (admins).`, USAGE.team);
    }
    case "break":
      return parseBreak(args);
    case "tz":
    case "timezone":
      return args[0] ? { kind: "tz", zone: args[0] } : { kind: "tz" };
    case "settings":
      return parseSettings(args);
    case "answer":
      return { kind: "answer", raw: args.join(" ") };
    case "drill":
      return parseDrill(args);
    case "challenge":
      return parseChallenge(line.trim().replace(/^\/?challenge\b/i, ""));
    case "content":
      return parseContent(args, line.trim().replace(/^\/?content\s+\S+\s*/i, ""));
    default:
      return null;
  }
}
