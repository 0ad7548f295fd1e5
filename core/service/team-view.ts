/**
 * The team view: what a workspace studied this week, and where it struggles.
 * Lessons need a few answers before they count, so one unlucky answer does not
 * brand a lesson as weak.
 */
import type { Catalog } from "../content/catalog.js";
import type { TeamWeek } from "../ports.js";
import type { LessonFigure, Reply } from "../replies.js";

export const MIN_ANSWERS_FOR_A_VERDICT = 3;
const SHOWN = 3;

function titleOf(catalog: Catalog, setId: string): string {
  if (setId === "challenge") return "Challenges";
  const lesson = catalog.lesson(setId);
  if (lesson) return lesson.title;
  return catalog.packs.flatMap((p) => p.manifest.practice).find((s) => s.id === setId)?.title ?? setId;
}

export function teamReply(catalog: Catalog, label: string, week: TeamWeek): Reply {
  const figures: LessonFigure[] = Object.entries(week.bySet)
    .filter(([, f]) => f.answered >= MIN_ANSWERS_FOR_A_VERDICT)
    .map(([lessonId, f]) => ({ lessonId, title: titleOf(catalog, lessonId), answered: f.answered, correct: f.correct }));
  const share = (f: LessonFigure) => f.correct / f.answered;
  const ascending = [...figures].sort((a, b) => share(a) - share(b) || b.answered - a.answered || a.title.localeCompare(b.title));
  const weakest = ascending.slice(0, SHOWN);
  const strongest = ascending
    .slice(SHOWN)
    .reverse()
    .slice(0, SHOWN);
  return { type: "team", label, learners: week.learners, answered: week.answered, correct: week.correct, weakest, strongest };
}
