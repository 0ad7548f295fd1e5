/**
 * The team export: one CSV (RFC 4180, CRLF, UTF-8 with a BOM so Excel reads
 * names right) holding three tables told apart by the `section` column:
 * learners, lessons (and practice sets) and concepts. Quoting and the guard
 * against formula injection (a cell starting with =, +, -, @, tab or CR gets a
 * leading apostrophe, as OWASP advises) are csv-stringify's.
 *
 * Privacy: a private member is printed as "anonymous", never with their name
 * or id; no learner id is printed at all. Anonymous rows come after the named
 * ones, ordered by their printed figures only, so their order says nothing
 * about who they are.
 *
 * Figures: accuracy and shares are decimals with 3 places (0.667), which
 * spreadsheets read as numbers and can format as percentages; empty when
 * there is nothing to divide by. A card is one learner x one course question;
 * "seen" counts cards reviewed at least once (mastered ones included),
 * "mastered" those whose FSRS retrievability today is at least 90%
 * (core/charts/mastery-data.ts).
 */
import { stringify } from "csv-stringify/sync";
import { cardStanding, type LessonQuestions } from "./charts/mastery-data.js";
import type { Catalog } from "./content/catalog.js";
import type { TeamMember, TeamTotals } from "./ports.js";
import { viewStreak } from "./streak.js";
import { localDate } from "./time.js";
import { ANONYMOUS } from "./identity.js";

export { ANONYMOUS };

export const TEAM_EXPORT_COLUMNS = [
  "section",
  "id",
  "name",
  "answers",
  "correct",
  "accuracy",
  "current_streak",
  "longest_streak",
  "cards",
  "cards_seen",
  "cards_mastered",
  "seen_share",
  "mastered_share",
] as const;

export type TeamExportColumn = (typeof TEAM_EXPORT_COLUMNS)[number];
export type TeamExportSection = "learner" | "lesson" | "concept";

/** A member as the export reads it; `timezone`, when the store gives it, is the zone their streak days are counted in. */
export type ExportMember = TeamMember & { timezone?: string | null };

export interface TeamExportInput {
  catalog: Pick<Catalog, "lessons" | "packs" | "concepts" | "questions">;
  members: readonly ExportMember[];
  totals: TeamTotals;
  now: Date;
  /** Today's date for learners without a zone of their own, and for the file name. */
  zone: string;
  /** The workspace's name or id, for the file name and the description. */
  workspaceLabel: string;
}

export interface TeamExport {
  csv: string;
  fileName: string;
  description: string;
  rows: { learners: number; anonymous: number; lessons: number; concepts: number };
}

type Row = Record<TeamExportColumn, string>;

interface CardCounts {
  cards: number;
  seen: number;
  mastered: number;
}

const CHALLENGE_SET = "challenge";

/** Lessons in course order, then practice sets pack by pack, each with its questions in course order. */
export function courseSets(catalog: Pick<Catalog, "lessons" | "packs" | "questions">): LessonQuestions[] {
  const bySet = new Map<string, string[]>();
  for (const q of catalog.questions) {
    const ids = bySet.get(q.setId) ?? [];
    ids.push(q.question.id);
    bySet.set(q.setId, ids);
  }
  const lessons = [...catalog.lessons].sort((a, b) => a.order - b.order);
  const practice = catalog.packs.flatMap((p) => p.manifest.practice);
  return [...lessons, ...practice].map((s) => ({ id: s.id, title: s.title, questionIds: bySet.get(s.id) ?? [] }));
}

/** Each concept in catalog order with the questions tagged with it. */
export function conceptQuestions(catalog: Pick<Catalog, "concepts" | "questions">): LessonQuestions[] {
  return catalog.concepts.map((c) => ({
    id: c.id,
    title: c.title,
    questionIds: catalog.questions.filter((q) => q.question.concepts.includes(c.id)).map((q) => q.question.id),
  }));
}

/**
 * Every member's standing on every course question, worked out once (one
 * ts-fsrs call per card): per member, and summed per question across members.
 */
interface Standings {
  byMember: CardCounts[];
  byQuestion: Map<string, { seen: number; mastered: number }>;
  members: number;
}

function standings(courseQuestions: readonly string[], members: readonly TeamMember[], now: Date): Standings {
  const byQuestion = new Map(courseQuestions.map((q) => [q, { seen: 0, mastered: 0 }]));
  const byMember = members.map((m) => {
    const counts: CardCounts = { cards: courseQuestions.length, seen: 0, mastered: 0 };
    for (const [q, card] of Object.entries(m.cards)) {
      const total = byQuestion.get(q);
      if (!total) continue;
      const standing = cardStanding(card, now);
      if (standing === "not-seen") continue;
      counts.seen += 1;
      total.seen += 1;
      if (standing === "mastered") {
        counts.mastered += 1;
        total.mastered += 1;
      }
    }
    return counts;
  });
  return { byMember, byQuestion, members: members.length };
}

/** A lesson's or concept's cards: its questions x every member. */
function setCounts(questionIds: readonly string[], s: Standings): CardCounts {
  const out: CardCounts = { cards: questionIds.length * s.members, seen: 0, mastered: 0 };
  for (const q of questionIds) {
    const total = s.byQuestion.get(q);
    out.seen += total?.seen ?? 0;
    out.mastered += total?.mastered ?? 0;
  }
  return out;
}

const decimal = (part: number, whole: number): string => (whole > 0 ? (part / whole).toFixed(3) : "");

function figures(answers: { answered: number; correct: number } | undefined, cards: CardCounts | null): Omit<Row, "section" | "id" | "name" | "current_streak" | "longest_streak"> {
  const answered = answers?.answered ?? 0;
  const correct = answers?.correct ?? 0;
  return {
    answers: String(answered),
    correct: String(correct),
    accuracy: decimal(correct, answered),
    cards: cards ? String(cards.cards) : "",
    cards_seen: cards ? String(cards.seen) : "",
    cards_mastered: cards ? String(cards.mastered) : "",
    seen_share: cards ? decimal(cards.seen, cards.cards) : "",
    mastered_share: cards ? decimal(cards.mastered, cards.cards) : "",
  };
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function learnerRows(input: TeamExportInput, s: Standings): Row[] {
  const rows = input.members.map((m, i) => {
    const today = localDate(input.now, m.timezone || input.zone);
    const streak = viewStreak(m.streak, today);
    const named = !m.private && m.name.trim() !== "";
    const row: Row = {
      section: "learner",
      id: "",
      name: m.private ? ANONYMOUS : named ? m.name : "(no name)",
      current_streak: String(streak.current),
      longest_streak: String(streak.longest),
      ...figures(m, s.byMember[i]!),
    };
    return { row, private: m.private, id: m.learnerId, answered: m.answered };
  });
  const named = rows
    .filter((r) => !r.private)
    .sort((a, b) => collator.compare(a.row.name, b.row.name) || byCodeUnits(a.row.name, b.row.name) || byCodeUnits(a.id, b.id));
  // Only printed figures order the anonymous rows: rows that tie are identical, so nothing tells them apart.
  const printed = (r: Row) => TEAM_EXPORT_COLUMNS.map((c) => r[c]).join("\u0000");
  const anonymous = rows.filter((r) => r.private).sort((a, b) => b.answered - a.answered || byCodeUnits(printed(a.row), printed(b.row)));
  return [...named, ...anonymous].map((r) => r.row);
}

/** Rows for ids with answers that the course no longer (or never) listed: written challenges, removed lessons. */
function strayIds(counts: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(counts)
    .filter((id) => !known.has(id))
    .sort(byCodeUnits);
}

function tableRows(
  section: "lesson" | "concept",
  sets: readonly LessonQuestions[],
  counts: TeamTotals["bySet"],
  s: Standings,
  strayTitle: (id: string) => string,
): Row[] {
  const known = new Set(sets.map((s) => s.id));
  const listed = sets.map((set) => ({ id: set.id, title: set.title, cards: setCounts(set.questionIds, s) as CardCounts | null }));
  const stray = strayIds(counts, known).map((id) => ({ id, title: strayTitle(id), cards: null }));
  return [...listed, ...stray].map((r) => ({ section, id: r.id, name: r.title, current_streak: "", longest_streak: "", ...figures(counts[r.id], r.cards) }));
}

/** A file-name-safe form of the workspace label: lower-case ASCII letters, digits and dashes. */
export function safeLabel(label: string): string {
  const slug = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "workspace";
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function teamExportCsv(input: TeamExportInput): TeamExport {
  const sets = courseSets(input.catalog);
  const concepts = conceptQuestions(input.catalog);
  const s = standings(
    input.catalog.questions.map((q) => q.question.id),
    input.members,
    input.now,
  );
  const learners = learnerRows(input, s);
  const lessons = tableRows("lesson", sets, input.totals.bySet, s, (id) => (id === CHALLENGE_SET ? "Challenges" : id));
  const conceptRows = tableRows("concept", concepts, input.totals.byConcept, s, (id) => id);
  const records = [...learners, ...lessons, ...conceptRows].map((r) => TEAM_EXPORT_COLUMNS.map((c) => r[c]));
  const csv = stringify(records, {
    header: true,
    columns: [...TEAM_EXPORT_COLUMNS],
    bom: true,
    record_delimiter: "windows",
    // With an explicit record delimiter csv-stringify would quote only fields holding "\r\n": a lone LF or CR must be quoted too.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  const anonymous = input.members.filter((m) => m.private).length;
  const day = localDate(input.now, input.zone);
  const description =
    `Team export for ${input.workspaceLabel}: ${count(learners.length, "learner", "learners")}` +
    `${anonymous ? ` (${anonymous} anonymous)` : ""}, ${count(lessons.length, "lesson or practice set", "lessons and practice sets")}, ` +
    `${count(conceptRows.length, "concept", "concepts")}`;
  return {
    csv,
    fileName: `drillbot-team-${safeLabel(input.workspaceLabel)}-${day}.csv`,
    description,
    rows: { learners: learners.length, anonymous, lessons: lessons.length, concepts: conceptRows.length },
  };
}
