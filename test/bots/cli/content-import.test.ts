import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentImport } from "../../../bots/cli/content-import.js";
import { loadCatalog } from "../../../bots/content/load-packs.js";
import { formatProblem, type Catalog } from "../../../core/content/catalog.js";

const projectRoot = fileURLToPath(new URL("../../..", import.meta.url));
const fixture = (name: string) => path.join(projectRoot, "test/fixtures/import", name);
const seed = path.resolve(projectRoot, "../shared/seeds/000_44051362c2445aec.txt");

let root: string;
let lines: string[];
const out = (l: string) => lines.push(l);

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "drillbot-import-"));
  lines = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function catalogAt(contentRoot: string): Promise<Catalog> {
  const r = await loadCatalog(contentRoot);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join("\n"));
  return r.catalog;
}

/** Every file under a folder, relative to it, hidden ones included. */
async function tree(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      found.push(p);
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk("");
  return found.sort();
}

describe("drillbot content import", () => {
  it("writes a course JSON as a pack under the content root that passes the content check", async () => {
    expect(await contentImport(fixture("queue-course.json"), undefined, root, out)).toBe(0);
    const dir = path.join(root, "packs", "message-queues-for-busy-services");
    expect(await tree(dir)).toEqual([
      "lessons",
      "lessons/01-why-put-a-queue-in-between.yaml",
      "lessons/02-sharing-work-across-consumers.yaml",
      "lessons/03-parking-messages-that-keep-failing.yaml",
      "pack.yaml",
    ]);
    const c = await catalogAt(root);
    expect(c.concepts.map((x) => x.id)).toEqual(["queue-basics", "consumer-groups", "dead-letter-handling"]);
    expect(c.lessons.map((l) => [l.order, l.title, l.learningOutcomes.length])).toEqual([
      [1, "Why Put a Queue in Between?", 2],
      [2, "Sharing Work Across Consumers", 2],
      [3, "Parking Messages That Keep Failing", 2],
    ]);
    const answers = c.questions.map(({ question: q }) => [q.id, q.type === "single" ? q.answer : null, q.type === "single" ? q.options.length : 0]);
    expect(answers).toEqual([
      ["q-burst-vs-overload", "b", 3],
      ["q-ordering", "b", 4],
      ["q-poison", "c", 3],
    ]);
    const q = c.question("q-poison")!.question;
    expect(q.type === "single" && q.options[2]?.explanation).toBe("Parking it keeps the main queue moving and keeps the message for a later replay.");
    expect(lines.join("\n")).toContain("3 concepts, 1 practice set(s) with 3 question(s)");
    expect(lines.join("\n")).toContain("3 lesson file(s) with 0 question(s)");
    expect(await readFile(path.join(dir, "pack.yaml"), "utf8")).toMatch(/^# Imported by "drillbot content import" from queue-course\.json/);
  });

  it("writes a CSV to --out and the pack loads from there", async () => {
    const outDir = path.join(root, "elsewhere", "packs", "team");
    expect(await contentImport(fixture("team-questions.csv"), outDir, path.join(root, "content"), out)).toBe(0);
    const c = await catalogAt(path.join(root, "elsewhere"));
    expect(c.lessons.map((l) => l.title)).toEqual(["Caching", "Retries"]);
    expect(c.lessons.flatMap((l) => l.questions).map((q) => ("answer" in q ? q.answer : null))).toEqual(["a", ["a", "b"], "a", "c"]);
    expect(c.question("team-questions-03")?.question.stem).toBe("A client retries a failed call immediately, again and again.\nWhat is the risk?");
    expect(lines[0]).toContain("(question table)");
    expect(lines.join("\n")).toContain("note: 11 option(s) had no explanation");
    expect(await tree(path.join(root, "content"))).toEqual([]);
  });

  it("imports a TSV beside existing packs", async () => {
    await cp(path.join(projectRoot, "test/fixtures/content/packs/mini"), path.join(root, "packs", "mini"), { recursive: true });
    expect(await contentImport(fixture("ops-drills.tsv"), undefined, root, out)).toBe(0);
    const c = await catalogAt(root);
    expect(c.packs.map((p) => p.manifest.id)).toEqual(["mini", "ops-drills"]);
    expect(c.question("pager-noise")?.question).toMatchObject({ type: "single", answer: "b" });
  });

  it("refuses to replace an existing pack folder unless --force is given", async () => {
    const dir = path.join(root, "packs", "team-questions");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "notes.txt"), "keep me");
    expect(await contentImport(fixture("team-questions.csv"), undefined, root, out)).toBe(1);
    expect(lines.join("\n")).toMatch(/already exists; pass --force to replace it/);
    expect(await tree(path.join(root, "packs"))).toEqual(["team-questions", "team-questions/notes.txt"]);

    lines = [];
    expect(await contentImport(fixture("team-questions.csv"), undefined, root, out, { force: true })).toBe(0);
    expect(lines[0]).toContain("(replaced the previous copy)");
    expect(await tree(dir)).not.toContain("notes.txt");
    expect((await readdir(path.join(root, "packs"))).filter((n) => n.startsWith("."))).toEqual([]);
    expect((await catalogAt(root)).questions).toHaveLength(4);
  });

  it.each([
    ["broken.json", "broken.json: not valid JSON: line 5, column 27:"],
    ["wrong-columns.csv", "wrong-columns.csv: row 3: has 4 column(s) but the header has 3"],
    ["bad-answer.csv", 'bad-answer.csv: row 3: answer "e" matches no option'],
    ["neither.txt", 'neither.txt: not a course JSON (no "course.micro_concepts") nor a question table'],
    ["missing-answer.csv", "missing: answer"],
    ["course-bad-prerequisite.json", '"message_brokers" is not a concept_id in micro_concepts'],
  ])("%s: says what is wrong and where, and writes nothing", async (name, message) => {
    expect(await contentImport(fixture(name), undefined, root, out)).toBe(1);
    expect(lines[0]).toContain(message);
    expect(lines.at(-1)).toContain("nothing was written");
    expect(await tree(root)).toEqual([]);
  });

  it("checks the new pack against the packs beside it before writing", async () => {
    await cp(path.join(projectRoot, "test/fixtures/content/packs/mini"), path.join(root, "packs", "mini"), { recursive: true });
    const csv = path.join(root, "clash.csv");
    await writeFile(csv, "id,question,options,answer,explanation\na-single,Which comes first?,one|two,a,One is first.\n");
    expect(await contentImport(csv, undefined, root, out)).toBe(1);
    expect(lines.join("\n")).toMatch(/questions\[0\]\.id: question id "a-single" is already used in .*mini\/lessons\/01-alpha\.yaml/);
    expect(lines.at(-1)).toContain('would not pass "content check"');
    expect(await readdir(path.join(root, "packs"))).toEqual(["mini"]);

    lines = [];
    const sameId = path.join(root, "mini.csv");
    await writeFile(sameId, "question,options,answer\nQ?,x|y,a\n");
    expect(await contentImport(sameId, path.join(root, "packs", "mini-copy"), root, out)).toBe(1);
    expect(lines.join("\n")).toMatch(/pack id "mini" is already used in .*mini\/pack\.yaml/);
    expect(await readdir(path.join(root, "packs"))).toEqual(["mini"]);
  });

  it("leaves nothing behind when the folder cannot be written", async () => {
    await writeFile(path.join(root, "a-file"), "");
    expect(await contentImport(fixture("ops-drills.tsv"), path.join(root, "a-file", "packs", "x"), root, out)).toBe(1);
    expect(lines.join("\n")).toMatch(/could not write .*Nothing was written/);
    expect(await tree(root)).toEqual(["a-file"]);
  });

  it("explains a missing file or argument", async () => {
    expect(await contentImport(path.join(root, "nope.csv"), undefined, root, out)).toBe(1);
    expect(lines[0]).toMatch(/cannot read .*nope\.csv: no such file/);
    expect(await contentImport("", undefined, root, out)).toBe(2);
    expect(lines[1]).toContain("usage: drillbot content import <file> [--out <dir>] [--force]");
  });

  it.skipIf(!existsSync(seed))("imports the seed course and it passes the content check", async () => {
    expect(await contentImport(seed, undefined, root, out)).toBe(0);
    const c = await catalogAt(root);
    expect([c.concepts.length, c.lessons.length, c.questions.length]).toEqual([8, 11, 8]);
    expect(c.lessons.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(c.lessons.every((l) => l.learningOutcomes.length > 0 && l.concepts.length === 1)).toBe(true);
    const q = c.question("ipq-01-working-set-p99")?.question;
    expect(q?.type === "single" && q.answer).toBe("c");
    expect(c.questions.every(({ question: x }) => x.type === "single" && x.options.every((o) => !o.explanation.startsWith("Not the intended")))).toBe(true);
  });

  it("imports a pack whose answers can be guessed from their length, with warnings naming the cue", async () => {
    const rows = Array.from(
      { length: 12 },
      (_, i) => `"Which setting fixes problem ${i + 1}?",No|Maybe|The complete and carefully qualified answer number ${i + 1},c,"Because.",Ops,intermediate,`,
    );
    const csv = path.join(root, "guessable.csv");
    await writeFile(csv, ["Question,Options,Correct Answer,Explanation,Topic,Difficulty,Option Explanations", ...rows].join("\n"));
    expect(await contentImport(csv, path.join(root, "out", "guessable"), root, out)).toBe(0);
    expect(lines.some((l) => l.startsWith("  answer cues: correct option longest in 100% of 12 single choice"))).toBe(true);
    expect(lines.some((l) => l.startsWith("  warning: the correct option is the longest in 100%"))).toBe(true);
  });
});
