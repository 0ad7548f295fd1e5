/**
 * Chat clients (Discord embeds, Slack mrkdwn) do not draw Markdown tables, and
 * a pipe grid wraps badly on a phone. Lessons use small tables, so adapters
 * turn each one into a list: one bullet per row, led by its first cell, with
 * the other cells labelled by their column headings.
 */
const isRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isSeparator = (line: string) => /^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$/.test(line);
const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"));

export function tablesToLists(markdown: string, bold: (text: string) => string = (t) => `**${t}**`): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  let inCode = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) inCode = !inCode;
    if (inCode || !isRow(line) || !isSeparator(lines[i + 1] ?? "")) {
      out.push(line);
      continue;
    }
    const headings = cells(line);
    i += 2;
    while (i < lines.length && isRow(lines[i]!)) {
      const row = cells(lines[i]!);
      const [first = "", ...rest] = row;
      const details = rest
        .map((value, c) => (value && value !== "-" ? `${headings[c + 1] ? `${headings[c + 1]}: ` : ""}${value}` : ""))
        .filter(Boolean)
        .join("; ");
      out.push(`• ${first ? bold(first) : ""}${first && details ? " — " : ""}${details}`);
      i += 1;
    }
    i -= 1;
  }
  return out.join("\n");
}
