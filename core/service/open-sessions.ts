/**
 * What a learner has open: the quiz (or review) and a daily drill beside it,
 * for /quiz alone and for a start screen that says what is waiting. Pure.
 */
import type { Catalog } from "../content/catalog.js";
import { plural } from "../input-limits.js";
import type { DueCard, LearnerSnapshot, QuizSession } from "../ports.js";
import type { Reply } from "../replies.js";
import { viewStreak } from "../streak.js";
import { localDate } from "../time.js";
import { openQuestionReply } from "./answer-decision.js";

function openSessions(snap: Pick<LearnerSnapshot, "session" | "parked">): QuizSession[] {
  return [snap.session, snap.parked].filter((s): s is QuizSession => s !== null && s.index < s.questionIds.length);
}

const describe = (s: QuizSession) => (s.kind === "drill" ? "daily drill" : s.kind === "review" ? "review" : `quiz (${s.title})`);

/** Where each open session stands with its open question, the learner's own quiz first; null when none is open. */
export function openSessionReplies(catalog: Catalog, snap: Pick<LearnerSnapshot, "session" | "parked">): Reply[] | null {
  const open = openSessions(snap).sort((a, b) => Number(a.kind === "drill") - Number(b.kind === "drill"));
  const replies: Reply[] = [];
  for (const s of open) {
    const question = openQuestionReply(catalog, s);
    if (!question) continue;
    replies.push({ type: "text", text: `Your ${describe(s)} is at question ${s.index + 1} of ${s.questionIds.length}, ${s.correct} right so far.` }, question);
  }
  if (replies.length === 0) return null;
  replies.push({ type: "text", text: "Answer it to go on, or start a new quiz with /quiz <topic> or /quiz <count>." });
  return replies;
}

/** The start screen's summary: unfinished sessions, reviews due now, today's streak. */
export function waitingReply(snap: LearnerSnapshot, cards: DueCard[], now: Date, zone: string): Reply {
  const lines = openSessions(snap).map((s) => `Unfinished ${describe(s)}: question ${s.index + 1} of ${s.questionIds.length}. Type /quiz to continue.`);
  const due = cards.filter((c) => c.dueMs <= now.getTime()).length;
  lines.push(due ? `${plural(due, "review")} due now: /review.` : "No reviews are due.");
  const view = viewStreak(snap.streak, localDate(now, zone));
  lines.push(
    view.current === 0
      ? "No streak yet: answer a question today to start one."
      : view.studiedToday
        ? `Streak: ${plural(view.current, "day")}, and today is done.`
        : `Streak: ${plural(view.current, "day")}; answer a question today to keep it.`,
  );
  return { type: "text", text: lines.join("\n") };
}
