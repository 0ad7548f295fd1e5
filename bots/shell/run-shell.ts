/**
 * The terminal chat: reads lines (interactive or piped), sends each to the
 * study service, prints the replies wrapped to the terminal's width. Piped
 * input is read to EOF, then it exits. A typed answer goes to the question on
 * screen; one that is no longer open is never graded (the learner is shown
 * where they are instead).
 */
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import type { Command } from "../../core/commands.js";
import type { LearnerKey } from "../../core/identity.js";
import { quoteInput } from "../../core/input-limits.js";
import type { Reply } from "../../core/replies.js";
import type { RequestContext, StudyService } from "../../core/service/study-service.js";
import { LessonPager } from "./lesson-pager.js";
import { lineToCommand } from "./line-to-command.js";
import { OpenQuestion } from "./open-question.js";
import { readUpload } from "../content/read-local-upload.js";
import { renderText } from "./render-text.js";
import type { Attachment, SaveAttachment } from "./save-attachments.js";
import { terminalWidth, wrapText } from "./wrap-text.js";

export interface ShellOptions {
  service: StudyService;
  learner: LearnerKey;
  displayName: string;
  input: NodeJS.ReadableStream;
  output: (text: string) => void;
  interactive: boolean;
  /** Shared with the shell messenger, so drills and challenges printed into the terminal can be answered. */
  open?: OpenQuestion;
  /** Wrap width; default the terminal's (process.stdout.columns, 80 when not a terminal). */
  columns?: number;
  /** Called whenever the shell waits for the next line (after the greeting and after each line). */
  onReady?: () => void;
  /** Writes charts (as PNG) and files under the data folder; without it only their text is shown. */
  saveAttachment?: SaveAttachment;
}

const CLOSING_CODES = new Set(["stale-question", "already-answered", "closed"]);

export async function runShell(opts: ShellOptions): Promise<void> {
  const { service, learner, displayName } = opts;
  const open = opts.open ?? new OpenQuestion();
  const pager = new LessonPager();
  const width = () => opts.columns ?? terminalWidth();
  const say = (text: string) => opts.output(wrapText(text, width()));
  const rl = readline.createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
  // Take lines from now on: piped input arrives while the start summary is read, and must not be lost.
  const lines = rl[Symbol.asyncIterator]();
  const prompt = () => {
    if (opts.interactive) process.stdout.write("> ");
    opts.onReady?.();
  };
  // The terminal is its own workspace: its user is the admin and the terminal is the channel.
  const context = (): RequestContext => ({ learner, displayName, eventId: randomUUID(), isAdmin: true, channel: { platform: "shell", workspace: learner.workspace, channel: "terminal" } });
  /** A chart's block-character grid keeps its lines (wrapping would tear it); the PNG or file goes to disk. */
  const attach = async (reply: Attachment): Promise<void> => {
    if (reply.type === "chart") opts.output(reply.text);
    else say(reply.description);
    if (!opts.saveAttachment) return;
    try {
      const file = await opts.saveAttachment(reply);
      // A path is printed whole, never wrapped, so it can be copied.
      opts.output(reply.type === "chart" ? `Picture: ${file}` : `Saved to ${file}`);
    } catch (err) {
      say(`! Could not save ${reply.fileName}: ${err instanceof Error ? err.message : String(err)}.`);
    }
  };
  const show = async (replies: Reply[]) => {
    const attachments = replies.filter((r): r is Attachment => r.type === "chart" || r.type === "file");
    replies = replies.filter((r) => r.type !== "chart" && r.type !== "file");
    open.saw(replies);
    const lesson = replies.findIndex((r) => r.type === "lesson");
    if (lesson >= 0) {
      // A lesson is paged: what follows it waits for its last card.
      replies.slice(0, lesson).forEach((r) => say(renderText(r)));
      say(pager.open(replies[lesson] as Extract<Reply, { type: "lesson" }>, replies.slice(lesson + 1).map(renderText)));
    } else replies.forEach((r) => say(renderText(r)));
    pager.settle();
    for (const a of attachments) await attach(a);
  };

  say(`drillbot shell: you are "${displayName}". Type /help for commands, /learn to start, /quit to leave.`);
  await show(await service.waiting(context()));
  say("");
  prompt();
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    const parsed = lineToCommand(line);
    if (parsed.kind === "quit") break;
    if (parsed.kind === "empty" || parsed.kind === "next") {
      const card = pager.advance();
      if (card !== null) say(`${card}\n`);
      else if (parsed.kind === "next") say("No lesson is open: /learn shows the next one.\n");
      prompt();
      continue;
    }
    const ctx = context();
    let replies: Reply[];
    if (parsed.kind === "unknown") {
      replies = [
        { type: "notice", level: "warning", code: "unknown-command", text: `Unknown command ${quoteInput(parsed.word, 40)}.` },
        ...(await service.handle(ctx, { kind: "help" })),
      ];
    } else if (parsed.kind === "refused") {
      replies = await service.handle(ctx, parsed.command);
    } else replies = await answerOrRun(service, ctx, parsed.command, open);
    await show(replies);
    say("");
    prompt();
  }
  rl.close();
}

/** A typed answer goes to the question on screen; without one, nothing is graded and the open question is shown. */
async function answerOrRun(service: StudyService, ctx: RequestContext, cmd: Command, open: OpenQuestion): Promise<Reply[]> {
  if (cmd.kind === "content" && cmd.action === "upload") return service.handle(ctx, await readUpload(cmd));
  if (cmd.kind !== "answer" || cmd.ref) return service.handle(ctx, cmd);
  const ref = open.current;
  if (!ref) {
    const waiting = await service.openQuestions(ctx);
    if (!waiting) return [{ type: "notice", level: "info", code: "no-open-question", text: "There is no open question. Start one with /quiz or /review." }];
    return [{ type: "notice", level: "info", code: "no-open-question", text: "No question is on screen here, so that answer was not graded." }, ...waiting];
  }
  const replies = await service.handle(ctx, { ...cmd, ref, onlyIfOpen: true });
  if (replies.some((r) => r.type === "notice" && CLOSING_CODES.has(r.code))) open.close(ref);
  open.saw(replies);
  // Answering a challenge or drill mid-quiz uncovers the quiz's question again: show it, so the next answer has it in sight.
  const exposed = open.currentQuestion;
  if (exposed && exposed.ref !== ref && !replies.some((r) => r.type === "question")) {
    return [...replies, { type: "text", text: "Back to the open question:" }, exposed];
  }
  return replies;
}
