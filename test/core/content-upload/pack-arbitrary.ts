/**
 * fast-check generator of valid, normalized packs (as parsePackYaml returns
 * them): every question type, optional fields present or absent, and text
 * that YAML must quote or fold (keywords, colons, leading spaces, line
 * breaks, non-Latin scripts).
 */
import fc from "fast-check";
import { lessonFileName, type ImportedPack, type LessonData, type ManifestData, type QuestionData } from "../../../core/content/import/imported-pack.js";
import { DIFFICULTIES } from "../../../core/content/schema.js";

const TRICKY = [
  "yes", "no", "null", "~", "true", "1.0", "0x1F", "1e3", "- item", "# not a comment", "key: value", "  leading spaces",
  "trailing spaces  ", "two\nlines", "ends with a newline\n", "blank\n\nline", "\ttab first", "'single'", '"double"', "[x, y]",
  "{a: b}", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "a #hash", "CRLF\r\nline", "ünïcødé ✓ 日本語 🚀", "---", "...",
  "\u2028separator", "bell\u0007", "|", ">", "NaN", "-0",
];
const text = (max = 40) => fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: max }), fc.constantFrom(...TRICKY));
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,18}$/);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const omitUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const LETTERS = ["a", "b", "c", "d", "e", "f"];

const options = (min: number) =>
  fc.array(fc.record({ text: text(), explanation: text() }), { minLength: min, maxLength: 6 }).map((os) => os.map((o, i) => ({ id: LETTERS[i]!, ...o })));

function question(id: string, concepts: string[]): fc.Arbitrary<QuestionData> {
  const base = fc.record({
    difficulty: fc.constantFrom(...DIFFICULTIES),
    concepts: fc.subarray(concepts, { minLength: 1 }),
    source: fc.record({ file: text(), section: text() }),
    stem: text(200),
    explanation: text(200),
  });
  const typed = fc.oneof(
    options(2).chain((os) => fc.constantFrom(...os.map((o) => o.id)).map((answer) => ({ type: "single" as const, options: os, answer }))),
    options(3).chain((os) => fc.subarray(os.map((o) => o.id), { minLength: 1 }).map((answer) => ({ type: "multi" as const, options: os, answer }))),
    options(3).chain((os) => fc.shuffledSubarray(os.map((o) => o.id), { minLength: os.length, maxLength: os.length }).map((answer) => ({ type: "order" as const, options: os, answer }))),
    fc.record({ type: fc.constant("truefalse" as const), answer: fc.boolean(), wrongExplanation: text() }),
    fc.record({
      type: fc.constant("numeric" as const),
      answer: fc
        .record({ value: fc.double({ noNaN: true, noDefaultInfinity: true }), tolerance: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), unit: maybe(text(10)) })
        .map(omitUndefined),
      wrongExplanation: text(),
    }),
    fc.record({ type: fc.constant("text" as const), answer: fc.array(text(20), { minLength: 1, maxLength: 3 }), wrongExplanation: text() }),
  );
  return fc.tuple(base, typed).map(([b, t]) => ({ id, ...b, ...t }) as QuestionData);
}

const questions = (ids: string[], concepts: string[]) => (ids.length ? fc.tuple(...ids.map((id) => question(id, concepts))) : fc.constant([] as QuestionData[]));

export const validPack: fc.Arbitrary<ImportedPack> = fc
  .record({
    conceptIds: fc.uniqueArray(slug, { minLength: 1, maxLength: 3 }),
    setIds: fc.uniqueArray(slug, { minLength: 1, maxLength: 4 }),
    questionIds: fc.uniqueArray(slug, { minLength: 1, maxLength: 8 }),
    lessonCount: fc.integer({ min: 0, max: 3 }),
  })
  .chain(({ conceptIds, setIds, questionIds, lessonCount }) => {
    const lessonIds = setIds.slice(0, Math.min(lessonCount, setIds.length));
    const practiceIds = setIds.slice(lessonIds.length);
    // Questions dealt round-robin over lessons and practice sets; every practice set needs one.
    const sets = [...lessonIds, ...practiceIds];
    const dealt = sets.map((_, i) => questionIds.filter((_, q) => q % sets.length === i));
    const concept = (id: string, i: number) =>
      fc
        .record({ title: text(), description: maybe(text(300)), prerequisites: fc.subarray(conceptIds.slice(0, i)) })
        .map((c) => omitUndefined({ id, ...c }));
    const lesson = (id: string, i: number) =>
      fc
        .record({
          order: fc.nat({ max: 500 }),
          title: text(),
          topics: fc.uniqueArray(slug, { maxLength: 3 }),
          concepts: fc.subarray(conceptIds, { minLength: 1 }),
          prerequisites: fc.subarray(lessonIds),
          summary: maybe(text(200)),
          learningOutcomes: fc.array(text(), { maxLength: 2 }),
          cards: fc.array(fc.record({ title: maybe(text()), body: text(1800) }).map(omitUndefined), { minLength: 1, maxLength: 2 }),
          takeaways: fc.array(text(), { minLength: 1, maxLength: 2 }),
          sources: fc.array(fc.record({ file: text(), section: text() }), { minLength: 1, maxLength: 2 }),
          questions: questions(dealt[i]!, conceptIds),
        })
        .map((l) => omitUndefined({ id, ...l }) as LessonData);
    const practice = (id: string, i: number) =>
      fc.record({ title: text(), topics: fc.uniqueArray(slug, { maxLength: 2 }), questions: questions(dealt[lessonIds.length + i]!, conceptIds) }).map((s) => ({ id, ...s }));
    return fc.record({
      id: slug,
      title: text(),
      description: maybe(text(300)),
      version: fc.integer({ min: 1, max: 1000 }),
      concepts: fc.tuple(...conceptIds.map(concept)),
      practice: practiceIds.length ? fc.tuple(...practiceIds.map(practice)).map((ps) => ps.filter((p) => p.questions.length > 0)) : fc.constant([]),
      lessons: lessonIds.length ? fc.tuple(...lessonIds.map(lesson)) : fc.constant([] as LessonData[]),
    });
  })
  .map(({ lessons, ...manifest }) => ({
    manifest: omitUndefined(manifest) as ManifestData,
    lessons: lessons.map((data) => ({ fileName: lessonFileName(data.order, data.id, lessons.length), data })),
  }));
