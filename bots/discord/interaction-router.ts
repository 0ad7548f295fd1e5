/**
 * Routes every interaction to its handler and keeps the bot alive whatever
 * happens: an unexpected failure is logged and the user gets a short private
 * notice when the interaction can still be answered.
 */
import type { Interaction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Logger } from "../logger.js";
import type { AdminRoleStore } from "./admin-roles.js";
import { isChallengeFormId, submitChallengeForm } from "./challenge-form.js";
import { handleAnswer } from "./handle-answer.js";
import { handleAutocomplete } from "./handle-autocomplete.js";
import { handleCommand } from "./handle-command.js";
import { sendNotice } from "./send-replies.js";

export interface RouterDeps {
  service: StudyService;
  log: Logger;
  /** The servers' admin roles (/settings admin-role); without it only Manage Server members are admins. */
  adminRoles?: AdminRoleStore;
}

const FAILED_TEXT = "⚠️ Something went wrong on my side and nothing was recorded. Please try again in a moment.";

/** Discord error codes that mean the interaction can no longer be answered. */
const UNANSWERABLE = new Set([10062 /* unknown interaction */, 40060 /* already acknowledged */]);

function errorCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export function createInteractionRouter({ service, log, adminRoles }: RouterDeps): (interaction: Interaction) => Promise<void> {
  const deps = { service, ...(adminRoles ? { adminRoles } : {}) };
  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) await handleCommand(interaction, deps);
      else if (interaction.isAutocomplete()) await handleAutocomplete(interaction, service);
      else if (interaction.isModalSubmit() && isChallengeFormId(interaction.customId)) await submitChallengeForm(interaction, deps);
      else if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) await handleAnswer(interaction, service);
      else log.debug(`ignored interaction of type ${interaction.type}`);
    } catch (err) {
      const code = errorCode(err);
      if (code !== undefined && UNANSWERABLE.has(code)) {
        log.warn(`interaction ${interaction.id} could not be answered (Discord code ${code}); it was probably answered already or expired`);
        return;
      }
      log.error(`interaction ${interaction.id} failed`, err);
      if (!interaction.isRepliable()) return;
      await sendNotice(interaction, FAILED_TEXT).catch((e: unknown) => log.warn(`could not tell the user about failed interaction ${interaction.id}`, e));
    }
  };
}
