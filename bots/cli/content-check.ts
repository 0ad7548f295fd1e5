/**
 * `drillbot content check [--json]`: validate every pack, print counts and the
 * answer-cue figures, and fail when a pack can be beaten by test-taking cues
 * (see core/content/answer-cues.ts for the limits).
 */
import { cueFigures, cueProblems, measureCues } from "../../core/content/answer-cues.js";
import { formatProblem } from "../../core/content/catalog.js";
import { loadCatalog } from "../content/load-packs.js";

export async function contentCheck(contentRoot: string, json: boolean, out: (line: string) => void): Promise<number> {
  const result = await loadCatalog(contentRoot);
  if (!result.ok) {
    const shown = result.problems.slice(0, 20);
    for (const p of shown) out(formatProblem(p));
    if (result.problems.length > shown.length) out(`... and ${result.problems.length - shown.length} more problems`);
    out(`content check failed: ${result.problems.length} problem(s). Fix the fields named above and run it again.`);
    return 1;
  }
  const c = result.catalog;
  const all = c.questions.map((q) => q.question);
  const types: Record<string, number> = {};
  for (const q of all) types[q.type] = (types[q.type] ?? 0) + 1;
  const counts = { packs: c.packs.length, lessons: c.lessons.length, questions: c.questions.length, concepts: c.concepts.length, types };
  const packs = c.packs.map((p) => {
    const questions = c.questions.filter((q) => q.packId === p.manifest.id).map((q) => q.question);
    const cues = measureCues(questions);
    return { id: p.manifest.id, cues, problems: cueProblems(questions, cues) };
  });
  const failing = packs.filter((p) => p.problems.length > 0);
  if (json) {
    out(
      JSON.stringify({
        ...counts,
        cues: cueFigures(measureCues(all)),
        packCues: Object.fromEntries(packs.map((p) => [p.id, cueFigures(p.cues)])),
        ...(failing.length ? { cueProblems: Object.fromEntries(failing.map((p) => [p.id, p.problems])) } : {}),
        ...(result.warnings.length ? { warnings: result.warnings.map(formatProblem) } : {}),
      }),
    );
  } else {
    out(`content ok: ${counts.packs} pack(s), ${counts.lessons} lessons, ${counts.questions} questions, ${counts.concepts} concepts`);
    for (const p of packs) {
      const f = cueFigures(p.cues);
      out(
        `  ${p.id}: answer cues: correct option longest in ${Math.round(f.longestCorrectShare * 100)}% of single choice, ` +
          `key/distractor length ${f.lengthRatioMedian.toFixed(2)}x, True ${Math.round(f.trueShare * 100)}% of true/false, ` +
          `${Math.round(f.multiSameCountShare * 100)}% of multiple select share one count of right options`,
      );
    }
    for (const w of result.warnings) out(`warning: ${formatProblem(w)}`);
  }
  if (failing.length > 0) {
    for (const p of failing) for (const problem of p.problems) out(`${p.id}: ${problem}`);
    out(`content check failed: ${failing.length} pack(s) can be answered from the form of the options, not knowledge. Rewrite the questions named above.`);
    return 1;
  }
  return 0;
}
