/**
 * Text reads well in an 80-column terminal: wrapped at word boundaries with
 * indentation kept, lesson Markdown rendered (tables as lists, no ** or |---|),
 * a lesson one card at a time, /help listing every shell command, sources by
 * title (sources.yaml), plurals right.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../../core/content/catalog.js";
import { StudyService } from "../../../core/service/study-service.js";
import { contentCheck } from "../../../bots/cli/content-check.js";
import { loadCatalog } from "../../../bots/content/load-packs.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { wrapText } from "../../../bots/shell/wrap-text.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { openTerminal, type Terminal } from "../../support/shell-terminal.js";

const redis = useTestRedis();
const dir = mkdtempSync(path.join(os.tmpdir(), "drillbot-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LONG = "Replicas serve reads while the primary takes every write, so adding them raises read capacity without touching write capacity; the lag between them decides what a reader may see.";
const LESSON = `id: scaling-reads
order: 1
title: Scaling reads
topics: [reads]
concepts: [reads]
cards:
  - title: Replicas
    body: |
      **Read replicas** copy the primary. ${LONG}

      | Option | Reads | Writes |
      |---|---|---|
      | Replica | **more** | same |
      | Bigger box | more | more |
  - title: Lag
    body: |
      - A bullet that is long enough to wrap past the eightieth column of the terminal, kept under its own text.
      - Short one.
takeaways: [Replicas add reads, not writes.]
sources:
  - { file: 001_48243fd5ffae3432.txt, section: Replication }
  - { file: 003_a85f2b9978ecb7bd.txt, section: Sessions }
  - { file: PostgreSQL documentation, section: Routine Vacuuming }
questions:
  - id: r-tf
    type: truefalse
    difficulty: intro
    concepts: [reads]
    source: { file: 001_48243fd5ffae3432.txt, section: Replication }
    stem: Read replicas add **write** capacity.
    answer: false
    explanation: Every write still goes to the primary.
    wrongExplanation: Replicas only take reads; every write still goes to the primary.
`;

let catalog: Catalog;
beforeAll(async () => {
  const pack = path.join(dir, "packs", "reads");
  mkdirSync(path.join(pack, "lessons"), { recursive: true });
  writeFileSync(path.join(pack, "pack.yaml"), "id: reads\ntitle: Reads\nconcepts:\n  - id: reads\n    title: Reads\n");
  writeFileSync(path.join(pack, "lessons", "01-reads.yaml"), LESSON);
  writeFileSync(path.join(pack, "sources.yaml"), "- file: 001_48243fd5ffae3432.txt\n  title: Databases at Scale\n");
  const loaded = await loadCatalog(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  catalog = loaded.catalog;
});

let t: Terminal;
afterEach(async () => {
  await t?.close();
});

async function shell(columns = 80): Promise<Terminal> {
  const store = new RedisProgressStore(redis.client, { prefix: uniquePrefix() });
  let ids = 0;
  const service = new StudyService({ catalog, store, clock: fixedClock("2026-03-02T12:00:00Z"), newId: () => `w${++ids}` });
  t = await openTerminal(service, { platform: "shell", workspace: "local", user: "wren" }, columns);
  return t;
}

const widest = (text: string) => Math.max(...text.split("\n").map((l) => [...l].length));

describe("a lesson in the terminal", () => {
  it("comes one card at a time, wrapped to 80 columns, with Markdown rendered and tables as lists", async () => {
    const s = await shell();
    const first = await s.type("/learn");
    expect(first).toContain("== Lesson 1/1: Scaling reads ==");
    expect(first).toContain("Read replicas copy the primary.");
    expect(first).toContain("card 1 of 2: press Enter or type /next for the next");
    expect(first).not.toContain("A bullet that is long"); // the second card waits
    expect(first).toMatch(/• Replica — Reads: more; Writes: same/);
    expect(first).not.toMatch(/\*\*|\|---|\| Option/);

    const second = await s.type("");
    expect(second).toContain("- A bullet that is long enough to wrap past the eightieth column of the");
    expect(second).toMatch(/\n  terminal, kept under its own text\./); // continued under the text, not the dash
    expect(second).toContain("Key takeaways:");
    expect(s.transcript()).toContain(LONG.slice(0, 30));
    expect(widest(s.transcript())).toBeLessThanOrEqual(80);
    expect(await s.type("/next")).toContain("No lesson is open");
  });

  it("names sources by their titles, never by internal file names", async () => {
    const s = await shell();
    await s.type("/learn");
    const end = await s.type("/next");
    expect(end.replace(/\s+/g, " ")).toContain("Sources: Databases at Scale: Replication; Course source notes: Sessions; PostgreSQL documentation: Routine Vacuuming");
    expect(s.transcript()).not.toMatch(/\d{3}_[0-9a-f]{16}/);
  });

  it("content check warns about a seed file without a title, and still passes", async () => {
    const lines: string[] = [];
    expect(await contentCheck(dir, false, (l) => lines.push(l))).toBe(0);
    expect(lines.join("\n")).toContain('warning: ');
    expect(lines.join("\n")).toContain('source "003_a85f2b9978ecb7bd.txt" has no title');
  });
});

describe("the rest of the shell's text", () => {
  it("/help lists every command the shell has, /drill, /challenge and /next included", async () => {
    const help = await (await shell()).type("/help");
    for (const usage of ["/learn", "/quiz", "/review", "/streak", "/leaderboard", "/stats", "/team", "/tz", "/drill me", "/challenge post", "/next", "/quit"]) {
      expect(help).toContain(usage);
    }
    expect(widest(help)).toBeLessThanOrEqual(80);
  });

  it("feedback prints each explanation once, with plurals right, in a narrow terminal too", async () => {
    const s = await shell(50);
    await s.type("/quiz reads 1");
    const feedback = await s.type("2");
    expect(feedback).toContain("Correct!");
    expect(feedback.match(/Every write still goes to the primary\./g)).toHaveLength(1);
    expect(feedback).toContain("Done: Quiz: Scaling reads. 1 of 1 question right");
    expect(feedback).toContain("streak: 1 day");
    expect(widest(s.transcript())).toBeLessThanOrEqual(50);
  });

  it("wrapping never loses a word and never passes the width, whatever the text", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("  - ", "    ", "1) ")), { maxLength: 60 }), fc.integer({ min: 20, max: 120 }), (parts, width) => {
        const text = parts.join(" ").replace(/[\r\u2028\u2029\uE000]/g, "");
        const wrapped = wrapText(text, width);
        expect(widest(wrapped)).toBeLessThanOrEqual(width);
        expect(wrapped.replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
      }),
      { numRuns: 300 },
    );
  });
});
