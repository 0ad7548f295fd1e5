/**
 * A terminal running the real shell in this process (runShell on a real
 * Redis): type a line and get what it printed in answer. Several terminals
 * may share one learner, as two windows would.
 */
import { PassThrough } from "node:stream";
import type { LearnerKey } from "../../core/identity.js";
import type { StudyService } from "../../core/service/study-service.js";
import { OpenQuestion } from "../../bots/shell/open-question.js";
import { runShell } from "../../bots/shell/run-shell.js";
import { ShellMessenger } from "../../bots/shell/shell-messenger.js";

export interface Terminal {
  /** What the shell printed before it first waited for input (greeting and start summary). */
  greeting: string;
  /** Types a line (line breaks in it become spaces); resolves with everything printed until the shell waits again. */
  type(line: string): Promise<string>;
  /** Delivers scheduled messages into this terminal, as the drill worker does. */
  messenger: ShellMessenger;
  /** Everything printed so far. */
  transcript(): string;
  close(): Promise<void>;
}

export async function openTerminal(service: StudyService, learner: LearnerKey, columns = 80): Promise<Terminal> {
  const input = new PassThrough();
  const printed: string[] = [];
  const open = new OpenQuestion();
  let waiting: (() => void) | null = null;
  const ready = () => new Promise<void>((resolve) => (waiting = resolve));
  const output = (text: string) => printed.push(text);
  let first = ready();
  const done = runShell({
    service,
    learner,
    displayName: learner.user,
    input,
    output,
    interactive: false,
    open,
    columns,
    onReady: () => {
      const w = waiting;
      waiting = null;
      w?.();
    },
  });
  await first;
  const greeting = printed.join("\n");
  return {
    greeting,
    messenger: new ShellMessenger(output, open, columns),
    transcript: () => printed.join("\n"),
    async type(line) {
      const from = printed.length;
      first = ready();
      // One line: a carriage return would end it early, as in a real terminal.
      input.write(`${line.replace(/[\r\n]/g, " ")}\n`);
      // A shell that never asks for input again is a bug: fail naming the line rather than hang the test.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the shell did not ask for input again after ${JSON.stringify(line.slice(0, 80))}`)), 10_000);
      });
      await Promise.race([first, stuck]).finally(() => clearTimeout(timer));
      return printed.slice(from).join("\n");
    },
    async close() {
      input.end();
      await done;
    },
  };
}
