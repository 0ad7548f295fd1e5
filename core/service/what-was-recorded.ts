/**
 * What to tell a learner when the platform refused to show a reply: what was
 * recorded and what was not, judged from the replies that could not be shown.
 * Pure; each adapter sends it as plain text.
 */
import { plural } from "../input-limits.js";
import type { NoticeCode, Reply } from "../replies.js";

/** Notices that mean the command changed nothing. */
const NOTHING_DONE = new Set<NoticeCode>([
  "unknown-command",
  "unknown-topic",
  "bad-option",
  "bad-answer",
  "no-open-question",
  "stale-question",
  "already-answered",
  "bad-timezone",
  "unavailable",
  "not-admin",
  "closed",
]);

export function whatWasRecorded(replies: Reply[]): string {
  const feedback = replies.find((r): r is Extract<Reply, { type: "feedback" }> => r.type === "feedback");
  if (feedback) {
    return `Your answer was recorded (${feedback.correct ? "right" : "not right"}, +${plural(feedback.pointsAwarded, "point")}, ${plural(feedback.totalPoints, "point")} in all).`;
  }
  if (replies.some((r) => r.type === "notice" && NOTHING_DONE.has(r.code))) return "Nothing was recorded.";
  if (replies.some((r) => r.type === "question")) return "Your quiz is open and nothing was answered yet.";
  return "What you asked for was done; only the reply is missing.";
}

/** The whole note: the platform refused the reply, what was recorded, and how to see where you are. */
export function replyRefusedText(replies: Reply[], platform: "Discord" | "Slack", quizCommand: string): string {
  const open = replies.some((r) => r.type === "question") ? ` ${quizCommand} shows your open question.` : "";
  return `${platform} refused to show my reply. ${whatWasRecorded(replies)}${open}`;
}
