/**
 * What every importer returns, and the small helpers they share: slugs that
 * stay unique, difficulty words, option letters, chat-sized cards. Pure.
 */
import type { z } from "zod";
import { DIFFICULTIES, type Difficulty, type lessonSchema, type packManifestSchema } from "../schema.js";

export type ManifestData = z.input<typeof packManifestSchema>;
export type LessonData = z.input<typeof lessonSchema>;
export type QuestionData = NonNullable<LessonData["questions"]>[number];
export type CardData = LessonData["cards"][number];

export interface ImportedPack {
  manifest: ManifestData;
  /** `fileName` is relative to the pack's `lessons/` folder, e.g. "01-diagnose-bottlenecks.yaml". */
  lessons: { fileName: string; data: LessonData }[];
}

/** One problem of a failed import, by file, place (e.g. `row 4 (line 5), column "answer"`) and message. */
export interface ImportProblem {
  file: string;
  path: string;
  message: string;
}

export type ImportResult =
  | { ok: true; pack: ImportedPack; format: ImportFormat; notes: string[] }
  /** `error` is the first problem as one line; `problems` (question tables) lists every bad row. */
  | { ok: false; error: string; problems?: ImportProblem[] };

export type ImportFormat = "course JSON" | "question table";

export interface ImportOptions {
  /** Name of the file being imported (no folders needed): used for the pack id/title fallback and sources. */
  fileName: string;
}

export const fail = (error: string, problems?: ImportProblem[]): { ok: false; error: string; problems?: ImportProblem[] } =>
  problems ? { ok: false, error, problems } : { ok: false, error };

const MAX_SLUG = 60;

/** Lower-case a-z, 0-9 and single dashes; "" when nothing usable is left. */
export function slugify(text: string): string {
  const s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length <= MAX_SLUG) return s;
  const cut = s.slice(0, MAX_SLUG);
  const dash = cut.lastIndexOf("-");
  return (dash > MAX_SLUG / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, "");
}

/** Hands out slugs that are unique within one namespace ("x", "x-2", "x-3", ...). */
export class SlugAllocator {
  private readonly used = new Set<string>();

  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t);
  }

  take(text: string, fallback: string): string {
    const base = slugify(text) || slugify(fallback) || "item";
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

const DIFFICULTY_WORDS: Record<string, Difficulty> = {
  intro: "intro",
  introductory: "intro",
  introduction: "intro",
  beginner: "intro",
  basic: "intro",
  easy: "intro",
  foundational: "intro",
  fundamental: "intro",
  intermediate: "intermediate",
  medium: "intermediate",
  moderate: "intermediate",
  advanced: "advanced",
  hard: "advanced",
  difficult: "advanced",
  mastery: "mastery",
  expert: "mastery",
  "very-hard": "mastery",
};

export const DIFFICULTY_HELP = `use one of ${DIFFICULTIES.join(", ")} (or easy, medium, hard, expert, or 1-4)`;

/**
 * Maps a difficulty word or level to the schema's four levels. `undefined`
 * for blank input (the caller picks a default); `null` when it is not understood.
 */
export function mapDifficulty(value: unknown): Difficulty | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || (typeof value === "string" && /^\s*\d+(\.0+)?\s*$/.test(value))) {
    const n = Number(value);
    return n >= 1 && n <= 4 ? (DIFFICULTIES[n - 1] ?? null) : null;
  }
  if (typeof value !== "string") return null;
  const word = slugify(value);
  if (word === "") return undefined;
  return DIFFICULTY_WORDS[word] ?? null;
}

export const OPTION_LETTERS = ["a", "b", "c", "d", "e", "f"] as const;

/** Shown for an option the source gave no explanation for (the question's own explanation follows it). */
export const GENERATED_WRONG_EXPLANATION = "Not the intended answer; see the explanation.";
export const GENERATED_RIGHT_EXPLANATION = "This is the intended answer; see the explanation.";
export const GENERATED_RIGHT_MULTI_EXPLANATION = "This option is part of the intended answer; see the explanation.";

const CARD_LIMIT = 1800;

/**
 * Builds cards of at most 1,800 characters from a heading, an intro paragraph
 * and bullet lines, continuing on further cards ("title (cont.)") when long.
 */
export function cardsFrom(title: string, intro: string | undefined, bullets: string[]): CardData[] {
  const clip = (s: string) => (s.length > CARD_LIMIT ? `${s.slice(0, CARD_LIMIT - 1)}…` : s);
  const parts = [
    ...(intro?.trim() ? [{ text: clip(intro.trim()), bullet: false }] : []),
    ...bullets.filter((b) => b.trim()).map((b) => ({ text: clip(`- ${b.trim()}`), bullet: true })),
  ];
  const cards: CardData[] = [];
  const push = (body: string) => cards.push({ title: cards.length === 0 ? title : `${title} (cont.)`, body });
  let body = "";
  let lastWasBullet = false;
  for (const part of parts) {
    const sep = body === "" ? "" : part.bullet && lastWasBullet ? "\n" : "\n\n";
    if (body !== "" && body.length + sep.length + part.text.length > CARD_LIMIT) {
      push(body);
      body = part.text;
    } else {
      body = `${body}${sep}${part.text}`;
    }
    lastWasBullet = part.bullet;
  }
  if (body !== "") push(body);
  return cards;
}

/** The first sentence of a text (up to 300 characters), for takeaways. */
export function firstSentence(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  const s = m?.[1] ?? t;
  return s.length > 300 ? `${s.slice(0, 299)}…` : s;
}

export function lessonFileName(order: number, id: string, total: number): string {
  return `${String(order).padStart(total >= 100 ? 3 : 2, "0")}-${id}.yaml`;
}
