/**
 * Decides one answer from a learner snapshot: grade it, move the FSRS card,
 * the streak, the points and the session, and say what to reply. Pure: the
 * store calls it with the snapshot it holds and writes the result atomically.
 */
import { parseAnswer } from "../answer-input.js";
import type { Catalog } from "../content/catalog.js";
import { grade, type AnswerInput, type GradeResult } from "../grading.js";
import { learnerId, workspaceId, type LearnerKey } from "../identity.js";
import { BASE_POINTS, pointsFor } from "../points.js";
import type { Question } from "../content/schema.js";
import { challengePoints } from "../schedule/model.js";
import type { AnswerDecision, AnswerRecord, LearnerSnapshot, QuizSession } from "../ports.js";
import type { QuestionRef, Reply } from "../replies.js";
import { review } from "../srs.js";
import { recordActivity } from "../streak.js";
import { DEFAULT_ZONE, isoWeek, localDate } from "../time.js";
import { choiceOrder } from "./choice-order.js";
import { questionReply } from "./present.js";

export interface AnswerContext {
  catalog: Catalog;
  learner: LearnerKey;
  displayName: string;
  eventId: string;
  now: Date;
  /** Zone to use until the learner sets one (e.g. their Slack profile's). */
  fallbackZone?: string;
}

/** A question shared in a channel (drill or challenge): not in the learner's own session. */
export interface SharedQuestion {
  question: Question;
  /** Session id its answers are tallied under. */
  tallyId: string;
  /** Challenges: answers count only until the deadline, and earlier ones earn more. */
  window?: { postedAtMs: number; deadlineMs: number };
}

export interface AnswerCommand {
  ref?: QuestionRef;
  raw?: string;
  input?: AnswerInput;
}

const notice = (code: "no-open-question" | "stale-question" | "bad-answer", text: string): AnswerDecision => ({
  replies: [{ type: "notice", level: code === "bad-answer" ? "warning" : "info", code, text }],
});

export function slotIdOf(ref: QuestionRef): string {
  return `${ref.sessionId}:${ref.index}`;
}

function feedbackReply(record: AnswerRecord, result: GradeResult): Reply {
  return {
    type: "feedback",
    ref: record.ref,
    correct: record.correct,
    chosen: result.chosen,
    missed: result.missed,
    correctAnswer: result.correctAnswer,
    pointsAwarded: record.points,
    totalPoints: record.totalPoints,
    streak: record.streak,
    nextReview: record.due,
  };
}

/** The feedback of an answer recorded earlier (for a redelivered event), re-graded from its record. */
export function replayFeedback(catalog: Catalog, record: AnswerRecord): Reply[] {
  const q = catalog.question(record.ref.questionId)?.question;
  const result = q ? grade(q, record.input) : null;
  return result ? [feedbackReply(record, result)] : [];
}

/** A shared question stays answered until its results are out: past a challenge's deadline, or a week for a channel drill. */
function sharedSlotTtl(shared: SharedQuestion, now: Date): number {
  const day = 86_400;
  if (!shared.window) return 8 * day;
  return Math.max(day, Math.ceil((shared.window.deadlineMs - now.getTime()) / 1000) + day);
}

export function decideAnswer(ctx: AnswerContext, snap: LearnerSnapshot, cmd: AnswerCommand, shared?: SharedQuestion): AnswerDecision {
  const session = snap.session;
  let ref = cmd.ref;
  let inSession = false;
  if (!ref) {
    if (!session) return notice("no-open-question", "There is no open question. Start one with /quiz or /review.");
    ref = { sessionId: session.id, index: session.index, questionId: session.questionIds[session.index]! };
    inSession = true;
  } else if (session && session.id === ref.sessionId) {
    if (ref.index > session.index || session.questionIds[ref.index] !== ref.questionId) {
      return notice("stale-question", "That question is no longer open. Type /quiz for a fresh one.");
    }
    inSession = ref.index === session.index;
  }
  const q = shared?.question ?? ctx.catalog.question(ref.questionId)?.question;
  if (!q || q.id !== ref.questionId) return notice("stale-question", "That question is no longer in the course. Type /quiz for a fresh one.");
  if (shared?.window && ctx.now.getTime() > shared.window.deadlineMs) {
    return {
      replies: [
        { type: "notice", level: "info", code: "closed", text: `This challenge closed at ${new Date(shared.window.deadlineMs).toISOString().slice(0, 16).replace("T", " ")} UTC; answers after the deadline do not count.` },
      ],
    };
  }

  let input = cmd.input;
  if (!input) {
    const parsed = parseAnswer(q, cmd.raw ?? "", choiceOrder(ref.sessionId, q));
    if (!parsed.ok) return notice("bad-answer", parsed.reason);
    input = parsed.input;
  }
  const result = grade(q, input);
  if (!result) return notice("bad-answer", "That answer does not fit this question. " + (q.type === "single" ? "Pick one choice." : "Check the hint under the question."));

  const zone = snap.timezone ?? ctx.fallbackZone ?? DEFAULT_ZONE;
  const today = localDate(ctx.now, zone);
  const streak = recordActivity(snap.streak, today);
  const points =
    shared?.window && result.correct
      ? challengePoints(BASE_POINTS[q.difficulty], shared.window.postedAtMs, shared.window.deadlineMs, ctx.now.getTime())
      : pointsFor(result.correct, q.difficulty, streak.state.current);
  const card = review(snap.cards[q.id], ctx.now, result.correct);

  let nextSession: QuizSession | null | undefined;
  const record: AnswerRecord = {
    eventId: ctx.eventId,
    ref,
    input,
    correct: result.correct,
    points,
    totalPoints: snap.points + points,
    streak: {
      current: streak.state.current,
      extendedToday: streak.newDay,
      freezeEarned: streak.freezeEarned,
      freezesSpent: streak.freezesSpent,
    },
    due: card.due,
  };
  const replies: Reply[] = [feedbackReply(record, result)];
  if (inSession && session) {
    const advanced: QuizSession = {
      ...session,
      index: session.index + 1,
      correct: session.correct + (result.correct ? 1 : 0),
      points: session.points + points,
    };
    if (advanced.index < advanced.questionIds.length) {
      nextSession = advanced;
      const nextRef = { sessionId: session.id, index: advanced.index, questionId: advanced.questionIds[advanced.index]! };
      replies.push(questionReply(ctx.catalog, nextRef, advanced.questionIds.length));
    } else {
      nextSession = null;
      replies.push({ type: "summary", title: session.title, correct: advanced.correct, total: advanced.questionIds.length, points: advanced.points });
    }
  }
  return {
    replies,
    write: {
      record,
      questionId: q.id,
      setId: ctx.catalog.question(q.id)?.setId ?? "challenge",
      slotId: slotIdOf(ref),
      correct: result.correct,
      card,
      streak: streak.state,
      activeDate: today,
      pointsAwarded: points,
      session: nextSession,
      workspace: workspaceId(ctx.learner),
      weekKey: isoWeek(today),
      displayName: ctx.displayName || learnerId(ctx.learner),
      ...(shared ? { slotTtlSeconds: sharedSlotTtl(shared, ctx.now) } : {}),
      ...(shared ? { tally: { sessionId: shared.tallyId, value: `${result.correct ? 1 : 0}|${ctx.now.getTime()}|${ctx.displayName || learnerId(ctx.learner)}` } } : {}),
    },
  };
}
