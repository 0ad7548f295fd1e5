/**
 * /drill and /challenge options as core commands: the options are laid out as
 * the words of the core's text grammar and parsed by parseDrill /
 * parseChallenge, so every platform validates the same way. Also the
 * challenge form's fields as a WrittenQuestion. Pure.
 */
import { checkWritten, parseChallenge, parseDrill, type Command, type WrittenQuestion } from "../../core/commands.js";
import { parseDuration } from "../../core/schedule/model.js";
import { parseTime } from "../../core/schedule/recurrence.js";
import { CHALLENGE_SUB, DRILL_SUB, OPTION } from "./command-definitions.js";
import type { SlashInput } from "./slash-to-command.js";

/** How the commands are typed on Discord (the core's usage lines follow the text grammar). */
export const DISCORD_USAGE_DRILL =
  "/drill me <time> [zone] [count] | /drill me-off | /drill remind <on> | /drill channel <time> <zone> [days] [window] [topic] | /drill channel-off | /drill list";
export const DISCORD_USAGE_CHALLENGE = "/challenge post <topic or question id> <duration> | /challenge write <duration> (opens a form)";

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

function invalid(reason: string, usage: string): Command {
  return { kind: "invalid", reason, usage };
}

/** The core's answer, with the usage line in Discord's form. */
function withUsage(cmd: Command, usage: string): Command {
  return cmd.kind === "invalid" ? { ...cmd, usage } : cmd;
}

/** "every day" | "weekdays" | "mon, wed fri" → the words parseDays reads (none = every day). */
export function dayWords(days: string | undefined): string[] {
  const d = (days ?? "").trim().toLowerCase();
  if (!d || /^(every\s*day|daily|all)$/.test(d)) return [];
  return d.split(/[\s,]+/).filter(Boolean);
}

/** A time that really is one: parseDrill would read "off" in its place as "turn it off". */
function timeWord(options: SlashInput["options"]): { ok: true; value: string } | { ok: false; reason: string } {
  const t = text(options[OPTION.time]) ?? "";
  const parsed = parseTime(t);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, reason: parsed.reason };
}

export function drillToCommand(subcommand: string | null, options: SlashInput["options"]): Command {
  const usage = DISCORD_USAGE_DRILL;
  switch (subcommand) {
    case DRILL_SUB.me: {
      const time = timeWord(options);
      if (!time.ok) return invalid(time.reason, usage);
      const count = options[OPTION.count];
      const words = ["me", time.value, text(options[OPTION.zone]) ?? "", count === undefined ? "" : String(count)];
      return withUsage(parseDrill(words), usage);
    }
    case DRILL_SUB.meOff:
      return parseDrill(["me", "off"]);
    case DRILL_SUB.remind: {
      const on = options[OPTION.on];
      if (typeof on !== "boolean") return invalid("say whether reminders should be on (true) or off (false).", usage);
      return parseDrill(["remind", on ? "on" : "off"]);
    }
    case DRILL_SUB.channel: {
      const time = timeWord(options);
      if (!time.ok) return invalid(time.reason, usage);
      const zone = text(options[OPTION.zone]);
      if (!zone) return invalid("give the time zone of the drill time, e.g. Europe/Berlin.", usage);
      const window = text(options[OPTION.window]);
      const words = ["channel", time.value, zone, ...dayWords(text(options[OPTION.days])), ...(window ? ["window", window.replace(/\s+/g, "")] : [])];
      const cmd = withUsage(parseDrill(words), usage);
      // Set on the command, not typed as words: a topic may hold spaces.
      const topic = text(options[OPTION.topic])?.toLowerCase();
      return topic && cmd.kind === "drill" && cmd.action === "channel-on" ? { ...cmd, topic } : cmd;
    }
    case DRILL_SUB.channelOff:
      return parseDrill(["channel", "off"]);
    case DRILL_SUB.list:
      return parseDrill(["list"]);
    default:
      return invalid(`unknown drill option "${subcommand ?? ""}".`, usage);
  }
}

/** /challenge post (write opens a form first: see challengeFormToCommand). */
export function challengeToCommand(subcommand: string | null, options: SlashInput["options"]): Command {
  const usage = DISCORD_USAGE_CHALLENGE;
  if (subcommand !== CHALLENGE_SUB.post) return invalid(`unknown challenge option "${subcommand ?? ""}".`, usage);
  const pick = text(options[OPTION.topic]);
  const duration = text(options[OPTION.duration])?.replace(/\s+/g, "");
  if (!pick || !duration) return invalid("name a topic or question id and a duration, e.g. indexes and 2h.", usage);
  return withUsage(parseChallenge(`post ${pick} ${duration}`), usage);
}

/** The minutes of a duration option, or why it is not one. */
export function durationMinutes(value: unknown): { ok: true; minutes: number } | { ok: false; reason: string } {
  return parseDuration(text(value)?.replace(/\s+/g, "") ?? "");
}

/** The challenge form's fields as typed. */
export interface WrittenForm {
  question: string;
  options: string;
  correct: string;
  explanation: string;
}

/** One option a line; numbering ("1.", "2)") and bullets ("-", "•", "*") people add are dropped. */
export function formOptions(textBlock: string): string[] {
  return textBlock
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:\d{1,2}[.)]|[-*•])\s+/, "").trim())
    .filter(Boolean);
}

/** The form as a written question, checked by the core's checkWritten. */
export function writtenFromForm(form: WrittenForm): { ok: true; question: WrittenQuestion } | { ok: false; reason: string } {
  const n = /^\s*#?(\d{1,2})\.?\s*$/.exec(form.correct);
  const question: WrittenQuestion = {
    stem: form.question.trim(),
    options: formOptions(form.options),
    correct: n ? Number(n[1]) - 1 : -1,
    explanation: form.explanation.trim(),
  };
  const problem = checkWritten(question);
  return problem ? { ok: false, reason: problem } : { ok: true, question };
}

/** The written question and its duration as the core's challenge command. */
export function challengeFormToCommand(form: WrittenForm, minutes: number): Command {
  const written = writtenFromForm(form);
  if (!written.ok) return invalid(written.reason, DISCORD_USAGE_CHALLENGE);
  return { kind: "challenge", action: "write", question: written.question, minutes };
}
