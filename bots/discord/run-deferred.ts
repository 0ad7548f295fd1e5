/**
 * Runs a core command for an interaction and answers it: deferred first
 * (storage may be slow), public when `shared`; a public answer with nothing
 * to share (a refusal, a problem) is replaced by a private one.
 */
import { MessageFlags, type RepliableInteraction } from "discord.js";
import type { Command } from "../../core/commands.js";
import type { RequestContext, StudyService } from "../../core/service/study-service.js";
import { renderWithCharts, type ChartDrawer } from "./chart-images.js";
import { isShareable } from "./render-message.js";
import { sendOrExplain } from "./reply-refused.js";
import { replaceDeferredWithPrivate, replyDeferred, uploadLimit } from "./send-replies.js";

export async function runDeferred(
  interaction: RepliableInteraction,
  service: StudyService,
  ctx: RequestContext,
  command: Command,
  shared: boolean,
  drawCharts?: ChartDrawer,
): Promise<void> {
  await interaction.deferReply(shared ? {} : { flags: MessageFlags.Ephemeral });
  await answerDeferred(interaction, service, ctx, command, shared, drawCharts);
}

/** The second half of runDeferred, for a handler that deferred itself (e.g. before fetching an uploaded file). */
export async function answerDeferred(
  interaction: RepliableInteraction,
  service: StudyService,
  ctx: RequestContext,
  command: Command,
  shared: boolean,
  drawCharts?: ChartDrawer,
): Promise<void> {
  const replies = await service.handle(ctx, command);
  const messages = await renderWithCharts(replies, drawCharts, uploadLimit(interaction));
  await sendOrExplain(replies, async () => {
    if (shared && !isShareable(replies)) await replaceDeferredWithPrivate(interaction, messages);
    else await replyDeferred(interaction, messages, !shared);
  });
}
