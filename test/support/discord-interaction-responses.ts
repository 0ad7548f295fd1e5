/**
 * Which interaction responses Discord accepts (docs: Receiving and Responding
 * > Interaction Response Object): the callback types allowed for each
 * interaction type, and the limits of a modal and of autocomplete choices.
 * Messages are checked with discord-limits.ts. The stand-in applies this to
 * POST /interactions/{id}/{token}/callback and to HTTP answers alike.
 */
import { CALLBACK, type JsonObject } from "./discord-conversation.js";
import { messageProblem } from "./discord-limits.js";

/** Interaction types (Discord API). */
export const INTERACTION = { ping: 1, command: 2, component: 3, autocomplete: 4, modalSubmit: 5 } as const;

const ALLOWED: Record<number, readonly number[]> = {
  [INTERACTION.ping]: [CALLBACK.pong],
  [INTERACTION.command]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.modal],
  [INTERACTION.component]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.updateMessage, CALLBACK.modal],
  [INTERACTION.autocomplete]: [CALLBACK.autocomplete],
  // Update types only for a modal opened from a component (the interaction carries its message).
  [INTERACTION.modalSubmit]: [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.updateMessage],
};

export const MODAL_LIMITS = { customId: 100, title: 45, components: 5, label: 45, description: 100, inputMaxLength: 4000, placeholder: 100, textDisplay: 4000 } as const;
export const CHOICE_LIMITS = { choices: 25, name: 100, value: 100 } as const;

const len = (v: unknown) => (typeof v === "string" ? v.length : 0);

function modalProblem(data: JsonObject | undefined): string | null {
  if (!data) return "a modal needs data";
  const L = MODAL_LIMITS;
  if (!len(data.custom_id) || len(data.custom_id) > L.customId) return `modal custom_id must be 1-${L.customId} characters`;
  if (!len(data.title) || len(data.title) > L.title) return `modal title must be 1-${L.title} characters`;
  const rows = Array.isArray(data.components) ? (data.components as JsonObject[]) : [];
  if (rows.length < 1 || rows.length > L.components) return `a modal has 1-${L.components} components`;
  for (const [i, row] of rows.entries()) {
    if (row.type === 10) {
      if (!len(row.content) || len(row.content) > L.textDisplay) return `components[${i}].content must be 1-${L.textDisplay} characters`;
      continue;
    }
    if (row.type !== 18 && row.type !== 1) return `components[${i}] has type ${String(row.type)}, which a modal does not take`;
    const input = (row.type === 18 ? row.component : Array.isArray(row.components) ? (row.components as JsonObject[])[0] : undefined) as JsonObject | undefined;
    if (row.type === 18 && (!len(row.label) || len(row.label) > L.label)) return `components[${i}].label must be 1-${L.label} characters`;
    if (len(row.description) > L.description) return `components[${i}].description is longer than ${L.description}`;
    if (!input || !len(input.custom_id) || len(input.custom_id) > L.customId) return `components[${i}] needs an input with a custom_id of 1-${L.customId} characters`;
    if (typeof input.max_length === "number" && (input.max_length < 1 || input.max_length > L.inputMaxLength)) return `components[${i}].max_length must be 1-${L.inputMaxLength}`;
    if (len(input.placeholder) > L.placeholder) return `components[${i}].placeholder is longer than ${L.placeholder}`;
  }
  return null;
}

function choicesProblem(data: JsonObject | undefined): string | null {
  const choices = Array.isArray(data?.choices) ? (data.choices as JsonObject[]) : null;
  if (!choices) return "autocomplete results need choices";
  const L = CHOICE_LIMITS;
  if (choices.length > L.choices) return `more than ${L.choices} choices`;
  for (const [i, c] of choices.entries()) {
    if (!len(c.name) || len(c.name) > L.name) return `choices[${i}].name must be 1-${L.name} characters`;
    if (typeof c.value === "string" ? len(c.value) > L.value : typeof c.value !== "number") return `choices[${i}].value must be a number or at most ${L.value} characters`;
  }
  return null;
}

/** Why Discord would refuse `response` to `interaction`, or null. */
export function responseProblem(interaction: JsonObject, response: JsonObject | undefined): string | null {
  const kind = Number(interaction.type);
  const type = Number(response?.type);
  if (!Number.isInteger(type)) return "the response has no type";
  if (!(ALLOWED[kind] ?? []).includes(type)) return `response type ${type} is not allowed for interaction type ${kind}`;
  const fromComponent = kind === INTERACTION.component || interaction.message !== undefined;
  if ((type === CALLBACK.deferredUpdate || type === CALLBACK.updateMessage) && !fromComponent) return `response type ${type} needs a message to update`;
  const data = response?.data as JsonObject | undefined;
  if (type === CALLBACK.modal) return modalProblem(data);
  if (type === CALLBACK.autocomplete) return choicesProblem(data);
  if (type === CALLBACK.deferredMessage && data?.flags !== undefined && (Number(data.flags) & ~64) !== 0) return "a deferred response may only set the EPHEMERAL flag";
  if (type === CALLBACK.message || type === CALLBACK.updateMessage) return messageProblem(data);
  return null;
}
