/**
 * Fuzzing the shell with fast-check: any line (unicode, control characters,
 * 4,000 characters, flags, near-commands) gets a short answer, never a crash,
 * never a line past 80 columns, and invalid input writes nothing to Redis.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Catalog } from "../../../core/content/catalog.js";
import { StudyService } from "../../../core/service/study-service.js";
import { stripControl } from "../../../core/input-limits.js";
import { lineToCommand } from "../../../bots/shell/line-to-command.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { fuzzLine, mayWrite } from "../../support/input-classes.js";
import { redisState } from "../../support/redis-state.js";
import { fixedClock, uniquePrefix, useTestRedis } from "../../support/redis.js";
import { openTerminal, type Terminal } from "../../support/shell-terminal.js";
import { fixtureCatalog } from "../../support/study-harness.js";

vi.setConfig({ testTimeout: 60_000 });

const redis = useTestRedis();
let catalog: Catalog;
let prefix: string;
let t: Terminal;
beforeEach(async () => {
  catalog = await fixtureCatalog();
  prefix = uniquePrefix();
  let ids = 0;
  const service = new StudyService({ catalog, store: new RedisProgressStore(redis.client, { prefix }), clock: fixedClock("2026-03-02T12:00:00Z"), newId: () => `f${++ids}` });
  t = await openTerminal(service, { platform: "shell", workspace: "local", user: "fuzz" });
});
afterEach(async () => {
  await t.close();
});

const widest = (text: string) => Math.max(0, ...text.split("\n").map((l) => [...l].length));
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

/** The shell's reading of a line, for telling input that may write from input that must not. */
const commandOf = (line: string) => {
  const parsed = lineToCommand(line);
  return parsed.kind === "command" || parsed.kind === "refused" ? parsed.command : null;
};

/** Lines that do not end the shell ("q", "exit", "/quit" end it, as they should; a fuzzer typing one would close the terminal). */
const shellLine = fuzzLine.filter((l) => lineToCommand(l.replace(/[\r\n]/g, " ")).kind !== "quit");

describe("fuzzing shell lines", () => {
  it("invalid lines, with no question open, write nothing and get a short, clean answer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shellLine, { minLength: 1, maxLength: 4 }), async (lines) => {
        fc.pre(lines.every((l) => !mayWrite(commandOf(l), catalog, { questionOpen: false })));
        const before = await redisState(redis.client, `${prefix}*`);
        for (const line of lines) {
          const printed = await t.type(line.replace(/\n/g, " "));
          expect(widest(printed)).toBeLessThanOrEqual(80);
          expect(printed).not.toMatch(CONTROL);
        }
        expect(await redisState(redis.client, `${prefix}*`)).toEqual(before);
      }),
      { numRuns: 120 },
    );
  });

  it("with a quiz question on screen, answers that are not a choice write nothing", async () => {
    expect(await t.type("/quiz alpha 1")).toContain("Which letter comes first?");
    const notAChoice = shellLine.filter((l) => !/^\s*[1-3abc]\s*$/i.test(l.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, "")));
    await fc.assert(
      fc.asyncProperty(notAChoice, async (line) => {
        const cmd = commandOf(line);
        fc.pre(cmd?.kind === "answer" || !mayWrite(cmd, catalog, { questionOpen: true }));
        const before = await redisState(redis.client, `${prefix}*`);
        const printed = await t.type(line.replace(/\n/g, " "));
        if (stripControl(line).trim()) expect(printed.length).toBeGreaterThan(0);
        expect(widest(printed)).toBeLessThanOrEqual(80);
        expect(await redisState(redis.client, `${prefix}*`)).toEqual(before);
      }),
      { numRuns: 120 },
    );
    // The question is still open and answerable.
    expect(await t.type("/quiz")).toContain("is at question 1 of 1");
  });

  it("any line at all, valid ones included, gets an answer and the shell goes on", async () => {
    await fc.assert(
      fc.asyncProperty(shellLine, async (line) => {
        const printed = await t.type(line.replace(/\n/g, " "));
        expect(widest(printed)).toBeLessThanOrEqual(80);
      }),
      { numRuns: 100 },
    );
    expect(await t.type("/streak")).toContain("streak:");
  });
});
