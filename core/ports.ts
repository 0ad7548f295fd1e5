/**
 * Ports: the only ways the core reaches the outside world. The composition
 * root fills them in (Redis store, system clock); tests pass fixed ones.
 */
import type { LearnerKey } from "./identity.js";
import type { AnswerInput } from "./grading.js";
import type { QuestionRef, Reply } from "./replies.js";
import type { DueEntry, SrsCard } from "./srs.js";
import type { StreakState } from "./streak.js";
import type { LocalDate } from "./time.js";

export interface Clock {
  now(): Date;
}

export interface QuizSession {
  id: string;
  /** A drill is opened by the scheduler; an unfinished quiz or review it interrupts is parked, not lost. */
  kind: "quiz" | "review" | "drill";
  title: string;
  questionIds: string[];
  /** Index of the open question. */
  index: number;
  correct: number;
  points: number;
  startedAt: string;
}

/** What the core needs to decide an answer, read in one round trip. */
export interface LearnerSnapshot {
  version: number;
  timezone: string | null;
  displayName: string | null;
  streak: StreakState;
  points: number;
  answered: number;
  correct: number;
  session: QuizSession | null;
  /** A quiz or review set aside while a drill is open: still answerable, and open again when the drill is done. */
  parked: QuizSession | null;
  /** Cards of the sessions' questions and of the answered question (null = never reviewed). */
  cards: Record<string, SrsCard | null>;
}

/**
 * The compact facts of a recorded answer, kept for a day under its event id
 * and slot, so a redelivered event gets the same feedback without recounting.
 */
export interface AnswerRecord {
  eventId: string;
  ref: QuestionRef;
  input: AnswerInput;
  correct: boolean;
  points: number;
  totalPoints: number;
  streak: { current: number; extendedToday: boolean; freezeEarned: boolean; freezesSpent: number };
  due: string;
}

/** Everything an answer changes, written atomically in one round trip. */
export interface AnswerWrite {
  record: AnswerRecord;
  questionId: string;
  /** Unique per learner and question slot ("session:index"); a slot is answered once. */
  slotId: string;
  /** How long the slot must stay answered; default a day (a challenge: until past its deadline). */
  slotTtlSeconds?: number;
  correct: boolean;
  card: SrsCard;
  streak: StreakState;
  activeDate: LocalDate;
  pointsAwarded: number;
  /** The session after this answer: null closes it, undefined leaves it as it is. */
  session: QuizSession | null | undefined;
  /** The parked session after this answer, the same way (absent: left as it is). */
  parked?: QuizSession | null | undefined;
  workspace: string;
  weekKey: string;
  displayName: string;
  /** The question's lesson (or practice set) id, for the team's weekly figures. */
  setId: string;
  /** For a channel drill or challenge: the learner's entry in its tally ("1|ms|name"). */
  tally?: { sessionId: string; value: string };
}

export interface AnswerDecision {
  replies: Reply[];
  write?: AnswerWrite;
}

export interface AnswerRequest {
  eventId: string;
  /** When the platform names the slot (a button press), the store checks it on load. */
  slotId?: string;
  questionId?: string;
}

export type AnswerOutcome =
  | { status: "recorded"; replies: Reply[] }
  | { status: "rejected"; replies: Reply[] }
  /** This very event was already processed: what was recorded then, and the learner now. */
  | { status: "duplicate"; record: AnswerRecord; snapshot: LearnerSnapshot | null }
  /** Another event already answered this slot: what the first answer recorded. */
  | { status: "already-answered"; record: AnswerRecord; snapshot: LearnerSnapshot | null };

/** A learner's card by question, with when it is due (ms since the epoch). */
export type DueCard = DueEntry;

export interface LeaderboardEntry {
  learnerId: string;
  name: string;
  points: number;
  rank: number;
}

/** A workspace's week: how many learners answered, how much, and how well per lesson. */
export interface TeamWeek {
  learners: number;
  answered: number;
  correct: number;
  bySet: Record<string, { answered: number; correct: number }>;
}

export interface ProgressStore {
  snapshot(learner: LearnerKey): Promise<LearnerSnapshot>;
  /** Every card the learner has, with its due time. */
  cards(learner: LearnerKey): Promise<DueCard[]>;
  /** Open a session (replacing any open one) and return the fresh snapshot (to answer it at once). */
  startSession(learner: LearnerKey, session: QuizSession): Promise<LearnerSnapshot>;
  /** Open a session that will be answered later (a scheduled drill), parking an unfinished quiz or review: no snapshot is read. */
  openSession(learner: LearnerKey, session: QuizSession): Promise<void>;
  /** Decide and record an answer in one atomic round trip, idempotent on the event and the slot. */
  answer(learner: LearnerKey, request: AnswerRequest, decide: (snap: LearnerSnapshot) => AnswerDecision): Promise<AnswerOutcome>;
  setTimezone(learner: LearnerKey, zone: string): Promise<void>;
  markLessonRead(learner: LearnerKey, lessonId: string): Promise<void>;
  lessonsRead(learner: LearnerKey): Promise<string[]>;
  activeDays(learner: LearnerKey, dates: LocalDate[]): Promise<boolean[]>;
  teamWeek(workspace: string, weekKey: string): Promise<TeamWeek>;
  leaderboard(
    workspace: string,
    period: { kind: "week"; weekKey: string } | { kind: "all" },
    limit: number,
    learner: LearnerKey,
  ): Promise<{ top: LeaderboardEntry[]; you: LeaderboardEntry | null }>;
}

import type { ChannelDrill, ChannelRef, Challenge, PersonalDrill, PostedDrill, TallyEntry } from "./schedule/model.js";

/** Where drill subscriptions, posted drills and challenges are kept. */
export interface ScheduleStore {
  savePersonalDrill(sub: PersonalDrill, drillAtMs: number, remindAtMs: number | null): Promise<void>;
  removePersonalDrill(learner: LearnerKey): Promise<boolean>;
  personalDrill(learner: LearnerKey): Promise<PersonalDrill | null>;
  saveChannelDrill(sub: ChannelDrill, nextAtMs: number): Promise<void>;
  removeChannelDrill(channel: ChannelRef): Promise<boolean>;
  channelDrills(platform: ChannelRef["platform"], workspace: string): Promise<ChannelDrill[]>;
  /** A counter per channel, to rotate through the question bank. */
  nextChannelPick(channel: ChannelRef): Promise<number>;
  savePostedDrill(posted: PostedDrill): Promise<void>;
  postedDrill(sessionId: string): Promise<PostedDrill | null>;
  saveChallenge(challenge: Challenge): Promise<void>;
  challenge(id: string): Promise<Challenge | null>;
  tally(sessionId: string): Promise<TallyEntry[]>;
}

/** Plans one-off jobs (closing a drill or a challenge) in the job queue. */
export interface JobPlanner {
  closeDrillAt(sessionId: string, at: Date): Promise<void>;
  closeChallengeAt(challengeId: string, at: Date): Promise<void>;
}

/** Sends replies outside a request: a DM to a learner, or a post in a channel. */
export interface Messenger {
  toLearner(learner: LearnerKey, replies: Reply[], opts: { idempotencyKey: string }): Promise<void>;
  toChannel(channel: ChannelRef, replies: Reply[], opts: { idempotencyKey: string }): Promise<void>;
}
