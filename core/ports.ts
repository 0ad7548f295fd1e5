/**
 * Ports: the only ways the core reaches the outside world. The composition
 * root fills them in (Redis store, system clock); tests pass fixed ones.
 */
import type { ImportedPack } from "./content/import/imported-pack.js";
import type { UploadCheck, UploadInput } from "./content/upload/check-upload.js";
import type { LearnerKey } from "./identity.js";
import type { AnswerInput } from "./grading.js";
import type { QuestionRef, Reply } from "./replies.js";
import type { DueEntry, SrsCard } from "./srs.js";
import type { QuietHours } from "./quiet-hours.js";
import type { StreakState } from "./streak.js";
import type { LocalDate } from "./time.js";
import type { Catalog } from "./content/catalog.js";

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

/** FSRS parameters fitted on a workspace's review log (bots/fsrs), and how they did. */
export interface FittedParameters {
  weights: number[];
  fittedAt: string;
  /** Reviews and cards (learner x question histories) the fit used. */
  reviews: number;
  cards: number;
  /** Log loss and RMSE (bins) on the held-out reviews, of the defaults and of the fitted weights. */
  heldOut?: { reviews: number; defaults: { logLoss: number; rmse: number }; fitted: { logLoss: number; rmse: number } };
}

/** A workspace's settings (admins). `version` moves on every change, so answers decided on older settings are retried. */
export interface WorkspaceSettings {
  version: number;
  /** Desired retention for the workspace's learners who set none (null: 0.9). */
  retention: number | null;
  fsrs: FittedParameters | null;
  quiet: QuietHours | null;
}

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = { version: 0, retention: null, fsrs: null, quiet: null };

/** A learner's own settings. */
export interface LearnerSettings {
  /** Shown as "anonymous" in exports, team charts and leaderboards. */
  private: boolean;
  /** Desired retention (0.85-0.97), or null for the workspace's. */
  retention: number | null;
}

/** What the core needs to decide an answer, read in one round trip. */
export interface LearnerSnapshot {
  version: number;
  timezone: string | null;
  displayName: string | null;
  settings: LearnerSettings;
  /** The settings of the learner's workspace (its FSRS weights and retention schedule the learner's cards). */
  workspace: WorkspaceSettings;
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
  /** The name others see on boards and in tallies ("anonymous" for a private learner). */
  boardName: string;
  /** The question's lesson (or practice set) id, for the team's weekly figures. */
  setId: string;
  /** For a channel drill or challenge: the learner's entry in its tally ("1|ms|name"). */
  tally?: { sessionId: string; value: string };
  /** The question's concepts, for the team's all-time figures per concept. */
  conceptIds: string[];
  /** The workspace settings version the answer was decided on (a change since makes the write stale). */
  workspaceVersion: number;
  /** The review appended to the workspace's review log: FSRS rating (1 Again, 3 Good) at `now`. */
  review: { rating: 1 | 3; atMs: number };
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

/** One member of a workspace as a team lead sees them (anyone who has answered there). */
export interface TeamMember {
  learnerId: string;
  /** Display name, or "anonymous" when the learner chose privacy. */
  name: string;
  private: boolean;
  /** The learner's own zone, where streak days are counted (null: not set). */
  timezone?: string | null;
  answered: number;
  correct: number;
  streak: StreakState;
  /** Every card, by question id. */
  cards: Record<string, SrsCard>;
}

/** A workspace's all-time answers per lesson (or practice set) and per concept. */
export interface TeamTotals {
  bySet: Record<string, { answered: number; correct: number }>;
  byConcept: Record<string, { answered: number; correct: number }>;
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
  /** Several weeks at once (one round trip), keyed by week. */
  teamWeeks(workspace: string, weekKeys: string[]): Promise<Record<string, TeamWeek>>;
  /** Answers per local day ("YYYY-MM-DD" in the learner's zone at the time). */
  answersByDay(learner: LearnerKey): Promise<Record<LocalDate, number>>;
  /** Every card of the learner, with its whole FSRS state. */
  cardStates(learner: LearnerKey): Promise<Record<string, SrsCard>>;
  /** Everyone who has answered in the workspace, with their cards (for team mastery and exports). */
  teamMembers(workspace: string): Promise<TeamMember[]>;
  teamTotals(workspace: string): Promise<TeamTotals>;
  /** Changes the learner's own settings (privacy also renames them on the workspace's boards at once). */
  saveLearnerSettings(learner: LearnerKey, patch: Partial<LearnerSettings>): Promise<void>;
  /** Writes the streak (a break starting or ending) if the learner is still at `expectedVersion`; false when they changed meanwhile. */
  saveStreak(learner: LearnerKey, expectedVersion: number, streak: StreakState): Promise<boolean>;
  workspaceSettings(workspace: string): Promise<WorkspaceSettings>;
  saveWorkspaceSettings(workspace: string, patch: Partial<Omit<WorkspaceSettings, "version">>): Promise<WorkspaceSettings>;
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

/** A workspace's own content pack as stored: its current version and the versions kept for rollback. */
export interface WorkspacePackInfo {
  packId: string;
  title: string;
  /** The version in use (1, 2, ... : each upload of the same pack id adds one). */
  version: number;
  /** Older versions still kept, newest first (a rollback goes to the first). */
  previous: number[];
  lessons: number;
  questions: number;
  /** The uploaded file's name and kind, who uploaded it and when (ISO). */
  fileName: string;
  format: string;
  uploadedBy: string;
  uploadedAt: string;
}

/**
 * A workspace's content: its own packs (each stored as JSON,
 * core/content/upload/stored-pack.ts), versioned, and which packs (its own or
 * built-in) it has switched off. Every change bumps the workspace's content
 * version, which catalogs are cached by.
 */
export interface WorkspacePackStore {
  /** The workspace's packs (current versions), by pack id. */
  packs(workspace: string): Promise<WorkspacePackInfo[]>;
  /** Each pack's current version as stored (core/content/upload/stored-pack.ts), for building the workspace's catalog. */
  currentTexts(workspace: string): Promise<{ info: WorkspacePackInfo; text: string }[]>;
  /** One pack's current version as stored (export), or null when the workspace has no such pack. */
  text(workspace: string, packId: string): Promise<string | null>;
  /** Stores a new version of a pack (a new pack, or a replacement of the same id); `text` is storedPackText of the pack. */
  save(workspace: string, info: Omit<WorkspacePackInfo, "version" | "previous">, text: string): Promise<WorkspacePackInfo>;
  /** Goes back to the pack's previous version; null when it has none (or no such pack). */
  rollback(workspace: string, packId: string): Promise<WorkspacePackInfo | null>;
  /** Removes one of the workspace's packs with every version (and its switch); the removed pack's info, or null when there is no such pack. */
  remove(workspace: string, packId: string): Promise<WorkspacePackInfo | null>;
  /** Pack ids (built-in or the workspace's) switched off in this workspace. */
  disabled(workspace: string): Promise<string[]>;
  setEnabled(workspace: string, packId: string, on: boolean): Promise<void>;
  /** Changes with every save, rollback and switch; 0 for a workspace that never changed its content. */
  contentVersion(workspace: string): Promise<number>;
}

/** The catalog a workspace sees: the built-in packs it has not switched off, and its own packs. */
export interface CatalogSource {
  forWorkspace(workspace: string): Promise<Catalog>;
  /** Forget what is cached for the workspace (its content just changed in this process). */
  invalidate(workspace: string): void;
}

/**
 * The heavy, pure content work of /content: checking an upload (up to about
 * a second for 2,000 questions) and writing a pack as YAML (half a second).
 * The composition root runs it off the main thread, so an upload never holds
 * up other people's answers; without one it runs in place.
 */
export interface PackWork {
  check(input: UploadInput): Promise<UploadCheck>;
  toYaml(pack: ImportedPack, comment?: string): Promise<string>;
}
