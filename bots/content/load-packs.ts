/**
 * Reads course packs from disk: `<root>/packs/<pack>/pack.yaml` plus every
 * `lessons/*.yaml` (or `.md` with YAML front matter: the Markdown body becomes
 * the lesson's cards, split on `---` lines) and the optional `sources.yaml`
 * (titles of the source files), and builds the validated catalog.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { buildCatalog, type CatalogResult, type ContentProblem, type RawPack } from "../../core/content/catalog.js";

function parseFile(file: string, text: string): { data?: unknown; problem?: ContentProblem } {
  try {
    if (file.endsWith(".md")) {
      const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
      if (!m) return { problem: { file, path: "", message: "a Markdown lesson must start with YAML front matter between --- lines" } };
      const front = parseYaml(m[1] ?? "") as Record<string, unknown> | null;
      const cards = (m[2] ?? "")
        .split(/\r?\n---\r?\n/)
        .map((body) => body.trim())
        .filter(Boolean)
        .map((body) => {
          const h = /^#+\s+(.+)\r?\n([\s\S]*)$/.exec(body);
          return h ? { title: h[1]?.trim(), body: (h[2] ?? "").trim() } : { body };
        });
      return { data: { ...(front ?? {}), cards: (front as { cards?: unknown } | null)?.cards ?? cards } };
    }
    return { data: parseYaml(text) };
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : "";
    const message = err instanceof Error ? err.message.split("\n")[0] ?? "unreadable" : "unreadable";
    return { problem: { file, path: where, message: `not valid YAML: ${message}` } };
  }
}

export async function readPacks(contentRoot: string, displayRoot = contentRoot): Promise<{ packs: RawPack[]; problems: ContentProblem[] }> {
  const packsDir = path.join(contentRoot, "packs");
  const problems: ContentProblem[] = [];
  const packs: RawPack[] = [];
  let dirs: string[];
  try {
    dirs = (await readdir(packsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return { packs, problems: [{ file: path.join(displayRoot, "packs"), path: "", message: "no packs folder: add content/packs/<pack>/pack.yaml" }] };
  }
  for (const dir of dirs) {
    const show = (...p: string[]) => path.join(displayRoot, "packs", dir, ...p);
    let manifestText: string;
    try {
      manifestText = await readFile(path.join(packsDir, dir, "pack.yaml"), "utf8");
    } catch {
      problems.push({ file: show("pack.yaml"), path: "", message: "missing: every pack folder needs a pack.yaml" });
      continue;
    }
    const manifest = parseFile(show("pack.yaml"), manifestText);
    if (manifest.problem) {
      problems.push(manifest.problem);
      continue;
    }
    const lessons: RawPack["lessons"] = [];
    let files: string[] = [];
    try {
      files = (await readdir(path.join(packsDir, dir, "lessons"))).filter((f) => /\.(ya?ml|md)$/.test(f)).sort();
    } catch {
      files = [];
    }
    for (const f of files) {
      const parsed = parseFile(show("lessons", f), await readFile(path.join(packsDir, dir, "lessons", f), "utf8"));
      if (parsed.problem) problems.push(parsed.problem);
      else lessons.push({ file: show("lessons", f), data: parsed.data });
    }
    let sources: RawPack["sources"];
    const sourcesText = await readFile(path.join(packsDir, dir, "sources.yaml"), "utf8").catch(() => null);
    if (sourcesText !== null) {
      const parsed = parseFile(show("sources.yaml"), sourcesText);
      if (parsed.problem) problems.push(parsed.problem);
      else sources = { file: show("sources.yaml"), data: parsed.data };
    }
    packs.push({ manifest: { file: show("pack.yaml"), data: manifest.data }, lessons, ...(sources ? { sources } : {}) });
  }
  return { packs, problems };
}

export async function loadCatalog(contentRoot: string, displayRoot = "content"): Promise<CatalogResult> {
  return (await loadCourse(contentRoot, displayRoot)).result;
}

/** The catalog and the raw packs it was built from (workspaces' uploads are checked beside them). */
export async function loadCourse(contentRoot: string, displayRoot = "content"): Promise<{ result: CatalogResult; raw: RawPack[] }> {
  const { packs, problems } = await readPacks(contentRoot, displayRoot);
  const built = buildCatalog(packs);
  if (problems.length > 0) return { result: { ok: false, problems: [...problems, ...(built.ok ? [] : built.problems)] }, raw: packs };
  return { result: built, raw: packs };
}
