/**
 * The terminal chat: reads lines (interactive or piped), sends each to the
 * study service, prints the replies. Piped input is read to EOF, then it exits.
 */
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import type { Command } from "../../core/commands.js";
import type { LearnerKey } from "../../core/identity.js";
import type { StudyService } from "../../core/service/study-service.js";
import { lineToCommand } from "./line-to-command.js";
import { OpenQuestion } from "./open-question.js";
import { renderText } from "./render-text.js";

export interface ShellOptions {
  service: StudyService;
  learner: LearnerKey;
  displayName: string;
  input: NodeJS.ReadableStream;
  output: (text: string) => void;
  interactive: boolean;
  /** Shared with the shell messenger, so drills and challenges printed into the terminal can be answered. */
  open?: OpenQuestion;
}

/** A typed answer goes to the question on screen (which may be a challenge rather than the quiz). */
function withOpenQuestion(cmd: Command, open: OpenQuestion): Command {
  if (cmd.kind !== "answer" || cmd.ref || !open.current) return cmd;
  return { ...cmd, ref: open.current };
}

export async function runShell(opts: ShellOptions): Promise<void> {
  const { service, learner, displayName, output } = opts;
  const open = opts.open ?? new OpenQuestion();
  const rl = readline.createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
  const prompt = () => {
    if (opts.interactive) process.stdout.write("> ");
  };
  output(`drillbot shell: you are "${displayName}". Type /help for commands, /learn to start, /quit to leave.`);
  prompt();
  for await (const line of rl) {
    const parsed = lineToCommand(line);
    if (parsed.kind === "quit") break;
    if (parsed.kind === "empty") {
      prompt();
      continue;
    }
    // The terminal is its own workspace: its user is the admin and the terminal is the channel.
    const ctx = { learner, displayName, eventId: randomUUID(), isAdmin: true, channel: { platform: "shell" as const, workspace: learner.workspace, channel: "terminal" } };
    const replies =
      parsed.kind === "unknown"
        ? [
            { type: "notice" as const, level: "warning" as const, code: "unknown-command" as const, text: `Unknown command ${parsed.word}.` },
            ...(await service.handle(ctx, { kind: "help" })),
          ]
        : await service.handle(ctx, withOpenQuestion(parsed.command, open));
    open.saw(replies);
    for (const r of replies) output(renderText(r));
    output("");
    prompt();
  }
  rl.close();
}
