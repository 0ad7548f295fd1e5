/**
 * Plausible chart specs from a seeded generator: a year of study days, cards
 * reviewed through the real FSRS scheduler, a team's weeks. For benchmarks,
 * rendering tests and README pictures; the same seed gives the same charts.
 */
import { heatmapChart, masteryChart, teamWeeksChart, type ChartSpec } from "../../core/charts/chart-spec.js";
import { heatmapData } from "../../core/charts/heatmap-data.js";
import { learnerMastery, masteryByLesson, type LessonQuestions } from "../../core/charts/mastery-data.js";
import { lastIsoWeeks, teamWeeksData, type WeekFigures } from "../../core/charts/team-weeks-data.js";
import { seededRandom } from "../../core/seeded-random.js";
import { review, type SrsCard } from "../../core/srs.js";
import { addDays, localDate } from "../../core/time.js";

export interface SampleCharts {
  heatmap: ChartSpec;
  mastery: ChartSpec;
  teamWeeks: ChartSpec;
  teamMastery: ChartSpec;
}

export interface SampleOptions {
  now: Date;
  zone: string;
  lessons: readonly LessonQuestions[];
  /** Team size for the team charts (default 12). */
  teamSize?: number;
  seed?: number;
}

const DAY = 86_400_000;

/** A learner who has worked through the first `reach` share of the course, reviewing each card a few times. */
function learnerCards(lessons: readonly LessonQuestions[], now: Date, reach: number, rnd: () => number): Record<string, SrsCard> {
  const cards: Record<string, SrsCard> = {};
  const upTo = Math.ceil(lessons.length * reach);
  lessons.slice(0, upTo).forEach((lesson) => {
    for (const q of lesson.questionIds) {
      if (rnd() < 0.2) continue;
      let t = now.getTime() - (3 + rnd() * 60) * DAY;
      let card = review(null, new Date(t), rnd() < 0.7);
      const reviews = Math.floor(rnd() * 4);
      for (let i = 0; i < reviews; i++) {
        t = Math.max(t + DAY, Date.parse(card.due) + rnd() * 5 * DAY);
        if (t >= now.getTime()) break;
        card = review(card, new Date(t), rnd() < 0.8);
      }
      cards[q] = card;
    }
  });
  return cards;
}

export function sampleCharts(options: SampleOptions): SampleCharts {
  const rnd = seededRandom(options.seed ?? 42);
  const { now, zone, lessons } = options;

  const answersByDate: Record<string, number> = {};
  const today = localDate(now, zone);
  for (let i = 0; i < 366; i++) {
    const streaky = Math.sin(i / 9) > -0.3;
    if (rnd() < (streaky ? 0.75 : 0.15)) answersByDate[addDays(today, -i)] = 1 + Math.floor(rnd() * rnd() * 40);
  }

  const teamSize = options.teamSize ?? 12;
  const team = Array.from({ length: teamSize }, (_, i) => learnerCards(lessons, now, 0.15 + (0.85 * i) / Math.max(1, teamSize - 1), rnd));

  const figures: Record<string, WeekFigures> = {};
  for (const { week } of lastIsoWeeks(now, zone, 8)) {
    const learners = Math.round(teamSize * (0.3 + rnd() * 0.7));
    const answered = learners * Math.round(10 + rnd() * 60);
    figures[week] = { learners, answered, correct: Math.round(answered * (0.55 + rnd() * 0.35)) };
  }

  return {
    heatmap: heatmapChart(heatmapData({ answersByDate, now, zone })),
    mastery: masteryChart(learnerMastery(lessons, team[Math.floor(teamSize / 2)] ?? {}, now), "learner"),
    teamWeeks: teamWeeksChart(teamWeeksData({ figures, now, zone })),
    teamMastery: masteryChart(masteryByLesson(lessons, team, now), "team"),
  };
}
