/**
 * The answer controls under a question: buttons for single and true/false
 * questions, a select menu for multi-select ones, and an "Answer" button that
 * opens a modal for ordering, numeric and text questions.
 */
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
} from "discord.js";
import type { QuestionType } from "../../core/content/schema.js";
import type { Choice, QuestionRef, Reply } from "../../core/replies.js";
import { encodeCustomId } from "./custom-id.js";
import { choiceLabels } from "../render/choice-labels.js";
import { clip, LIMITS } from "./discord-limits.js";

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The text input's custom_id inside the answer modal. */
export const ANSWER_INPUT_ID = "answer";

/** Where answers go: the learner's home server for questions sent by DM (see custom-id.ts). */
type Home = { home?: string };

function choiceButtons(ref: QuestionRef, choices: Choice[], numbered: boolean, home: Home): MessageRow[] {
  const shown = choices.slice(0, LIMITS.buttonsPerRow * LIMITS.rows);
  const labels = choiceLabels(shown.map((c) => c.label), { max: LIMITS.buttonLabel, numbered, numberOnly: String });
  const buttons: APIButtonComponent[] = shown.map((c, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: labels[i]!,
    custom_id: encodeCustomId({ kind: "choice", ref, choiceId: c.id, ...home }),
  }));
  const rows: MessageRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** `home`: the guild id of the learner, for a question sent in a DM on their behalf. */
export function questionComponents(reply: Extract<Reply, { type: "question" }>, homeId?: string): MessageRow[] {
  const { ref, choices } = reply;
  const home: Home = homeId ? { home: homeId } : {};
  switch (reply.questionType) {
    case "single":
      return choiceButtons(ref, choices, true, home);
    case "truefalse":
      return choiceButtons(ref, choices, false, home);
    case "multi": {
      const options = choices.slice(0, LIMITS.selectOptions);
      const labels = choiceLabels(options.map((c) => c.label), { max: LIMITS.selectOptionLabel, numbered: true, numberOnly: (n) => `Choice ${n}` });
      return [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.StringSelect,
              custom_id: encodeCustomId({ kind: "select", ref, ...home }),
              placeholder: "Pick every right answer, then close the menu",
              min_values: 1,
              max_values: options.length,
              options: options.map((c, i) => ({ label: labels[i]!, value: c.id })),
            },
          ],
        },
      ];
    }
    default:
      return [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: "Answer", custom_id: encodeCustomId({ kind: "open-modal", ref, ...home }) }],
        },
      ];
  }
}

export interface ModalQuestion {
  ref: QuestionRef;
  type: QuestionType;
  /** The core's typing hint for this question ("Type a number (in ms)."). */
  hint: string;
  /** The choices in display order (ordering questions). */
  choices: Choice[];
  /** The learner's home server, carried on from the button that opened the modal. */
  home?: string;
}

function inputLabel(q: ModalQuestion): string {
  switch (q.type) {
    case "order":
      return "The numbers in the right order";
    case "numeric":
      return "Your number";
    default:
      return "Your answer";
  }
}

function placeholder(q: ModalQuestion): string {
  if (q.type === "order") return `e.g. ${q.choices.map((_, i) => i + 1).reverse().join(" ")}`;
  return q.hint;
}

/** The modal an "Answer" button opens: one text input, with the items to order listed above it. */
export function answerModal(q: ModalQuestion): APIModalInteractionResponseCallbackData {
  const listing =
    q.type === "order"
      ? [{ type: ComponentType.TextDisplay as const, content: clip(q.choices.map((c, i) => `**${i + 1}.** ${c.label}`).join("\n"), 4000) }]
      : [];
  return {
    custom_id: encodeCustomId({ kind: "modal", ref: q.ref, ...(q.home ? { home: q.home } : {}) }),
    title: clip(`Answer question ${q.ref.index + 1}`, LIMITS.modalTitle),
    components: [
      ...listing,
      {
        type: ComponentType.Label,
        label: clip(inputLabel(q), LIMITS.inputLabel),
        description: clip(q.hint, 100),
        component: {
          type: ComponentType.TextInput,
          custom_id: ANSWER_INPUT_ID,
          style: TextInputStyle.Short,
          required: true,
          max_length: 200,
          placeholder: clip(placeholder(q), LIMITS.inputPlaceholder),
        },
      },
    ],
  };
}
