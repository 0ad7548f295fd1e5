/**
 * Platform-neutral replies: what the core says, never how a platform shows it.
 * Adapters render these as Discord embeds/buttons, Slack Block Kit or terminal text.
 */
import type { Difficulty, LessonCard, QuestionType, SourceRef } from "./content/schema.js";
import type { ChartSpec } from "./charts/chart-spec.js";
import type { ExplainedPart } from "./grading.js";
import type { StreakView } from "./streak.js";

/** Identifies one question slot: a session (quiz, review, drill, challenge) and a position in it. */
export interface QuestionRef {
  sessionId: string;
  index: number;
  questionId: string;
}

export interface Choice {
  /** Option id ("a"...), or "true"/"false". */
  id: string;
  label: string;
}

export interface HelpEntry {
  command: string;
  usage: string;
  description: string;
}

export interface LeaderboardRow {
  rank: number;
  name: string;
  points: number;
  isYou: boolean;
}

/** How a lesson went for the team this week. */
export interface LessonFigure {
  lessonId: string;
  title: string;
  answered: number;
  correct: number;
}

export type NoticeCode =
  | "unknown-command"
  | "unknown-topic"
  | "bad-option"
  | "bad-answer"
  | "no-open-question"
  | "stale-question"
  | "already-answered"
  | "bad-timezone"
  | "nothing-due"
  | "unavailable"
  | "not-admin"
  | "closed"
  | "info";

export type Reply =
  | { type: "text"; text: string }
  | { type: "notice"; level: "info" | "warning" | "error"; code: NoticeCode; text: string }
  | { type: "help"; intro: string; commands: HelpEntry[]; topics: string[] }
  | {
      type: "lesson";
      lessonId: string;
      title: string;
      cards: LessonCard[];
      takeaways: string[];
      sources: SourceRef[];
      position: { index: number; total: number };
      next: string | null;
    }
  | {
      type: "question";
      ref: QuestionRef;
      questionType: QuestionType;
      stem: string;
      choices: Choice[];
      hint: string;
      difficulty: Difficulty;
      /** Position in its session, e.g. question 2 of 5. */
      position: { index: number; total: number };
      title: string;
    }
  | {
      type: "feedback";
      ref: QuestionRef;
      correct: boolean;
      chosen: ExplainedPart[];
      /** Right options left out of a multiple-select answer. */
      missed: ExplainedPart[];
      correctAnswer: ExplainedPart;
      pointsAwarded: number;
      totalPoints: number;
      streak: { current: number; extendedToday: boolean; freezeEarned: boolean; freezesSpent: number };
      nextReview: string;
    }
  | { type: "summary"; title: string; correct: number; total: number; points: number }
  | {
      /** Results of a channel drill or a challenge, posted when it closes. */
      type: "results";
      kind: "drill" | "challenge";
      title: string;
      stem: string;
      correctAnswer: ExplainedPart;
      answered: number;
      correct: number;
      /** Names of the first correct answers, earliest first. */
      firstCorrect: string[];
    }
  | { type: "streak"; view: StreakView; zone: string; lastDays: { date: string; active: boolean }[] }
  | { type: "leaderboard"; period: "week" | "all"; label: string; rows: LeaderboardRow[]; you: LeaderboardRow | null }
  | {
      /** The workspace's week: who studied, how much, and which lessons are weakest and strongest. */
      type: "team";
      label: string;
      learners: number;
      answered: number;
      correct: number;
      weakest: LessonFigure[];
      strongest: LessonFigure[];
    }
  | {
      /**
       * A picture of progress beside a stats or team reply (whose words carry the
       * same figures, for screen readers). Adapters render `spec` to a PNG
       * (bots/charts) and attach or upload it as `fileName` with `alt` as its
       * alt text; a terminal prints `text`, a block-character version.
       */
      type: "chart";
      spec: ChartSpec;
      fileName: string;
      alt: string;
      text: string;
    }
  | {
      /** A file for the person who asked (a CSV export): attached on Discord, uploaded to the DM on Slack, written under the data folder by the shell. */
      type: "file";
      fileName: string;
      contentType: string;
      content: string;
      /** One line saying what the file is, e.g. "Team export: 12 learners, 29 lessons, 87 concepts". */
      description: string;
    }
  | {
      type: "stats";
      points: number;
      answered: number;
      correct: number;
      streak: StreakView;
      cardsKnown: number;
      dueNow: number;
      mastered: number;
      lessonsRead: number;
      lessonsTotal: number;
      zone: string;
    };
