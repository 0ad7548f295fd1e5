/**
 * The compact custom_id carried by answer buttons, select menus and modals:
 *   v1|<kind>|<sessionId>|<index>|<questionId>[|<choiceId>][|<home>]
 * kind: "a" a choice button, "m" the multi-select menu, "o" the button that
 * opens the answer modal, "t" the modal's submit. Discord allows 100 chars.
 * home: the server (guild id) whose learner a question sent by DM belongs to
 * (a personal drill set up in a server arrives in the bot's DMs, where the
 * interaction names no server); absent on controls inside a server.
 */
import type { QuestionRef } from "../../core/replies.js";

export const CUSTOM_ID_VERSION = "v1";
export const MAX_CUSTOM_ID_LENGTH = 100;

export type AnswerAction = (
  | { kind: "choice"; ref: QuestionRef; choiceId: string }
  | { kind: "select"; ref: QuestionRef }
  | { kind: "open-modal"; ref: QuestionRef }
  | { kind: "modal"; ref: QuestionRef }
) & { home?: string };

const KIND_TAG = { choice: "a", select: "m", "open-modal": "o", modal: "t" } as const;
const TAG_KIND: Record<string, AnswerAction["kind"]> = { a: "choice", m: "select", o: "open-modal", t: "modal" };

/** Characters a part may hold: session ids are base64url, question ids slugs, choice ids letters. */
const PART = /^[A-Za-z0-9_-]+$/;
/** A home is a guild id (a snowflake), so it can never be mistaken for anything else. */
const HOME = /^\d{15,25}$/;

/** True for a server id that can be a control's home (a DM learner's workspace "dm" cannot). */
export function isHomeId(workspace: string): boolean {
  return HOME.test(workspace);
}

export class CustomIdTooLongError extends Error {
  override name = "CustomIdTooLongError";
}

export function encodeCustomId(action: AnswerAction): string {
  const { ref } = action;
  const parts = [CUSTOM_ID_VERSION, KIND_TAG[action.kind], ref.sessionId, String(ref.index), ref.questionId];
  if (action.kind === "choice") parts.push(action.choiceId);
  if (action.home !== undefined) {
    if (!HOME.test(action.home)) throw new Error(`"${action.home}" is not a server id`);
    parts.push(action.home);
  }
  for (const p of parts.slice(2)) {
    if (!PART.test(p)) throw new Error(`"${p}" cannot go into a Discord custom_id (letters, digits, _ and - only)`);
  }
  const id = parts.join("|");
  if (id.length > MAX_CUSTOM_ID_LENGTH) {
    throw new CustomIdTooLongError(`custom_id for question ${ref.questionId} is ${id.length} chars; Discord allows ${MAX_CUSTOM_ID_LENGTH}`);
  }
  return id;
}

/** Parses a custom_id; null when it is malformed or from another version (the caller says so briefly). */
export function decodeCustomId(customId: string): AnswerAction | null {
  if (customId.length > MAX_CUSTOM_ID_LENGTH) return null;
  const parts = customId.split("|");
  const [version, tag, sessionId, indexText, questionId, choiceId] = parts;
  if (version !== CUSTOM_ID_VERSION || !tag || !sessionId || !indexText || !questionId) return null;
  const kind = TAG_KIND[tag];
  if (!kind || ![sessionId, questionId].every((p) => PART.test(p)) || !/^\d{1,3}$/.test(indexText)) return null;
  const ref: QuestionRef = { sessionId, index: Number(indexText), questionId };
  const size = kind === "choice" ? 6 : 5;
  if (parts.length !== size && parts.length !== size + 1) return null;
  const home = parts.length === size + 1 ? parts[size]! : undefined;
  if (home !== undefined && !HOME.test(home)) return null;
  const withHome = home !== undefined ? { home } : {};
  if (kind === "choice") {
    if (!choiceId || !PART.test(choiceId)) return null;
    return { kind, ref, choiceId, ...withHome };
  }
  return { kind, ref, ...withHome };
}
