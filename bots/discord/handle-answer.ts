/**
 * Answer controls: a choice button, the multi-select menu, the "Answer"
 * button (opens a modal) and the modal's submit. The answer goes to the
 * presser only (ephemeral), the shared question message is never edited; the
 * quiz owner gets the next question as an ephemeral follow-up. Controls of a
 * question sent by DM name the learner's home server, and what follows keeps
 * naming it.
 */
import {
  MessageFlags,
  type ButtonInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import { answerHint } from "../../core/answer-input.js";
import type { Command } from "../../core/commands.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Catalog } from "../../core/content/catalog.js";
import { choicesFor } from "../../core/service/present.js";
import { decodeCustomId, type AnswerAction } from "./custom-id.js";
import { requestContext, placeOf } from "./interaction-context.js";
import { answerModal, ANSWER_INPUT_ID } from "./render-components.js";
import { renderWithCharts, type ChartDrawer } from "./chart-images.js";
import { sendOrExplain } from "./reply-refused.js";
import { replyDeferred, replyNow, uploadLimit } from "./send-replies.js";

export type AnswerInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export const STALE_CONTROL_TEXT = "⌛ That button is from an older drillbot message and no longer works. Run /quiz for a fresh question.";
const GONE_TEXT = "⌛ That question is no longer in the course. Run /quiz for a fresh one.";

async function notice(interaction: AnswerInteraction, text: string): Promise<void> {
  await replyNow(interaction, [{ content: text, embeds: [], components: [] }], true);
}

/** The action a control names, if it fits the kind of control that was used. */
function actionOf(interaction: AnswerInteraction): AnswerAction | null {
  const action = decodeCustomId(interaction.customId);
  if (!action) return null;
  if (interaction.isButton()) return action.kind === "choice" || action.kind === "open-modal" ? action : null;
  if (interaction.isStringSelectMenu()) return action.kind === "select" ? action : null;
  return action.kind === "modal" ? action : null;
}

/** The catalog of the workspace the answer is for: the server, or for a DM drill the learner's home server. */
function catalogFor(interaction: AnswerInteraction, action: AnswerAction, service: StudyService): Promise<Catalog> {
  const home = "home" in action && action.home && !interaction.inGuild() ? action.home : undefined;
  return service.catalogFor(placeOf(interaction, home));
}

async function answerCommand(interaction: AnswerInteraction, action: AnswerAction, service: StudyService): Promise<Command | null> {
  const { ref } = action;
  switch (action.kind) {
    case "choice": {
      const type = (await catalogFor(interaction, action, service)).question(ref.questionId)?.question.type;
      if (type === "truefalse" && (action.choiceId === "true" || action.choiceId === "false")) {
        return { kind: "answer", ref, input: { kind: "boolean", value: action.choiceId === "true" } };
      }
      return { kind: "answer", ref, input: { kind: "choices", ids: [action.choiceId] } };
    }
    case "select":
      if (!interaction.isStringSelectMenu() || interaction.values.length === 0) return null;
      return { kind: "answer", ref, input: { kind: "choices", ids: [...interaction.values] } };
    case "modal":
      if (!interaction.isModalSubmit()) return null;
      return { kind: "answer", ref, raw: interaction.fields.getTextInputValue(ANSWER_INPUT_ID) };
    case "open-modal":
      return null;
  }
}

export async function handleAnswer(interaction: AnswerInteraction, service: StudyService, drawCharts?: ChartDrawer): Promise<void> {
  const action = actionOf(interaction);
  if (!action) return notice(interaction, STALE_CONTROL_TEXT);
  if (action.kind === "open-modal") {
    // Opening a modal must be the first response, and it needs no storage.
    const q = (await catalogFor(interaction, action, service)).question(action.ref.questionId)?.question;
    if (!q || !interaction.isButton()) return notice(interaction, GONE_TEXT);
    await interaction.showModal(
      answerModal({ ref: action.ref, type: q.type, hint: answerHint(q), choices: choicesFor(action.ref.sessionId, q), ...(action.home ? { home: action.home } : {}) }),
    );
    return;
  }
  const command = await answerCommand(interaction, action, service);
  if (!command) return notice(interaction, STALE_CONTROL_TEXT);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const home = action.home && !interaction.inGuild() ? action.home : undefined;
  const replies = await service.handle(requestContext(interaction, home ? { home } : {}), command);
  const messages = await renderWithCharts(replies, drawCharts, { ...uploadLimit(interaction), ...(home ? { home } : {}) });
  await sendOrExplain(replies, () => replyDeferred(interaction, messages, true));
}
