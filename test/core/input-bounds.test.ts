/** Bad input is bounded the same way on every platform: lengths, quotes, flags, counts, zones, starred options. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChallenge, parseCommandText, type Command } from "../../core/commands.js";
import { isSeedFileName, sourceDisplayName } from "../../core/content/source-names.js";
import { boundQuotes, MAX_LINE, quoteInput, stripControl } from "../../core/input-limits.js";
import { boundCommand } from "../../core/service/bound-command.js";
import { whatWasRecorded } from "../../core/service/what-was-recorded.js";
import { checkZone, normalizeZone } from "../../core/time.js";

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
const reasonOf = (c: Command | null) => (c?.kind === "invalid" ? `${c.reason} Usage: ${c.usage}` : null);

/** Any text a person (or a fuzzer) could type: unicode, control characters, long runs. */
const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x2fff }).map((n) => String.fromCharCode(n)), maxLength: 300 }),
  fc.tuple(fc.constantFrom("/quiz ", "/learn ", "/tz ", "/challenge write 1h ", "/drill me ", ""), fc.string({ minLength: 1900, maxLength: 2600 })).map(([a, b]) => a + b),
);

describe("quoting what was typed", () => {
  it("quotes at most 60 characters, with no control characters, whatever was typed", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const q = quoteInput(text);
        expect([...q].length).toBeLessThanOrEqual(62);
        expect(q).not.toMatch(CONTROL);
      }),
    );
  });

  it("a message quoting a long stretch is cut to 60 characters and cleaned", () => {
    const long = `x\u0007${"y".repeat(500)}`;
    const bounded = boundQuotes(`"${long}" is not a choice.`);
    expect(bounded).not.toMatch(CONTROL);
    expect(bounded.length).toBeLessThan(80);
    expect(stripControl("a\u202eb\u0000c\td")).toBe("abc d");
  });
});

describe("parsing any command line", () => {
  it("never throws, and every refusal is short and clean", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const reason = reasonOf(parseCommandText(text.startsWith("/") ? text : `/${text}`));
        if (reason) {
          // The usage lines are long by nature; what was typed is quoted at most 60 characters.
          expect(reason).not.toMatch(CONTROL);
          expect(reason.length).toBeLessThan(600);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a line over 2,000 characters is refused, whatever it says", () => {
    fc.assert(
      fc.property(fc.constantFrom("/quiz ", "/learn ", "/challenge write 1h ", "/tz "), fc.integer({ min: MAX_LINE + 1, max: 5000 }), (head, n) => {
        const cmd = parseCommandText(head + "a".repeat(n));
        expect(cmd?.kind).toBe("invalid");
        expect(reasonOf(cmd)).toContain("at most 2,000");
      }),
      { numRuns: 30 },
    );
  });

  it("/quiz -1, 0, 2.5 and 99 are refused rather than read as a topic", () => {
    for (const count of ["-1", "0", "2.5", "+3", "99"]) {
      expect(reasonOf(parseCommandText(`/quiz ${count}`))).toContain("is not a question count");
      expect(reasonOf(parseCommandText(`/quiz indexes ${count}`))).toContain("is not a question count");
    }
    expect(parseCommandText("/quiz indexes 3")).toEqual({ kind: "quiz", topic: "indexes", count: 3 });
  });

  it("unknown flags are refused with the command's usage", () => {
    expect(reasonOf(parseCommandText("/quiz --bogus"))).toMatch(/"--bogus" is not an option drillbot knows\. Usage: \/quiz/);
    expect(reasonOf(parseCommandText("/leaderboard -x"))).toContain("Usage: /leaderboard");
    expect(reasonOf(parseCommandText("/drill me 08:00 --force"))).toContain("Usage: /drill");
    expect(reasonOf(parseCommandText("/challenge post indexes 2h --now"))).toContain("Usage: /challenge");
    // A written challenge may say "--" in its text.
    expect(parseCommandText("/challenge write 1h Is i-- a decrement? | *yes | no | It is.")?.kind).toBe("challenge");
  });

  it("a written challenge with two starred options is refused, not silently the first", () => {
    expect(reasonOf(parseChallenge("write 1h Which? | *A | *B | C | Because."))).toContain("mark exactly one right option with * (you marked 2)");
    expect(parseChallenge("write 1h Which? | *A | B | C | Because.")).toMatchObject({ action: "write", question: { correct: 0 } });
  });
});

describe("time zones", () => {
  it("abbreviations are refused with the IANA zones they likely mean", () => {
    for (const [abbr, meant] of [["EST", "America/New_York"], ["pst", "America/Los_Angeles"], ["CET", "Europe/Berlin"], ["IST", "Asia/Kolkata"]] as const) {
      const checked = checkZone(abbr);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.reason).toContain(meant);
      expect(normalizeZone(abbr)).toBeNull();
    }
    expect(reasonOf(parseCommandText("/drill me 08:00 EST"))).toContain("America/New_York");
    expect(checkZone("europe/berlin")).toEqual({ ok: true, zone: "Europe/Berlin" });
    expect(checkZone("UTC")).toEqual({ ok: true, zone: "UTC" });
  });
});

describe("bounded fields on every platform", () => {
  it("fields over their limits are refused before anything is stored", () => {
    const long = (n: number) => "w".repeat(n);
    expect(boundCommand({ kind: "quiz", topic: long(101) }).kind).toBe("invalid");
    expect(boundCommand({ kind: "tz", zone: long(65) }).kind).toBe("invalid");
    expect(boundCommand({ kind: "answer", raw: long(501) }).kind).toBe("invalid");
    const write = (q: Partial<{ stem: string; options: string[]; explanation: string }>): Command => ({
      kind: "challenge",
      action: "write",
      minutes: 60,
      question: { stem: "Q?", options: ["a", "b"], correct: 0, explanation: "E.", ...q },
    });
    expect(boundCommand(write({ stem: long(1501) })).kind).toBe("invalid");
    expect(boundCommand(write({ options: ["a", long(201)] })).kind).toBe("invalid");
    expect(boundCommand(write({ explanation: long(1001) })).kind).toBe("invalid");
    expect(boundCommand(write({})).kind).toBe("challenge");
    expect(boundCommand({ kind: "quiz", topic: "indexes" })).toEqual({ kind: "quiz", topic: "indexes" });
  });
});

describe("sources and refused replies", () => {
  it("sources are named by title; internal seed file names are never shown", () => {
    expect(sourceDisplayName("001_48243fd5ffae3432.txt", "Databases at Scale")).toBe("Databases at Scale");
    expect(sourceDisplayName("PostgreSQL documentation", undefined)).toBe("PostgreSQL documentation");
    expect(isSeedFileName("004_5c52f43196d6c572.readme.md")).toBe(true);
    expect(sourceDisplayName("002_ffd6d345a68e74eb.txt", undefined)).not.toContain("002_");
  });

  it("a refused reply says whether the answer was recorded", () => {
    const feedback = {
      type: "feedback" as const,
      ref: { sessionId: "s", index: 0, questionId: "q" },
      correct: true,
      chosen: [],
      missed: [],
      correctAnswer: { text: "A", explanation: "E" },
      pointsAwarded: 10,
      totalPoints: 30,
      streak: { current: 1, extendedToday: true, freezeEarned: false, freezesSpent: 0 },
      nextReview: "2026-01-01T00:00:00Z",
    };
    expect(whatWasRecorded([feedback])).toBe("Your answer was recorded (right, +10 points, 30 points in all).");
    expect(whatWasRecorded([{ type: "notice", level: "warning", code: "bad-answer", text: "x" }])).toBe("Nothing was recorded.");
  });
});
