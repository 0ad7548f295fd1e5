/** Subscriptions, channel drills and challenges: the data the scheduler keeps. */
import type { Question } from "../content/schema.js";
import type { LearnerKey, Platform } from "../identity.js";
import type { Recurrence } from "./recurrence.js";

/** A place to post: a Discord channel, a Slack channel, or the local shell. */
export interface ChannelRef {
  platform: Platform;
  workspace: string;
  channel: string;
}

export function channelKey(c: ChannelRef): string {
  return `${c.platform}:${encodeURIComponent(c.workspace)}:${encodeURIComponent(c.channel)}`;
}

export const DEFAULT_DRILL_COUNT = 5;
/** Local time of the streak reminder: a few hours before the learner's midnight. */
export const REMINDER_TIME = "20:00";

export interface PersonalDrill {
  learner: LearnerKey;
  displayName: string;
  recurrence: Recurrence;
  count: number;
  remind: boolean;
}

export interface ChannelDrill {
  channel: ChannelRef;
  recurrence: Recurrence;
  /** Minutes after posting when results are posted; null = at the next drill. */
  windowMinutes: number | null;
  createdBy: string;
  /** A pack id, lesson or topic word the questions come from; the whole course when absent (or when it no longer matches anything, e.g. its pack was switched off). */
  topic?: string;
}

/** One posted channel drill question: answers are tallied under its session id. */
export interface PostedDrill {
  sessionId: string;
  channel: ChannelRef;
  questionId: string;
  localDate: string;
  postedAt: string;
}

export interface Challenge {
  id: string;
  channel: ChannelRef;
  /** A question from the bank, or one an admin wrote (stored with the challenge). */
  question: Question;
  fromBank: boolean;
  postedAt: string;
  deadline: string;
  createdBy: string;
}

/** One learner's answer to a channel drill or challenge, as tallied. */
export interface TallyEntry {
  learnerId: string;
  name: string;
  correct: boolean;
  answeredAtMs: number;
}

export interface Results {
  answered: number;
  correct: number;
  /** Correct answers in the order they came, earliest first. */
  firstCorrect: TallyEntry[];
}

export function summarize(entries: TallyEntry[], take = 3): Results {
  const correct = entries.filter((e) => e.correct).sort((a, b) => a.answeredAtMs - b.answeredAtMs || a.name.localeCompare(b.name));
  return { answered: entries.length, correct: correct.length, firstCorrect: correct.slice(0, take) };
}

/** Session ids that name a shared question (channel drill or challenge) rather than a learner's quiz. */
export const DRILL_SESSION_PREFIX = "d-";
export const CHALLENGE_SESSION_PREFIX = "c-";

export function challengeSessionId(challengeId: string): string {
  return `${CHALLENGE_SESSION_PREFIX}${challengeId}`;
}

export function challengeIdOf(sessionId: string): string | null {
  return sessionId.startsWith(CHALLENGE_SESSION_PREFIX) ? sessionId.slice(CHALLENGE_SESSION_PREFIX.length) : null;
}

/** Challenge points: the question's base, plus up to the same again for answering early. */
export function challengePoints(base: number, postedAtMs: number, deadlineMs: number, answeredAtMs: number): number {
  const span = Math.max(1, deadlineMs - postedAtMs);
  const remaining = Math.min(1, Math.max(0, (deadlineMs - answeredAtMs) / span));
  return base + Math.round(base * remaining);
}

/** Parses "30m", "2h", "1d", "90" (minutes) into minutes; 5 minutes to 14 days. */
export function parseDuration(text: string): { ok: true; minutes: number } | { ok: false; reason: string } {
  const m = /^(\d+)\s*(m|min|mins|minutes?|h|hr|hours?|d|days?)?$/i.exec(text.trim());
  if (!m) return { ok: false, reason: `"${text}" is not a duration: use minutes, hours or days, e.g. 30m, 2h or 1d.` };
  const n = Number(m[1]);
  const unit = (m[2] ?? "m").toLowerCase()[0];
  const minutes = unit === "d" ? n * 1440 : unit === "h" ? n * 60 : n;
  if (minutes < 5 || minutes > 14 * 1440) return { ok: false, reason: `A duration must be between 5 minutes and 14 days (you gave ${text}).` };
  return { ok: true, minutes };
}
