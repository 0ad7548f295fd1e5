/**
 * Text helpers for Slack: Markdown (as written in the course packs) to Slack
 * mrkdwn, escaping, splitting to Block Kit's size limits, and the core's
 * "/quiz" wording turned into Slack's "/study quiz".
 */

/** Block Kit limits this adapter keeps to. */
export const LIMITS = {
  sectionText: 3000,
  blocksPerMessage: 50,
  blocksPerView: 100,
  buttonText: 75,
  optionText: 75,
  headerText: 150,
  modalTitle: 24,
  fallbackText: 3000,
} as const;

/** Slack needs only these three escaped in text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}

const BOLD = "\u0001";

function convertPlain(text: string): string {
  const lines = escapeText(text).split("\n").map((line) => {
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) return `${BOLD}${heading[1]!.replace(/\*\*|__/g, "")}${BOLD}`;
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) return `${bullet[1]}• ${bullet[2]}`;
    return line;
  });
  return lines
    .join("\n")
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => `<${url.replace(/&amp;/g, "&")}|${label}>`)
    .replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/__(?=\S)([^\n]*?\S)__/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, "$1_$2_")
    .replace(/~~(?=\S)([^\n]*?\S)~~/g, "~$1~")
    .replaceAll(BOLD, "*");
}

/**
 * Markdown to mrkdwn: **bold** → *bold*, *italic* → _italic_, # Heading → a
 * bold line, - item → • item, [text](url) → <url|text>; code spans and fenced
 * blocks are kept as they are (only escaped).
 */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  const pattern = /```[\s\S]*?```|`[^`\n]+`/g;
  let last = 0;
  for (const m of markdown.matchAll(pattern)) {
    out.push(convertPlain(markdown.slice(last, m.index)));
    out.push(escapeText(m[0]));
    last = m.index + m[0].length;
  }
  out.push(convertPlain(markdown.slice(last)));
  return out.join("").trim();
}

/** Splits text into pieces of at most `max` characters, at paragraph, then line, then word breaks. */
export function chunkText(text: string, max: number = LIMITS.sectionText): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf("\n\n");
    if (cut < max / 3) cut = window.lastIndexOf("\n");
    if (cut < max / 3) cut = window.lastIndexOf(" ");
    if (cut < max / 3) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

const COMMANDS = "help|learn|quiz|review|streak|leaderboard|stats|team|tz|answer|drill|challenge|content";

/** The core speaks of "/quiz"; on Slack that is "/study quiz" ("/settings tz" is "/study tz"). */
export function slackCommands(text: string): string {
  return text
    .replace(/(^|[\s("'`])\/settings tz\b/g, "$1/study tz")
    .replace(new RegExp(`(^|[\\s("'\`])\\/(${COMMANDS})\\b`, "g"), "$1/study $2");
}
