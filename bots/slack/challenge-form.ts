/**
 * The "write a challenge" modal: its view, its private_metadata (where the
 * challenge goes and for how long), and reading a submission back into the
 * core's WrittenQuestion with per-field errors from the core's checkWritten.
 */
import type { types } from "@slack/bolt";
import { checkWritten, type WrittenQuestion } from "../../core/commands.js";
import { VERSION } from "./action-codec.js";
import { escapeText } from "./mrkdwn.js";

export const CHALLENGE_CALLBACK = "study.challenge.write";

/** Block ids of the four inputs (errors are keyed by block id); every input's action id is "value". */
export const CHALLENGE_FIELDS = {
  stem: "challenge.stem",
  options: "challenge.options",
  correct: "challenge.correct",
  explanation: "challenge.explanation",
} as const;
export const FIELD_ACTION = "value";

type Field = keyof typeof CHALLENGE_FIELDS;

export interface ChallengeMetadata {
  v: typeof VERSION;
  team: string;
  /** The channel /study challenge write was typed in: the challenge is posted there. */
  channel: string;
  minutes: number;
  /** The command's response_url (valid 30 minutes): the private confirmation, and a fallback way to post. */
  responseUrl?: string;
}

export function encodeChallengeMetadata(meta: Omit<ChallengeMetadata, "v">): string {
  return JSON.stringify({ v: VERSION, ...meta });
}

export function decodeChallengeMetadata(text: string | undefined): ChallengeMetadata | null {
  if (!text) return null;
  try {
    const m = JSON.parse(text) as Partial<ChallengeMetadata>;
    if (m.v !== VERSION || typeof m.team !== "string" || typeof m.channel !== "string" || typeof m.minutes !== "number") return null;
    return { v: VERSION, team: m.team, channel: m.channel, minutes: m.minutes, ...(typeof m.responseUrl === "string" ? { responseUrl: m.responseUrl } : {}) };
  } catch {
    return null;
  }
}

export function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

function textInput(field: Field, label: string, opts: { multiline: boolean; max: number; placeholder: string; hint?: string }): types.KnownBlock {
  return {
    type: "input",
    block_id: CHALLENGE_FIELDS[field],
    label: { type: "plain_text", text: label },
    ...(opts.hint ? { hint: { type: "plain_text" as const, text: opts.hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: FIELD_ACTION,
      multiline: opts.multiline,
      max_length: opts.max,
      placeholder: { type: "plain_text", text: opts.placeholder },
    },
  };
}

export function challengeModal(meta: Omit<ChallengeMetadata, "v">): types.ModalView {
  return {
    type: "modal",
    callback_id: CHALLENGE_CALLBACK,
    title: { type: "plain_text", text: "Write a challenge" },
    submit: { type: "plain_text", text: "Post" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeChallengeMetadata(meta),
    blocks: [
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Posted in <#${escapeText(meta.channel)}> for ${describeMinutes(meta.minutes)}. Answers are private and final; earlier right answers earn more. Results are posted when it closes.`,
          },
        ],
      },
      textInput("stem", "Question", { multiline: true, max: 1000, placeholder: "What does a covering index avoid?" }),
      textInput("options", "Options", { multiline: true, max: 1500, placeholder: "One option per line", hint: "One option per line, 2 to 5 options." }),
      {
        type: "input",
        block_id: CHALLENGE_FIELDS.correct,
        label: { type: "plain_text", text: "Number of the right option" },
        hint: { type: "plain_text", text: "1 for the first line, 2 for the second, …" },
        element: { type: "number_input", action_id: FIELD_ACTION, is_decimal_allowed: false, min_value: "1", max_value: "5" },
      },
      textInput("explanation", "Explanation", { multiline: true, max: 1000, placeholder: "Why the right option is right", hint: "Everyone sees it with their feedback and with the results." }),
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

const valueOf = (values: StateValues, field: Field): string => values[CHALLENGE_FIELDS[field]]?.[FIELD_ACTION]?.value ?? "";

/** A valid question with everything else, to ask checkWritten about one field at a time. */
const VALID: WrittenQuestion = { stem: "q", options: ["a", "b"], correct: 0, explanation: "e" };

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Reads a submission. Blank lines between options are dropped. Each field is
 * checked with the core's checkWritten (with the other fields valid), so the
 * core's reason shows next to the field it is about.
 */
export function readChallengeForm(values: StateValues): { ok: true; question: WrittenQuestion } | { ok: false; errors: Record<string, string> } {
  const number = valueOf(values, "correct").trim();
  const question: WrittenQuestion = {
    stem: valueOf(values, "stem").trim(),
    options: valueOf(values, "options")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
    correct: /^\d+$/.test(number) ? Number(number) - 1 : -1,
    explanation: valueOf(values, "explanation").trim(),
  };
  const errors: Record<string, string> = {};
  const check = (field: Field, probe: WrittenQuestion) => {
    const problem = checkWritten(probe);
    if (problem) errors[CHALLENGE_FIELDS[field]] = sentence(problem);
  };
  check("stem", { ...VALID, stem: question.stem });
  check("options", { ...VALID, options: question.options });
  // Which number is right depends on how many options there are: judged once the options are fine.
  if (!errors[CHALLENGE_FIELDS.options]) check("correct", { ...VALID, options: question.options, correct: question.correct });
  check("explanation", { ...VALID, explanation: question.explanation });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The whole question once more, should checkWritten ever judge fields together.
  const problem = checkWritten(question);
  return problem ? { ok: false, errors: { [CHALLENGE_FIELDS.stem]: sentence(problem) } } : { ok: true, question };
}
