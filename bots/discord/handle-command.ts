/**
 * Slash commands: help and bad input are answered at once; anything that
 * touches storage is deferred first (Discord wants an answer within 3 s).
 * /quiz and /leaderboard post to the channel; everything else, and every
 * problem, only the asker sees.
 */
import { MessageFlags, type ChatInputCommandInteraction } from "discord.js";
import type { Command } from "../../core/commands.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Reply } from "../../core/replies.js";
import { requestContext } from "./interaction-context.js";
import { isShareable, renderMessages } from "./render-message.js";
import { replaceDeferredWithPrivate, replyDeferred, replyNow } from "./send-replies.js";
import { slashToCommand, type SlashInput } from "./slash-to-command.js";

/** Commands whose answer the whole channel sees. */
const PUBLIC_COMMANDS = new Set(["quiz", "leaderboard"]);

export function slashInputOf(interaction: ChatInputCommandInteraction): SlashInput {
  const subcommand = interaction.options.getSubcommand(false);
  const top = interaction.options.data;
  const leaves = subcommand ? (top.find((o) => o.name === subcommand)?.options ?? []) : top;
  const options: SlashInput["options"] = {};
  for (const o of leaves) {
    if (typeof o.value === "string" || typeof o.value === "number" || typeof o.value === "boolean") options[o.name] = o.value;
  }
  return { name: interaction.commandName, subcommand, options };
}

export async function handleCommand(interaction: ChatInputCommandInteraction, service: StudyService): Promise<void> {
  const ctx = requestContext(interaction);
  const command: Command | null = slashToCommand(slashInputOf(interaction));
  if (command === null || command.kind === "help" || command.kind === "invalid") {
    // Pure answers: no storage involved, so no need to defer.
    const unknown: Reply[] =
      command === null
        ? [{ type: "notice", level: "warning", code: "unknown-command", text: `I don't know /${interaction.commandName}. Here is what I can do:` }]
        : [];
    const replies = [...unknown, ...(await service.handle(ctx, command ?? { kind: "help" }))];
    await replyNow(interaction, renderMessages(replies), true);
    return;
  }
  const shared = PUBLIC_COMMANDS.has(interaction.commandName);
  await interaction.deferReply(shared ? {} : { flags: MessageFlags.Ephemeral });
  const replies = await service.handle(ctx, command);
  const messages = renderMessages(replies);
  if (shared && !isShareable(replies)) await replaceDeferredWithPrivate(interaction, messages);
  else await replyDeferred(interaction, messages, !shared);
}
