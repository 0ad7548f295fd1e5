/** Turns one typed shell line into a command (or a request to quit). */
import { parseCommandText, type Command } from "../../core/commands.js";

export type ShellInput = { kind: "command"; command: Command } | { kind: "quit" } | { kind: "empty" } | { kind: "unknown"; word: string };

export function lineToCommand(line: string): ShellInput {
  const text = line.trim();
  if (!text) return { kind: "empty" };
  if (/^\/?(quit|exit|q)$/i.test(text)) return { kind: "quit" };
  if (!text.startsWith("/")) return { kind: "command", command: { kind: "answer", raw: text } };
  const command = parseCommandText(text);
  if (!command) return { kind: "unknown", word: text.split(/\s+/)[0] ?? text };
  return { kind: "command", command };
}
