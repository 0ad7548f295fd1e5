/**
 * Converts a generated course JSON (`{ course: { micro_concepts, segments,
 * interleaved_practice, ... } }`, or the course object itself) into a course
 * pack. Pure: text or parsed data in, pack data or one clear error out.
 *
 * - micro_concepts → the pack's concepts (ordered by sequence_order; their
 *   learning outcomes are kept in the description, the schema has no field).
 * - segments → one lesson each, in sequence_number order. The source holds
 *   an outline, not the lesson text, so the cards say so and point at the
 *   segment's material (url); outcomes become learningOutcomes and takeaways.
 *   Lesson prerequisites come from the concept graph: the latest earlier
 *   lesson on the same concept and on each prerequisite concept.
 * - interleaved_practice → one practice set: each question mixes concepts on
 *   purpose, so it is not pinned to one lesson.
 */
import { z } from "zod";
import type { Difficulty } from "../schema.js";
import {
  DIFFICULTY_HELP,
  GENERATED_RIGHT_EXPLANATION,
  GENERATED_WRONG_EXPLANATION,
  OPTION_LETTERS,
  SlugAllocator,
  cardsFrom,
  fail,
  lessonFileName,
  mapDifficulty,
  slugify,
  type ImportOptions,
  type ImportResult,
  type LessonData,
  type ManifestData,
  type QuestionData,
} from "./imported-pack.js";
import { describeJsonError } from "./json-error.js";

const list = z
  .array(z.string())
  .nullish()
  .transform((v) => (v ?? []).map((s) => s.trim()).filter(Boolean));
const num = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, "expected a number").transform(Number)]);
const optText = z.string().nullish();
const level = z.union([z.string(), z.number()]).nullish();

const conceptInput = z.looseObject({
  concept_id: z.string().trim().min(1),
  name: z.string().trim().min(1),
  description: optText,
  prerequisites: list,
  learning_outcomes: list,
  sequence_order: num.nullish(),
  difficulty_level: level,
});

const segmentInput = z.looseObject({
  segment_id: z.string().trim().min(1),
  title: z.string().trim().min(1),
  sequence_number: num.nullish(),
  micro_concept_id: z.string().trim().min(1),
  concepts_taught: list,
  learning_outcomes: list,
  prerequisites: list,
  description: optText,
  before_you_start: optText,
  url: optText,
  duration_seconds: num.nullish(),
});

const questionInput = z.looseObject({
  question_id: z.union([z.string(), z.number()]).nullish(),
  question: z.string().trim().min(1),
  options: z.array(z.string()),
  correct_option_index: num,
  option_explanations: z.array(z.string().nullable()).nullish(),
  discrimination_explanation: optText,
  related_micro_concepts: list,
  difficulty: level,
});

const courseInput = z.looseObject({
  title: optText,
  course_id: z.union([z.string(), z.number()]).nullish(),
  description: optText,
  final_learning_outcomes: list,
  target_difficulty: level,
  micro_concepts: z.array(conceptInput).min(1, "a course needs at least one micro-concept"),
  segments: z.array(segmentInput).nullish().transform((v) => v ?? []),
  interleaved_practice: z.array(questionInput).nullish().transform((v) => v ?? []),
});

type CourseInput = z.infer<typeof courseInput>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The course object inside `data` (wrapped in `course` or not), if it looks like a course JSON. */
export function findCourse(data: unknown): { course: Record<string, unknown>; prefix: string } | undefined {
  if (isObject(data) && isObject(data.course) && "micro_concepts" in data.course) return { course: data.course, prefix: "course." };
  if (isObject(data) && "micro_concepts" in data) return { course: data, prefix: "" };
  return undefined;
}

export function importCourseJson(text: string, opts: ImportOptions): ImportResult {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch {
    return fail(`${opts.fileName}: not valid JSON: ${describeJsonError(src)}`);
  }
  return importCourseData(data, opts);
}

function zodPath(prefix: string, path: PropertyKey[]): string {
  const p = path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("");
  return `${prefix}${p}`.replace(/\.$/, "") || "the top level";
}

export function importCourseData(data: unknown, opts: ImportOptions): ImportResult {
  const found = findCourse(data);
  if (!found) return fail(`${opts.fileName}: not a course JSON: no "course.micro_concepts" list`);
  const parsed = courseInput.safeParse(found.course);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0]!;
    const why =
      first.code === "invalid_type" && / received undefined$/.test(first.message)
        ? `is missing (expected ${first.expected})`
        : first.message.replace(/^Invalid input: /, "");
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    return fail(`${opts.fileName}: ${zodPath(found.prefix, first.path)}: ${why}${more}`);
  }
  return convert(parsed.data, found.prefix, opts);
}

function ordered<T>(items: T[], key: (t: T) => number | null | undefined): { item: T; index: number }[] {
  return items
    .map((item, index) => ({ item, index, k: key(item) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.k - b.k || a.index - b.index)
    .map(({ item, index }) => ({ item, index }));
}

function convert(course: CourseInput, prefix: string, opts: ImportOptions): ImportResult {
  const where = (list: string, index: number, id: string) => `${opts.fileName}: ${prefix}${list}[${index}] ("${id}")`;
  const baseName = opts.fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  const courseTitle = course.title?.trim() || baseName || "Imported course";
  const packId = slugify(course.title ?? "") || slugify(String(course.course_id ?? "")) || slugify(baseName) || "imported-course";
  const notes: string[] = [];

  // Concepts.
  const conceptIds = new Map<string, string>();
  const conceptAlloc = new SlugAllocator();
  const concepts = ordered(course.micro_concepts, (c) => c.sequence_order);
  for (const { item: c, index } of concepts) {
    if (conceptIds.has(c.concept_id)) return fail(`${where("micro_concepts", index, c.concept_id)}: concept_id is used twice`);
    conceptIds.set(c.concept_id, conceptAlloc.take(c.concept_id, c.name));
  }
  const conceptByOriginal = new Map(course.micro_concepts.map((c) => [c.concept_id, c]));
  const manifestConcepts: ManifestData["concepts"] = [];
  for (const { item: c, index } of concepts) {
    const prerequisites: string[] = [];
    for (const p of c.prerequisites) {
      const id = conceptIds.get(p);
      if (!id) return fail(`${where("micro_concepts", index, c.concept_id)}.prerequisites: "${p}" is not a concept_id in micro_concepts`);
      if (p === c.concept_id) return fail(`${where("micro_concepts", index, c.concept_id)}.prerequisites: a concept cannot be its own prerequisite`);
      if (!prerequisites.includes(id)) prerequisites.push(id);
    }
    const outcomes = c.learning_outcomes.length > 0 ? `Learning outcomes:\n${c.learning_outcomes.map((o) => `- ${o}`).join("\n")}` : "";
    const description = [c.description?.trim(), outcomes].filter(Boolean).join("\n\n");
    manifestConcepts.push({
      id: conceptIds.get(c.concept_id)!,
      title: c.name,
      ...(description ? { description } : {}),
      prerequisites,
    });
  }

  // Lessons, one per segment.
  const setAlloc = new SlugAllocator();
  const segments = ordered(course.segments, (s) => s.sequence_number);
  const lessons: { fileName: string; data: LessonData }[] = [];
  const lessonConcept: string[] = [];
  for (const [pos, { item: s, index }] of segments.entries()) {
    const concept = conceptByOriginal.get(s.micro_concept_id);
    if (!concept) return fail(`${where("segments", index, s.segment_id)}.micro_concept_id: "${s.micro_concept_id}" is not a concept_id in micro_concepts`);
    const conceptId = conceptIds.get(s.micro_concept_id)!;
    const id = setAlloc.take(s.title, s.segment_id);
    const order = pos + 1;
    const part = `part ${order} of ${segments.length}`;

    // Prerequisites: the latest earlier lesson on this concept and on each prerequisite concept.
    const prerequisites: string[] = [];
    for (const c of [conceptId, ...(manifestConcepts.find((mc) => mc.id === conceptId)?.prerequisites ?? [])]) {
      const k = lessonConcept.lastIndexOf(c);
      const lessonId = k >= 0 ? lessons[k]?.data.id : undefined;
      if (lessonId && !prerequisites.includes(lessonId)) prerequisites.push(lessonId);
    }

    const minutes = s.duration_seconds ? Math.max(1, Math.round(s.duration_seconds / 60)) : undefined;
    const intro = [
      `_Lesson outline imported from "${courseTitle}" (${part}); the full lesson is the segment's own material._`,
      s.description?.trim(),
      s.before_you_start?.trim(),
    ]
      .filter(Boolean)
      .join("\n\n");
    const cards = [
      ...cardsFrom(s.title, intro, []),
      ...(s.prerequisites.length > 0 ? cardsFrom("You should already know", undefined, s.prerequisites) : []),
      ...(s.concepts_taught.length > 0 ? cardsFrom("What it covers", undefined, s.concepts_taught) : []),
      ...(s.learning_outcomes.length > 0 ? cardsFrom("Learning outcomes", "Afterwards you should be able to:", s.learning_outcomes) : []),
      ...(s.url?.trim() ? cardsFrom("Full material", `${s.url.trim()}${minutes ? ` (about ${minutes} min)` : ""}`, []) : []),
    ];
    const takeaways = [...([s.learning_outcomes, s.concepts_taught, concept.learning_outcomes].find((l) => l.length > 0) ?? [`This part covers ${concept.name}.`])];
    const sources = [
      { file: courseTitle, section: `segment ${s.segment_id}` },
      ...(s.url?.trim() ? [{ file: s.url.trim(), section: s.title }] : []),
    ];
    lessons.push({
      fileName: lessonFileName(order, id, segments.length),
      data: {
        id,
        order,
        title: s.title,
        topics: [conceptId],
        concepts: [conceptId],
        prerequisites,
        summary: `Outline of ${part} of "${courseTitle}", on ${concept.name}.`,
        learningOutcomes: [...s.learning_outcomes],
        cards,
        takeaways,
        sources,
        questions: [],
      },
    });
    lessonConcept.push(conceptId);
  }

  // Questions, as one practice set.
  const questionAlloc = new SlugAllocator();
  const questions: QuestionData[] = [];
  const courseLevel = mapDifficulty(course.target_difficulty) ?? undefined;
  const ctx: QuestionContext = { courseTitle, conceptIds, conceptByOriginal, courseLevel, generated: 0, notes };
  for (const [index, q] of course.interleaved_practice.entries()) {
    const originalId = q.question_id === undefined || q.question_id === null ? "" : String(q.question_id);
    const here = where("interleaved_practice", index, originalId || q.question.slice(0, 40));
    const id = questionAlloc.take(originalId, `${packId}-q${index + 1}`);
    const converted = toQuestion(q, id, originalId || `interleaved_practice[${index}]`, here, ctx);
    if (typeof converted === "string") return fail(converted);
    questions.push(converted);
  }
  if (ctx.generated > 0) notes.push(`${ctx.generated} option(s) had no explanation and got: "${GENERATED_WRONG_EXPLANATION}" (or the intended-answer variant)`);

  const outcomes = course.final_learning_outcomes;
  const description = [course.description?.trim(), outcomes.length > 0 ? `By the end you can:\n${outcomes.map((o) => `- ${o}`).join("\n")}` : ""]
    .filter(Boolean)
    .join("\n\n");
  const manifest: ManifestData = {
    id: packId,
    title: courseTitle,
    ...(description ? { description } : {}),
    version: 1,
    concepts: manifestConcepts,
    practice:
      questions.length > 0
        ? [{ id: setAlloc.take(`${packId}-practice`, "practice"), title: "Interleaved practice", topics: ["practice"], questions }]
        : [],
  };
  return { ok: true, format: "course JSON", pack: { manifest, lessons }, notes };
}

interface QuestionContext {
  courseTitle: string;
  conceptIds: ReadonlyMap<string, string>;
  conceptByOriginal: ReadonlyMap<string, CourseInput["micro_concepts"][number]>;
  courseLevel: Difficulty | undefined;
  /** Counts options that got a generated explanation. */
  generated: number;
  notes: string[];
}

/** One interleaved-practice question as a single-choice question, or the message for what is wrong with it. */
function toQuestion(q: CourseInput["interleaved_practice"][number], id: string, section: string, here: string, ctx: QuestionContext): QuestionData | string {
  if (q.options.length < 2 || q.options.length > OPTION_LETTERS.length) {
    return `${here}.options: a question needs 2 to ${OPTION_LETTERS.length} options, this one has ${q.options.length}`;
  }
  const blank = q.options.findIndex((o) => !o.trim());
  if (blank >= 0) return `${here}.options[${blank}]: the option text is empty`;
  const answer = q.correct_option_index;
  if (!Number.isInteger(answer) || answer < 0 || answer >= q.options.length) {
    return `${here}.correct_option_index: ${answer} is not an option; use 0 to ${q.options.length - 1} (counted from 0)`;
  }
  const explanations = q.option_explanations ?? [];
  if (explanations.length > q.options.length) return `${here}.option_explanations: ${explanations.length} explanations for ${q.options.length} options`;
  const options = q.options.map((text, i) => {
    const own = explanations[i]?.trim();
    if (!own) ctx.generated++;
    return { id: OPTION_LETTERS[i]!, text: text.trim(), explanation: own || (i === answer ? GENERATED_RIGHT_EXPLANATION : GENERATED_WRONG_EXPLANATION) };
  });
  const correctOwn = explanations[answer]?.trim();
  const explanation = q.discrimination_explanation?.trim() || correctOwn || `The intended answer is "${options[answer]!.text}".`;
  if (!q.discrimination_explanation?.trim() && !correctOwn) ctx.notes.push(`question "${id}" has no explanation; it says only which answer is intended`);

  const concepts: string[] = [];
  for (const c of q.related_micro_concepts) {
    const cid = ctx.conceptIds.get(c);
    if (!cid) return `${here}.related_micro_concepts: "${c}" is not a concept_id in micro_concepts`;
    if (!concepts.includes(cid)) concepts.push(cid);
  }
  if (concepts.length === 0) return `${here}.related_micro_concepts: list at least one concept_id the question is about`;

  const stated = mapDifficulty(q.difficulty);
  if (stated === null) return `${here}.difficulty: "${String(q.difficulty)}" is not a difficulty; ${DIFFICULTY_HELP}`;
  const firstConcept = ctx.conceptByOriginal.get(q.related_micro_concepts[0]!);
  const difficulty: Difficulty = stated ?? mapDifficulty(firstConcept?.difficulty_level) ?? ctx.courseLevel ?? "intermediate";

  return {
    id,
    type: "single",
    difficulty,
    concepts,
    source: { file: ctx.courseTitle, section },
    stem: q.question.trim(),
    options,
    answer: OPTION_LETTERS[answer]!,
    explanation,
  };
}
