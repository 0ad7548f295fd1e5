/** `drillbot content check [--json]`: validate every pack and print counts. */
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
  const counts = { packs: c.packs.length, lessons: c.lessons.length, questions: c.questions.length, concepts: c.concepts.length };
  if (json) out(JSON.stringify(counts));
  else out(`content ok: ${counts.packs} pack(s), ${counts.lessons} lessons, ${counts.questions} questions, ${counts.concepts} concepts`);
  return 0;
}
