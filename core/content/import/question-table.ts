/**
 * Converts a question table (CSV, TSV or semicolon-separated, as exported
 * from a spreadsheet) into a course pack. Pure: text in, pack data or one
 * clear error naming the row out.
 *
 * Columns (header names are matched case-insensitively; spaces, dashes and
 * underscores are alike): question; options (`|`-separated, `\|` for a
 * literal bar) or option_a..option_f; answer (letter, 1-based number or the
 * option's text; several separated by `|` or `,` make a multi-select);
 * optional explanation, topic (or lesson), difficulty, concepts (`|` or `,`),
 * option_explanations (`|`-separated) or explanation_a..explanation_f, id.
 *
 * Rows are grouped into one lesson per topic (in order of first appearance;
 * rows without a topic go to one "imported" lesson). A table has questions,
 * not reading material, so each lesson gets one card saying so and takeaways
 * drawn from the explanations. An option without its own explanation gets a
 * short generated text pointing at the question's explanation, which the bot
 * shows right after it; a question without an explanation falls back to the
 * correct option's own explanation, else names the intended answer. Every
 * such fallback is listed in the notes so the author can fill it in.
 */
import { parseDelimited, type DelimitedRecord } from "./delimited-text.js";
import {
  DIFFICULTY_HELP,
  GENERATED_RIGHT_EXPLANATION,
  GENERATED_RIGHT_MULTI_EXPLANATION,
  GENERATED_WRONG_EXPLANATION,
  OPTION_LETTERS,
  SlugAllocator,
  fail,
  firstSentence,
  lessonFileName,
  mapDifficulty,
  slugify,
  type ImportOptions,
  type ImportProblem,
  type ImportResult,
  type LessonData,
  type ManifestData,
  type QuestionData,
} from "./imported-pack.js";
import { TABLE_COLUMNS_HELP, readHeader, sniffDelimiter, type TableColumns } from "./table-columns.js";

/** Splits on `|`, keeping `\|` as a literal bar; trims each part. */
function splitBars(cell: string): string[] {
  return cell.split(/(?<!\\)\|/).map((p) => p.replace(/\\\|/g, "|").trim());
}

/** Drops empty parts at the end; returns the index of an empty part in the middle, if any. */
function trimTrailing(parts: string[]): { parts: string[]; gap: number } {
  const out = [...parts];
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return { parts: out, gap: out.indexOf("") };
}

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

function resolveAnswer(cell: string, options: string[]): { ok: true; indexes: number[] } | { ok: false; error: string } {
  const last = OPTION_LETTERS[options.length - 1]!;
  const byText = (t: string) => options.findIndex((o) => norm(o) === norm(t));
  const one = (token: string): number | string => {
    const found = new Set<number>();
    const letter = /^(?:option\s*)?\(?([a-f])\)?[.)]?$/i.exec(token)?.[1];
    if (letter) {
      const i = letter.toLowerCase().charCodeAt(0) - 97;
      if (i < options.length) found.add(i);
    }
    if (/^\d+$/.test(token)) {
      const i = Number(token) - 1;
      if (i >= 0 && i < options.length) found.add(i);
    }
    const t = byText(token);
    if (t >= 0) found.add(t);
    if (found.size === 1) return [...found][0]!;
    if (found.size > 1) {
      return `answer "${token}" is ambiguous: it could mean option ${[...found].map((i) => OPTION_LETTERS[i]).join(" or ")}; write the option's letter`;
    }
    return `answer "${token}" matches no option; use a letter (a-${last}), a number (1-${options.length}) or the option's exact text`;
  };
  const whole = cell.trim();
  if (whole === "") return { ok: false, error: "the answer cell is empty" };
  const exact = byText(whole);
  const tokens = exact >= 0 ? [whole] : whole.includes("|") ? splitBars(whole) : whole.split(/[,;]/).map((t) => t.trim());
  const indexes: number[] = [];
  for (const token of tokens.filter(Boolean)) {
    const r = one(token);
    if (typeof r === "string") return { ok: false, error: r };
    if (!indexes.includes(r)) indexes.push(r);
  }
  if (indexes.length === 0) return { ok: false, error: "the answer cell is empty" };
  return { ok: true, indexes: indexes.sort((a, b) => a - b) };
}

function humanize(baseName: string): string {
  const t = baseName.replace(/[-_]+/g, " ").trim();
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : "Imported questions";
}

interface TopicGroup {
  slug: string;
  title: string;
  conceptId: string;
  questions: QuestionData[];
  /** Explanations the author wrote (not generated), for takeaways. */
  explanations: string[];
}

/** Per-import state shared by the rows. */
interface TableState {
  file: string;
  packId: string;
  packTitle: string;
  groups: TopicGroup[];
  /** Concept id → title, in order of first appearance. */
  concepts: Map<string, string>;
  /** Question id → the row that took it. */
  questionIds: Map<string, number>;
  questionAlloc: SlugAllocator;
  generatedOptionExplanations: number;
  noExplanation: number[];
  defaultDifficulty: number[];
}

/** A bad row's message, and the header of the column it is about when it is about one. */
type RowResult = { ok: true } | { ok: false; error: string; column?: string | undefined };

function readOptions(row: string[], columns: TableColumns): { ok: true; options: string[] } | { ok: false; error: string; column?: string | undefined } {
  const lettered = columns.lettered(row, "option");
  const { parts: options, gap } = trimTrailing(lettered ?? splitBars(columns.cell(row, "options")));
  const column = (i: number) => (lettered ? columns.header("option", i) : columns.header("options"));
  if (gap >= 0) return { ok: false, error: `option ${OPTION_LETTERS[gap] ?? gap + 1} is empty but a later one is not`, column: column(gap) };
  if (options.length < 2 || options.length > OPTION_LETTERS.length) {
    return { ok: false, error: `a question needs 2 to ${OPTION_LETTERS.length} options, this one has ${options.length}`, column: lettered ? undefined : column(0) };
  }
  const dup = options.findIndex((o, i) => options.findIndex((p) => norm(p) === norm(o)) !== i);
  if (dup >= 0) return { ok: false, error: `option ${OPTION_LETTERS[dup]} repeats the text of an earlier option`, column: column(dup) };
  return { ok: true, options };
}

function topicGroup(state: TableState, topicText: string): TopicGroup {
  const slug = slugify(topicText) || "imported";
  let group = state.groups.find((g) => g.slug === slug);
  if (!group) {
    const conceptId = topicText ? slug : state.packId;
    if (!state.concepts.has(conceptId)) state.concepts.set(conceptId, topicText || state.packTitle);
    group = { slug, title: topicText || "Imported questions", conceptId, questions: [], explanations: [] };
    state.groups.push(group);
  }
  return group;
}

function addRow(state: TableState, columns: TableColumns, row: string[], rowNo: number): RowResult {
  const err = (error: string, role: Parameters<TableColumns["header"]>[0]): RowResult => ({ ok: false, error, column: columns.header(role) });
  const cell = (role: Parameters<TableColumns["cell"]>[1]) => columns.cell(row, role);

  const stem = cell("question");
  if (!stem) return err("the question cell is empty", "question");
  const read = readOptions(row, columns);
  if (!read.ok) return read;
  const options = read.options;

  const answer = resolveAnswer(cell("answer"), options);
  if (!answer.ok) return err(answer.error, "answer");
  const multi = answer.indexes.length > 1;
  if (multi && options.length < 3) return err("more than one answer makes a multi-select question, which needs at least 3 options", "answer");

  const own = trimTrailing(columns.lettered(row, "optionExplanation") ?? splitBars(cell("optionExplanations"))).parts;
  if (own.length > options.length) return err(`${own.length} option explanations for ${options.length} options`, "optionExplanations");
  const rightGeneric = multi ? GENERATED_RIGHT_MULTI_EXPLANATION : GENERATED_RIGHT_EXPLANATION;
  const optionData = options.map((text, i) => {
    if (!own[i]) state.generatedOptionExplanations++;
    return { id: OPTION_LETTERS[i]!, text, explanation: own[i] || (answer.indexes.includes(i) ? rightGeneric : GENERATED_WRONG_EXPLANATION) };
  });

  // The explanation: the author's, else the correct options' own, else a plain statement of the answer.
  const authored = cell("explanation");
  const rightOwn = answer.indexes.map((i) => own[i] ?? "").filter(Boolean);
  let explanation = authored;
  if (!explanation && rightOwn.length === answer.indexes.length) explanation = rightOwn.join(" ");
  if (!explanation) {
    explanation = `The intended answer is ${answer.indexes.map((i) => `"${options[i]}"`).join(" and ")}.`;
    state.noExplanation.push(rowNo);
  }

  const level = mapDifficulty(cell("difficulty"));
  if (level === null) return err(`difficulty "${cell("difficulty")}" is not understood; ${DIFFICULTY_HELP}`, "difficulty");
  if (level === undefined) state.defaultDifficulty.push(rowNo);

  const topicText = cell("topic");
  if (topicText && !slugify(topicText)) return err(`topic "${topicText}" has no letters or digits to name it by`, "topic");
  const group = topicGroup(state, topicText);

  const conceptIds: string[] = [];
  const conceptCell = cell("concepts");
  for (const name of (conceptCell.includes("|") ? splitBars(conceptCell) : conceptCell.split(",")).map((c) => c.trim()).filter(Boolean)) {
    const id = slugify(name);
    if (!id) return err(`concept "${name}" has no letters or digits to name it by`, "concepts");
    if (!state.concepts.has(id)) state.concepts.set(id, name);
    if (!conceptIds.includes(id)) conceptIds.push(id);
  }
  if (conceptIds.length === 0) conceptIds.push(group.conceptId);

  const givenId = cell("id");
  if (givenId && !slugify(givenId)) return err(`id "${givenId}" has no letters or digits`, "id");
  const earlierRow = givenId ? state.questionIds.get(slugify(givenId)) : undefined;
  if (earlierRow !== undefined) return err(`id "${givenId}" is already used in row ${earlierRow}`, "id");
  const id = state.questionAlloc.take(givenId || `${state.packId}-${String(state.questionIds.size + 1).padStart(2, "0")}`, `${state.packId}-q`);
  state.questionIds.set(id, rowNo);

  const common = {
    difficulty: level ?? "intermediate",
    concepts: conceptIds,
    source: { file: state.file, section: `row ${rowNo}` },
    stem,
    options: optionData,
  };
  const letters = answer.indexes.map((i) => OPTION_LETTERS[i]!);
  group.questions.push(
    multi
      ? { id, type: "multi", ...common, answer: letters, explanation }
      : { id, type: "single", ...common, answer: letters[0]!, explanation },
  );
  if (authored) group.explanations.push(authored);
  return { ok: true };
}

function toLessons(state: TableState): { fileName: string; data: LessonData }[] {
  const alloc = new SlugAllocator();
  return state.groups.map((g, i) => {
    const id = alloc.take(g.slug.startsWith(state.packId) ? g.slug : `${state.packId}-${g.slug}`, g.slug);
    const takeaways = [...new Set(g.explanations.map(firstSentence))].slice(0, 5);
    const data: LessonData = {
      id,
      order: i + 1,
      title: g.title,
      topics: [g.slug],
      concepts: [...new Set([g.conceptId, ...g.questions.flatMap((q) => q.concepts)])],
      prerequisites: [],
      cards: [
        {
          title: g.title,
          body: `${g.questions.length} practice question(s) imported from ${state.file}. This topic has no reading material yet: quiz yourself on it with the topic word "${g.slug}".`,
        },
      ],
      takeaways: takeaways.length > 0 ? takeaways : [`Practice questions on ${g.title}.`],
      sources: [{ file: state.file, section: g.title }],
      questions: g.questions,
    };
    return { fileName: lessonFileName(i + 1, id, state.groups.length), data };
  });
}

export function importQuestionTable(text: string, opts: ImportOptions): ImportResult {
  const file = opts.fileName;
  const delimiter = sniffDelimiter(text, file) ?? (/\.tsv$/i.test(file) ? "\t" : ",");
  const parsed = parseDelimited(text, delimiter);
  if (!parsed.ok) return fail(`${file}: ${parsed.error}`);
  const [header, ...rows] = parsed.records;
  if (!header || header.cells.every((c) => !c.trim())) return fail(`${file}: the file is empty; the first row needs columns ${TABLE_COLUMNS_HELP}`);
  const head = readHeader(header.cells);
  if (!head.ok) return fail(`${file}: ${head.error}`);

  const baseName = file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  const state: TableState = {
    file: file.replace(/^.*[\\/]/, ""),
    packId: slugify(baseName) || "imported-questions",
    packTitle: humanize(baseName),
    groups: [],
    concepts: new Map(),
    questionIds: new Map(),
    questionAlloc: new SlugAllocator(),
    generatedOptionExplanations: 0,
    noExplanation: [],
    defaultDifficulty: [],
  };
  // Every bad row is reported (not just the first), so an author can fix them all at once.
  const problems: ImportProblem[] = [];
  let firstError: string | undefined;
  const bad = (rowNo: number, record: DelimitedRecord, message: string, column?: string) => {
    firstError ??= `${rowLabel(file, rowNo, record)}: ${message}`;
    problems.push({ file, path: `${rowPlace(rowNo, record)}${column ? `, column "${column}"` : ""}`, message });
  };
  for (const [r, record] of rows.entries()) {
    const rowNo = r + 2; // as a spreadsheet counts: the header is row 1
    if (record.cells.every((c) => !c.trim())) continue;
    if (record.cells.length !== header.cells.length) {
      const shown = delimiter === "\t" ? "a tab" : `"${delimiter}"`;
      bad(
        rowNo,
        record,
        `has ${record.cells.length} column(s) but the header has ${header.cells.length}; a cell that contains ${shown}, a line break or a double quote must be in double quotes`,
      );
      continue;
    }
    const added = addRow(state, head.columns, record.cells, rowNo);
    if (!added.ok) bad(rowNo, record, added.error, added.column);
  }
  if (firstError !== undefined) return fail(firstError, problems);
  if (state.groups.length === 0) return fail(`${file}: the table has a header but no question rows`);

  const notes: string[] = [];
  if (head.columns.ignored.length > 0) notes.push(`ignored column(s) the importer does not know: ${head.columns.ignored.join(", ")}`);
  if (state.generatedOptionExplanations > 0) {
    notes.push(`${state.generatedOptionExplanations} option(s) had no explanation and got: "${GENERATED_WRONG_EXPLANATION}" (or the intended-answer variant)`);
  }
  if (state.noExplanation.length > 0) notes.push(`row(s) ${state.noExplanation.join(", ")} have no explanation; learners are told only the intended answer`);
  if (state.defaultDifficulty.length > 0) notes.push(`row(s) ${state.defaultDifficulty.join(", ")} have no difficulty; set to intermediate`);

  const manifest: ManifestData = {
    id: state.packId,
    title: state.packTitle,
    description: `Questions imported from ${state.file}.`,
    version: 1,
    concepts: [...state.concepts].map(([id, title]) => ({ id, title, prerequisites: [] })),
    practice: [],
  };
  return { ok: true, format: "question table", pack: { manifest, lessons: toLessons(state) }, notes };
}

function rowPlace(rowNo: number, record: DelimitedRecord): string {
  return `row ${rowNo}${record.line !== rowNo ? ` (line ${record.line})` : ""}`;
}

function rowLabel(file: string, rowNo: number, record: DelimitedRecord): string {
  return `${file}: ${rowPlace(rowNo, record)}`;
}
