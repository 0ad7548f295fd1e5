/**
 * Decides one answer from a learner snapshot: grade it, move the FSRS card,
 * the streak, the points and the session, and say what to reply. Pure: the
 * store calls it with the snapshot it holds and writes the result atomically.
 */
import { parseAnswer } from "../answer-input.js";
import type { Catalog } from "../content/catalog.js";
import { grade, type AnswerInput, type GradeResult } from "../grading.js";
import { ANONYMOUS, learnerId, workspaceId, type LearnerKey } from "../identity.js";
import { BASE_POINTS, pointsFor } from "../points.js";
import type { Question } from "../content/schema.js";
import { challengePoints } from "../schedule/model.js";
import type { AnswerDecision, AnswerRecord, LearnerSnapshot, QuizSession } from "../ports.js";
import type { QuestionRef, Reply } from "../replies.js";
import { ratingOf, review, type SchedulerSettings } from "../srs.js";
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
  /** Grade only if `ref` is the open question of the learner's own quiz (or a shared one): the shell, answering what it shows. */
  onlyIfOpen?: boolean;
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

/** The open question of a session, presented. */
export function openQuestionReply(catalog: Catalog, session: QuizSession): Reply | null {
  const questionId = session.questionIds[session.index];
  if (questionId === undefined || !catalog.question(questionId)) return null;
  return questionReply(catalog, { sessionId: session.id, index: session.index, questionId }, session.questionIds.length, session.kind === "drill" ? session.title : undefined);
}

/** Where the learner's quiz stands, for a learner whose answer went to a question no longer open. */
export function standing(catalog: Catalog, snap: Pick<LearnerSnapshot, "session" | "parked">, lead: string): Reply[] {
  const open = [snap.session, snap.parked].filter((s): s is QuizSession => s !== null && s.index < s.questionIds.length);
  const shown = open.map((s) => openQuestionReply(catalog, s)).filter((r): r is Reply => r !== null);
  if (shown.length === 0) return [{ type: "notice", level: "info", code: "stale-question", text: `${lead} You have no open quiz: start one with /quiz or /review.` }];
  return [{ type: "notice", level: "info", code: "stale-question", text: `${lead} Here is where you are now:` }, ...shown];
}

/** How this learner's cards are scheduled: the workspace's fitted weights, and the learner's retention or else the workspace's. */
export function schedulerSettings(snap: Pick<LearnerSnapshot, "settings" | "workspace">): SchedulerSettings {
  return { weights: snap.workspace.fsrs?.weights ?? null, retention: snap.settings.retention ?? snap.workspace.retention };
}

/** The name others see on boards and in channel results. */
export function boardName(snap: Pick<LearnerSnapshot, "settings">, displayName: string): string {
  return snap.settings.private ? ANONYMOUS : displayName;
}

const STALE_LEAD = "That question is no longer open (it was answered, or the quiz moved on or expired, perhaps in another window), so your answer was not graded.";

export function decideAnswer(ctx: AnswerContext, snap: LearnerSnapshot, cmd: AnswerCommand, shared?: SharedQuestion): AnswerDecision {
  const session = snap.session;
  const parked = snap.parked ?? null;
  let ref = cmd.ref;
  /** Which of the learner's sessions this answer moves on, if any. */
  let target: "session" | "parked" | null = null;
  if (!ref) {
    if (!session) return notice("no-open-question", "There is no open question. Start one with /quiz or /review.");
    ref = { sessionId: session.id, index: session.index, questionId: session.questionIds[session.index]! };
    target = "session";
  } else if (!shared) {
    // A question of the learner's own: only the open question of an open session is graded.
    const owner = session?.id === ref.sessionId ? session : parked?.id === ref.sessionId ? parked : null;
    const isOpen = owner !== null && ref.index === owner.index && owner.questionIds[ref.index] === ref.questionId;
    if (isOpen) target = owner === session ? "session" : "parked";
    else if (cmd.onlyIfOpen || (owner && (ref.index > owner.index || owner.questionIds[ref.index] !== ref.questionId))) {
      return { replies: standing(ctx.catalog, { session, parked }, STALE_LEAD) };
    }
    // Otherwise someone else's quiz question posted in a channel (or an earlier one of the learner's): graded on its own.
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
  const card = review(snap.cards[q.id], ctx.now, result.correct, schedulerSettings(snap));

  let nextSession: QuizSession | null | undefined;
  let nextParked: QuizSession | null | undefined;
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
  const moved = target === "session" ? session : target === "parked" ? parked : null;
  if (moved) {
    const advanced: QuizSession = {
      ...moved,
      index: moved.index + 1,
      correct: moved.correct + (result.correct ? 1 : 0),
      points: moved.points + points,
    };
    const finished = advanced.index >= advanced.questionIds.length;
    if (!finished) {
      const next = openQuestionReply(ctx.catalog, advanced);
      if (next) replies.push(next);
    } else {
      replies.push({ type: "summary", title: moved.title, correct: advanced.correct, total: advanced.questionIds.length, points: advanced.points });
    }
    if (target === "parked") nextParked = finished ? null : advanced;
    else if (!finished) nextSession = advanced;
    else if (parked && parked.index < parked.questionIds.length) {
      // The drill is done: the quiz it interrupted is the open one again.
      nextSession = parked;
      nextParked = null;
      const back = openQuestionReply(ctx.catalog, parked);
      if (back) replies.push({ type: "text", text: `Back to your ${parked.kind === "review" ? "review" : "quiz"}, where you left it:` }, back);
    } else nextSession = null;
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
      ...(nextParked !== undefined ? { parked: nextParked } : {}),
      workspace: workspaceId(ctx.learner),
      weekKey: isoWeek(today),
      displayName: ctx.displayName || learnerId(ctx.learner),
      boardName: boardName(snap, ctx.displayName || learnerId(ctx.learner)),
      ...(shared ? { slotTtlSeconds: sharedSlotTtl(shared, ctx.now) } : {}),
      ...(shared ? { tally: { sessionId: shared.tallyId, value: `${result.correct ? 1 : 0}|${ctx.now.getTime()}|${boardName(snap, ctx.displayName || learnerId(ctx.learner))}` } } : {}),
      conceptIds: q.concepts ?? [],
      workspaceVersion: snap.workspace.version,
      review: { rating: ratingOf(result.correct) as 1 | 3, atMs: ctx.now.getTime() },
    },
  };
}
