/**
 * What drillbot puts into Slack's interactive elements and reads back:
 * action ids, button values ("v1|<sessionId>|<index>|<questionId>|<choiceId>"),
 * the answer modal's private_metadata, and event ids that are the same on a
 * redelivery of one click and differ between clicks.
 */
import type { QuestionRef } from "../../core/replies.js";

export const VERSION = "v1";

export const ACTIONS = {
  /** A single/truefalse choice button; the suffix is its position (action ids must differ within a block). */
  choicePrefix: "study.answer.choice.",
  /** The checkboxes of a multi-select question (changing them is acked, nothing more). */
  multiPick: "study.answer.pick",
  multiSubmit: "study.answer.submit",
  /** Opens the typed-answer modal (order, numeric, text questions). */
  openModal: "study.answer.open",
  homeQuiz: "study.home.quiz",
} as const;

export const CHOICE_ACTION = /^study\.answer\.choice\.\d+$/;
export const MODAL_CALLBACK = "study.answer.modal";
export const MODAL_INPUT = { block: "answer", action: "raw" } as const;

const enc = (s: string) => encodeURIComponent(s);

export function encodeValue(ref: QuestionRef, choiceId?: string): string {
  const parts = [VERSION, enc(ref.sessionId), String(ref.index), enc(ref.questionId)];
  if (choiceId !== undefined) parts.push(enc(choiceId));
  return parts.join("|");
}

export interface DecodedValue {
  ref: QuestionRef;
  choiceId?: string;
}

/** null for a value this version cannot read (an old message, or tampering). */
export function decodeValue(value: string | undefined): DecodedValue | null {
  if (!value) return null;
  const parts = value.split("|");
  if (parts[0] !== VERSION || parts.length < 4 || parts.length > 5) return null;
  const [, sid, idx, qid, choice] = parts;
  if (!sid || !qid || !/^\d+$/.test(idx ?? "")) return null;
  try {
    const ref = { sessionId: decodeURIComponent(sid), index: Number(idx), questionId: decodeURIComponent(qid) };
    return choice === undefined ? { ref } : { ref, choiceId: decodeURIComponent(choice) };
  } catch {
    return null;
  }
}

/** Everything the modal's submission needs: the slot, and where to send the feedback. */
export interface ModalMetadata {
  v: typeof VERSION;
  ref: QuestionRef;
  /** The response_url of the click that opened the modal (valid 30 minutes). */
  responseUrl?: string;
}

export function encodeMetadata(meta: Omit<ModalMetadata, "v">): string {
  return JSON.stringify({ v: VERSION, ...meta });
}

export function decodeMetadata(text: string | undefined): ModalMetadata | null {
  if (!text) return null;
  try {
    const m = JSON.parse(text) as Partial<ModalMetadata>;
    const r = m.ref;
    if (m.v !== VERSION || !r || typeof r.sessionId !== "string" || typeof r.questionId !== "string" || typeof r.index !== "number") return null;
    return { v: VERSION, ref: { sessionId: r.sessionId, index: r.index, questionId: r.questionId }, ...(typeof m.responseUrl === "string" ? { responseUrl: m.responseUrl } : {}) };
  } catch {
    return null;
  }
}

/** A click: Slack sends the same action_ts on a redelivery; another click gets another one. */
export function actionEventId(actionTs: string | undefined, userId: string, actionId: string, fallback: string): string {
  return `slack:action:${actionTs ?? fallback}:${userId}:${actionId}`;
}

export function commandEventId(triggerId: string): string {
  return `slack:command:${triggerId}`;
}

/** A modal is submitted once per view; its id is the same on a redelivery. */
export function viewEventId(viewId: string, userId: string): string {
  return `slack:view:${viewId}:${userId}`;
}
