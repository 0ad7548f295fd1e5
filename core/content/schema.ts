/**
 * The one schema every course pack is validated against (at start-up and by
 * `drillbot content check`). Pure: zod only, no file access.
 */
import { z } from "zod";

export const DIFFICULTIES = ["intro", "intermediate", "advanced", "mastery"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes (e.g. \"connection-pooling\")");

export const sourceRefSchema = z.strictObject({
  /** Seed file name, e.g. "002_ffd6d345a68e74eb.txt", or a URL / document title for imported packs. */
  file: z.string().min(1),
  /** Section, heading or question id inside that file. */
  section: z.string().min(1),
});

const optionSchema = z.strictObject({
  id: z.string().regex(/^[a-z]$/, "option ids are single lower-case letters a-f"),
  text: z.string().min(1),
  /** Why this option is right, or precisely why it is wrong here. */
  explanation: z.string().min(1),
});

const questionBase = {
  /** At most 60 characters, so a button id (platform limit 100) can always carry it. */
  id: slug.max(60, "a question id has at most 60 characters (it travels inside button ids)"),
  difficulty: z.enum(DIFFICULTIES),
  concepts: z.array(slug).min(1),
  source: sourceRefSchema,
  stem: z.string().min(1),
  /** The reasoning behind the correct answer, shown after every answer. */
  explanation: z.string().min(1),
};

export const singleQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("single"),
  options: z.array(optionSchema).min(2).max(6),
  answer: z.string(),
});

export const multiQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("multi"),
  options: z.array(optionSchema).min(3).max(6),
  /** Every option id that must be selected (and no other). */
  answer: z.array(z.string()).min(1),
});

export const trueFalseQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("truefalse"),
  answer: z.boolean(),
  /** Why someone answering the opposite is wrong. */
  wrongExplanation: z.string().min(1),
});

export const orderQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("order"),
  /** Items in any display order; each explanation says where it belongs and why. */
  options: z.array(optionSchema).min(3).max(6),
  /** Option ids in the correct order. */
  answer: z.array(z.string()).min(3),
});

export const numericQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("numeric"),
  answer: z.strictObject({
    value: z.number(),
    /** Absolute tolerance: answers within value ± tolerance are correct. */
    tolerance: z.number().nonnegative(),
    unit: z.string().optional(),
  }),
  /** Explains the most common wrong estimate and why it is off. */
  wrongExplanation: z.string().min(1),
});

export const textQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("text"),
  /** Accepted answers; compared case-, space- and punctuation-insensitively. */
  answer: z.array(z.string().min(1)).min(1),
  wrongExplanation: z.string().min(1),
});

export const questionSchema = z.discriminatedUnion("type", [
  singleQuestionSchema,
  multiQuestionSchema,
  trueFalseQuestionSchema,
  orderQuestionSchema,
  numericQuestionSchema,
  textQuestionSchema,
]);

export const lessonCardSchema = z.strictObject({
  title: z.string().min(1).optional(),
  /** Markdown; chat-sized (at most 1,800 characters). */
  body: z.string().min(1).max(1800, "a lesson card must fit in one chat message: at most 1,800 characters"),
});

export const lessonSchema = z.strictObject({
  id: slug,
  /** Position in the course; lessons are taught in ascending order. */
  order: z.number().int().nonnegative(),
  title: z.string().min(1),
  /** Short words a learner may type after /learn or /quiz, e.g. ["indexes", "btree"]. */
  topics: z.array(slug).default([]),
  concepts: z.array(slug).min(1),
  /** Lesson ids to read first. */
  prerequisites: z.array(slug).default([]),
  summary: z.string().min(1).optional(),
  learningOutcomes: z.array(z.string().min(1)).default([]),
  cards: z.array(lessonCardSchema).min(1),
  takeaways: z.array(z.string().min(1)).min(1),
  sources: z.array(sourceRefSchema).min(1),
  questions: z.array(questionSchema).default([]),
});

export const conceptSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  /** Concept ids this one builds on. */
  prerequisites: z.array(slug).default([]),
});

/** A pack's manifest (`pack.yaml`); lessons live in their own files beside it. */
export const packManifestSchema = z.strictObject({
  id: slug,
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  version: z.number().int().positive().default(1),
  concepts: z.array(conceptSchema).min(1),
  /** Questions not tied to one lesson, e.g. interleaved practice mixing concepts. */
  practice: z
    .array(
      z.strictObject({
        id: slug,
        title: z.string().min(1),
        topics: z.array(slug).default([]),
        questions: z.array(questionSchema).min(1),
      }),
    )
    .default([]),
});

/**
 * A pack's optional `sources.yaml`: the title learners see for each source
 * file, so internal file names never reach them.
 */
export const sourceTitlesSchema = z.array(
  z.strictObject({
    /** The file name used in lessons' `sources`, e.g. "001_48243fd5ffae3432.txt". */
    file: z.string().min(1),
    /** What learners see, e.g. "Databases at Scale". */
    title: z.string().min(1).max(120, "a source title has at most 120 characters"),
  }),
);

export type SourceRef = z.infer<typeof sourceRefSchema>;
export type Option = z.infer<typeof optionSchema>;
export type Question = z.infer<typeof questionSchema>;
export type QuestionType = Question["type"];
export type Lesson = z.infer<typeof lessonSchema>;
export type LessonCard = z.infer<typeof lessonCardSchema>;
export type Concept = z.infer<typeof conceptSchema>;
export type PackManifest = z.infer<typeof packManifestSchema>;
export type PracticeSet = PackManifest["practice"][number];
