/** Renders neutral replies as Discord embeds (every part clipped to Discord's limits). */
import { escapeMarkdown, type APIEmbed } from "discord.js";
import type { HelpEntry, Reply } from "../../core/replies.js";
import { tablesToLists } from "../render/tables-to-lists.js";
import { clip, fitEmbed, LIMITS, MAX_TEXT_PARTS } from "./discord-limits.js";

type R<T extends Reply["type"]> = Extract<Reply, { type: T }>;

export const COLORS = { brand: 0x5865f2, good: 0x57f287, bad: 0xed4245, warn: 0xfee75c } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const esc = (s: string) => escapeMarkdown(s);

/** A Discord timestamp tag: every reader sees it in their own time zone. */
function when(iso: string, style: "f" | "R" = "f"): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `<t:${Math.floor(ms / 1000)}:${style}>` : iso;
}

/** How each command is typed on Discord (the core's usage lines follow the text grammar). */
const DISCORD_USAGE: Record<string, string> = {
  learn: "/learn [topic]",
  quiz: "/quiz [topic] [count]",
  review: "/review",
  streak: "/streak",
  leaderboard: "/leaderboard [period]",
  stats: "/stats",
  team: "/team [export]",
  tz: "/settings tz <zone>",
  settings: "/settings show | tz | private | retention | team retention | team quiet",
  break: "/break [days] | /break off:True",
  help: "/help",
  drill: "/drill me <time> [zone] · /drill channel <time> <zone> [days] · /drill list",
  challenge: "/challenge post <topic> <duration> · /challenge write <duration>",
};

export function helpEmbed(reply: R<"help">): APIEmbed {
  const usage = (c: HelpEntry) => DISCORD_USAGE[c.command] ?? c.usage;
  return fitEmbed({
    title: "drillbot",
    color: COLORS.brand,
    description: reply.intro,
    fields: [
      ...reply.commands.map((c) => ({ name: usage(c), value: c.description })),
      { name: "Topics", value: reply.topics.length ? reply.topics.map((t) => `\`${t}\``).join(", ") : "No topics installed yet." },
    ],
    footer: { text: "Answer questions with the buttons under them. Only you see your answers and scores." },
  });
}

export function lessonEmbeds(reply: R<"lesson">): APIEmbed[] {
  const heading = `Lesson ${reply.position.index + 1}/${reply.position.total}: ${reply.title}`;
  const cards: APIEmbed[] = reply.cards.map((card, i) => ({
    color: COLORS.brand,
    ...(i === 0 ? { title: heading } : card.title ? { title: card.title } : {}),
    description: i === 0 && card.title ? `**${card.title}**\n${tablesToLists(card.body.trim())}` : tablesToLists(card.body.trim()),
  }));
  const closing: APIEmbed = {
    color: COLORS.brand,
    ...(cards.length === 0 ? { title: heading } : {}),
    fields: [
      { name: "Key takeaways", value: reply.takeaways.map((t) => `• ${t}`).join("\n") || "—" },
      ...(reply.sources.length ? [{ name: "Sources", value: reply.sources.map((s) => `${s.file} (${s.section})`).join("\n") }] : []),
    ],
    footer: { text: reply.next ? `Next lesson: /learn ${reply.next}` : "That was the last lesson." },
  };
  return [...cards, closing].map(fitEmbed);
}

function questionFooter(reply: R<"question">): string {
  switch (reply.questionType) {
    case "single":
    case "truefalse":
      return "Press the button of your answer.";
    case "multi":
      return "Pick every right answer in the menu, then close it.";
    default:
      return `Press Answer, then: ${reply.hint}`;
  }
}

export function questionEmbed(reply: R<"question">): APIEmbed {
  const listed = reply.questionType === "single" || reply.questionType === "multi" || reply.questionType === "order";
  const choices = listed ? reply.choices.map((c, i) => `**${i + 1}.** ${c.label}`).join("\n") : "";
  return fitEmbed({
    title: `${reply.title} · question ${reply.position.index + 1} of ${reply.position.total}`,
    color: COLORS.brand,
    description: clip(reply.stem.trim(), LIMITS.description - choices.length - 2) + (choices ? `\n\n${choices}` : ""),
    footer: { text: `${reply.difficulty} · ${questionFooter(reply)}` },
  });
}

export function feedbackEmbed(reply: R<"feedback">): APIEmbed {
  const lines: string[] = [];
  for (const c of reply.chosen) lines.push(`**You answered:** ${c.text}\n${c.explanation.trim()}`);
  for (const c of reply.missed) lines.push(`**You left out:** ${c.text}\n${c.explanation.trim()}`);
  if (!reply.correct || reply.chosen.length !== 1) lines.push(`**Right answer:** ${reply.correctAnswer.text}`);
  lines.push(`**Why:** ${reply.correctAnswer.explanation.trim()}`);
  const s = reply.streak;
  const streakNotes = [
    s.extendedToday ? "extended today" : "",
    s.freezeEarned ? "you earned a streak freeze" : "",
    s.freezesSpent ? `${plural(s.freezesSpent, "freeze")} covered missed days` : "",
  ].filter(Boolean);
  return fitEmbed({
    title: reply.correct ? "✅ Correct!" : "❌ Not quite.",
    color: reply.correct ? COLORS.good : COLORS.bad,
    description: lines.join("\n\n"),
    fields: [
      { name: "Points", value: `+${reply.pointsAwarded} (total ${reply.totalPoints})`, inline: true },
      { name: "Streak", value: `🔥 ${plural(s.current, "day")}${streakNotes.length ? ` (${streakNotes.join(", ")})` : ""}`, inline: true },
      { name: "Next review", value: when(reply.nextReview, "R"), inline: true },
    ],
  });
}

export function summaryEmbed(reply: R<"summary">): APIEmbed {
  return fitEmbed({
    title: `Done: ${reply.title}`,
    color: COLORS.brand,
    description: `${reply.correct}/${reply.total} correct, +${reply.points} points.\nRun /quiz for more, or /streak to see your streak.`,
  });
}

/** A channel drill's or challenge's results, posted when it closes. */
export function resultsEmbed(reply: R<"results">): APIEmbed {
  const share = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
  return fitEmbed({
    title: `${reply.kind === "challenge" ? "🏁" : "📋"} ${reply.title}: results`,
    color: COLORS.brand,
    description: [reply.stem.trim(), `**Answer:** ${reply.correctAnswer.text}`, `**Why:** ${reply.correctAnswer.explanation.trim()}`].join("\n\n"),
    fields: [
      { name: "Answers", value: reply.answered ? `${reply.correct}/${reply.answered} right (${share}%)` : "Nobody answered this time.", inline: true },
      ...(reply.firstCorrect.length ? [{ name: "First correct", value: reply.firstCorrect.map((n, i) => `${i + 1}. ${esc(n)}`).join("\n"), inline: true }] : []),
    ],
  });
}

export function streakEmbed(reply: R<"streak">): APIEmbed {
  const v = reply.view;
  const days = reply.lastDays.map((d) => (d.active ? "🟩" : "⬛")).join("");
  return fitEmbed({
    title: `🔥 ${plural(v.current, "day")} streak`,
    color: COLORS.brand,
    description: v.studiedToday ? "You studied today." : "You have not studied yet today: answer a question to keep it going.",
    fields: [
      { name: "Longest", value: plural(v.longest, "day"), inline: true },
      { name: "Freezes banked", value: `${v.freezes}${v.freezesAtRisk ? ` (${v.freezesAtRisk} will cover missed days)` : ""}`, inline: true },
      { name: "Last 7 days", value: `${days}\n${reply.lastDays[0]?.date ?? ""} → ${reply.lastDays[reply.lastDays.length - 1]?.date ?? ""}` },
    ],
    footer: { text: `Days follow ${reply.zone}. Change it with /settings tz.` },
  });
}

export function leaderboardEmbed(reply: R<"leaderboard">): APIEmbed {
  const line = (r: { rank: number; name: string; points: number; isYou: boolean }) =>
    `**${r.rank}.** ${esc(r.name)} — ${r.points} pts${r.isYou ? " ← you" : ""}`;
  const rows = reply.rows.map(line);
  const you = reply.you && !reply.rows.some((r) => r.isYou) ? ["…", line(reply.you)] : [];
  return fitEmbed({
    title: `🏆 Leaderboard: ${reply.label}`,
    color: COLORS.brand,
    description: [...(rows.length ? rows : ["Nobody has points yet: /quiz to be first."]), ...you].join("\n"),
  });
}

export function teamEmbed(reply: R<"team">): APIEmbed {
  const pct = (c: number, a: number) => (a ? `${Math.round((100 * c) / a)}%` : "–");
  const line = (f: { title: string; answered: number; correct: number }) => `${esc(f.title)} — ${pct(f.correct, f.answered)} right of ${f.answered}`;
  return fitEmbed({
    title: `👥 Team: ${reply.label}`,
    color: COLORS.brand,
    description: reply.answered
      ? `${plural(reply.learners, "learner")} answered ${plural(reply.answered, "question")}, ${pct(reply.correct, reply.answered)} right.`
      : "Nobody has answered this week yet: /quiz to start.",
    fields: [
      ...(reply.weakest.length ? [{ name: "Needs work", value: reply.weakest.map(line).join("\n") }] : []),
      ...(reply.strongest.length ? [{ name: "Going well", value: reply.strongest.map(line).join("\n") }] : []),
    ],
  });
}

export function statsEmbed(reply: R<"stats">): APIEmbed {
  const acc = reply.answered ? Math.round((100 * reply.correct) / reply.answered) : 0;
  return fitEmbed({
    title: "Your stats",
    color: COLORS.brand,
    fields: [
      { name: "Points", value: String(reply.points), inline: true },
      { name: "Answered", value: `${reply.answered} (${reply.correct} correct, ${acc}%)`, inline: true },
      { name: "Streak", value: `${plural(reply.streak.current, "day")} (longest ${reply.streak.longest}, ${plural(reply.streak.freezes, "freeze")})`, inline: true },
      { name: "Cards", value: `${reply.cardsKnown} known, ${reply.dueNow} due now, ${reply.mastered} mastered`, inline: true },
      { name: "Lessons read", value: `${reply.lessonsRead}/${reply.lessonsTotal}`, inline: true },
      { name: "Time zone", value: reply.zone, inline: true },
    ],
  });
}

/** A chart drawn to a PNG: the embed shows the attachment named `fileName`; its alt text travels with the attachment. */
export function chartEmbed(reply: R<"chart">, fileName: string): APIEmbed {
  return { title: clip(reply.spec.title, LIMITS.title), color: COLORS.brand, image: { url: `attachment://${fileName}` } };
}

/** A chart that could not be drawn: its alt text says what it would show. */
export function chartTextEmbed(reply: R<"chart">): APIEmbed {
  return fitEmbed({ title: reply.spec.title, color: COLORS.brand, description: reply.alt });
}

/** The core names commands in their text form; on Discord the time zone lives under /settings and a break ends with off:True. */
export function discordWording(text: string): string {
  return text.replace(/(^|[\s("'`])\/tz\b/g, "$1/settings tz").replace(/(^|[\s("'`])\/break off\b(?!:)/g, "$1/break off:True");
}

export function noticeText(reply: R<"notice">): string {
  const icon = reply.level === "error" ? "⚠️" : reply.level === "warning" ? "❔" : "ℹ️";
  // renderMessages splits what is longer than one message's content.
  return clip(`${icon} ${discordWording(reply.text)}`, LIMITS.content * MAX_TEXT_PARTS);
}
