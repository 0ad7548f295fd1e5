/** The App Home tab: the learner's streak, points and due reviews, and a "Start a quiz" button. */
import type { types } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { ACTIONS } from "./action-codec.js";
import { escapeText, slackCommands } from "./mrkdwn.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `replies` is the service's answer to {kind:"stats"}; `note` is a line shown above the button. */
export function homeView(replies: Reply[], note?: string): types.HomeView {
  const stats = replies.find((r): r is Extract<Reply, { type: "stats" }> => r.type === "stats");
  const blocks: types.KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: "drillbot" } }];
  if (stats) {
    const acc = stats.answered ? Math.round((100 * stats.correct) / stats.answered) : 0;
    blocks.push({
      type: "section",
      fields: [
        `*Streak*\n:fire: ${plural(stats.streak.current, "day")}${stats.streak.studiedToday ? " (studied today)" : ""}`,
        `*Points*\n${stats.points}`,
        `*Due reviews*\n${stats.dueNow}`,
        `*Answered*\n${stats.answered} (${acc}% correct)`,
        `*Cards*\n${stats.cardsKnown} known, ${stats.mastered} mastered`,
        `*Lessons read*\n${stats.lessonsRead}/${stats.lessonsTotal}`,
      ].map((text) => ({ type: "mrkdwn" as const, text })),
    });
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Streak days follow ${escapeText(stats.zone)}; change it with \`/study tz <zone>\`.` }] });
  } else {
    const notice = replies.find((r) => r.type === "notice");
    const text = notice && notice.type === "notice" ? notice.text : "Your figures are not available right now.";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `:warning: ${slackCommands(escapeText(text))}` } });
  }
  if (note) blocks.push({ type: "section", text: { type: "mrkdwn", text: slackCommands(escapeText(note)) } });
  blocks.push({
    type: "actions",
    elements: [{ type: "button", action_id: ACTIONS.homeQuiz, style: "primary", text: { type: "plain_text", text: "Start a quiz" }, value: "quiz" }],
  });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: "Or type `/study quiz`, `/study learn` or `/study help` in any channel." }] });
  return { type: "home", blocks };
}
