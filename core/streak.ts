/**
 * Daily streaks, counted by calendar day in the learner's own zone.
 * - Studying on the day after the last active day extends the streak.
 * - Every 7th consecutive day earns a freeze; at most MAX_FREEZES are banked.
 * - Missed days are covered by banked freezes, one per missed day, spent
 *   automatically when the learner comes back. If the bank cannot cover every
 *   missed day the streak restarts at 1 and the freezes stay banked (spending
 *   them would save nothing).
 */
import { daysBetween, type LocalDate } from "./time.js";

export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;

export interface StreakState {
  current: number;
  longest: number;
  lastActive: LocalDate | null;
  freezes: number;
}

export const EMPTY_STREAK: StreakState = { current: 0, longest: 0, lastActive: null, freezes: 0 };

export interface StreakChange {
  state: StreakState;
  /** True when this activity was the first of its day (the streak moved). */
  newDay: boolean;
  freezesSpent: number;
  freezeEarned: boolean;
  /** True when missed days broke the previous streak. */
  broke: boolean;
}

/** Record study on local date `today`. Activity dated before `lastActive` changes nothing. */
export function recordActivity(prev: StreakState, today: LocalDate): StreakChange {
  const unchanged = { state: prev, newDay: false, freezesSpent: 0, freezeEarned: false, broke: false };
  if (prev.lastActive === null) return grow({ ...prev, current: 0 }, today, 0, false);
  const gap = daysBetween(prev.lastActive, today);
  if (gap <= 0) return unchanged;
  const missed = gap - 1;
  if (missed === 0) return grow(prev, today, 0, false);
  if (missed <= prev.freezes) return grow({ ...prev, freezes: prev.freezes - missed }, today, missed, false);
  return grow({ ...prev, current: 0 }, today, 0, prev.current > 0);
}

function grow(base: StreakState, today: LocalDate, spent: number, broke: boolean): StreakChange {
  const current = base.current + 1;
  const earn = current % FREEZE_EVERY_DAYS === 0 && base.freezes < MAX_FREEZES;
  const state: StreakState = {
    current,
    longest: Math.max(base.longest, current),
    lastActive: today,
    freezes: earn ? base.freezes + 1 : base.freezes,
  };
  return { state, newDay: true, freezesSpent: spent, freezeEarned: earn, broke };
}

export interface StreakView {
  /** The streak as it stands today: 0 when missed days can no longer be covered. */
  current: number;
  longest: number;
  freezes: number;
  studiedToday: boolean;
  /** Freezes that will be spent when the learner next studies (already-missed days). */
  freezesAtRisk: number;
}

/** How the streak looks on `today` without recording anything. */
export function viewStreak(s: StreakState, today: LocalDate): StreakView {
  if (s.lastActive === null) return { current: 0, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: 0 };
  const gap = daysBetween(s.lastActive, today);
  if (gap <= 0) return { current: s.current, longest: s.longest, freezes: s.freezes, studiedToday: true, freezesAtRisk: 0 };
  const missed = gap - 1;
  if (missed <= s.freezes) return { current: s.current, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: missed };
  return { current: 0, longest: s.longest, freezes: s.freezes, studiedToday: false, freezesAtRisk: 0 };
}
