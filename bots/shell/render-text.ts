/** Renders neutral replies as plain terminal text. */
import type { Reply } from "../../core/replies.js";
import { fromNow } from "../../core/time.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The terminal renders for a person looking at it now (adapters may read the clock; the core may not). */
const now = () => Date.now();

export function renderText(reply: Reply): string {
  switch (reply.type) {
    case "text":
      return reply.text;
    case "notice":
      return `${reply.level === "error" ? "!" : reply.level === "warning" ? "?" : "i"} ${reply.text}`;
    case "help":
      return [
        reply.intro,
        "",
        ...reply.commands.map((c) => `  ${c.usage.padEnd(34)} ${c.description}`),
        "",
        `Topics: ${reply.topics.join(", ")}`,
        "Answer an open question by typing the number of your choice. Type /quit to leave.",
      ].join("\n");
    case "lesson":
      return [
        `== Lesson ${reply.position.index + 1}/${reply.position.total}: ${reply.title} ==`,
        ...reply.cards.map((c) => (c.title ? `\n## ${c.title}\n${c.body.trim()}` : `\n${c.body.trim()}`)),
        "",
        "Key takeaways:",
        ...reply.takeaways.map((t) => `  * ${t}`),
        `Sources: ${reply.sources.map((s) => `${s.file} (${s.section})`).join("; ")}`,
        reply.next ? `Next lesson: /learn ${reply.next}` : "That was the last lesson.",
      ].join("\n");
    case "question":
      return [
        `-- ${reply.title}: question ${reply.position.index + 1} of ${reply.position.total} (${reply.difficulty}) --`,
        reply.stem.trim(),
        ...reply.choices.map((c, i) => `  ${i + 1}) ${c.label}`),
        reply.hint,
      ].join("\n");
    case "feedback": {
      const lines = [reply.correct ? "Correct!" : "Not quite."];
      for (const c of reply.chosen) lines.push(`  You answered: ${c.text}\n    ${c.explanation.trim()}`);
      for (const c of reply.missed) lines.push(`  You left out: ${c.text}\n    ${c.explanation.trim()}`);
      if (!reply.correct || reply.chosen.length !== 1) lines.push(`  Right answer: ${reply.correctAnswer.text}`);
      lines.push(`  Why: ${reply.correctAnswer.explanation.trim()}`);
      const streak = `streak: ${plural(reply.streak.current, "day")}`;
      const extras = [
        reply.streak.freezeEarned ? "you earned a streak freeze" : "",
        reply.streak.freezesSpent ? `${plural(reply.streak.freezesSpent, "freeze")} used to cover missed days` : "",
      ].filter(Boolean);
      lines.push(`  +${reply.pointsAwarded} points (total ${reply.totalPoints}) | ${streak}${extras.length ? ` | ${extras.join(", ")}` : ""}`);
      lines.push(`  This question comes back ${fromNow(reply.nextReview, now())} (spaced repetition).`);
      return lines.join("\n");
    }
    case "results": {
      const share = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
      return [
        `== ${reply.title}: results ==`,
        reply.stem.trim(),
        `Answer: ${reply.correctAnswer.text}`,
        `Why: ${reply.correctAnswer.explanation.trim()}`,
        reply.answered ? `${reply.correct}/${reply.answered} got it right (${share}%).` : "Nobody answered this time.",
        reply.firstCorrect.length ? `First correct: ${reply.firstCorrect.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("\n");
    }
    case "summary":
      return `Done: ${reply.title}. ${reply.correct}/${reply.total} correct, +${reply.points} points. Type /quiz for more or /streak to see your streak.`;
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
        `streak: ${plural(reply.streak.current, "day")} (longest ${reply.streak.longest})   freezes: ${reply.streak.freezes}`,
        `cards: ${reply.cardsKnown} known, ${reply.dueNow} due now, ${reply.mastered} mastered (next review 3+ weeks away)`,
        `lessons read: ${reply.lessonsRead}/${reply.lessonsTotal}   time zone: ${reply.zone}`,
      ].join("\n");
    }
  }
}

