/**
 * The course catalog: validated packs indexed for lookups (lessons in order,
 * questions by id, topics). Built from already-parsed data; reports problems
 * naming the file and field so a broken pack never starts half-loaded.
 */
import {
  lessonSchema,
  packManifestSchema,
  type Concept,
  type Lesson,
  type PackManifest,
  type Question,
  sourceTitlesSchema,
} from "./schema.js";
import { sourceDisplayName, isSeedFileName } from "./source-names.js";

export interface RawPackFile {
  /** Path shown in messages, e.g. "content/packs/db-scaling/lessons/03-indexes.yaml". */
  file: string;
  data: unknown;
}

export interface RawPack {
  manifest: RawPackFile;
  lessons: RawPackFile[];
  /** The optional sources.yaml: titles of the source files. */
  sources?: RawPackFile;
}

export interface ContentProblem {
  file: string;
  path: string;
  message: string;
}

/** The id a raw pack's manifest declares ("" when it has none). */
export function rawPackId(rp: RawPack): string {
  return String((rp.manifest.data as { id?: unknown } | null)?.id ?? "");
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

export interface CatalogQuestion {
  question: Question;
  packId: string;
  /** Lesson id, or practice-set id for questions outside lessons. */
  setId: string;
  /** Position of its lesson in course order (practice sets come after all lessons). */
  setOrder: number;
  topics: string[];
}

export interface Pack {
  manifest: PackManifest;
  lessons: Lesson[];
}

export interface Catalog {
  packs: Pack[];
  lessons: Lesson[];
  concepts: Concept[];
  questions: CatalogQuestion[];
  question(id: string): CatalogQuestion | undefined;
  lesson(id: string): Lesson | undefined;
  /** Known topic words (lesson ids, topics, concept ids, practice set ids), sorted. */
  topics(): string[];
  /** What learners see for a source file: its title from sources.yaml, else its name unless it is an internal file name. */
  sourceName(file: string): string;
}

/** Warnings do not stop start-up (content check prints them). */
export type CatalogResult = { ok: true; catalog: Catalog; warnings: ContentProblem[] } | { ok: false; problems: ContentProblem[] };

function zodPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

function checkQuestion(q: Question, file: string, path: string, problems: ContentProblem[], concepts: ReadonlyMap<string, unknown>): void {
  const add = (field: string, message: string) => problems.push({ file, path: `${path}.${field}`, message });
  for (const c of q.concepts) if (!concepts.has(c)) add("concepts", `"${c}" is not a concept declared in pack.yaml`);
  if (q.type === "single" || q.type === "multi" || q.type === "order") {
    const ids = q.options.map((o) => o.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) add("options", `option id "${dup}" is used twice`);
    const answers = typeof q.answer === "string" ? [q.answer] : q.answer;
    for (const a of answers) {
      if (!ids.includes(a)) add("answer", `"${a}" is not one of the option ids ${ids.join(", ")}`);
    }
    if (q.type === "order") {
      if (q.answer.length !== ids.length || new Set(q.answer).size !== ids.length) {
        add("answer", `an ordering answer must list every option id exactly once (${ids.join(", ")})`);
      }
    }
    if (q.type === "multi" && new Set(q.answer).size !== q.answer.length) add("answer", "an option id is listed twice");
  }
}

export function buildCatalog(raw: RawPack[]): CatalogResult {
  const problems: ContentProblem[] = [];
  const packs: Pack[] = [];
  const packFiles: { manifest: string; lessons: Map<string, string> }[] = [];
  for (const rp of raw) {
    const m = packManifestSchema.safeParse(rp.manifest.data);
    if (!m.success) {
      for (const issue of m.error.issues) problems.push({ file: rp.manifest.file, path: zodPath(issue.path), message: issue.message });
      continue;
    }
    const lessons: Lesson[] = [];
    const lessonFiles = new Map<string, string>();
    for (const lf of rp.lessons) {
      const l = lessonSchema.safeParse(lf.data);
      if (!l.success) {
        for (const issue of l.error.issues) problems.push({ file: lf.file, path: zodPath(issue.path), message: issue.message });
        continue;
      }
      lessons.push(l.data);
      lessonFiles.set(l.data.id, lf.file);
    }
    packs.push({ manifest: m.data, lessons: lessons.sort((a, b) => a.order - b.order) });
    packFiles.push({ manifest: rp.manifest.file, lessons: lessonFiles });
  }

  const concepts = new Map<string, Concept>();
  const questions: CatalogQuestion[] = [];
  const questionFiles = new Map<string, string>();
  const lessonIds = new Set<string>();
  for (const pack of packs) for (const c of pack.manifest.concepts) concepts.set(c.id, c);
  for (const pack of packs) for (const l of pack.lessons) lessonIds.add(l.id);

  let maxOrder = 0;
  for (const [pi, pack] of packs.entries()) {
    const files = packFiles[pi]?.lessons ?? new Map<string, string>();
    const manifestFile = packFiles[pi]?.manifest ?? pack.manifest.id;
    for (const c of pack.manifest.concepts) {
      for (const p of c.prerequisites) {
        if (!concepts.has(p)) problems.push({ file: manifestFile, path: `concepts.${c.id}.prerequisites`, message: `"${p}" is not a declared concept` });
      }
    }
    for (const lesson of pack.lessons) {
      const file = files.get(lesson.id) ?? manifestFile;
      maxOrder = Math.max(maxOrder, lesson.order);
      for (const c of lesson.concepts) if (!concepts.has(c)) problems.push({ file, path: "concepts", message: `"${c}" is not a concept declared in pack.yaml` });
      for (const p of lesson.prerequisites) if (!lessonIds.has(p)) problems.push({ file, path: "prerequisites", message: `"${p}" is not a lesson id` });
      lesson.questions.forEach((q, i) => {
        checkQuestion(q, file, `questions[${i}]`, problems, concepts);
        const seen = questionFiles.get(q.id);
        if (seen) problems.push({ file, path: `questions[${i}].id`, message: `question id "${q.id}" is already used in ${seen}` });
        questionFiles.set(q.id, file);
        questions.push({ question: q, packId: pack.manifest.id, setId: lesson.id, setOrder: lesson.order, topics: [lesson.id, ...lesson.topics, ...lesson.concepts] });
      });
    }
  }
  for (const [pi, pack] of packs.entries()) {
    const file = packFiles[pi]?.manifest ?? pack.manifest.id;
    pack.manifest.practice.forEach((set, si) => {
      set.questions.forEach((q, i) => {
        checkQuestion(q, file, `practice[${si}].questions[${i}]`, problems, concepts);
        const seen = questionFiles.get(q.id);
        if (seen) problems.push({ file, path: `practice[${si}].questions[${i}].id`, message: `question id "${q.id}" is already used in ${seen}` });
        questionFiles.set(q.id, file);
        questions.push({ question: q, packId: pack.manifest.id, setId: set.id, setOrder: maxOrder + 1 + si, topics: [set.id, ...set.topics, ...q.concepts] });
      });
    });
  }
  const titles = new Map<string, string>();
  for (const rp of raw) {
    if (!rp.sources) continue;
    const parsed = sourceTitlesSchema.safeParse(rp.sources.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ file: rp.sources.file, path: zodPath(issue.path), message: issue.message });
      continue;
    }
    for (const entry of parsed.data) titles.set(entry.file, entry.title);
  }
  if (problems.length > 0) return { ok: false, problems };
  const warnings: ContentProblem[] = [];
  for (const [pi, pack] of packs.entries()) {
    const untitled = new Set<string>();
    for (const lesson of pack.lessons) for (const src of lesson.sources) if (isSeedFileName(src.file) && !titles.has(src.file)) untitled.add(src.file);
    for (const file of untitled) {
      warnings.push({ file: packFiles[pi]?.manifest.replace(/pack\.yaml$/, "sources.yaml") ?? "sources.yaml", path: "", message: `source "${file}" has no title: learners see "${sourceDisplayName(file, undefined)}"; add {file: ${file}, title: ...}` });
    }
  }

  // Course order: lesson by lesson, easier questions first within a lesson, then practice sets.
  const rank = { intro: 0, intermediate: 1, advanced: 2, mastery: 3 } as const;
  const position = new Map(questions.map((q, i) => [q, i]));
  questions.sort((a, b) => a.setOrder - b.setOrder || rank[a.question.difficulty] - rank[b.question.difficulty] || position.get(a)! - position.get(b)!);
  const allLessons = packs.flatMap((p) => p.lessons);
  const byQuestion = new Map(questions.map((q) => [q.question.id, q]));
  const byLesson = new Map(allLessons.map((l) => [l.id, l]));
  const topicSet = new Set<string>();
  for (const q of questions) for (const t of q.topics) topicSet.add(t);
  for (const l of allLessons) for (const t of [l.id, ...l.topics]) topicSet.add(t);
  const topicList = [...topicSet].sort();
  return {
    ok: true,
    catalog: {
      packs,
      lessons: allLessons,
      concepts: [...concepts.values()],
      questions,
      question: (id) => byQuestion.get(id),
      lesson: (id) => byLesson.get(id),
      topics: () => topicList,
      sourceName: (file) => sourceDisplayName(file, titles.get(file)),
    },
    warnings,
  };
}
