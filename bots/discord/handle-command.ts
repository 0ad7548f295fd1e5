/**
 * Slash commands: help and bad input are answered at once; anything that
 * touches storage is deferred first (Discord wants an answer within 3 s).
 * /quiz, /leaderboard, /team and an admin's /challenge post to the channel;
 * everything else (a /team export too), and every problem or refusal, only
 * the asker sees.
 * /settings admin-role and /challenge write (a form) are handled here,
 * /content in handle-content.ts (private, deferred before its file is
 * fetched); the rest goes to the core.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import type { Command } from "../../core/commands.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Reply } from "../../core/replies.js";
import { isDrillAdmin, type AdminRoleStore } from "./admin-roles.js";
import type { ChartDrawer } from "./chart-images.js";
import { openChallengeForm } from "./challenge-form.js";
import { CHALLENGE_SUB, SUBCOMMAND_ADMIN_ROLE } from "./command-definitions.js";
import type { UploadFetchOptions } from "./content-upload.js";
import { handleAdminRole } from "./handle-admin-role.js";
import { handleContent } from "./handle-content.js";
import { requestContext } from "./interaction-context.js";
import { renderMessages } from "./render-message.js";
import { runDeferred } from "./run-deferred.js";
import { replyNow } from "./send-replies.js";
import { slashToCommand, type SlashInput } from "./slash-to-command.js";

export interface CommandDeps {
  service: StudyService;
  /** The servers' admin roles; without it only Manage Server members are admins. */
  adminRoles?: AdminRoleStore;
  /** Draws chart replies to PNGs; without it charts are shown by their alt text. */
  drawCharts?: ChartDrawer;
  /** /content upload: the upload limits and where files may come from. */
  uploads?: UploadFetchOptions;
}

/** Commands whose answer the whole channel sees. */
const PUBLIC_COMMANDS = new Set(["quiz", "leaderboard", "team"]);

export function slashInputOf(interaction: ChatInputCommandInteraction): SlashInput {
  const group = interaction.options.getSubcommandGroup(false);
  const subcommand = interaction.options.getSubcommand(false);
  const top = interaction.options.data;
  const inGroup = group ? (top.find((o) => o.name === group)?.options ?? []) : top;
  const leaves = subcommand ? (inGroup.find((o) => o.name === subcommand)?.options ?? []) : top;
  const options: SlashInput["options"] = {};
  for (const o of leaves) {
    if (typeof o.value === "string" || typeof o.value === "number" || typeof o.value === "boolean") options[o.name] = o.value;
  }
  return { name: interaction.commandName, group, subcommand, options };
}

/** Commands only admins may run (the core refuses everyone else; we look the role up only for these). */
export function needsAdmin(command: Command): boolean {
  switch (command.kind) {
    case "challenge":
      return true;
    case "drill":
      return command.action === "channel-on" || command.action === "channel-off";
    case "team":
      return command.export === true;
    case "content":
      return command.action !== "packs";
    case "settings":
      return command.action === "team-retention" || command.action === "quiet-hours";
    default:
      return false;
  }
}

/** Whether the whole channel sees the answer: never a file (a team export names learners). */
function isShared(interaction: ChatInputCommandInteraction, command: Command, isAdmin: boolean): boolean {
  if (command.kind === "team" && command.export) return false;
  return PUBLIC_COMMANDS.has(interaction.commandName) || (command.kind === "challenge" && isAdmin);
}

export async function handleCommand(interaction: ChatInputCommandInteraction, deps: CommandDeps): Promise<void> {
  const { service } = deps;
  const input = slashInputOf(interaction);
  if (input.name === "settings" && input.subcommand === SUBCOMMAND_ADMIN_ROLE) return handleAdminRole(interaction, deps.adminRoles);
  if (input.name === "challenge" && input.subcommand === CHALLENGE_SUB.write) return openChallengeForm(interaction, input, deps);
  if (input.name === "content") return handleContent(interaction, input, deps);
  const command: Command | null = slashToCommand(input);
  if (command === null || command.kind === "help" || command.kind === "invalid") {
    // Pure answers: no storage involved, so no need to defer.
    const unknown: Reply[] =
      command === null
        ? [{ type: "notice", level: "warning", code: "unknown-command", text: `I don't know /${interaction.commandName}. Here is what I can do:` }]
        : [];
    const replies = [...unknown, ...(await service.handle(requestContext(interaction), command ?? { kind: "help" }))];
    await replyNow(interaction, renderMessages(replies), true);
    return;
  }
  // Decided before deferring, so a refusal is private from the start.
  const isAdmin = needsAdmin(command) ? await isDrillAdmin(interaction, deps.adminRoles) : false;
  const ctx = requestContext(interaction, needsAdmin(command) ? { isAdmin } : {});
  await runDeferred(interaction, service, ctx, command, isShared(interaction, command, isAdmin), deps.drawCharts);
}
