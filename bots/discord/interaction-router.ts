/**
 * Routes every interaction to its handler and keeps the bot alive whatever
 * happens: an unexpected failure is logged and the user gets a short private
 * notice when the interaction can still be answered.
 */
import type { Interaction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Logger } from "../logger.js";
import type { AdminRoleStore } from "./admin-roles.js";
import type { ChartDrawer } from "./chart-images.js";
import { isChallengeFormId, submitChallengeForm } from "./challenge-form.js";
import { handleAnswer } from "./handle-answer.js";
import { handleAutocomplete } from "./handle-autocomplete.js";
import { handleCommand } from "./handle-command.js";
import { errorCode, ReplyRefusedError, UNANSWERABLE } from "./reply-refused.js";
import { sendNotice } from "./send-replies.js";

export interface RouterDeps {
  service: StudyService;
  log: Logger;
  /** The servers' admin roles (/settings admin-role); without it only Manage Server members are admins. */
  adminRoles?: AdminRoleStore;
  /** Draws chart replies to PNGs; without it charts are shown by their alt text. */
  drawCharts?: ChartDrawer;
}

const FAILED_TEXT = "⚠️ Something went wrong on my side and nothing was recorded. Please try again in a moment.";


export function createInteractionRouter({ service, log, adminRoles, drawCharts }: RouterDeps): (interaction: Interaction) => Promise<void> {
  const deps = { service, ...(adminRoles ? { adminRoles } : {}), ...(drawCharts ? { drawCharts } : {}) };
  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) await handleCommand(interaction, deps);
      else if (interaction.isAutocomplete()) await handleAutocomplete(interaction, service);
      else if (interaction.isModalSubmit() && isChallengeFormId(interaction.customId)) await submitChallengeForm(interaction, deps);
      else if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) await handleAnswer(interaction, service, drawCharts);
      else log.debug(`ignored interaction of type ${interaction.type}`);
    } catch (err) {
      const code = errorCode(err);
      if (code !== undefined && UNANSWERABLE.has(code)) {
        log.warn(`interaction ${interaction.id} could not be answered (Discord code ${code}); it was probably answered already or expired`);
        return;
      }
      if (err instanceof ReplyRefusedError) {
        // The work was done: say what was recorded rather than "nothing was recorded".
        log.warn(`interaction ${interaction.id}: Discord refused the reply`, err.cause);
        if (interaction.isRepliable()) await sendNotice(interaction, `⚠️ ${err.userText}`).catch((e: unknown) => log.warn(`could not tell the user about refused reply ${interaction.id}`, e));
        return;
      }
      log.error(`interaction ${interaction.id} failed`, err);
      if (!interaction.isRepliable()) return;
      await sendNotice(interaction, FAILED_TEXT).catch((e: unknown) => log.warn(`could not tell the user about failed interaction ${interaction.id}`, e));
    }
  };
}
