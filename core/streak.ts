/**
 * Daily streaks, counted by calendar day in the learner's own zone.
 * - Studying on the day after the last active day extends the streak.
 * - Every 7th consecutive day earns a freeze; at most MAX_FREEZES are banked.
 * - Missed days are covered by banked freezes, one per missed day, spent
 *   automatically when the learner comes back. If the bank cannot cover every
 *   missed day the streak restarts at 1 and the freezes stay banked (spending
 *   them would save nothing).
 * - A break (/break) pauses the streak: its days are neither missed nor
 *   counted, so they spend no freezes and add nothing to `current`. Studying
 *   on a new day during a break ends it early; that day counts as usual.
 */
import { addDays, daysBetween, type LocalDate } from "./time.js";

export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;

/** Local dates, inclusive. */
export interface Pause {
  from: LocalDate;
  until: LocalDate;
}

export interface StreakState {
  current: number;
  longest: number;
  lastActive: LocalDate | null;
  freezes: number;
  /**
   * A break (/break): its days, inclusive, neither count nor break the streak,
   * and spend no freezes. A pause wholly in the past keeps covering its days
   * until the next study day, which drops it.
   */
  pause?: Pause | null;
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

const later = (a: LocalDate, b: LocalDate) => (a > b ? a : b);
const earlier = (a: LocalDate, b: LocalDate) => (a < b ? a : b);

/** The state with `pause` set, or without the field when there is none. */
function withPause(s: StreakState, pause: Pause | null): StreakState {
  const { pause: _old, ...rest } = s;
  return pause ? { ...rest, pause } : rest;
}

/** Days strictly between `after` and `before` that the pause covers. */
function pausedBetween(pause: Pause | null | undefined, after: LocalDate, before: LocalDate): number {
  if (!pause) return 0;
  const lo = later(pause.from, addDays(after, 1));
  const hi = earlier(pause.until, addDays(before, -1));
  return lo <= hi ? daysBetween(lo, hi) + 1 : 0;
}

/** Days since the last study day, before `today`, that neither were studied nor fall in the pause. */
function missedDays(s: StreakState, today: LocalDate): number {
  if (s.lastActive === null) return 0;
  const gap = daysBetween(s.lastActive, today);
  return gap <= 1 ? 0 : gap - 1 - pausedBetween(s.pause, s.lastActive, today);
}

/** True when `today` is one of the break's days. */
export function onBreak(s: StreakState, today: LocalDate): boolean {
  return !!s.pause && s.pause.from <= today && today <= s.pause.until;
}

/**
 * A break of `days` days from `today` (inclusive). Starting one while on a
 * break replaces its end. Days already missed since the last study day are
 * settled first, as studying would settle them: covered by the pause being
 * replaced or by banked freezes (spent now), the new pause reaches back to
 * the day after the last study day so nothing earned is lost; if the freezes
 * cannot cover them the streak is already lost and the pause starts today.
 */
export function startBreak(s: StreakState, today: LocalDate, days: number): StreakState {
  const until = addDays(today, Math.max(1, Math.floor(days)) - 1);
  if (s.lastActive === null || daysBetween(s.lastActive, today) <= 1) return withPause(s, { from: today, until });
  const missed = missedDays(s, today);
  if (missed > s.freezes) return withPause(s, { from: today, until });
  return withPause({ ...s, freezes: s.freezes - missed }, { from: addDays(s.lastActive, 1), until });
}

/** Ends the break on `today`: its past days stay covered; a break that began today (or later) is dropped. */
export function endBreak(s: StreakState, today: LocalDate): StreakState {
  const p = s.pause;
  if (!p) return s;
  if (p.from >= today) return withPause(s, null);
  if (p.until < today) return s;
  return withPause(s, { from: p.from, until: addDays(today, -1) });
}

/**
 * Record study on local date `today`. Activity dated before `lastActive`
 * changes nothing. A new study day during a break ends the break (its earlier
 * days stay covered, which no longer matters once the day is counted); more
 * activity on a day already counted leaves a break started after it alone,
 * so finishing a quiz after /break does not cancel the break.
 */
export function recordActivity(prev: StreakState, today: LocalDate): StreakChange {
  const unchanged = { state: prev, newDay: false, freezesSpent: 0, freezeEarned: false, broke: false };
  // Once `today` is counted, only a pause still ahead of it matters.
  const ahead = prev.pause && prev.pause.from > today ? prev.pause : null;
  if (prev.lastActive === null) return grow({ ...prev, current: 0 }, today, 0, false, ahead);
  const gap = daysBetween(prev.lastActive, today);
  if (gap <= 0) return unchanged;
  const missed = missedDays(prev, today);
  if (missed === 0) return grow(prev, today, 0, false, ahead);
  if (missed <= prev.freezes) return grow({ ...prev, freezes: prev.freezes - missed }, today, missed, false, ahead);
  return grow({ ...prev, current: 0 }, today, 0, prev.current > 0, ahead);
}

function grow(base: StreakState, today: LocalDate, spent: number, broke: boolean, pause: Pause | null): StreakChange {
  const current = base.current + 1;
  const earn = current % FREEZE_EVERY_DAYS === 0 && base.freezes < MAX_FREEZES;
  const state = withPause(
    {
      current,
      longest: Math.max(base.longest, current),
      lastActive: today,
      freezes: earn ? base.freezes + 1 : base.freezes,
    },
    pause,
  );
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
  /** Present while today is a break day: the break's last day. */
  breakUntil?: LocalDate;
}

/** How the streak looks on `today` without recording anything. */
export function viewStreak(s: StreakState, today: LocalDate): StreakView {
  const view = (current: number, studiedToday: boolean, freezesAtRisk: number): StreakView => {
    const v: StreakView = { current, longest: s.longest, freezes: s.freezes, studiedToday, freezesAtRisk };
    if (onBreak(s, today)) v.breakUntil = s.pause!.until;
    return v;
  };
  if (s.lastActive === null) return view(0, false, 0);
  if (daysBetween(s.lastActive, today) <= 0) return view(s.current, true, 0);
  const missed = missedDays(s, today);
  if (missed <= s.freezes) return view(s.current, false, missed);
  return view(0, false, 0);
}
