/**
 * The header row of a question table: which column holds what. Names are
 * matched case-insensitively, with spaces, dashes and underscores alike, and
 * a few common synonyms ("stem", "choices", "correct answer", "level", ...).
 * Also picks the delimiter (comma, tab or semicolon) whose first row names a
 * question column. Pure.
 */
import { parseDelimited } from "./delimited-text.js";
import { slugify } from "./imported-pack.js";

export type Role = "question" | "options" | "answer" | "explanation" | "topic" | "difficulty" | "concepts" | "optionExplanations" | "id";
type Column = { role: Role } | { role: "option" | "optionExplanation"; index: number };

const ROLE_NAMES: Record<string, Role> = {
  question: "question", stem: "question", prompt: "question", question_text: "question",
  options: "options", choices: "options",
  answer: "answer", answers: "answer", correct: "answer", correct_answer: "answer", correct_answers: "answer", correct_option: "answer", correct_options: "answer",
  explanation: "explanation", rationale: "explanation", why: "explanation",
  topic: "topic", lesson: "topic",
  difficulty: "difficulty", level: "difficulty",
  concepts: "concepts", concept: "concepts", tags: "concepts",
  option_explanations: "optionExplanations", explanations: "optionExplanations",
  id: "id", question_id: "id",
};

export const TABLE_COLUMNS_HELP = "question, options (or option_a, option_b, ...), answer";

function columnFor(header: string): Column | undefined {
  const key = slugify(header).replace(/-/g, "_");
  const role = ROLE_NAMES[key];
  if (role) return { role };
  const m = /^(option|choice|explanation|why)_?([a-f]|[1-6])$/.exec(key);
  if (!m) return undefined;
  const index = /[a-f]/.test(m[2]!) ? m[2]!.charCodeAt(0) - 97 : Number(m[2]) - 1;
  return { role: m[1] === "option" || m[1] === "choice" ? "option" : "optionExplanation", index };
}

export type Delimiter = "," | "\t" | ";";

/** The delimiter whose first row names the most known columns; undefined if none names a question column. */
export function sniffDelimiter(text: string, fileName = ""): Delimiter | undefined {
  const firstLine = (text.startsWith("\uFEFF") ? text.slice(1) : text).split(/\r\n|\n|\r/, 1)[0] ?? "";
  const preferred = /\.tsv$/i.test(fileName) ? "\t" : /\.csv$/i.test(fileName) ? "," : undefined;
  let best: { d: Delimiter; known: number } | undefined;
  for (const d of [",", "\t", ";"] as const) {
    const parsed = parseDelimited(firstLine, d);
    const cols = (parsed.ok ? (parsed.records[0]?.cells ?? []) : firstLine.split(d)).map(columnFor);
    if (!cols.some((c) => c?.role === "question")) continue;
    const known = cols.filter(Boolean).length;
    if (!best || known > best.known || (known === best.known && d === preferred)) best = { d, known };
  }
  return best?.d;
}

export interface TableColumns {
  has(role: Role): boolean;
  /** The trimmed cell for a role ("" when the table has no such column). */
  cell(row: string[], role: Role): string;
  /** Cells of option_a.. (or explanation_a..) columns by position; undefined when the table has none. */
  lettered(row: string[], role: "option" | "optionExplanation"): string[] | undefined;
  /** The header cell as written for a role's column (for lettered columns, the one at that index), if the table has it. */
  header(role: Role | "option" | "optionExplanation", index?: number): string | undefined;
  /** Header names the importer does not know. */
  ignored: string[];
}

export function readHeader(cells: string[]): { ok: true; columns: TableColumns } | { ok: false; error: string } {
  const columns = cells.map(columnFor);
  const seen = new Map<string, string>();
  const ignored: string[] = [];
  for (const [i, name] of cells.entries()) {
    const c = columns[i];
    if (!c) {
      if (name.trim()) ignored.push(name.trim());
      continue;
    }
    const key = "index" in c ? `${c.role}:${c.index}` : c.role;
    const earlier = seen.get(key);
    if (earlier !== undefined) return { ok: false, error: `columns "${earlier}" and "${name.trim()}" in the first row mean the same thing; keep one` };
    seen.set(key, name.trim());
  }
  const at = (role: Role) => columns.findIndex((c) => c?.role === role);
  const indexed = (role: "option" | "optionExplanation") =>
    columns.flatMap((c, i) => (c && "index" in c && c.role === role ? [{ index: c.index, at: i }] : []));
  const optionCols = indexed("option");
  const explanationCols = indexed("optionExplanation");

  const missing = [
    ...(at("question") < 0 ? ["question"] : []),
    ...(at("options") < 0 && optionCols.length === 0 ? ["options (or option_a, option_b, ...)"] : []),
    ...(at("answer") < 0 ? ["answer"] : []),
  ];
  if (missing.length > 0) {
    const found = cells.map((c) => c.trim()).filter(Boolean).join(", ");
    return { ok: false, error: `the first row needs columns ${TABLE_COLUMNS_HELP}; missing: ${missing.join(", ")} (found: ${found || "nothing"})` };
  }
  if (at("options") >= 0 && optionCols.length > 0) return { ok: false, error: 'use either an "options" column or option_a, option_b, ... columns, not both' };
  if (at("optionExplanations") >= 0 && explanationCols.length > 0) {
    return { ok: false, error: 'use either an "option_explanations" column or explanation_a, explanation_b, ... columns, not both' };
  }
  return {
    ok: true,
    columns: {
      has: (role) => at(role) >= 0,
      cell: (row, role) => (at(role) >= 0 ? (row[at(role)] ?? "").trim() : ""),
      lettered(row, role) {
        const cols = role === "option" ? optionCols : explanationCols;
        if (cols.length === 0) return undefined;
        const out: string[] = [];
        for (const c of cols) out[c.index] = (row[c.at] ?? "").trim();
        return Array.from(out, (v) => v ?? "");
      },
      header(role, index) {
        const i = role === "option" || role === "optionExplanation" ? indexed(role).find((c) => c.index === index)?.at : at(role);
        return i === undefined || i < 0 ? undefined : cells[i]?.trim();
      },
      ignored,
    },
  };
}
