/**
 * Workspace content at the upload limit: a 2,000-question CSV checked in
 * place and on the pack-work thread (with the main thread's worst event-loop
 * gap meanwhile), the stored form's size, and how long a process takes to
 * rebuild the workspace's catalog after a change (stored JSON vs YAML).
 */
import { Redis } from "ioredis";
import type { Catalog, RawPack } from "../core/content/catalog.js";
import { buildCatalog } from "../core/content/catalog.js";
import { checkUpload } from "../core/content/upload/check-upload.js";
import { parsePackYaml, toRawPacks } from "../core/content/upload/pack-yaml.js";
import { storedPackText } from "../core/content/upload/stored-pack.js";
import { createWorkspaceContent } from "../bots/content/workspace-content.js";
import { packWorkPool } from "../bots/content/pack-work-pool.js";
import { plainLogger } from "../bots/logger.js";

export function questionTable(rows: number): Uint8Array {
  const lines = ["id,question,options,answer,explanation,topic"];
  for (let i = 0; i < rows; i++) {
    lines.push(`q-${i},Which setting number ${i} controls the behaviour of component ${i % 50} under load?,option one for ${i}|option two for ${i}|option three for ${i}|option four for ${i},${"abcd"[i % 4]},Setting ${i} is the one documented for component ${i % 50}; the others govern other parts.,Topic ${i % 40}`);
  }
  return new TextEncoder().encode(lines.join("\n"));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => Math.round(x * 10) / 10;

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const out = await f();
  return [out, performance.now() - t];
}

/** Runs f while a 5 ms timer measures the main thread's worst gap. */
async function worstGap<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const t = performance.now();
  const out = await f();
  const took = performance.now() - t;
  clearInterval(timer);
  worst = Math.max(worst, performance.now() - last);
  return [out, took, worst];
}

export async function benchContent(url: string, builtIn: { catalog: Catalog; raw: RawPack[] }, runs = 5): Promise<Record<string, unknown>> {
  const questions = 2_000;
  const bytes = questionTable(questions);
  const input = { fileName: "team-handbook.csv", bytes, builtIn: builtIn.raw, others: [] };

  const inPlace: number[] = [];
  let check = checkUpload(input);
  for (let i = 0; i < runs; i++) {
    const [c, t] = await timed(() => checkUpload(input));
    check = c;
    inPlace.push(t);
  }
  if (!check.ok) throw new Error(`bench upload refused: ${check.message}`);
  const [, inPlaceTook, inPlaceGap] = await worstGap(async () => checkUpload(input));

  const pool = packWorkPool();
  let threadTook: number[] = [];
  let threadGap: number[] = [];
  try {
    await pool.check({ ...input, bytes: questionTable(2) }); // start the thread and load its modules
    for (let i = 0; i < runs; i++) {
      const [, took, gap] = await worstGap(() => pool.check(input));
      threadTook.push(took);
      threadGap.push(gap);
    }
  } finally {
    await pool.close();
  }

  const stored = storedPackText(check.pack);
  const yamlParse: number[] = [];
  const jsonRebuild: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [parsed, t] = await timed(() => parsePackYaml(check.yaml, "team-handbook.yaml"));
    if (!parsed.ok) throw new Error("stored YAML does not parse");
    yamlParse.push(t);
    const [, b] = await timed(() => buildCatalog([...builtIn.raw, toRawPacks(JSON.parse(stored), "x")]));
    jsonRebuild.push(b);
  }

  // A process meeting the changed workspace: one HGET of the version, the stored packs, a catalog build.
  const redis = new Redis(url);
  const rebuild: number[] = [];
  let packKeyBytes = 0;
  try {
    const ws = createWorkspaceContent({ redis, prefix: "bench-content:", builtIn, clock: { now: () => new Date() }, log: plainLogger("error", []) });
    const s = check.summary;
    await ws.packs.save("slack:TBENCH", { packId: s.packId, title: s.title, lessons: s.lessons, questions: s.questions, fileName: "team-handbook.csv", format: check.format, uploadedBy: "bench", uploadedAt: new Date().toISOString() }, stored);
    packKeyBytes = Number(await redis.memory("USAGE", ws.packs.keys.workspacePack("slack:TBENCH", s.packId)));
    for (let i = 0; i < runs; i++) {
      ws.catalogs.invalidate("slack:TBENCH");
      const [catalog, t] = await timed(() => ws.catalogs.forWorkspace("slack:TBENCH"));
      if (catalog.questions.length !== builtIn.catalog.questions.length + questions) throw new Error("the rebuilt catalog lacks the pack");
      rebuild.push(t);
    }
  } finally {
    redis.disconnect();
  }

  return {
    contentUploadQuestions: questions,
    contentUploadCsvBytes: bytes.length,
    contentStoredJsonBytes: Buffer.byteLength(stored),
    contentExportYamlBytes: Buffer.byteLength(check.yaml),
    contentPackKeyMemoryBytes: packKeyBytes,
    contentCheckInPlaceMs: ms(median(inPlace)),
    contentCheckInPlaceWorstGapMs: ms(Math.max(inPlaceGap, inPlaceTook)),
    contentCheckThreadMs: ms(median(threadTook)),
    contentCheckThreadWorstGapMs: ms(Math.max(...threadGap)),
    contentStoredYamlParseMs: ms(median(yamlParse)),
    contentCatalogBuildFromJsonMs: ms(median(jsonRebuild)),
    contentWorkspaceRebuildMs: ms(median(rebuild)),
  };
}
