/**
 * The /study slash command: ack at once, then parse the text with the core's
 * grammar, ask the service and answer through the response_url. A quiz's
 * question is posted to the channel (anyone may answer it); everything else
 * is ephemeral, for the person who typed the command.
 */
import type { App, RespondFn } from "@slack/bolt";
import { parseCommandText, type Command } from "../../core/commands.js";
import type { Reply } from "../../core/replies.js";
import type { RequestContext } from "../../core/service/study-service.js";
import { commandEventId } from "./action-codec.js";
import { GENERIC_FAILURE, handleOnce, type HandlerDeps } from "./handler-deps.js";
import { fromRespond, respondAll } from "./reply-sender.js";
import { renderMessages } from "./render-replies.js";
import { requestContext } from "./slack-context.js";

export const SLASH_COMMAND = "/study";

/**
 * Slack-only subcommands plug in here by word and take precedence over the
 * core grammar (e.g. a later "challenge write" that opens a form instead of
 * the one-line syntax). drill and challenge otherwise go to the core, which
 * gets `isAdmin` (the caller is in adminUsers) and the channel in its context.
 */
export interface SubcommandInput {
  args: string[];
  ctx: RequestContext;
  channelId: string;
  isAdmin: boolean;
}
export type Subcommand = (input: SubcommandInput, deps: HandlerDeps) => Promise<Reply[]>;

export type Routed = { kind: "core"; command: Command } | { kind: "extra"; word: string; args: string[] } | { kind: "unknown"; word: string };

export function routeText(text: string, extras: ReadonlyMap<string, Subcommand>): Routed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const word = (words[0] ?? "").toLowerCase();
  if (extras.has(word)) return { kind: "extra", word, args: words.slice(1) };
  // "answer" is the shell's typed-answer word; on Slack answers come from buttons and forms.
  const command = word === "answer" ? null : parseCommandText(text);
  return command ? { kind: "core", command } : { kind: "unknown", word: words[0] ?? "" };
}

export function registerCommand(app: App, deps: HandlerDeps, extras: ReadonlyMap<string, Subcommand> = new Map()): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, context }) => {
    await ack();
    const reply = fromRespond(respond as RespondFn);
    await handleOnce(
      deps,
      { eventId: commandEventId(command.trigger_id), retryNum: context.retryNum, label: `${SLASH_COMMAND} ${command.text}`.trim() },
      async () => {
        const ref = { team: command.team_id || command.enterprise_id || "unknown", user: command.user_id, payloadName: command.user_name };
        const isAdmin = deps.adminUsers.has(command.user_id);
        const ctx: RequestContext = {
          ...(await requestContext(deps.profiles, ref, commandEventId(command.trigger_id))),
          isAdmin,
          channel: command.channel_id ? { platform: "slack", workspace: ref.team, channel: command.channel_id } : null,
        };
        const routed = routeText(command.text ?? "", extras);
        let replies: Reply[];
        if (routed.kind === "core") replies = await deps.service.handle(ctx, routed.command);
        else if (routed.kind === "extra") {
          const run = extras.get(routed.word)!;
          replies = await run({ args: routed.args, ctx, channelId: command.channel_id, isAdmin }, deps);
        } else {
          const unknown: Reply[] = routed.word
            ? [{ type: "notice", level: "warning", code: "unknown-command", text: `"${routed.word}" is not a /study subcommand. Here is what it knows:` }]
            : [];
          replies = [...unknown, ...(await deps.service.handle(ctx, { kind: "help" }))];
        }
        // A quiz (or a challenge) question is for the channel; feedback and everything else for the asker.
        const publicQuestion = routed.kind === "core" && (routed.command.kind === "quiz" || routed.command.kind === "challenge");
        await respondAll(reply, renderMessages(replies), (m) => (publicQuestion && m.hasQuestion ? "in_channel" : "ephemeral"), deps.log);
        return replies;
      },
      () => reply({ response_type: "ephemeral", text: GENERIC_FAILURE }),
    );
  });
}
