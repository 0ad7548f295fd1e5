/**
 * Lays a list of replies out as Discord messages: text and notices as
 * content, everything else as embeds; a chart drawn to a PNG as an attachment
 * (its alt text as the attachment's description) shown by an embed through
 * `attachment://name`, a chart not drawn as an embed with its alt text, a file
 * as an attachment with its description as a line of content. A message holds
 * at most 10 embeds, 6000 embed characters, 10 attachments and 25 MiB; a
 * question goes into a message of its own with its answer controls, or, with
 * `oneMessage` (scheduled sends, where each message costs a request), joins
 * the message being built when Discord's limits allow: 2000 content
 * characters, 10 embeds, 6000 embed characters, 5 rows of components. Text
 * longer than 2000 characters (a long refusal or pack list) is split at line
 * breaks over up to 5 messages rather than cut off, except in scheduled sends
 * (`oneMessage`), where it is clipped.
 */
import type { APIEmbed } from "discord.js";
import type { Reply } from "../../core/replies.js";
import { attachmentName, clip, embedSize, LIMITS, REQUEST_OVERHEAD_BYTES, splitText } from "./discord-limits.js";
import { questionComponents, type MessageRow } from "./render-components.js";
import {
  chartEmbed,
  chartTextEmbed,
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

/** A file to upload with a message (multipart `files[n]`). */
export interface OutFile {
  /** Safe for `attachment://` (see attachmentName), unique in its message. */
  name: string;
  data: Buffer;
  contentType: string;
  /** Alt text, at most 1024 characters. */
  description?: string;
}

export interface OutMessage {
  content?: string;
  embeds: APIEmbed[];
  components: MessageRow[];
  files?: OutFile[];
}

type ChartReply = Extract<Reply, { type: "chart" }>;
type FileReply = Extract<Reply, { type: "file" }>;

function embedsOf(reply: Exclude<Reply, { type: "text" | "notice" | "question" | "chart" | "file" }>): APIEmbed[] {
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
  /** The PNG of each chart reply that was drawn; a chart without one is shown by its alt text. */
  images?: ReadonlyMap<Reply, Buffer>;
  /** Upload limit per file (an interaction's attachment_size_limit); default Discord's 10 MiB. */
  maxFileBytes?: number;
  /** Put a question in the message being built (the text before it as content) when it fits, instead of a message of its own. */
  oneMessage?: boolean;
}

const MiB = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MiB`;

/** A file too large to attach: said in words instead. */
function tooLargeLine(reply: FileReply, size: number, limit: number): string {
  return `⚠️ ${reply.description}: not attached, the file is ${MiB(size)} and Discord takes at most ${MiB(limit)} a file here.`;
}

export function renderMessages(replies: Reply[], opts: RenderOptions = {}): OutMessage[] {
  const maxFileBytes = opts.maxFileBytes && opts.maxFileBytes > 0 ? opts.maxFileBytes : LIMITS.fileBytes;
  const out: OutMessage[] = [];
  let current: OutMessage = { embeds: [], components: [] };
  let lines: string[] = [];
  const flush = () => {
    // Text longer than a message: its first parts go alone, the last with what came with it.
    // Scheduled sends (oneMessage: each message costs a request of the shared budget) clip it instead.
    const text = lines.join("\n");
    const parts = opts.oneMessage ? [clip(text, LIMITS.content)] : splitText(text, LIMITS.content);
    for (const part of parts.slice(0, -1)) out.push({ content: part, embeds: [], components: [] });
    const content = parts.at(-1) ?? "";
    if (content) current.content = content;
    if (current.content || current.embeds.length || current.components.length || current.files?.length) out.push(current);
    current = { embeds: [], components: [] };
    lines = [];
  };
  /** Starts a new message first when this embed or file would take the current one past a limit. */
  const makeRoom = (embed: APIEmbed | null, fileBytes: number | null) => {
    const files = current.files ?? [];
    const embedChars = current.embeds.reduce((n, e) => n + embedSize(e), 0);
    const full =
      (embed && (current.embeds.length >= LIMITS.embedsPerMessage || embedChars + embedSize(embed) > LIMITS.embedTotal)) ||
      (fileBytes !== null &&
        (files.length >= LIMITS.attachmentsPerMessage || files.reduce((n, f) => n + f.data.length, 0) + fileBytes > LIMITS.requestBytes - REQUEST_OVERHEAD_BYTES));
    // Text said so far stays with the embeds it came with.
    if (full) flush();
  };
  /** The name as Discord will keep it, unique within the message. */
  const fileName = (wanted: string, fallback: string) => {
    const base = attachmentName(wanted, fallback);
    const taken = new Set((current.files ?? []).map((f) => f.name));
    const dot = base.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${stem}-${i}${ext}`;
    return name;
  };
  const addFile = (file: OutFile) => (current.files ??= []).push(file);
  const addChart = (reply: ChartReply) => {
    const png = opts.images?.get(reply);
    if (!png || png.length > maxFileBytes) {
      const embed = chartTextEmbed(reply);
      makeRoom(embed, null);
      current.embeds.push(embed);
      return;
    }
    // Room first: the name is unique within the message it lands in.
    makeRoom(chartEmbed(reply, reply.fileName), png.length);
    const name = fileName(reply.fileName, "chart.png");
    current.embeds.push(chartEmbed(reply, name));
    addFile({ name, data: png, contentType: "image/png", description: clip(reply.alt, LIMITS.attachmentDescription) });
  };
  const addFileReply = (reply: FileReply) => {
    const data = Buffer.from(reply.content, "utf8");
    if (data.length > maxFileBytes) {
      lines.push(tooLargeLine(reply, data.length, maxFileBytes));
      return;
    }
    makeRoom(null, data.length);
    addFile({ name: fileName(reply.fileName, "export"), data, contentType: reply.contentType, description: clip(reply.description, LIMITS.attachmentDescription) });
    lines.push(`📎 ${reply.description}`);
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
      const embed = questionEmbed(reply);
      const rows = questionComponents(reply, opts.home);
      if (opts.oneMessage && fitsBeside(current, lines, embed, rows)) {
        current.embeds.push(embed);
        current.components.push(...rows);
        continue;
      }
      flush();
      out.push({ embeds: [embed], components: rows });
      continue;
    }
    if (reply.type === "chart") {
      addChart(reply);
      continue;
    }
    if (reply.type === "file") {
      addFileReply(reply);
      continue;
    }
    for (const embed of embedsOf(reply)) {
      makeRoom(embed, null);
      current.embeds.push(embed);
    }
  }
  flush();
  return out;
}

/** True when a question's embed and rows can join the message being built (its content so far being `lines`) within Discord's limits. */
function fitsBeside(current: OutMessage, lines: string[], embed: APIEmbed, rows: MessageRow[]): boolean {
  const embedChars = current.embeds.reduce((n, e) => n + embedSize(e), 0);
  return (
    lines.join("\n").length <= LIMITS.content &&
    current.embeds.length < LIMITS.embedsPerMessage &&
    embedChars + embedSize(embed) <= LIMITS.embedTotal &&
    current.components.length + rows.length <= LIMITS.rows
  );
}

/** True when the replies hold something worth showing the channel (a question, a leaderboard), not just a notice. */
export function isShareable(replies: Reply[]): boolean {
  return replies.some((r) => r.type === "question" || r.type === "leaderboard" || r.type === "team" || r.type === "results");
}
