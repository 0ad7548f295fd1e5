/**
 * The charts beside /stats and /team: a learner's year of study days and
 * mastery by lesson; a team's last 8 weeks and mastery across its members.
 * Each chart reply carries its spec (for an adapter to draw), its alt text and
 * a block-character version; the words of the stats or team reply beside it
 * carry the same figures.
 */
import { chartAlt } from "../charts/chart-alt.js";
import { heatmapChart, masteryChart, teamWeeksChart, type ChartSpec } from "../charts/chart-spec.js";
import { chartText } from "../charts/chart-text.js";
import { heatmapData } from "../charts/heatmap-data.js";
import { learnerMastery, masteryByLesson, type CardsByQuestion, type LessonQuestions } from "../charts/mastery-data.js";
import { lastIsoWeeks, teamWeeksData, type WeekFigures } from "../charts/team-weeks-data.js";
import type { Catalog } from "../content/catalog.js";
import { courseSets } from "../team-export.js";
import type { Reply } from "../replies.js";
import type { LocalDate } from "../time.js";

export const TEAM_WEEKS = 8;

/** The course's lessons, in order, with the questions whose cards count for each (practice sets left out). */
export function lessonQuestions(catalog: Catalog): LessonQuestions[] {
  const lessons = new Set(catalog.lessons.map((l) => l.id));
  return courseSets(catalog).filter((s) => lessons.has(s.id));
}

export function chartReply(spec: ChartSpec, fileName: string): Extract<Reply, { type: "chart" }> {
  return { type: "chart", spec, fileName, alt: chartAlt(spec), text: chartText(spec) };
}

export interface LearnerChartInput {
  answersByDay: Readonly<Record<LocalDate, number>>;
  cards: CardsByQuestion;
  now: Date;
  zone: string;
}

export function learnerCharts(catalog: Catalog, input: LearnerChartInput): Reply[] {
  return [
    chartReply(heatmapChart(heatmapData({ answersByDate: input.answersByDay, now: input.now, zone: input.zone })), "drillbot-activity.png"),
    chartReply(masteryChart(learnerMastery(lessonQuestions(catalog), input.cards, input.now), "learner"), "drillbot-mastery.png"),
  ];
}

export interface TeamChartInput {
  weeks: Readonly<Record<string, WeekFigures>>;
  /** Every member's cards (private members included: the chart shows no one by name). */
  members: readonly CardsByQuestion[];
  now: Date;
  zone: string;
}

/** The ISO weeks the team chart covers, oldest first. */
export function teamChartWeeks(now: Date, zone: string): string[] {
  return lastIsoWeeks(now, zone, TEAM_WEEKS).map((w) => w.week);
}

export function teamCharts(catalog: Catalog, input: TeamChartInput): Reply[] {
  return [
    chartReply(teamWeeksChart(teamWeeksData({ figures: input.weeks, now: input.now, zone: input.zone, count: TEAM_WEEKS })), "drillbot-team-weeks.png"),
    chartReply(masteryChart(masteryByLesson(lessonQuestions(catalog), input.members, input.now), "team"), "drillbot-team-mastery.png"),
  ];
}
