import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { contentCheck } from "../../../bots/cli/content-check.js";

const projectRoot = fileURLToPath(new URL("../../..", import.meta.url));
let root: string;
let lines: string[];
const out = (l: string) => lines.push(l);

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "drillbot-check-"));
  await cp(path.join(projectRoot, "test/fixtures/content"), root, { recursive: true });
  lines = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Adds a lesson of 12 single-choice questions; `longKeys` of them have a key far longer than the rest. */
async function addLesson(longKeys: number): Promise<void> {
  const questions = Array.from({ length: 12 }, (_, i) => ({
    id: `cues-${String(i + 1).padStart(2, "0")}`,
    type: "single",
    difficulty: "intro",
    concepts: ["alpha"],
    source: { file: "test", section: "cues" },
    stem: `Question number ${i + 1} about alpha?`,
    options: [
      { id: "a", text: "Short wrong", explanation: "wrong" },
      {
        id: "b",
        text: i < longKeys ? `The right answer, with every qualifier an expert would add (case ${i + 1})` : `Right one ${i}`,
        explanation: "right",
      },
      { id: "c", text: "Other wrong", explanation: "wrong" },
    ],
    answer: "b",
    explanation: "because",
  }));
  const lesson = { id: "cues", order: 3, title: "Cues", concepts: ["alpha"], cards: [{ body: "text" }], takeaways: ["t"], sources: [{ file: "test", section: "s" }], questions };
  await writeFile(path.join(root, "packs/mini/lessons/03-cues.yaml"), stringify(lesson));
}

describe("drillbot content check: answer cues", () => {
  it("fails a pack whose correct options are the longest, naming the worst questions", async () => {
    await addLesson(10);
    expect(await contentCheck(root, false, out)).toBe(1);
    const text = lines.join("\n");
    expect(text).toMatch(/correct option is the longest in \d+% of single-choice questions \(limit 35%\)/);
    expect(text).toContain("Worst: cues-");
    expect(lines.at(-1)).toContain("content check failed");
  });

  it("--json reports the four cue figures for the course and each pack", async () => {
    await addLesson(10);
    expect(await contentCheck(root, true, out)).toBe(1);
    const report = JSON.parse(lines[0]!);
    expect(Object.keys(report.cues).sort()).toEqual(["lengthRatioMedian", "longestCorrectShare", "multiSameCountShare", "trueShare"]);
    expect(report.cues.longestCorrectShare).toBeGreaterThan(0.35);
    expect(report.packCues.mini.longestCorrectShare).toBe(report.cues.longestCorrectShare);
    expect(report.cueProblems.mini.length).toBeGreaterThan(0);
  });

  it("passes the same pack once the keys are no longer longest", async () => {
    await addLesson(2);
    expect(await contentCheck(root, true, out)).toBe(0);
    expect(JSON.parse(lines[0]!).cueProblems).toBeUndefined();
  });
});
