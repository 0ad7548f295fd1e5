/**
 * The single-file YAML pack: one YAML document holding a pack manifest's
 * fields (as `pack.yaml` has them) plus `lessons:`, a list of lessons exactly
 * as `lessons/*.yaml` files hold them. What an admin uploads and what export
 * sends back. Pure: text in, normalized pack or problems (with lines) out.
 */
import { Document, isMap, isScalar, LineCounter, parseDocument, visit } from "yaml";
import type { ContentProblem, RawPack } from "../catalog.js";
import { lessonFileName, type ImportedPack, type LessonData, type ManifestData } from "../import/imported-pack.js";
import {
  conceptSchema,
  lessonCardSchema,
  lessonSchema,
  multiQuestionSchema,
  numericQuestionSchema,
  orderQuestionSchema,
  packManifestSchema,
  singleQuestionSchema,
  sourceRefSchema,
  textQuestionSchema,
  trueFalseQuestionSchema,
} from "../schema.js";

export type PathSegment = string | number;

/** One field-order list for every object in a pack (each object's own fields keep this relative order). */
const FIELD_ORDER = [
  "id", "type", "order", "title", "text", "difficulty", "description", "version", "topics", "concepts", "prerequisites",
  "summary", "learningOutcomes", "file", "section", "source", "stem", "body", "options", "answer", "value", "tolerance",
  "unit", "explanation", "wrongExplanation", "cards", "takeaways", "sources", "practice", "questions", "lessons",
];
const RANK = new Map(FIELD_ORDER.map((k, i) => [k, i]));

/** A copy with object keys in FIELD_ORDER (unknown keys after, by name) and undefined values left out. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (RANK.get(a) ?? FIELD_ORDER.length) - (RANK.get(b) ?? FIELD_ORDER.length) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/** The pack as one YAML document: manifest fields, then `lessons:`. */
export function packToYaml(pack: ImportedPack, comment?: string): string {
  const doc = new Document(ordered({ ...pack.manifest, lessons: pack.lessons.map((l) => l.data) }), { aliasDuplicateObjects: false });
  // As hand-written packs have them: short word lists and small records (options, sources) on one line.
  visit(doc, {
    Seq(_, seq) {
      const words = seq.items.map((i) => (isScalar(i) && typeof i.value === "string" && /^[\w-]+$/.test(i.value) ? i.value : undefined));
      if (words.length > 0 && words.every((w) => w !== undefined) && words.join(", ").length <= 60) seq.flow = true;
    },
    Map(_, map) {
      const parts = map.items.map((p) => (isScalar(p.key) && isScalar(p.value) && typeof p.value.value === "string" && !/[\n\r]/.test(p.value.value) ? `${String(p.key.value)}: ${p.value.value}` : undefined));
      if (parts.length > 0 && parts.every((x) => x !== undefined) && parts.join(", ").length <= 80 && map.items.some((p) => isScalar(p.key) && ["text", "section"].includes(String(p.key.value)))) map.flow = true;
    },
  });
  if (comment?.trim()) doc.commentBefore = comment.split(/\r\n|\n|\r/).map((line) => (line ? ` ${line.trimEnd()}` : "")).join("\n");
  return doc.toString({ lineWidth: 100, blockQuote: "literal", flowCollectionPadding: false });
}

/** "lessons[2].questions[4].options" */
export function pathText(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${p}`)).join("");
}

/** The segments of a pathText (numbers for list positions). */
export function pathSegments(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of text.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  return out;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const p of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);
const QUESTION_FIELDS: Record<string, string[]> = {
  single: keysOf(singleQuestionSchema),
  multi: keysOf(multiQuestionSchema),
  truefalse: keysOf(trueFalseQuestionSchema),
  order: keysOf(orderQuestionSchema),
  numeric: keysOf(numericQuestionSchema),
  text: keysOf(textQuestionSchema),
};

/** The fields an object at `path` may have, for "unknown field" messages. */
function allowedFields(data: unknown, path: readonly PathSegment[]): string[] | undefined {
  const last = path.at(-1);
  const parent = path.at(-2);
  if (path.length === 0) return [...keysOf(packManifestSchema), "lessons"];
  if (path.length === 2 && parent === "lessons") return keysOf(lessonSchema);
  if (path.length === 2 && parent === "practice") return ["id", "title", "topics", "questions"];
  if (path.length === 2 && parent === "concepts") return keysOf(conceptSchema);
  if (typeof last === "number" && parent === "questions") {
    const type = valueAt(data, [...path, "type"]);
    return typeof type === "string" ? QUESTION_FIELDS[type] : ["type", "id"];
  }
  if (typeof last === "number" && parent === "options") return ["id", "text", "explanation"];
  if (typeof last === "number" && parent === "cards") return keysOf(lessonCardSchema);
  if ((typeof last === "number" && parent === "sources") || last === "source") return keysOf(sourceRefSchema);
  if (last === "answer") return ["value", "tolerance", "unit"];
  return undefined;
}

const WHAT: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (field: value lines)",
};
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  keys?: string[];
  options?: unknown[];
  note?: string;
}

export interface PackIssue {
  path: PathSegment[];
  message: string;
}

/** A zod issue as sentences an author understands (custom schema messages are kept as they are). */
function describeIssues(issue: ZodIssueLike, base: PathSegment[], data: unknown): PackIssue[] {
  const path = [...base, ...issue.path.filter((p): p is PathSegment => typeof p === "string" || typeof p === "number")];
  const value = valueAt(data, path);
  const shown = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? "a list" : typeof v === "object" && v !== null ? "a mapping" : String(v));
  const one = (message: string): PackIssue[] => [{ path, message }];
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedFields(data, path);
      return (issue.keys ?? []).map((key) => ({
        path: [...path, key],
        message: `unknown field "${key}"${allowed ? `; allowed here: ${allowed.join(", ")}` : ""}`,
      }));
    }
    case "invalid_type": {
      const what = WHAT[issue.expected ?? ""] ?? issue.expected ?? "something else";
      if (value === undefined) return one(`is missing (expected ${what})`);
      return one(`expected ${what}, found ${shown(value)}`);
    }
    case "invalid_union":
      if (issue.note === "No matching discriminator" && Array.isArray(issue.options)) {
        const at = issue.path.length ? path : [...path, "type"];
        const v = valueAt(data, at);
        return [{ path: at, message: `${v === undefined ? "is missing" : `${shown(v)} is not a question type`}; use one of ${issue.options.join(", ")}` }];
      }
      return one(issue.message);
    case "invalid_value":
      return one(`${value === undefined ? "is missing" : `${shown(value)} is not allowed`}; use one of ${(issue.values ?? []).map(String).join(", ")}`);
  }
  if (!/^(Too small|Too big|Invalid)/.test(issue.message)) return one(issue.message);
  if (issue.code === "too_small") {
    const n = Number(issue.minimum);
    if (issue.origin === "array") return one(`needs at least ${plural(n, "item")}`);
    if (issue.origin === "string") return one(n === 1 ? "must not be empty" : `needs at least ${plural(n, "character")}`);
    return one(`must be at least ${n}`);
  }
  if (issue.code === "too_big") {
    const n = Number(issue.maximum);
    if (issue.origin === "array") return one(`may have at most ${plural(n, "item")}`);
    if (issue.origin === "string") return one(`may have at most ${plural(n, "character")}`);
    return one(`must be at most ${n}`);
  }
  return one(issue.message.replace(/^Invalid input: /, ""));
}

/**
 * Checks a pack (manifest fields plus lessons) against the schema and returns
 * it normalized: defaults filled in, fields in schema order, lesson file
 * names from their order and id. Issue paths are as in the single-file YAML.
 */
export function normalizePack(pack: { manifest: unknown; lessons: unknown[] }): { ok: true; pack: ImportedPack } | { ok: false; issues: PackIssue[] } {
  const whole = { ...(typeof pack.manifest === "object" && pack.manifest !== null ? pack.manifest : {}), lessons: pack.lessons };
  const issues: PackIssue[] = [];
  const m = packManifestSchema.safeParse(pack.manifest);
  if (!m.success) for (const issue of m.error.issues) issues.push(...describeIssues(issue as ZodIssueLike, [], whole));
  const lessons: LessonData[] = [];
  pack.lessons.forEach((data, i) => {
    const l = lessonSchema.safeParse(data);
    if (l.success) lessons.push(l.data);
    else for (const issue of l.error.issues) issues.push(...describeIssues(issue as ZodIssueLike, ["lessons", i], whole));
  });
  if (!m.success || issues.length > 0) return { ok: false, issues };
  const manifest: ManifestData = m.data;
  return { ok: true, pack: { manifest, lessons: lessons.map((data) => ({ fileName: lessonFileName(data.order, data.id, lessons.length), data })) } };
}

export type PackYamlRead =
  | { ok: true; pack: ImportedPack; /** 1-based line of the field at a path (or of the nearest enclosing one). */ lineOf(path: readonly PathSegment[]): number | undefined }
  | { ok: false; problems: ContentProblem[] };

const EXAMPLE = "id, title, concepts, lessons (see the export of any pack)";

/** parsePackYaml, also returning where each field is (for later problems about the same text). */
export function readPackYaml(text: string, fileName: string): PackYamlRead {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(src, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    return { ok: false, problems: [{ file: fileName, path: "", message: `not valid YAML: ${(err as Error).message}` }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, 20).map((e) => {
        const pos = lines.linePos(e.pos[0]);
        const why = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        return { file: fileName, path: `line ${pos.line}, column ${pos.col}`, message: `YAML syntax: ${why}` };
      }),
    };
  }
  const lineOf = (path: readonly PathSegment[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const start = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      if (start !== undefined) return lines.linePos(start).line;
    }
    return undefined;
  };
  const at = (path: PathSegment[], message: string): ContentProblem => {
    const line = lineOf(path);
    const where = line ? (path.length ? ` (line ${line})` : `line ${line}`) : "";
    return { file: fileName, path: `${pathText(path)}${where}`, message };
  };
  if (doc.contents === null) return { ok: false, problems: [{ file: fileName, path: "", message: `the file has no content; a pack needs ${EXAMPLE}` }] };
  if (!isMap(doc.contents)) return { ok: false, problems: [at([], `a pack is a mapping of fields (${EXAMPLE}), not a list or a single value`)] };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [{ file: fileName, path: "", message: `cannot read the YAML: ${(err as Error).message}` }] };
  }
  const { lessons = [], ...manifest } = data as Record<string, unknown>;
  if (!Array.isArray(lessons)) return { ok: false, problems: [at(["lessons"], "must be a list of lessons (each line starting with \"- \")")] };
  const normalized = normalizePack({ manifest, lessons });
  if (!normalized.ok) return { ok: false, problems: normalized.issues.map((i) => at(i.path, i.message)) };
  return { ok: true, pack: normalized.pack, lineOf };
}

/** Reads a single-file YAML pack; problems name the line (syntax) or the field path and its line (structure). */
export function parsePackYaml(text: string, fileName: string): { ok: true; pack: ImportedPack } | { ok: false; problems: ContentProblem[] } {
  const read = readPackYaml(text, fileName);
  return read.ok ? { ok: true, pack: read.pack } : read;
}

/** The pack as buildCatalog reads packs; problems about it then name the uploaded file ("team.yaml: lessons[1]"). */
export function toRawPacks(pack: ImportedPack, fileName: string): RawPack {
  return {
    manifest: { file: fileName, data: pack.manifest },
    lessons: pack.lessons.map((l, i) => ({ file: `${fileName}: lessons[${i}]`, data: l.data })),
  };
}
