/**
 * The /study slash command: ack at once, then parse the text with the core's
 * grammar, ask the service and answer through the response_url. A quiz's
 * question and a challenge are posted to the channel (anyone may answer);
 * everything else is ephemeral, for the person who typed the command; charts
 * and files go to their DM with the app (deliver-replies.ts).
 */
import type { App, RespondFn, webApi } from "@slack/bolt";
import { parseCommandText, type Command } from "../../core/commands.js";
import { quoteInput } from "../../core/input-limits.js";
import type { Reply } from "../../core/replies.js";
import type { RequestContext } from "../../core/service/study-service.js";
import { commandEventId } from "./action-codec.js";
import { GENERIC_FAILURE, handleOnce, type HandlerDeps } from "./handler-deps.js";
import { deliverReplies } from "./deliver-replies.js";
import { fromRespond, type Visibility } from "./reply-sender.js";
import type { SlackMessage } from "./render-replies.js";
import { isSlackAdmin, requestContext } from "./slack-context.js";

export const SLASH_COMMAND = "/study";

/**
 * Slack-only subcommands plug in here by word and are asked first (e.g.
 * "challenge write 1h", which opens a form instead of the one-line syntax).
 * One that returns null leaves the text to the core grammar. drill and
 * challenge otherwise go to the core, which gets `isAdmin` (a workspace admin
 * or owner, or listed in adminUsers) and the channel in its context.
 */
export interface SubcommandInput {
  args: string[];
  ctx: RequestContext;
  team: string;
  channelId: string;
  isAdmin: boolean;
  /** Valid for 3 seconds after the command: open a modal with it before anything slow. */
  triggerId: string;
  responseUrl: string;
  client: webApi.WebClient;
}
export type Subcommand = (input: SubcommandInput, deps: HandlerDeps) => Promise<Reply[] | null>;

export type Routed = { kind: "core"; command: Command } | { kind: "extra"; word: string; args: string[] } | { kind: "unknown"; word: string };

export function routeText(text: string, extras: ReadonlyMap<string, Subcommand>): Routed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const word = (words[0] ?? "").toLowerCase();
  if (extras.has(word)) return { kind: "extra", word, args: words.slice(1) };
  return coreRoute(text, words[0] ?? "");
}

function coreRoute(text: string, word: string): Routed {
  // "answer" is the shell's typed-answer word; on Slack answers come from buttons and forms.
  const command = word.toLowerCase() === "answer" ? null : parseCommandText(text);
  return command ? { kind: "core", command } : { kind: "unknown", word };
}

/**
 * Who sees what: a quiz's question is for the channel (its feedback and the
 * rest for the asker); a posted challenge, its intro included, is for the
 * channel. A refusal or an error has no question, so it stays private.
 */
export function visibilityFor(command: Command | null, replies: Reply[]): (m: SlackMessage) => Visibility {
  if (command?.kind === "quiz") return (m) => (m.hasQuestion ? "in_channel" : "ephemeral");
  if (command?.kind === "challenge" && replies.some((r) => r.type === "question")) return () => "in_channel";
  return () => "ephemeral";
}

/** Slack-specific advice after a channel drill is set: the bot must be able to post there without a command. */
function channelDrillTip(command: Command | null, replies: Reply[]): Reply[] {
  if (command?.kind !== "drill" || command.action !== "channel-on") return [];
  if (replies.some((r) => r.type === "notice" && r.level !== "info")) return [];
  return [{ type: "text", text: "drillbot posts the drill itself: in a private channel, /invite @drillbot first (public channels need no invite)." }];
}

export function registerCommand(app: App, deps: HandlerDeps, extras: ReadonlyMap<string, Subcommand> = new Map()): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, context, client }) => {
    await ack();
    const reply = fromRespond(respond as RespondFn);
    await handleOnce(
      deps,
      { eventId: commandEventId(command.trigger_id), retryNum: context.retryNum, label: `${SLASH_COMMAND} ${command.text}`.trim() },
      async () => {
        const ref = { team: command.team_id || command.enterprise_id || "unknown", user: command.user_id, payloadName: command.user_name, client };
        // Both read the one cached users.info lookup (started once, awaited side by side).
        const [base, isAdmin] = await Promise.all([
          requestContext(deps.profiles, ref, commandEventId(command.trigger_id)),
          isSlackAdmin(deps.profiles, deps.adminUsers, ref),
        ]);
        const ctx: RequestContext = {
          ...base,
          isAdmin,
          channel: command.channel_id ? { platform: "slack", workspace: ref.team, channel: command.channel_id } : null,
        };
        const text = command.text ?? "";
        let routed = routeText(text, extras);
        let replies: Reply[] | null = null;
        if (routed.kind === "extra") {
          const run = extras.get(routed.word)!;
          replies = await run(
            { args: routed.args, ctx, team: ref.team, channelId: command.channel_id, isAdmin, triggerId: command.trigger_id, responseUrl: command.response_url, client },
            deps,
          );
          if (replies === null) routed = coreRoute(text, routed.word);
        }
        const core = routed.kind === "core" ? routed.command : null;
        if (replies === null) {
          if (core) replies = await deps.service.handle(ctx, core);
          else {
            const word = routed.kind === "unknown" ? routed.word : "";
            const unknown: Reply[] = word
              ? [{ type: "notice", level: "warning", code: "unknown-command", text: `${quoteInput(word, 40)} is not a /study subcommand. Here is what it knows:` }]
              : [];
            replies = [...unknown, ...(await deps.service.handle(ctx, { kind: "help" }))];
          }
          replies = [...replies, ...channelDrillTip(core, replies)];
        }
        await deliverReplies({
          responder: reply,
          client,
          userId: command.user_id,
          replies,
          visibility: visibilityFor(core, replies),
          log: deps.log,
          uploads: deps.uploads,
          ...(core ? { uploadComment: `Charts for \`/study ${core.kind}\`` } : {}),
        });
        return replies;
      },
      () => reply({ response_type: "ephemeral", text: GENERIC_FAILURE }),
    );
  });
}
