/** Points for a graded answer: by difficulty, plus a small streak bonus. */
import type { Difficulty } from "./content/schema.js";

export const BASE_POINTS: Record<Difficulty, number> = { intro: 10, intermediate: 15, advanced: 20, mastery: 30 };
/** One extra point per streak day, capped: a bonus, never the main source of points. */
export const MAX_STREAK_BONUS = 5;

export function pointsFor(correct: boolean, difficulty: Difficulty, streakDays: number): number {
  if (!correct) return 0;
  return BASE_POINTS[difficulty] + Math.min(Math.max(streakDays, 0), MAX_STREAK_BONUS);
}
