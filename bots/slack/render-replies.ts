/**
 * Renders the core's neutral replies as Slack messages: Block Kit blocks plus
 * a plain-text `text` fallback (notifications, screen readers, old clients).
 * A question always gets its own message; other replies share one until the
 * 50-block limit. Charts and files are not rendered here: they are uploaded
 * to the person's DM (dm-uploads.ts, through deliver-replies.ts).
 */
import type { types } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { tablesToLists } from "../render/tables-to-lists.js";
import { chunkText, escapeText, LIMITS, markdownToMrkdwn, slackCommands, truncate } from "./mrkdwn.js";
import { questionBlocks, questionFallback } from "./render-question.js";

type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  /** Holds a question (with answer buttons). */
  hasQuestion: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const sections = (text: string): KnownBlock[] => chunkText(text).map((t) => ({ type: "section", text: { type: "mrkdwn", text: t } }));
const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }] });
const say = (text: string) => slackCommands(escapeText(text));
const NOTICE_ICON = { info: ":information_source:", warning: ":warning:", error: ":x:" } as const;

function renderOne(reply: Reply): KnownBlock[] {
  switch (reply.type) {
    case "chart":
    case "file":
      return [];
    case "text":
      return sections(say(reply.text));
    case "notice":
      return sections(`${NOTICE_ICON[reply.level]} ${say(reply.text)}`);
    case "help":
      return [
        ...sections(`*drillbot* · ${escapeText(reply.intro)}`),
        ...sections(reply.commands.map((c) => `\`${slackCommands(c.usage)}\` ${escapeText(c.description)}`).join("\n")),
        context(`Topics: ${escapeText(reply.topics.join(", "))}. Questions come with buttons; only you see your feedback.`),
      ];
    case "lesson":
      return [
        { type: "header", text: { type: "plain_text", text: truncate(`Lesson ${reply.position.index + 1}/${reply.position.total}: ${reply.title}`, LIMITS.headerText) } },
        ...reply.cards.flatMap((c) => sections(`${c.title ? `*${escapeText(c.title)}*\n` : ""}${markdownToMrkdwn(tablesToLists(c.body))}`)),
        ...(reply.takeaways.length ? sections(`*Key takeaways*\n${reply.takeaways.map((t) => `• ${markdownToMrkdwn(t)}`).join("\n")}`) : []),
        context(
          [
            reply.sources.length ? `Sources: ${escapeText(reply.sources.map((s) => `${s.file} (${s.section})`).join("; "))}` : "",
            reply.next ? `Next lesson: \`/study learn ${escapeText(reply.next)}\`` : "That was the last lesson.",
          ]
            .filter(Boolean)
            .join(" · "),
        ),
      ];
    case "question":
      return questionBlocks(reply);
    case "feedback": {
      const lines = [reply.correct ? ":white_check_mark: *Correct!*" : ":x: *Not quite.*"];
      for (const c of reply.chosen) lines.push(`*You answered:* ${markdownToMrkdwn(c.text)}\n_${markdownToMrkdwn(c.explanation)}_`);
      if (!reply.correct || reply.chosen.length !== 1) lines.push(`*Right answer:* ${markdownToMrkdwn(reply.correctAnswer.text)}`);
      lines.push(`*Why:* ${markdownToMrkdwn(reply.correctAnswer.explanation)}`);
      const extras = [
        reply.streak.freezeEarned ? "you earned a streak freeze :snowflake:" : "",
        reply.streak.freezesSpent ? `${plural(reply.streak.freezesSpent, "freeze")} covered missed days` : "",
      ].filter(Boolean);
      return [
        ...sections(lines.join("\n\n")),
        context(
          `+${reply.pointsAwarded} points (total ${reply.totalPoints}) · :fire: streak: ${plural(reply.streak.current, "day")}` +
            `${extras.length ? ` · ${extras.join(", ")}` : ""} · next review ${reply.nextReview.slice(0, 16).replace("T", " ")} UTC`,
        ),
      ];
    }
    case "results": {
      const share = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
      return [
        ...sections(
          `:bar_chart: *${escapeText(reply.title)}: results*\n${markdownToMrkdwn(reply.stem)}\n\n` +
            `*Answer:* ${markdownToMrkdwn(reply.correctAnswer.text)}\n*Why:* ${markdownToMrkdwn(reply.correctAnswer.explanation)}`,
        ),
        context(
          (reply.answered ? `${reply.correct}/${reply.answered} got it right (${share}%)` : "Nobody answered this time") +
            (reply.firstCorrect.length ? ` · first correct: ${escapeText(reply.firstCorrect.join(", "))}` : ""),
        ),
      ];
    }
    case "summary":
      return sections(
        `:checkered_flag: *Done: ${escapeText(reply.title)}.* ${reply.correct}/${reply.total} correct, +${reply.points} points. ` +
          "`/study quiz` for more, `/study streak` for your streak.",
      );
    case "streak": {
      const v = reply.view;
      const days = reply.lastDays.map((d) => (d.active ? ":large_green_square:" : ":white_large_square:")).join("");
      return [
        ...sections(
          `:fire: *Streak: ${plural(v.current, "day")}* (longest ${plural(v.longest, "day")})${v.studiedToday ? " · studied today" : " · not studied yet today"}\n` +
            `Freezes banked: ${v.freezes}${v.freezesAtRisk ? ` (${v.freezesAtRisk} will cover the days you missed when you study)` : ""}\n` +
            `Last 7 days: ${days}`,
        ),
        context(`Days follow ${escapeText(reply.zone)}. Change it with \`/study tz <zone>\`.`),
      ];
    }
    case "leaderboard": {
      const row = (r: { rank: number; name: string; points: number; isYou: boolean }) =>
        `${r.rank}. ${r.isYou ? "*" : ""}${escapeText(r.name)}${r.isYou ? "*" : ""} · ${r.points} pts${r.isYou ? " ← you" : ""}`;
      const rows = reply.rows.map(row);
      const you = reply.you && !reply.rows.some((r) => r.isYou) ? ["…", row(reply.you)] : [];
      return sections(
        `:trophy: *Leaderboard: ${escapeText(reply.label)}*\n${rows.length ? [...rows, ...you].join("\n") : "Nobody has points yet: `/study quiz` to be first."}`,
      );
    }
    case "team": {
      const pct = (c: number, a: number) => (a ? `${Math.round((100 * c) / a)}%` : "–");
      const line = (f: { title: string; answered: number; correct: number }) => `• ${escapeText(f.title)}: ${pct(f.correct, f.answered)} right of ${f.answered}`;
      return sections(
        [
          `:busts_in_silhouette: *Team: ${escapeText(reply.label)}*`,
          reply.answered
            ? `${plural(reply.learners, "learner")} answered ${plural(reply.answered, "question")}, ${pct(reply.correct, reply.answered)} right.`
            : "Nobody has answered this week yet: `/study quiz` to start.",
          ...(reply.weakest.length ? ["*Needs work*", ...reply.weakest.map(line)] : []),
          ...(reply.strongest.length ? ["*Going well*", ...reply.strongest.map(line)] : []),
        ].join("\n"),
      );
    }
    case "stats": {
      const acc = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
      return [
        {
          type: "section",
          text: { type: "mrkdwn", text: "*Your stats*" },
          fields: [
            `*Points*\n${reply.points}`,
            `*Answered*\n${reply.answered} (${acc}% correct)`,
            `*Streak*\n${plural(reply.streak.current, "day")} (longest ${reply.streak.longest})`,
            `*Freezes*\n${reply.streak.freezes}`,
            `*Cards*\n${reply.cardsKnown} known, ${reply.dueNow} due now, ${reply.mastered} mastered`,
            `*Lessons read*\n${reply.lessonsRead}/${reply.lessonsTotal}`,
          ].map((text) => ({ type: "mrkdwn" as const, text })),
        },
        context(`Time zone: ${escapeText(reply.zone)}`),
      ];
    }
  }
}

/** A short plain-text form of a reply, for the message's `text`. */
export function fallbackText(reply: Reply): string {
  switch (reply.type) {
    case "chart":
      return reply.alt;
    case "file":
      return reply.description;
    case "text":
    case "notice":
      return slackCommands(reply.text);
    case "help":
      return `drillbot help: ${reply.commands.map((c) => slackCommands(c.usage)).join(", ")}`;
    case "lesson":
      return `Lesson ${reply.position.index + 1}/${reply.position.total}: ${reply.title}`;
    case "question":
      return questionFallback(reply);
    case "feedback":
      return `${reply.correct ? "Correct!" : `Not quite. Right answer: ${reply.correctAnswer.text}.`} +${reply.pointsAwarded} points (total ${reply.totalPoints}), streak ${plural(reply.streak.current, "day")}.`;
    case "results":
      return `${reply.title} results: ${reply.correctAnswer.text}. ${reply.correct}/${reply.answered} right.`;
    case "summary":
      return `Done: ${reply.title}. ${reply.correct}/${reply.total} correct, +${reply.points} points.`;
    case "streak":
      return `Streak: ${plural(reply.view.current, "day")} (longest ${plural(reply.view.longest, "day")}).`;
    case "leaderboard":
      return `Leaderboard ${reply.label}: ${reply.rows.map((r) => `${r.rank}. ${r.name} ${r.points}`).join(", ") || "nobody yet"}`;
    case "team":
      return `Team ${reply.label}: ${reply.learners} learners, ${reply.answered} answers, ${reply.correct} right.`;
    case "stats":
      return `Points ${reply.points}, answered ${reply.answered}, streak ${plural(reply.streak.current, "day")}, ${reply.dueNow} due for review.`;
  }
}

/** Turns replies into messages within Slack's limits; a question always starts its own message. */
export function renderMessages(replies: Reply[], opts: { oneMessage?: boolean } = {}): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let current: SlackMessage | null = null;
  for (const reply of replies) {
    if (reply.type === "chart" || reply.type === "file") continue;
    const blocks = renderOne(reply);
    const text = fallbackText(reply);
    const isQuestion = reply.type === "question";
    // A question ends its message (nothing follows its buttons); it opens a new one unless
    // `oneMessage` (scheduled sends, each message paced at 1/s per channel) lets it join what came before.
    if (!current || (isQuestion && !opts.oneMessage) || current.hasQuestion || current.blocks.length + blocks.length > LIMITS.blocksPerMessage) {
      current = { text: "", blocks: [], hasQuestion: isQuestion };
      messages.push(current);
    } else if (isQuestion) current.hasQuestion = true;
    current.text = current.text ? `${current.text}\n${text}` : text;
    for (const b of blocks) {
      if (current.blocks.length >= LIMITS.blocksPerMessage) {
        current = { text, blocks: [], hasQuestion: isQuestion };
        messages.push(current);
      }
      current.blocks.push(b);
    }
  }
  for (const m of messages) m.text = truncate(m.text, LIMITS.fallbackText);
  return messages;
}
