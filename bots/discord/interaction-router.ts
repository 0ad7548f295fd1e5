/**
 * Routes every interaction to its handler and keeps the bot alive whatever
 * happens: an unexpected failure is logged and the user gets a short private
 * notice when the interaction can still be answered.
 */
import { MessageFlags, type Interaction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Logger } from "../logger.js";
import { InteractionGate, type InteractionInfo, type InteractionOutcome } from "../ops/interaction-gate.js";
import type { AdminRoleStore } from "./admin-roles.js";
import type { ChartDrawer } from "./chart-images.js";
import { isChallengeFormId, submitChallengeForm } from "./challenge-form.js";
import { handleAnswer } from "./handle-answer.js";
import { handleAutocomplete, type PackIdSource } from "./handle-autocomplete.js";
import type { UploadFetchOptions } from "./content-upload.js";
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
  /** Counts, logs and drains the interactions (start-discord.ts drains it at shutdown). */
  gate?: InteractionGate;
  /** Every pack id of a workspace, for the pack option's suggestions (switched-off packs too); without it, the packs the workspace studies. */
  packIds?: PackIdSource;
  /** /content upload: the upload limits and where files may come from. */
  uploads?: UploadFetchOptions;
}

const FAILED_TEXT = "⚠️ Something went wrong on my side and nothing was recorded. Please try again in a moment.";
export const RESTARTING_TEXT = "⏳ drillbot is restarting and did not take this. Please try again in a few seconds.";

/** What the gate logs and counts for an interaction (no user ids). */
function describe(interaction: Interaction): InteractionInfo {
  const workspace = interaction.guildId ?? "dm";
  if (interaction.isChatInputCommand()) {
    const sub = interaction.options.getSubcommand(false);
    return { platform: "discord", kind: "command", command: sub ? `${interaction.commandName} ${sub}` : interaction.commandName, workspace };
  }
  if (interaction.isAutocomplete()) return { platform: "discord", kind: "autocomplete", command: interaction.commandName, workspace };
  if (interaction.isButton()) return { platform: "discord", kind: "button", workspace };
  if (interaction.isStringSelectMenu()) return { platform: "discord", kind: "select", workspace };
  if (interaction.isModalSubmit()) return { platform: "discord", kind: "modal", workspace };
  return { platform: "discord", kind: "other", workspace };
}

/** Shutting down: say so rather than leave the user with "the application did not respond". */
async function turnAway(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isRepliable()) await interaction.reply({ content: RESTARTING_TEXT, flags: MessageFlags.Ephemeral });
}

export function createInteractionRouter({ service, log, adminRoles, drawCharts, gate = new InteractionGate(log), packIds, uploads }: RouterDeps): (interaction: Interaction) => Promise<void> {
  const deps = { service, ...(adminRoles ? { adminRoles } : {}), ...(drawCharts ? { drawCharts } : {}), ...(uploads ? { uploads } : {}) };
  const handle = async (interaction: Interaction): Promise<InteractionOutcome> => {
    try {
      if (interaction.isChatInputCommand()) await handleCommand(interaction, deps);
      else if (interaction.isAutocomplete()) await handleAutocomplete(interaction, service, packIds);
      else if (interaction.isModalSubmit() && isChallengeFormId(interaction.customId)) await submitChallengeForm(interaction, deps);
      else if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) await handleAnswer(interaction, service, drawCharts);
      else log.debug(`ignored interaction of type ${interaction.type}`);
      return "ok";
    } catch (err) {
      const code = errorCode(err);
      if (code !== undefined && UNANSWERABLE.has(code)) {
        log.warn(`interaction ${interaction.id} could not be answered (Discord code ${code}); it was probably answered already or expired`);
        return "expired";
      }
      if (err instanceof ReplyRefusedError) {
        // The work was done: say what was recorded rather than "nothing was recorded".
        log.warn(`interaction ${interaction.id}: Discord refused the reply`, err.cause);
        if (interaction.isRepliable()) await sendNotice(interaction, `⚠️ ${err.userText}`).catch((e: unknown) => log.warn(`could not tell the user about refused reply ${interaction.id}`, e));
        return "error";
      }
      log.error(`interaction ${interaction.id} failed`, err);
      if (interaction.isRepliable()) await sendNotice(interaction, FAILED_TEXT).catch((e: unknown) => log.warn(`could not tell the user about failed interaction ${interaction.id}`, e));
      return "error";
    }
  };
  return async (interaction) => {
    const info = describe(interaction);
    if (!gate.accepting) {
      gate.refused(info);
      await turnAway(interaction).catch((e: unknown) => log.debug(`could not turn away interaction ${interaction.id} while stopping`, e));
      return;
    }
    await gate.run(info, () => handle(interaction));
  };
}
