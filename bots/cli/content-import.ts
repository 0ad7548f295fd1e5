/**
 * `drillbot content import <file> [--out <dir>] [--force]`: turns a course
 * JSON or a question table into a course pack folder (`pack.yaml` plus
 * `lessons/NN-<id>.yaml`). The pack is checked with the same rules as
 * `content check` (together with the other packs beside it, when it goes into
 * a `packs/` folder) before anything is written; it is written to a temporary
 * folder and renamed into place, so a failed import leaves nothing behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Document } from "yaml";
import { cueProblems, measureCues } from "../../core/content/answer-cues.js";
import { buildCatalog, formatProblem, type RawPack } from "../../core/content/catalog.js";
import type { Question } from "../../core/content/schema.js";
import { importContent } from "../../core/content/import/detect.js";
import type { ImportedPack } from "../../core/content/import/imported-pack.js";
import { readPacks } from "../content/load-packs.js";

export interface ContentImportOptions {
  /** Replace an existing pack folder. */
  force?: boolean;
}

const USAGE = "usage: drillbot content import <file> [--out <dir>] [--force]";

function show(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

function toYaml(data: unknown, from: string): string {
  const doc = new Document(data, { aliasDuplicateObjects: false });
  doc.commentBefore = ` Imported by "drillbot content import" from ${from}. Edit freely, then run "drillbot content check".`;
  return doc.toString({ lineWidth: 100, blockQuote: "literal" });
}

async function existing(p: string): Promise<"none" | "empty-dir" | "dir" | "file"> {
  try {
    const s = await stat(p);
    if (!s.isDirectory()) return "file";
    return (await readdir(p)).length === 0 ? "empty-dir" : "dir";
  } catch {
    return "none";
  }
}

const idOf = (data: unknown): string | undefined =>
  typeof data === "object" && data !== null && typeof (data as { id?: unknown }).id === "string" ? (data as { id: string }).id : undefined;

/** Lesson, practice-set and pack ids the catalog does not itself compare across packs. */
function clashes(pack: ImportedPack, others: RawPack[]): string[] {
  const taken = new Map<string, string>();
  for (const rp of others) {
    const packId = idOf(rp.manifest.data);
    if (packId) taken.set(`pack:${packId}`, rp.manifest.file);
    for (const l of rp.lessons) {
      const id = idOf(l.data);
      if (id) taken.set(`set:${id}`, l.file);
    }
    const practice = (rp.manifest.data as { practice?: unknown } | null)?.practice;
    if (Array.isArray(practice)) for (const s of practice) if (idOf(s)) taken.set(`set:${idOf(s)}`, rp.manifest.file);
  }
  const found: string[] = [];
  const check = (key: string, what: string) => {
    const where = taken.get(key);
    if (where) found.push(`${what} is already used in ${where}`);
  };
  check(`pack:${pack.manifest.id}`, `pack id "${pack.manifest.id}"`);
  for (const l of pack.lessons) check(`set:${l.data.id}`, `lesson id "${l.data.id}"`);
  for (const s of pack.manifest.practice ?? []) check(`set:${s.id}`, `practice set id "${s.id}"`);
  return found;
}

export async function contentImport(
  file: string,
  outDir: string | undefined,
  contentRoot: string,
  out: (line: string) => void,
  options: ContentImportOptions = {},
): Promise<number> {
  if (!file || file.startsWith("--")) {
    out(`content import needs the file to import. ${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    out(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder, not a file" : (err as Error).message}`);
    return 1;
  }

  const converted = importContent(text, { fileName: path.basename(file) });
  if (!converted.ok) {
    out(converted.error);
    out("content import: nothing was written.");
    return 1;
  }
  const { pack } = converted;

  const target = path.resolve(outDir ?? path.join(contentRoot, "packs", pack.manifest.id));
  const state = await existing(target);
  if (state === "file") {
    out(`${show(target)} is a file; give --out a folder for the pack. Nothing was written.`);
    return 1;
  }
  if (state === "dir" && !options.force) {
    out(`${show(target)} already exists; pass --force to replace it, or --out <dir> to write the pack elsewhere. Nothing was written.`);
    return 1;
  }

  // Validate before writing: the pack itself, plus the packs beside it when it goes into a packs/ folder.
  const parent = path.dirname(target);
  const label = show(target);
  const siblings: RawPack[] = [];
  const notes = [...converted.notes];
  if (path.basename(parent) === "packs" && (await existing(parent)) === "dir") {
    const root = path.dirname(parent);
    const read = await readPacks(root, show(root));
    const replaced = path.join(show(root), "packs", path.basename(target));
    siblings.push(...read.packs.filter((p) => path.dirname(p.manifest.file) !== replaced));
    const otherProblems = read.problems.filter((p) => !p.file.startsWith(replaced + path.sep));
    if (otherProblems.length > 0) notes.push(`the other packs in ${show(parent)} have ${otherProblems.length} problem(s) of their own; run "drillbot content check"`);
  }
  const raw: RawPack = {
    manifest: { file: path.join(label, "pack.yaml"), data: pack.manifest },
    lessons: pack.lessons.map((l) => ({ file: path.join(label, "lessons", l.fileName), data: l.data })),
  };
  const built = buildCatalog([...siblings, raw]);
  const problems = [
    ...(built.ok ? [] : built.problems.filter((p) => p.file.startsWith(label + path.sep)).map(formatProblem)),
    ...clashes(pack, siblings).map((c) => `${label}: ${c}`),
  ];
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) out(p);
    if (problems.length > 20) out(`... and ${problems.length - 20} more problems`);
    out(`content import: the imported pack would not pass "content check" (${problems.length} problem(s)). Nothing was written.`);
    return 1;
  }

  // Write into a temporary folder beside the target, then rename it into place.
  let madeParent: string | undefined;
  let tmp: string | undefined;
  try {
    madeParent = await mkdir(parent, { recursive: true });
    tmp = await mkdtemp(path.join(parent, `.${path.basename(target)}.import-`));
    await mkdir(path.join(tmp, "lessons"));
    await writeFile(path.join(tmp, "pack.yaml"), toYaml(pack.manifest, path.basename(file)));
    for (const l of pack.lessons) await writeFile(path.join(tmp, "lessons", l.fileName), toYaml(l.data, path.basename(file)));
    if (state === "dir") {
      const old = path.join(parent, `.${path.basename(target)}.replaced-${process.pid}-${Date.now()}`);
      await rename(target, old);
      try {
        await rename(tmp, target);
      } catch (err) {
        await rename(old, target);
        throw err;
      }
      await rm(old, { recursive: true, force: true }).catch(() => notes.push(`could not remove the replaced copy ${show(old)}; delete it by hand`));
    } else {
      if (state === "empty-dir") await rm(target, { recursive: true });
      await rename(tmp, target);
    }
  } catch (err) {
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (madeParent) await rm(madeParent, { recursive: true, force: true }).catch(() => undefined);
    out(`content import: could not write ${label}: ${(err as Error).message}. Nothing was written.`);
    return 1;
  }

  const lessonQuestions = pack.lessons.reduce((n, l) => n + (l.data.questions?.length ?? 0), 0);
  const practice = pack.manifest.practice ?? [];
  const practiceQuestions = practice.reduce((n, s) => n + s.questions.length, 0);
  out(`imported ${file} (${converted.format}) as pack "${pack.manifest.id}" into ${label}${state === "dir" ? " (replaced the previous copy)" : ""}:`);
  out(`  pack.yaml: ${pack.manifest.concepts.length} concepts, ${practice.length} practice set(s) with ${practiceQuestions} question(s)`);
  out(`  lessons/: ${pack.lessons.length} lesson file(s) with ${lessonQuestions} question(s)`);
  for (const n of notes) out(`  note: ${n}`);
  const imported = [...pack.lessons.flatMap((l) => l.data.questions ?? []), ...practice.flatMap((s) => s.questions)] as Question[];
  const cues = measureCues(imported);
  const cueParts = [
    cues.singleCount ? `correct option longest in ${Math.round(cues.longestCorrectShare * 100)}% of ${cues.singleCount} single choice, key/distractor length ${cues.lengthRatioMedian.toFixed(2)}x` : "",
    cues.trueFalseCount ? `True in ${Math.round(cues.trueShare * 100)}% of ${cues.trueFalseCount} true/false` : "",
    cues.multiCount ? `${Math.round(cues.multiSameCountShare * 100)}% of ${cues.multiCount} multiple select share one count of right options` : "",
  ].filter(Boolean);
  if (cueParts.length) out(`  answer cues: ${cueParts.join("; ")}`);
  for (const w of cueProblems(imported, cues)) out(`  warning: ${w}`);
  const packsDir = path.resolve(contentRoot, "packs");
  if (parent !== packsDir) out(`  the bot reads packs from ${show(packsDir)}; move the folder there to use it.`);
  return 0;
}
