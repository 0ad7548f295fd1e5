/** Builds the neutral replies for lessons and questions. */
import { answerHint } from "../answer-input.js";
import type { Catalog } from "../content/catalog.js";
import type { Lesson, Question } from "../content/schema.js";
import type { Choice, QuestionRef, Reply } from "../replies.js";
import { choiceOrder } from "./choice-order.js";

export function choicesFor(sessionId: string, q: Question): Choice[] {
  if (q.type === "truefalse") return [{ id: "true", label: "True" }, { id: "false", label: "False" }];
  if (q.type !== "single" && q.type !== "multi" && q.type !== "order") return [];
  const byId = new Map(q.options.map((o) => [o.id, o]));
  return choiceOrder(sessionId, q).map((id) => ({ id, label: byId.get(id)!.text }));
}

export function questionReply(catalog: Catalog, ref: QuestionRef, total: number, title?: string): Reply {
  const entry = catalog.question(ref.questionId);
  if (!entry) throw new Error(`question ${ref.questionId} is not in the catalog`);
  const q = entry.question;
  return {
    type: "question",
    ref,
    questionType: q.type,
    stem: q.stem,
    choices: choicesFor(ref.sessionId, q),
    hint: answerHint(q),
    difficulty: q.difficulty,
    position: { index: ref.index, total },
    title: title ?? catalog.lesson(entry.setId)?.title ?? entry.setId,
  };
}

export function lessonReply(catalog: Catalog, lesson: Lesson): Reply {
  const index = catalog.lessons.findIndex((l) => l.id === lesson.id);
  const next = catalog.lessons[index + 1];
  return {
    type: "lesson",
    lessonId: lesson.id,
    title: lesson.title,
    cards: lesson.cards,
    takeaways: lesson.takeaways,
    // Learners see titles, never internal file names.
    sources: lesson.sources.map((s) => ({ file: catalog.sourceName(s.file), section: s.section })),
    position: { index, total: catalog.lessons.length },
    next: next ? next.topics[0] ?? next.id : null,
  };
}
