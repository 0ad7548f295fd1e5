/** Renders neutral replies as plain terminal text. */
import type { Reply } from "../../core/replies.js";
import { plural } from "../../core/input-limits.js";
import { fromNow } from "../../core/time.js";
import { markdownForTerminal } from "./terminal-markdown.js";

type LessonReply = Extract<Reply, { type: "lesson" }>;
const md = (text: string) => markdownForTerminal(text.trim());
/** Indents every line of a (possibly multi-line) text. */
const indent = (text: string, by: string) => text.split("\n").map((l) => (l ? by + l : l)).join("\n");

/** Commands only the terminal has, listed after the shared ones in /help. */
const SHELL_COMMANDS = [
  { usage: "/next (or Enter)", description: "Show the next card of the lesson you are reading." },
  { usage: "/quit", description: "Leave (also Ctrl-D). Your progress is saved." },
];

export function lessonHead(reply: LessonReply): string {
  return `== Lesson ${reply.position.index + 1}/${reply.position.total}: ${reply.title} ==`;
}

/** One card of a lesson, and how to get to the next one. */
export function lessonCard(reply: LessonReply, i: number): string {
  const c = reply.cards[i]!;
  const title = c.title ? `${c.title}\n${"-".repeat(Math.min(c.title.length, 60))}\n` : "";
  const more = i + 1 < reply.cards.length ? `\n(card ${i + 1} of ${reply.cards.length}: press Enter or type /next for the next)` : "";
  return `${title}${md(c.body)}${more}`;
}

/** What follows the last card: takeaways, sources, the next lesson. */
export function lessonEnd(reply: LessonReply): string {
  return [
    "Key takeaways:",
    ...reply.takeaways.map((t) => `  - ${md(t)}`),
    `Sources: ${reply.sources.map((s) => `${s.file}: ${s.section}`).join("; ")}`,
    reply.next ? `Next lesson: /learn ${reply.next}` : "That was the last lesson.",
  ].join("\n");
}

/** The terminal renders for a person looking at it now (adapters may read the clock; the core may not). */
const now = () => Date.now();

/** One command of /help: usage and description side by side when they fit 80 columns, else the description indented below. */
function helpLine(c: { usage: string; description: string }): string {
  const oneLine = `  ${c.usage.padEnd(34)} ${c.description}`;
  return oneLine.length <= 80 ? oneLine : `  ${c.usage}\n      ${c.description}`;
}

export function renderText(reply: Reply): string {
  switch (reply.type) {
    case "chart":
      return `${reply.spec.title}\n${reply.text}`;
    case "file":
      return reply.description;
    case "text":
      return reply.text;
    case "notice":
      return `${reply.level === "error" ? "!" : reply.level === "warning" ? "?" : "i"} ${reply.text}`;
    case "help":
      return [
        reply.intro,
        "",
        ...[...reply.commands, ...SHELL_COMMANDS].map(helpLine),
        "",
        `Topics: ${reply.topics.join(", ")}`,
        "Answer the question on screen by typing the number of your choice.",
      ].join("\n");
    case "lesson":
      return [lessonHead(reply), ...reply.cards.map((_, i) => lessonCard(reply, i).replace(/\n\(card \d+ of \d+: .*\)$/, "")), lessonEnd(reply)].join("\n\n");
    case "question":
      return [
        `-- ${reply.title}: question ${reply.position.index + 1} of ${reply.position.total} (${reply.difficulty}) --`,
        md(reply.stem),
        ...reply.choices.map((c, i) => `  ${i + 1}) ${md(c.label)}`),
        reply.hint,
      ].join("\n");
    case "feedback": {
      const lines = [reply.correct ? "Correct!" : "Not quite."];
      const shown = new Set<string>();
      const part = (label: string, c: { text: string; explanation: string }) => {
        shown.add(c.explanation.trim());
        lines.push(`  ${label}: ${md(c.text)}\n${indent(md(c.explanation), "    ")}`);
      };
      for (const c of reply.chosen) part("You answered", c);
      for (const c of reply.missed) part("You left out", c);
      if (!reply.correct || reply.chosen.length !== 1) lines.push(`  Right answer: ${md(reply.correctAnswer.text)}`);
      // Each explanation once: "Why" only when it says something the lines above did not.
      if (!shown.has(reply.correctAnswer.explanation.trim())) lines.push(`  Why: ${md(reply.correctAnswer.explanation)}`);
      const streak = `streak: ${plural(reply.streak.current, "day")}`;
      const extras = [
        reply.streak.freezeEarned ? "you earned a streak freeze" : "",
        reply.streak.freezesSpent ? `${plural(reply.streak.freezesSpent, "freeze")} used to cover missed days` : "",
      ].filter(Boolean);
      lines.push(`  +${plural(reply.pointsAwarded, "point")} (total ${reply.totalPoints}) | ${streak}${extras.length ? ` | ${extras.join(", ")}` : ""}`);
      lines.push(`  This question comes back ${fromNow(reply.nextReview, now())} (spaced repetition).`);
      return lines.join("\n");
    }
    case "results": {
      const share = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
      return [
        `== ${reply.title}: results ==`,
        md(reply.stem),
        `Answer: ${md(reply.correctAnswer.text)}`,
        `Why: ${md(reply.correctAnswer.explanation)}`,
        reply.answered ? `${reply.correct}/${reply.answered} got it right (${share}%).` : "Nobody answered this time.",
        reply.firstCorrect.length ? `First correct: ${reply.firstCorrect.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("\n");
    }
    case "summary":
      return `Done: ${reply.title}. ${reply.correct} of ${plural(reply.total, "question")} right, +${plural(reply.points, "point")}. Type /quiz for more or /streak to see your streak.`;
    case "streak": {
      const v = reply.view;
      const days = reply.lastDays.map((d) => (d.active ? "#" : ".")).join("");
      return [
        `streak: ${plural(v.current, "day")} (longest ${plural(v.longest, "day")})${v.studiedToday ? ", studied today" : ", not studied yet today"}`,
        `freezes banked: ${v.freezes}${v.freezesAtRisk ? ` (${v.freezesAtRisk} will cover the days you missed when you study)` : ""}`,
        `last 7 days: ${days}   (zone ${reply.zone})`,
      ].join("\n");
    }
    case "leaderboard": {
      const rows = reply.rows.map((r) => `  ${String(r.rank).padStart(2)}. ${r.name.padEnd(24)} ${r.points}${r.isYou ? "  <- you" : ""}`);
      const you = reply.you && !reply.rows.some((r) => r.isYou) ? [`  ...`, `  ${String(reply.you.rank).padStart(2)}. ${reply.you.name.padEnd(24)} ${reply.you.points}  <- you`] : [];
      return [`Leaderboard: ${reply.label}`, ...(rows.length ? rows : ["  nobody has points yet: /quiz to be first"]), ...you].join("\n");
    }
    case "team": {
      const pct = (c: number, a: number) => (a ? `${Math.round((100 * c) / a)}%` : "-");
      const line = (f: { title: string; answered: number; correct: number }) => `  ${f.title}: ${pct(f.correct, f.answered)} right of ${f.answered}`;
      return [
        `Team: ${reply.label}`,
        reply.answered
          ? `${plural(reply.learners, "learner")} answered ${plural(reply.answered, "question")}, ${pct(reply.correct, reply.answered)} right.`
          : "Nobody has answered this week yet: /quiz to start.",
        ...(reply.weakest.length ? ["Needs work:", ...reply.weakest.map(line)] : []),
        ...(reply.strongest.length ? ["Going well:", ...reply.strongest.map(line)] : []),
      ].join("\n");
    }
    case "stats": {
      const acc = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
      return [
        `points: ${reply.points}   answered: ${reply.answered}   correct: ${reply.correct} (${acc}%)`,
        `streak: ${plural(reply.streak.current, "day")} (longest ${plural(reply.streak.longest, "day")})   freezes: ${reply.streak.freezes}`,
        `cards: ${reply.cardsKnown} known, ${reply.dueNow} due now, ${reply.mastered} mastered (recall 90%+ today)`,
        `lessons read: ${reply.lessonsRead}/${reply.lessonsTotal}   time zone: ${reply.zone}`,
      ].join("\n");
    }
  }
}

