/**
 * Checks a content file an admin uploads in chat before anything is stored:
 * size, text encoding, format (single-file YAML pack, course JSON, question
 * table), the schema and cross-checks of `content check` together with the
 * built-in course and the workspace's other packs, id collisions with either,
 * and count limits. Returns the normalized pack as YAML, or every problem by
 * file, place (row, field path, line) and message. Pure; never throws on bad
 * input.
 */
import { CUE_LIMITS, MIN_SAMPLE, measureCues, type AnswerCues } from "../answer-cues.js";
import { buildCatalog, type ContentProblem, type RawPack } from "../catalog.js";
import { importContent, NEITHER_MESSAGE } from "../import/detect.js";
import type { ImportedPack, QuestionData } from "../import/imported-pack.js";
import { sniffDelimiter, TABLE_COLUMNS_HELP } from "../import/table-columns.js";
import type { Question } from "../schema.js";
import { normalizePack, packToYaml, pathSegments, pathText, readPackYaml, type PathSegment } from "./pack-yaml.js";

/**
 * maxBytes: a course JSON or question table as uploaded. maxPackBytes: a YAML
 * pack as uploaded, and the YAML stored for any upload (a converted table is
 * about 4x its CSV: every option gets its own explanation and fields), so
 * every stored pack can be exported and uploaded again.
 */
export const UPLOAD_LIMITS = { maxBytes: 1_048_576, maxQuestions: 2_000, maxLessons: 200, maxPackBytes: 4_194_304 };
export type UploadLimits = typeof UPLOAD_LIMITS;

export type UploadFormat = "YAML pack" | "course JSON" | "question table";

export type UploadCheck =
  | {
      ok: true;
      pack: ImportedPack;
      /** packToYaml of `pack`: what is stored, and what export sends back. */
      yaml: string;
      format: UploadFormat;
      summary: { packId: string; title: string; lessons: number; questions: number };
      /** Answer cues past the `content check` limits, and concepts or lessons borrowed from other packs, as sentences for the admin. */
      warnings: string[];
      /** What the conversion filled in or renamed. */
      notes: string[];
    }
  | { ok: false; problems: ContentProblem[]; /** One line for chat, e.g. "3 problems in team.csv: nothing was stored". */ message: string };

export interface UploadInput {
  fileName: string;
  bytes: Uint8Array;
  /** Every built-in pack (also those the workspace switched off). */
  builtIn: RawPack[];
  /** The workspace's packs; one with the uploaded pack's id is the one it replaces, so it is left out of the checks. */
  others: RawPack[];
  limits?: Partial<UploadLimits>;
}

/** Problems listed in full; past this the rest are counted in one last entry. */
const MAX_LISTED = 50;

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

function size(bytes: number): string {
  if (bytes < 1024) return plural(bytes, "byte");
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** The name shown in messages: no folders, no control characters, at most 100 characters. */
function displayName(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const base = fileName.replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (base.length > 100 ? `${base.slice(0, 99)}…` : base) || "upload";
}

/** `headline` replaces "N problems in <file>" in the chat line for a whole-file problem (size, encoding, ...). */
function refuse(file: string, problems: ContentProblem[], headline?: string): UploadCheck {
  const listed = problems.length > MAX_LISTED ? [...problems.slice(0, MAX_LISTED), { file, path: "", message: `... and ${plural(problems.length - MAX_LISTED, "more problem")}` }] : problems;
  return { ok: false, problems: listed, message: `${headline ?? `${plural(problems.length, "problem")} in ${file}`}: nothing was stored` };
}

// ---- Bytes to text ----

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const SAVE_AS = 'save it as UTF-8 text (in a spreadsheet: "Save as" CSV UTF-8)';
const KNOWN_BINARY: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], "a PDF document"],
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (an Excel .xlsx or OpenDocument file is one)"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old Office file (.xls or .doc)"],
  [[0x1f, 0x8b], "a gzip archive"],
];

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

function decode(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string; headline: string } {
  for (const [sig, what] of KNOWN_BINARY) {
    if (startsWith(bytes, sig)) return { ok: false, message: `this is ${what}, not a text file; upload a .yaml pack, a course .json or a .csv/.tsv question table`, headline: `is ${what.replace(/ \(.*\)$/, "")}, not a text file` };
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return { ok: false, message: `the file is UTF-16 text; ${SAVE_AS}`, headline: "is UTF-16 text, not UTF-8" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, Math.max(0, at)).filter((x) => x === 0x0a).length + 1;
    const byte = at >= 0 ? ` (byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, "0")} on line ${line})` : "";
    return { ok: false, message: `the file is not UTF-8 text${byte}; it is probably in a Windows or Latin-1 encoding: ${SAVE_AS}`, headline: "is not UTF-8 text" };
  }
  if (text.includes("\u0000")) return { ok: false, message: `the file holds NUL bytes, so it is binary or UTF-16 text; ${SAVE_AS}`, headline: "is not UTF-8 text" };
  return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
}

// ---- Format ----

/** A top-level line such as "id: team-pack" or "lessons:" (after comments and a "---"). */
function looksLikeYamlPack(text: string): boolean {
  const first = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== "" && !l.startsWith("#") && l.trim() !== "---");
  return first !== undefined && /^(id|title|description|version|concepts|practice|lessons)\s*:/.test(first);
}

function isYamlUpload(file: string, text: string): boolean {
  if (/\.ya?ml$/i.test(file)) return true;
  if (/\.(json|csv|tsv)$/i.test(file)) return false;
  return !sniffDelimiter(text, file) && looksLikeYamlPack(text);
}

// ---- Where a problem is, as the admin sees the file ----

interface Located {
  format: UploadFormat;
  pack: ImportedPack;
  /** YAML packs: the line of a field. */
  lineOf?: (path: readonly PathSegment[]) => number | undefined;
}

/** A question's spreadsheet row, for packs converted from a question table. */
function rowOf(q: QuestionData | undefined): number | undefined {
  const m = q ? /^row (\d+)$/.exec(q.source.section) : null;
  return m ? Number(m[1]) : undefined;
}

function questionAt(pack: ImportedPack, path: readonly PathSegment[]): { q: QuestionData; rest: PathSegment[] } | undefined {
  const [a, i, b, j, ...rest] = path;
  if (typeof i !== "number" || b !== "questions" || typeof j !== "number") return undefined;
  const q = a === "lessons" ? pack.lessons[i]?.data.questions?.[j] : a === "practice" ? pack.manifest.practice?.[i]?.questions[j] : undefined;
  return q ? { q, rest } : undefined;
}

const clip = (t: string) => (t.length > 40 ? `${t.slice(0, 39)}…` : t);

/** Where a path points, in the admin's terms: a YAML field path and line; a table's row; a converted lesson's or question's name. */
function place(at: Located, path: readonly PathSegment[]): string {
  if (at.format === "YAML pack") {
    const line = at.lineOf?.(path);
    return `${pathText(path)}${line ? (path.length ? ` (line ${line})` : `line ${line}`) : ""}`;
  }
  const then = (rest: readonly PathSegment[]) => (rest.length ? `, ${pathText(rest)}` : "");
  const found = questionAt(at.pack, path);
  if (found) {
    const row = at.format === "question table" ? rowOf(found.q) : undefined;
    return `${row !== undefined ? `row ${row}` : `question "${found.q.id}"`}${then(found.rest)}`;
  }
  const [a, i, ...rest] = path;
  if (typeof i === "number") {
    const lesson = a === "lessons" ? at.pack.lessons[i]?.data : undefined;
    if (lesson) return `${at.format === "question table" ? "topic" : "lesson"} "${clip(lesson.title)}"${then(rest)}`;
    const set = a === "practice" ? at.pack.manifest.practice?.[i] : undefined;
    if (set) return `practice set "${clip(set.title)}"${then(rest)}`;
    const concept = a === "concepts" ? at.pack.manifest.concepts[i] : undefined;
    if (concept) return `concept "${clip(concept.title)}"${then(rest)}`;
  }
  // The pack's own fields (its id comes from the file name or the course title).
  return path.length === 1 ? "" : pathText(path);
}

// ---- Ids taken by the built-in course and the workspace's other packs ----

type IdKind = "pack" | "set" | "concept" | "question";
const KIND_NAME: Record<IdKind, string> = { pack: "pack id", set: "lesson or practice set id", concept: "concept id", question: "question id" };

const idOf = (v: unknown): string | undefined => (typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string" ? (v as { id: string }).id : undefined);
const list = (v: unknown, key: string): unknown[] => {
  const x = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return Array.isArray(x) ? x : [];
};

/** "kind:id" → who has it, e.g. 'the built-in pack "db-scaling"'. */
function takenIds(builtIn: RawPack[], others: RawPack[]): Map<string, string> {
  const taken = new Map<string, string>();
  const add = (packs: RawPack[], owner: (id: string) => string) => {
    for (const rp of packs) {
      const m = rp.manifest.data;
      const who = owner(idOf(m) ?? rp.manifest.file);
      const put = (kind: IdKind, id: string | undefined) => {
        if (id !== undefined && !taken.has(`${kind}:${id}`)) taken.set(`${kind}:${id}`, who);
      };
      put("pack", idOf(m));
      for (const c of list(m, "concepts")) put("concept", idOf(c));
      for (const s of list(m, "practice")) {
        put("set", idOf(s));
        for (const q of list(s, "questions")) put("question", idOf(q));
      }
      for (const l of rp.lessons) {
        put("set", idOf(l.data));
        for (const q of list(l.data, "questions")) put("question", idOf(q));
      }
    }
  };
  add(builtIn, (id) => `the built-in pack "${id}"`);
  add(others, (id) => `this workspace's pack "${id}"`);
  return taken;
}

/** Every id this pack declares, with its path in the single-file layout. */
function declaredIds(pack: ImportedPack): { kind: IdKind; id: string; path: PathSegment[] }[] {
  const out: { kind: IdKind; id: string; path: PathSegment[] }[] = [{ kind: "pack", id: pack.manifest.id, path: ["id"] }];
  pack.manifest.concepts.forEach((c, i) => out.push({ kind: "concept", id: c.id, path: ["concepts", i, "id"] }));
  pack.lessons.forEach((l, i) => {
    out.push({ kind: "set", id: l.data.id, path: ["lessons", i, "id"] });
    l.data.questions?.forEach((q, j) => out.push({ kind: "question", id: q.id, path: ["lessons", i, "questions", j, "id"] }));
  });
  (pack.manifest.practice ?? []).forEach((s, i) => {
    out.push({ kind: "set", id: s.id, path: ["practice", i, "id"] });
    s.questions.forEach((q, j) => out.push({ kind: "question", id: q.id, path: ["practice", i, "questions", j, "id"] }));
  });
  return out;
}

const RENAME_HINT: Record<UploadFormat, string> = {
  "YAML pack": "change the id",
  "course JSON": "change the course title",
  "question table": "rename the file",
};

function collisions(at: Located, taken: Map<string, string>, file: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const seen = new Map<string, PathSegment[]>();
  for (const d of declaredIds(at.pack)) {
    const key = `${d.kind}:${d.id}`;
    const owner = taken.get(key);
    if (owner) {
      const hint = d.kind === "pack" ? RENAME_HINT[at.format] : "choose another id";
      problems.push({ file, path: place(at, d.path), message: `${KIND_NAME[d.kind]} "${d.id}" is already used by ${owner}; ${hint}` });
    }
    // Question ids repeated inside the pack are reported by buildCatalog.
    const earlier = seen.get(key);
    if (earlier && d.kind !== "question") problems.push({ file, path: place(at, d.path), message: `${KIND_NAME[d.kind]} "${d.id}" is used twice (also at ${place(at, earlier)})` });
    if (!earlier) seen.set(key, d.path);
  }
  return problems;
}

/**
 * Converted packs (question tables, course JSON) name concepts after topics,
 * which may be concepts of the built-in course or of another pack ("indexes"):
 * those get the pack id in front ("team-quiz-indexes") instead of a refusal.
 */
function renameTakenConcepts(pack: ImportedPack, taken: Map<string, string>): { pack: ImportedPack; note?: string } {
  const own = new Set(pack.manifest.concepts.map((c) => c.id));
  const renamed = new Map<string, string>();
  const free = (id: string) => !taken.has(`concept:${id}`) && !own.has(id) && ![...renamed.values()].includes(id);
  for (const id of own) {
    if (!taken.has(`concept:${id}`)) continue;
    const base = `${pack.manifest.id}-${id}`.slice(0, 56).replace(/-+$/, "");
    let next = base;
    for (let n = 2; !free(next); n++) next = `${base}-${n}`;
    renamed.set(id, next);
  }
  if (renamed.size === 0) return { pack };
  const r = (id: string) => renamed.get(id) ?? id;
  const q = (x: QuestionData): QuestionData => ({ ...x, concepts: x.concepts.map(r) });
  const m = pack.manifest;
  return {
    pack: {
      manifest: {
        ...m,
        concepts: m.concepts.map((c) => ({ ...c, id: r(c.id), ...(c.prerequisites ? { prerequisites: c.prerequisites.map(r) } : {}) })),
        ...(m.practice ? { practice: m.practice.map((s) => ({ ...s, questions: s.questions.map(q) })) } : {}),
      },
      lessons: pack.lessons.map((l) => ({ ...l, data: { ...l.data, concepts: l.data.concepts.map(r), ...(l.data.questions ? { questions: l.data.questions.map(q) } : {}) } })),
    },
    note: `concept(s) ${[...renamed].map(([a, b]) => `"${a}" → "${b}"`).join(", ")} renamed: the built-in course or another pack of this workspace already has them`,
  };
}

// ---- Answer cues as warnings ----

const pct = (x: number) => `${Math.round(x * 100)}%`;

function cueWarnings(questions: Question[], cues: AnswerCues, label: (id: string) => string): string[] {
  const out: string[] = [];
  const singles = questions.filter((q): q is Extract<Question, { type: "single" }> => q.type === "single");
  const length = (q: (typeof singles)[number], id: string) => q.options.find((o) => o.id === id)?.text.length ?? 0;
  const longest = singles.filter((q) => q.options.every((o) => o.id === q.answer || length(q, q.answer) > o.text.length)).map((q) => label(q.id));
  const examples = (ids: string[]) => (ids.length ? ` (e.g. ${ids.slice(0, 3).join(", ")})` : "");
  if (cues.singleCount >= MIN_SAMPLE.single && cues.longestCorrectShare > CUE_LIMITS.longestCorrectShare) {
    out.push(`the correct option is the longest in ${pct(cues.longestCorrectShare)} of ${plural(cues.singleCount, "single-choice question")}: a learner can guess by length (keep it under ${pct(CUE_LIMITS.longestCorrectShare)})${examples(longest)}`);
  }
  if (cues.singleCount >= MIN_SAMPLE.single && cues.lengthRatioMedian > CUE_LIMITS.lengthRatioMedian) {
    out.push(`the correct option is typically ${cues.lengthRatioMedian.toFixed(1)}x as long as the wrong ones: make the wrong options as specific as the right one (keep it under ${CUE_LIMITS.lengthRatioMedian}x)`);
  }
  if (cues.trueFalseCount >= MIN_SAMPLE.truefalse && (cues.trueShare < CUE_LIMITS.trueShareMin || cues.trueShare > CUE_LIMITS.trueShareMax)) {
    const leaning = cues.trueShare < 0.5 ? "False" : "True";
    out.push(`${leaning} is the answer in ${pct(leaning === "True" ? cues.trueShare : 1 - cues.trueShare)} of ${plural(cues.trueFalseCount, "true/false question")}: always answering ${leaning} scores well (keep True between ${pct(CUE_LIMITS.trueShareMin)} and ${pct(CUE_LIMITS.trueShareMax)})`);
  }
  if (cues.multiCount >= MIN_SAMPLE.multi && cues.multiSameCountShare > CUE_LIMITS.multiSameCountShare) {
    const counts = new Map<number, number>();
    for (const q of questions) if (q.type === "multi") counts.set(q.answer.length, (counts.get(q.answer.length) ?? 0) + 1);
    const n = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    out.push(`${pct(cues.multiSameCountShare)} of ${plural(cues.multiCount, "multiple-select question")} have exactly ${n} right options: a learner can guess how many to pick (vary it)`);
  }
  return out;
}

/**
 * Concepts and lessons this pack uses but other packs declare (content check
 * allows it): if such a pack is switched off or replaced without them, this
 * pack no longer fits the workspace's course.
 */
function borrowed(pack: ImportedPack, taken: Map<string, string>): string[] {
  const ownConcepts = new Set(pack.manifest.concepts.map((c) => c.id));
  const ownLessons = new Set(pack.lessons.map((l) => l.data.id));
  const uses = new Map<string, Set<string>>();
  const use = (kind: "concept" | "set", id: string) => {
    const owner = taken.get(`${kind}:${id}`);
    if (owner) uses.set(owner, (uses.get(owner) ?? new Set()).add(`${kind === "set" ? "lesson" : "concept"} "${id}"`));
  };
  const questions = [...pack.lessons.flatMap((l) => l.data.questions ?? []), ...(pack.manifest.practice ?? []).flatMap((s) => s.questions)];
  for (const id of [...pack.manifest.concepts.flatMap((c) => c.prerequisites ?? []), ...pack.lessons.flatMap((l) => l.data.concepts), ...questions.flatMap((q) => q.concepts)]) {
    if (!ownConcepts.has(id)) use("concept", id);
  }
  for (const id of pack.lessons.flatMap((l) => l.data.prerequisites ?? [])) if (!ownLessons.has(id)) use("set", id);
  return [...uses].map(([owner, ids]) => `this pack uses ${[...ids].join(", ")} of ${owner}: switching that pack off would take this one out of the course too`);
}

// ---- The check ----

/** Marks this upload's files inside buildCatalog, so its problems are told apart from other packs' whatever they are named. */
const MARK = "\u0000upload";

export function checkUpload(input: UploadInput): UploadCheck {
  const file = displayName(input.fileName);
  try {
    return check(input, file);
  } catch (err) {
    // A bug, not bad input; still nothing is stored and the admin gets a line.
    return refuse(file, [{ file, path: "", message: `the file could not be checked (${(err as Error).message}); nothing was stored, please report this` }]);
  }
}

function check(input: UploadInput, file: string): UploadCheck {
  const limits = { ...UPLOAD_LIMITS, ...input.limits };
  const problem = (message: string, headline?: string): UploadCheck => refuse(file, [{ file, path: "", message }], headline && `${file} ${headline}`);
  const { bytes } = input;
  const yamlName = /\.ya?ml$/i.test(file);
  const limit = yamlName ? limits.maxPackBytes : limits.maxBytes;
  if (bytes.length > limit) {
    const others = yamlName ? `; other files ${size(limits.maxBytes)}` : `; a YAML pack (.yaml) ${size(limits.maxPackBytes)}`;
    return problem(
      `the file is ${size(bytes.length)} (${plural(bytes.length, "byte")}); this kind of upload may be at most ${size(limit)} (${plural(limit, "byte")})${others}: split it into smaller packs`,
      size(bytes.length) === size(limit) ? `is ${plural(bytes.length, "byte")}, over the limit of ${count(limit)}` : `is ${size(bytes.length)}, over the ${size(limit)} limit`,
    );
  }
  if (bytes.length === 0) return problem(`the file is empty; upload a .yaml pack, a course .json or a .csv/.tsv question table (first row: ${TABLE_COLUMNS_HELP})`, "is empty");
  const decoded = decode(bytes);
  if (!decoded.ok) return problem(decoded.message, decoded.headline);
  const text = decoded.text;
  if (text.trim() === "") return problem(`the file holds only blank space; upload a .yaml pack, a course .json or a .csv/.tsv question table (first row: ${TABLE_COLUMNS_HELP})`, "is empty");

  // Read it.
  let at: Located;
  const notes: string[] = [];
  if (isYamlUpload(file, text)) {
    const read = readPackYaml(text, file);
    if (!read.ok) return refuse(file, read.problems);
    at = { format: "YAML pack", pack: read.pack, lineOf: read.lineOf };
  } else {
    const imported = importContent(text, { fileName: file });
    if (!imported.ok) {
      if (imported.problems?.length) return refuse(file, imported.problems.map((p) => ({ ...p, file })));
      const message = imported.error.startsWith(`${file}: `) ? imported.error.slice(file.length + 2) : imported.error;
      if (message === NEITHER_MESSAGE) return problem(`not a YAML pack (.yaml), a course JSON nor a question table (first row needs columns ${TABLE_COLUMNS_HELP})`, "is not a pack, a course JSON or a question table");
      return problem(message);
    }
    notes.push(...imported.notes);
    const normalized = normalizePack({ manifest: imported.pack.manifest, lessons: imported.pack.lessons.map((l) => l.data) });
    const rough: Located = { format: imported.format, pack: imported.pack };
    if (!normalized.ok) return refuse(file, normalized.issues.map((i) => ({ file, path: place(rough, i.path), message: i.message })));
    at = { format: imported.format, pack: normalized.pack };
  }

  // Counts.
  const questionsOf = (p: ImportedPack): Question[] => [...p.lessons.flatMap((l) => l.data.questions ?? []), ...(p.manifest.practice ?? []).flatMap((s) => s.questions)] as Question[];
  const lessonCount = at.pack.lessons.length;
  const questionCount = questionsOf(at.pack).length;
  const over = [
    ...(questionCount > limits.maxQuestions ? [`${plural(questionCount, "question")} (at most ${count(limits.maxQuestions)})`] : []),
    ...(lessonCount > limits.maxLessons ? [`${plural(lessonCount, "lesson")} (at most ${count(limits.maxLessons)})`] : []),
  ];
  if (over.length > 0) return problem(`the pack has ${over.join(" and ")} per upload: split it into smaller packs`, `has ${over.join(" and ")}`);
  if (questionCount === 0 && lessonCount === 0) return problem("the pack has no lessons and no questions: there is nothing to study", "has no lessons and no questions");

  // Ids taken by the built-in course or the workspace's other packs (not the version this upload replaces).
  const others = input.others.filter((rp) => idOf(rp.manifest.data) !== at.pack.manifest.id);
  const taken = takenIds(input.builtIn, others);
  if (at.format !== "YAML pack") {
    const renamed = renameTakenConcepts(at.pack, taken);
    if (renamed.note) {
      const again = normalizePack({ manifest: renamed.pack.manifest, lessons: renamed.pack.lessons.map((l) => l.data) });
      if (again.ok) {
        at = { ...at, pack: again.pack };
        notes.push(renamed.note);
      }
    }
  }
  const problems = collisions(at, taken, file);

  // The rules of `content check`, with the built-in course and the other packs beside this one.
  const mine: RawPack = {
    manifest: { file: MARK, data: at.pack.manifest },
    lessons: at.pack.lessons.map((l, i) => ({ file: `${MARK}:lessons[${i}]`, data: l.data })),
  };
  const built = buildCatalog([...input.builtIn, ...others, mine]);
  if (!built.ok) {
    for (const p of built.problems) {
      if (!p.file.startsWith(MARK)) continue;
      const used = /^question id "(.*)" is already used in (.*)$/s.exec(p.message);
      if (used && !used[2]!.startsWith(MARK)) continue; // named by collisions(), with its owner
      const lesson = /^\u0000upload:lessons\[(\d+)\]$/.exec(p.file);
      const path = [...(lesson ? ["lessons", Number(lesson[1])] : []), ...pathSegments(p.path)];
      const message = p.message
        .replace(/\u0000upload:(lessons\[\d+\])/g, "$1")
        .replace(/\u0000upload/g, "the practice sets")
        .replace(/declared in pack\.yaml/g, "declared under concepts");
      problems.push({ file, path: place(at, path), message });
    }
  }
  if (problems.length > 0) return refuse(file, problems);

  // What is stored: the normalized pack as YAML, which must itself fit the size limit (export sends it back).
  const source = at.format === "YAML pack" ? "" : `\nConverted from ${file} (${at.format}).`;
  const yaml = packToYaml(at.pack, `drillbot course pack "${at.pack.manifest.id}".${source}\nEdit it and upload it again to replace the pack (keep the id; questions keep their progress while their ids stay).`);
  const yamlBytes = new TextEncoder().encode(yaml).length;
  if (yamlBytes > limits.maxPackBytes) {
    return problem(
      `as a YAML pack (what is stored and exported) it is ${size(yamlBytes)}, over the ${size(limits.maxPackBytes)} limit for packs: split it into smaller packs`,
      `is ${size(yamlBytes)} as a YAML pack, over the ${size(limits.maxPackBytes)} limit`,
    );
  }

  const questions = questionsOf(at.pack);
  const rows = new Map(at.format === "question table" ? questions.flatMap((q) => (rowOf(q) !== undefined ? [[q.id, `row ${rowOf(q)}`] as const] : [])) : []);
  return {
    ok: true,
    pack: at.pack,
    yaml,
    format: at.format,
    summary: { packId: at.pack.manifest.id, title: at.pack.manifest.title, lessons: lessonCount, questions: questionCount },
    warnings: [...cueWarnings(questions, measureCues(questions), (id) => rows.get(id) ?? `"${id}"`), ...borrowed(at.pack, taken)],
    notes,
  };
}
