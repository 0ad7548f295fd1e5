/**
 * /challenge write <duration>: an admin writes a question in a form (the
 * question, 2-5 options one a line, the number of the right one, an
 * explanation; Discord allows five inputs, so the duration is the command's
 * option and rides in the form's custom_id). On submit the core's
 * checkWritten decides what is wrong (answered privately, with the text back
 * to copy); a good question is posted in the channel with answer buttons.
 */
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData, type ChatInputCommandInteraction, type ModalSubmitInteraction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import { isDrillAdmin, type AdminRoleStore } from "./admin-roles.js";
import { OPTION } from "./command-definitions.js";
import { clip, LIMITS } from "./discord-limits.js";
import { challengeFormToCommand, DISCORD_USAGE_CHALLENGE, durationMinutes, type WrittenForm } from "./drill-slash.js";
import { requestContext } from "./interaction-context.js";
import { renderMessages } from "./render-message.js";
import { runDeferred } from "./run-deferred.js";
import { replyNow } from "./send-replies.js";
import type { SlashInput } from "./slash-to-command.js";

/** custom_id of the form: "cw1|<minutes>". */
const FORM_TAG = "cw1";
export const FORM_FIELD = { question: "question", options: "options", correct: "correct", explanation: "explanation" } as const;

export function isChallengeFormId(customId: string): boolean {
  return customId.startsWith(`${FORM_TAG}|`);
}

/** The minutes a form's custom_id carries, or null when it is not one of ours. */
export function formMinutes(customId: string): number | null {
  const m = new RegExp(`^${FORM_TAG}\\|(\\d{1,5})$`).exec(customId);
  return m ? Number(m[1]) : null;
}

function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

const input = (id: string, label: string, style: TextInputStyle, maxLength: number, placeholder: string, description?: string) => ({
  type: ComponentType.Label as const,
  label: clip(label, LIMITS.inputLabel),
  ...(description ? { description: clip(description, 100) } : {}),
  component: { type: ComponentType.TextInput as const, custom_id: id, style, required: true, max_length: maxLength, placeholder: clip(placeholder, LIMITS.inputPlaceholder) },
});

export function challengeFormModal(minutes: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${FORM_TAG}|${minutes}`,
    title: clip(`Write a challenge (${describeMinutes(minutes)})`, LIMITS.modalTitle),
    components: [
      input(FORM_FIELD.question, "Question", TextInputStyle.Paragraph, 1500, "e.g. Which index type serves range queries best?"),
      input(FORM_FIELD.options, "Options, one a line (2 to 5)", TextInputStyle.Paragraph, 1000, "B-tree\nHash\nBitmap", "Each line becomes an answer button."),
      input(FORM_FIELD.correct, "Number of the right option", TextInputStyle.Short, 2, "e.g. 1"),
      input(FORM_FIELD.explanation, "Why it is right", TextInputStyle.Paragraph, 1000, "Shown to everyone who answers, and with the results."),
    ],
  };
}

const note = (text: string) => [{ content: clip(text, LIMITS.content), embeds: [], components: [] }];

export interface FormDeps {
  service: StudyService;
  adminRoles?: AdminRoleStore;
}

/** The slash command: check the duration and the asker first, then open the form (it must be the first answer). */
export async function openChallengeForm(interaction: ChatInputCommandInteraction, input: SlashInput, deps: FormDeps): Promise<void> {
  const duration = durationMinutes(input.options[OPTION.duration]);
  if (!duration.ok) return replyNow(interaction, note(`❔ ${duration.reason} Usage: ${DISCORD_USAGE_CHALLENGE}`), true);
  const isAdmin = await isDrillAdmin(interaction, deps.adminRoles);
  if (!isAdmin) {
    // The core's own refusal: it refuses before it reads or writes anything.
    const replies = await deps.service.handle(requestContext(interaction, { isAdmin: false }), { kind: "challenge", action: "post", pick: "", minutes: duration.minutes });
    return replyNow(interaction, renderMessages(replies), true);
  }
  await interaction.showModal(challengeFormModal(duration.minutes));
}

function formOf(interaction: ModalSubmitInteraction): WrittenForm {
  const get = (id: string) => {
    try {
      return interaction.fields.getTextInputValue(id);
    } catch {
      return "";
    }
  };
  return { question: get(FORM_FIELD.question), options: get(FORM_FIELD.options), correct: get(FORM_FIELD.correct), explanation: get(FORM_FIELD.explanation) };
}

function typedBack(form: WrittenForm): string {
  const body = [form.question, form.options, `right option: ${form.correct}`, form.explanation].map((s) => s.trim()).join("\n\n").replace(/```/g, "'''");
  return "```\n" + clip(body, 1500) + "\n```";
}

/** The form's submit: a problem goes back privately with the text to copy; a good question goes to the channel. */
export async function submitChallengeForm(interaction: ModalSubmitInteraction, deps: FormDeps): Promise<void> {
  const minutes = formMinutes(interaction.customId);
  if (minutes === null) return replyNow(interaction, note("⌛ That form is from an older drillbot. Run /challenge write again."), true);
  const form = formOf(interaction);
  const command = challengeFormToCommand(form, minutes);
  if (command.kind === "invalid") {
    return replyNow(interaction, note(`❔ Your challenge was not posted: ${command.reason} Run /challenge write again; here is what you wrote:\n${typedBack(form)}`), true);
  }
  const isAdmin = await isDrillAdmin(interaction, deps.adminRoles);
  await runDeferred(interaction, deps.service, requestContext(interaction, { isAdmin }), command, isAdmin);
}
