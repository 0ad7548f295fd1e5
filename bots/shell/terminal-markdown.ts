/**
 * Lesson Markdown for a terminal: tables become lists (as on Discord and
 * Slack), emphasis markers and heading hashes go, links show their address,
 * code blocks keep their lines (marked so wrapping leaves them alone).
 */
import { tablesToLists } from "../render/tables-to-lists.js";
import { PREFORMATTED } from "./wrap-text.js";

function inline(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/__(.+?)__/g, "$1")
    .replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/(^|[\s(])_(\S(?:.*?\S)?)_(?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/!?\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`));
}

export function markdownForTerminal(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of tablesToLists(markdown, (t) => t).split("\n")) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(`${PREFORMATTED}    ${line}`);
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push(inline(heading[1] ?? ""));
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("");
      continue;
    }
    out.push(inline(line.replace(/^(\s*)[*+] /, "$1- ").replace(/^(\s*)> ?/, "$1  ")));
  }
  return out.join("\n");
}
