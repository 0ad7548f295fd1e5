/** Turns one typed shell line into a command (or a request to quit, or to turn a lesson's page). */
import { parseCommandText, type Command } from "../../core/commands.js";
import { charCount, MAX_LINE, stripControl, tooLong } from "../../core/input-limits.js";

export type ShellInput =
  | { kind: "command"; command: Command }
  /** Refused before parsing (too long): the service words the refusal. */
  | { kind: "refused"; command: Command }
  | { kind: "quit" }
  | { kind: "empty" }
  | { kind: "next" }
  | { kind: "unknown"; word: string };

export function lineToCommand(line: string): ShellInput {
  if (charCount(line) > MAX_LINE) return { kind: "refused", command: { kind: "invalid", reason: tooLong(line, MAX_LINE, "That line")!, usage: "/help" } };
  const text = stripControl(line).replace(/\n/g, " ").trim();
  if (!text) return { kind: "empty" };
  if (/^\/?(quit|exit|q)$/i.test(text)) return { kind: "quit" };
  if (/^\/(next|n)$/i.test(text)) return { kind: "next" };
  if (!text.startsWith("/")) return { kind: "command", command: { kind: "answer", raw: text } };
  const command = parseCommandText(text);
  if (!command) return { kind: "unknown", word: text.split(/\s+/)[0] ?? text };
  return { kind: "command", command };
}
