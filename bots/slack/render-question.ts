/**
 * A question as Block Kit: buttons for single and true/false choices,
 * checkboxes plus Submit for multi-select, and an "Answer" button that opens
 * a modal with a text input for order, numeric and free-text questions.
 */
import type { types } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { ACTIONS, encodeMetadata, encodeValue, MODAL_CALLBACK, MODAL_INPUT } from "./action-codec.js";
import { choiceLabels } from "../render/choice-labels.js";
import { chunkText, LIMITS, markdownToMrkdwn, truncate } from "./mrkdwn.js";

export type QuestionReply = Extract<Reply, { type: "question" }>;
type KnownBlock = types.KnownBlock;

const MAX_CHECKBOXES = 10;
const MAX_BUTTONS = 25;

/** How a question is answered on Slack. */
export function answerStyle(q: Pick<QuestionReply, "questionType" | "choices">): "buttons" | "checkboxes" | "modal" {
  if ((q.questionType === "single" || q.questionType === "truefalse") && q.choices.length <= MAX_BUTTONS) return "buttons";
  if (q.questionType === "multi" && q.choices.length <= MAX_CHECKBOXES) return "checkboxes";
  return "modal";
}

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

function choiceList(q: QuestionReply): string {
  return q.choices.map((c, i) => `*${i + 1}.* ${markdownToMrkdwn(c.label)}`).join("\n");
}

/** Full option texts when all fit their control uncut, else only the numbers (the message lists the texts). */
const labels = (q: QuestionReply, max: number, numberOnly: (n: number) => string) =>
  choiceLabels(q.choices.map((c) => c.label), { max, numbered: q.questionType !== "truefalse", numberOnly });

function answerElements(q: QuestionReply): KnownBlock[] {
  const style = answerStyle(q);
  if (style === "buttons") {
    return [
      {
        type: "actions",
        block_id: `study.q.${q.ref.index}`,
        elements: labels(q, LIMITS.buttonText, String).map((text, i) => ({
          type: "button" as const,
          action_id: `${ACTIONS.choicePrefix}${i}`,
          text: { type: "plain_text" as const, text, emoji: true },
          value: encodeValue(q.ref, q.choices[i]!.id),
        })),
      },
    ];
  }
  if (style === "checkboxes") {
    return [
      {
        type: "actions",
        block_id: `study.q.${q.ref.index}`,
        elements: [
          {
            type: "checkboxes",
            action_id: ACTIONS.multiPick,
            options: labels(q, LIMITS.optionText, (n) => `Choice ${n}`).map((text, i) => ({ text: { type: "plain_text" as const, text }, value: q.choices[i]!.id })),
          },
          {
            type: "button",
            action_id: ACTIONS.multiSubmit,
            style: "primary",
            text: { type: "plain_text", text: "Submit" },
            value: encodeValue(q.ref),
          },
        ],
      },
    ];
  }
  return [
    {
      type: "actions",
      block_id: `study.q.${q.ref.index}`,
      elements: [{ type: "button", action_id: ACTIONS.openModal, style: "primary", text: { type: "plain_text", text: "Answer" }, value: encodeValue(q.ref) }],
    },
  ];
}

function hintFor(q: QuestionReply): string {
  switch (answerStyle(q)) {
    case "buttons":
      return "Pick an answer. Only you will see how you did.";
    case "checkboxes":
      return "Tick every answer that applies, then press Submit. Only you will see how you did.";
    case "modal":
      return `Press Answer to type it. ${q.hint}`;
  }
}

export function questionBlocks(q: QuestionReply): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: truncate(`*${q.title}* · question ${q.position.index + 1} of ${q.position.total} · ${q.difficulty}`, LIMITS.sectionText) }],
    },
    ...chunkText(`*${markdownToMrkdwn(q.stem)}*`).map(section),
  ];
  if (q.choices.length > 0 && q.questionType !== "truefalse") blocks.push(...chunkText(choiceList(q)).map(section));
  blocks.push(...answerElements(q));
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(hintFor(q), LIMITS.sectionText) }] });
  return blocks;
}

export function questionFallback(q: QuestionReply): string {
  const choices = q.choices.length ? ` ${q.choices.map((c, i) => `${i + 1}) ${c.label}`).join("  ")}` : "";
  return truncate(`Question ${q.position.index + 1} of ${q.position.total}: ${q.stem.trim()}${choices}`, LIMITS.fallbackText);
}

const PLACEHOLDER: Record<string, string> = { order: "e.g. 3 1 4 2", numeric: "a number, e.g. 42", text: "a few words", multi: "e.g. 1 3", single: "e.g. 2" };

/** The modal for a typed answer; `responseUrl` is where its feedback goes after submission. */
export function answerModal(q: QuestionReply, responseUrl: string | undefined): types.ModalView {
  const blocks: KnownBlock[] = [...chunkText(`*${markdownToMrkdwn(q.stem)}*`).map(section)];
  if (q.choices.length > 0) blocks.push(...chunkText(choiceList(q)).map(section));
  blocks.push({
    type: "input",
    block_id: MODAL_INPUT.block,
    label: { type: "plain_text", text: q.questionType === "order" ? "The numbers in order" : "Your answer" },
    hint: { type: "plain_text", text: truncate(q.hint, 150) },
    element: {
      type: "plain_text_input",
      action_id: MODAL_INPUT.action,
      max_length: 300,
      placeholder: { type: "plain_text", text: PLACEHOLDER[q.questionType] ?? "your answer" },
    },
  });
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK,
    title: { type: "plain_text", text: truncate(`Question ${q.ref.index + 1}`, LIMITS.modalTitle) },
    submit: { type: "plain_text", text: "Submit" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeMetadata({ ref: q.ref, ...(responseUrl ? { responseUrl } : {}) }),
    blocks: blocks.slice(0, LIMITS.blocksPerView),
  };
}
