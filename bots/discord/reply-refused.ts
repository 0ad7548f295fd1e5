/**
 * When Discord refuses a reply after the work was done (an answer recorded,
 * a quiz started), the learner is told what was and was not recorded instead
 * of a generic "nothing was recorded".
 */
import type { Reply } from "../../core/replies.js";
import { replyRefusedText } from "../../core/service/what-was-recorded.js";

/** Discord error codes that mean the interaction can no longer be answered at all. */
export const UNANSWERABLE = new Set([10062 /* unknown interaction */, 40060 /* already acknowledged */]);

export function errorCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export class ReplyRefusedError extends Error {
  constructor(
    /** What to tell the learner: what was recorded and what was not. */
    readonly userText: string,
    override readonly cause: unknown,
  ) {
    super(`Discord refused a reply: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Sends the rendered replies; a refusal becomes a ReplyRefusedError that says what the replies had recorded. */
export async function sendOrExplain(replies: Reply[], send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (err) {
    const code = errorCode(err);
    if (code !== undefined && UNANSWERABLE.has(code)) throw err;
    throw new ReplyRefusedError(replyRefusedText(replies, "Discord", "/quiz"), err);
  }
}
