/**
 * Answer cues: ways a question set can be beaten without knowing the subject.
 * Pure. Measured per pack by `content check` (which fails past the limits)
 * and shown as warnings for imported packs:
 *   - the correct option is the strict longest (pick-the-longest scores);
 *   - the correct option is much longer than the distractors (median ratio);
 *   - true/false answers lean one way (always-False scores);
 *   - multiple select almost always has the same number of right options.
 */
import type { Question } from "./schema.js";

export interface AnswerCues {
  singleCount: number;
  /** Share of single-choice questions whose correct option is strictly longer than every other option. */
  longestCorrectShare: number;
  /** Median over single-choice questions of (key length / mean distractor length). */
  lengthRatioMedian: number;
  trueFalseCount: number;
  /** Share of true/false questions whose answer is True. */
  trueShare: number;
  multiCount: number;
  /** Share of multi-select questions that have the most common number of right options. */
  multiSameCountShare: number;
}

export const CUE_LIMITS = {
  longestCorrectShare: 0.35,
  lengthRatioMedian: 1.25,
  trueShareMin: 0.4,
  trueShareMax: 0.6,
  multiSameCountShare: 0.6,
} as const;

/** Below these counts a share says little, so no limit applies (a 3-question import is not "biased"). */
export const MIN_SAMPLE = { single: 10, truefalse: 6, multi: 6 } as const;

type Single = Extract<Question, { type: "single" }>;

interface SingleFigure {
  id: string;
  ratio: number;
  strictLongest: boolean;
}

function singleFigure(q: Single): SingleFigure {
  const key = q.options.find((o) => o.id === q.answer);
  const others = q.options.filter((o) => o.id !== q.answer);
  const keyLength = key ? key.text.length : 0;
  const mean = others.length ? others.reduce((s, o) => s + o.text.length, 0) / others.length : keyLength || 1;
  return { id: q.id, ratio: keyLength / (mean || 1), strictLongest: others.length > 0 && others.every((o) => keyLength > o.text.length) };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function singles(questions: readonly Question[]): SingleFigure[] {
  return questions.filter((q): q is Single => q.type === "single").map(singleFigure);
}

export function measureCues(questions: readonly Question[]): AnswerCues {
  const s = singles(questions);
  const tf = questions.filter((q) => q.type === "truefalse");
  const multi = questions.filter((q) => q.type === "multi");
  const counts = new Map<number, number>();
  for (const q of multi) counts.set(q.answer.length, (counts.get(q.answer.length) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return {
    singleCount: s.length,
    longestCorrectShare: round(s.length ? s.filter((f) => f.strictLongest).length / s.length : 0),
    lengthRatioMedian: round(median(s.map((f) => f.ratio))),
    trueFalseCount: tf.length,
    trueShare: round(tf.length ? tf.filter((q) => q.answer === true).length / tf.length : 0.5),
    multiCount: multi.length,
    multiSameCountShare: round(multi.length ? most / multi.length : 0),
  };
}

/** One message per limit exceeded, naming the worst questions so an author knows where to start. */
export function cueProblems(questions: readonly Question[], cues: AnswerCues = measureCues(questions)): string[] {
  const problems: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const worst = singles(questions)
    .filter((f) => f.strictLongest || f.ratio > CUE_LIMITS.lengthRatioMedian)
    .sort((a, b) => b.ratio - a.ratio)
    .slice(0, 5)
    .map((f) => `${f.id} (${f.ratio.toFixed(2)}x)`)
    .join(", ");
  if (cues.singleCount >= MIN_SAMPLE.single && cues.longestCorrectShare > CUE_LIMITS.longestCorrectShare) {
    problems.push(
      `the correct option is the longest in ${pct(cues.longestCorrectShare)} of single-choice questions (limit ${pct(CUE_LIMITS.longestCorrectShare)}): picking the longest option wins. Worst: ${worst}`,
    );
  }
  if (cues.singleCount >= MIN_SAMPLE.single && cues.lengthRatioMedian > CUE_LIMITS.lengthRatioMedian) {
    problems.push(
      `the correct option is typically ${cues.lengthRatioMedian.toFixed(2)}x as long as the other options (limit ${CUE_LIMITS.lengthRatioMedian}): make distractors as specific as the key. Worst: ${worst}`,
    );
  }
  if (cues.trueFalseCount >= MIN_SAMPLE.truefalse && (cues.trueShare < CUE_LIMITS.trueShareMin || cues.trueShare > CUE_LIMITS.trueShareMax)) {
    const leaning = cues.trueShare < 0.5 ? "False" : "True";
    const ids = questions.filter((q) => q.type === "truefalse" && q.answer === (leaning === "True")).map((q) => q.id);
    problems.push(
      `True is the answer in ${pct(cues.trueShare)} of true/false questions (allowed ${pct(CUE_LIMITS.trueShareMin)}-${pct(CUE_LIMITS.trueShareMax)}): always answering ${leaning} wins. Candidates to flip: ${ids.slice(0, 5).join(", ")}`,
    );
  }
  if (cues.multiCount >= MIN_SAMPLE.multi && cues.multiSameCountShare > CUE_LIMITS.multiSameCountShare) {
    const counts = new Map<number, string[]>();
    for (const q of questions) if (q.type === "multi") counts.set(q.answer.length, [...(counts.get(q.answer.length) ?? []), q.id]);
    const [n, ids] = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    problems.push(
      `${pct(cues.multiSameCountShare)} of multiple-select questions have exactly ${n} right options (limit ${pct(CUE_LIMITS.multiSameCountShare)}): vary it from 1 to all. Among them: ${ids.slice(0, 5).join(", ")}`,
    );
  }
  return problems;
}

/** The figures as `content check --json` reports them. */
export function cueFigures(c: AnswerCues): { longestCorrectShare: number; lengthRatioMedian: number; trueShare: number; multiSameCountShare: number } {
  return { longestCorrectShare: c.longestCorrectShare, lengthRatioMedian: c.lengthRatioMedian, trueShare: c.trueShare, multiSameCountShare: c.multiSameCountShare };
}
