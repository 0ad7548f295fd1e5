/**
 * /content: every answer is private (an export holds the answers, a refusal
 * lists the file's problems). Deferred first, since an upload is fetched
 * from Discord's CDN and checked whole (up to about a second for 2,000
 * questions), well past the 3 s Discord gives for the first response. Then
 * the admin lookup; only an admin's file is downloaded.
 */
import { MessageFlags, type ChatInputCommandInteraction } from "discord.js";
import type { Command } from "../../core/commands.js";
import type { StudyService } from "../../core/service/study-service.js";
import { isDrillAdmin, type AdminRoleStore } from "./admin-roles.js";
import type { ChartDrawer } from "./chart-images.js";
import { OPTION } from "./command-definitions.js";
import { contentToCommand } from "./content-slash.js";
import { fetchAttachment, type UploadFetchOptions } from "./content-upload.js";
import { requestContext } from "./interaction-context.js";
import { renderMessages } from "./render-message.js";
import { answerDeferred } from "./run-deferred.js";
import { replyNow } from "./send-replies.js";
import type { SlashInput } from "./slash-to-command.js";

export interface ContentCommandDeps {
  service: StudyService;
  adminRoles?: AdminRoleStore;
  drawCharts?: ChartDrawer;
  /** Limits and sources for uploaded files (the same limits as the content service's). */
  uploads?: UploadFetchOptions;
}

/** The upload command with the attached file, or with why it could not be fetched. */
async function withFile(interaction: ChatInputCommandInteraction, uploads: UploadFetchOptions | undefined): Promise<Command> {
  const attachment = interaction.options.getAttachment(OPTION.file, false);
  if (!attachment) return { kind: "content", action: "upload" };
  const fetched = await fetchAttachment({ name: attachment.name, size: attachment.size, url: attachment.url }, uploads);
  return fetched.ok ? { kind: "content", action: "upload", file: fetched.file } : { kind: "content", action: "upload", fetchProblem: fetched.problem };
}

export async function handleContent(interaction: ChatInputCommandInteraction, input: SlashInput, deps: ContentCommandDeps): Promise<void> {
  const { service } = deps;
  const command = contentToCommand(input.subcommand, input.options);
  if (command.kind === "invalid") {
    // Bad input: nothing stored or fetched, answered at once.
    await replyNow(interaction, renderMessages(await service.handle(requestContext(interaction), command)), true);
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  // Everyone may list packs; the admin's list also says how to manage them.
  const isAdmin = await isDrillAdmin(interaction, deps.adminRoles);
  const ctx = requestContext(interaction, { isAdmin });
  // A non-admin's file is never downloaded: the core refuses the upload as it is.
  const cmd = command.kind === "content" && command.action === "upload" && isAdmin ? await withFile(interaction, deps.uploads) : command;
  await answerDeferred(interaction, service, ctx, cmd, false, deps.drawCharts);
}
