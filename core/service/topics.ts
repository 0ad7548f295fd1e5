/** Resolves what a learner typed after /learn or /quiz to lessons and questions. */
import type { Catalog, CatalogQuestion } from "../content/catalog.js";
import type { Lesson } from "../content/schema.js";

const slugify = (s: string) => s.toLowerCase().trim().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export interface TopicMatch {
  lessons: Lesson[];
  questions: CatalogQuestion[];
}

export function resolveTopic(catalog: Catalog, input: string): TopicMatch | null {
  const slug = slugify(input);
  if (!slug) return null;
  if (/^\d+$/.test(slug)) {
    const lesson = catalog.lessons.find((l) => l.order === Number(slug)) ?? catalog.lessons[Number(slug) - 1];
    return lesson ? { lessons: [lesson], questions: catalog.questions.filter((q) => q.setId === lesson.id) } : null;
  }
  // A pack id names all of the pack: "/quiz team-onboarding", "topic team-onboarding" in a channel drill.
  const pack = catalog.packs.find((p) => p.manifest.id === slug);
  if (pack) {
    const questions = catalog.questions.filter((q) => q.packId === slug);
    if (questions.length || pack.lessons.length) return { lessons: pack.lessons, questions };
  }
  const exact = (t: string) => t === slug;
  const loose = (t: string) => t.startsWith(slug) || (slug.length >= 4 && t.includes(slug));
  for (const match of [exact, loose]) {
    const questions = catalog.questions.filter((q) => q.topics.some(match));
    const lessons = catalog.lessons.filter((l) => [l.id, ...l.topics, ...l.concepts].some(match));
    if (questions.length || lessons.length) return { lessons, questions };
  }
  const titled = catalog.lessons.filter((l) => slugify(l.title).includes(slug));
  if (titled.length) return { lessons: titled, questions: catalog.questions.filter((q) => titled.some((l) => l.id === q.setId)) };
  return null;
}

/** A few topic words to suggest when a topic is unknown. */
export function suggestTopics(catalog: Catalog, limit = 12): string[] {
  return catalog.lessons.slice(0, limit).map((l) => l.topics[0] ?? l.id);
}
