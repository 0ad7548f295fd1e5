/**
 * Lays a list of replies out as Discord messages: text and notices as
 * content, everything else as embeds, at most 10 embeds and 6000 embed
 * characters a message; a question goes into a message of its own with its
 * answer controls.
 */
import type { APIEmbed } from "discord.js";
import type { Reply } from "../../core/replies.js";
import { clip, embedSize, LIMITS } from "./discord-limits.js";
import { questionComponents, type MessageRow } from "./render-components.js";
import {
  feedbackEmbed,
  helpEmbed,
  leaderboardEmbed,
  lessonEmbeds,
  noticeText,
  questionEmbed,
  resultsEmbed,
  statsEmbed,
  teamEmbed,
  streakEmbed,
  summaryEmbed,
} from "./render-embeds.js";

export interface OutMessage {
  content?: string;
  embeds: APIEmbed[];
  components: MessageRow[];
}

function embedsOf(reply: Exclude<Reply, { type: "text" | "notice" | "question" }>): APIEmbed[] {
  switch (reply.type) {
    case "help":
      return [helpEmbed(reply)];
    case "lesson":
      return lessonEmbeds(reply);
    case "feedback":
      return [feedbackEmbed(reply)];
    case "summary":
      return [summaryEmbed(reply)];
    case "results":
      return [resultsEmbed(reply)];
    case "streak":
      return [streakEmbed(reply)];
    case "leaderboard":
      return [leaderboardEmbed(reply)];
    case "stats":
      return [statsEmbed(reply)];
    case "team":
      return [teamEmbed(reply)];
  }
}

export interface RenderOptions {
  /** The learner's home server when the messages go to a DM on behalf of a server learner (see custom-id.ts). */
  home?: string;
}

export function renderMessages(replies: Reply[], opts: RenderOptions = {}): OutMessage[] {
  const out: OutMessage[] = [];
  let current: OutMessage = { embeds: [], components: [] };
  let lines: string[] = [];
  const flush = () => {
    const content = lines.join("\n");
    if (content) current.content = clip(content, LIMITS.content);
    if (current.content || current.embeds.length || current.components.length) out.push(current);
    current = { embeds: [], components: [] };
    lines = [];
  };
  for (const reply of replies) {
    if (reply.type === "text") {
      lines.push(reply.text);
      continue;
    }
    if (reply.type === "notice") {
      lines.push(noticeText(reply));
      continue;
    }
    if (reply.type === "question") {
      flush();
      out.push({ embeds: [questionEmbed(reply)], components: questionComponents(reply, opts.home) });
      continue;
    }
    for (const embed of embedsOf(reply)) {
      const used = current.embeds.reduce((n, e) => n + embedSize(e), 0);
      if (current.embeds.length >= LIMITS.embedsPerMessage || used + embedSize(embed) > LIMITS.embedTotal) {
        // Text said so far stays with the embeds it came with.
        flush();
      }
      current.embeds.push(embed);
    }
  }
  flush();
  return out;
}

/** True when the replies hold something worth showing the channel (a question, a leaderboard), not just a notice. */
export function isShareable(replies: Reply[]): boolean {
  return replies.some((r) => r.type === "question" || r.type === "leaderboard" || r.type === "team" || r.type === "results");
}
