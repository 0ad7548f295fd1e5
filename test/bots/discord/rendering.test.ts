/** Pure parts of the Discord adapter: custom ids, Discord's size limits, autocomplete, slash options. */
import { describe, expect, test } from "vitest";
import type { Reply } from "../../../core/replies.js";
import { filterValues, zoneSuggestions } from "../../../bots/discord/autocomplete.js";
import { discordCommands } from "../../../bots/discord/command-definitions.js";
import { CustomIdTooLongError, decodeCustomId, encodeCustomId } from "../../../bots/discord/custom-id.js";
import { embedSize, LIMITS, splitText } from "../../../bots/discord/discord-limits.js";
import { answerModal, questionComponents } from "../../../bots/discord/render-components.js";
import { renderMessages } from "../../../bots/discord/render-message.js";
import { slashToCommand } from "../../../bots/discord/slash-to-command.js";
import { loadCatalog } from "../../../bots/content/load-packs.js";
import { formatProblem } from "../../../core/content/catalog.js";

const ref = { sessionId: "AbC-12_x", index: 3, questionId: "covering-index-2" };

describe("custom ids", () => {
  test("an answer button's id round-trips and stays within 100 characters", () => {
    const id = encodeCustomId({ kind: "choice", ref, choiceId: "false" });
    expect(id).toBe("v1|a|AbC-12_x|3|covering-index-2|false");
    expect(decodeCustomId(id)).toEqual({ kind: "choice", ref, choiceId: "false" });
    expect(decodeCustomId(encodeCustomId({ kind: "modal", ref }))).toEqual({ kind: "modal", ref });
  });

  test("an id that would pass 100 characters is refused when built", () => {
    const long = { ...ref, questionId: "q".repeat(90) };
    expect(() => encodeCustomId({ kind: "choice", ref: long, choiceId: "a" })).toThrow(CustomIdTooLongError);
  });

  test("every question of the shipped course fits a Discord custom_id", async () => {
    const result = await loadCatalog("content");
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    for (const { question: q } of result.catalog.questions) {
      const worst = { sessionId: "A".repeat(12), index: 99, questionId: q.id };
      expect(encodeCustomId({ kind: "choice", ref: worst, choiceId: "false" }).length).toBeLessThanOrEqual(100);
      // the same question sent by DM names the learner's server too
      expect(encodeCustomId({ kind: "choice", ref: worst, choiceId: "false", home: "9".repeat(20) }).length).toBeLessThanOrEqual(100);
    }
  });

  test("a DM control names the learner's home server and round-trips; a home that is not a server id is refused", () => {
    const home = "500000000000000001";
    const id = encodeCustomId({ kind: "choice", ref, choiceId: "b", home });
    expect(id).toBe(`v1|a|AbC-12_x|3|covering-index-2|b|${home}`);
    expect(decodeCustomId(id)).toEqual({ kind: "choice", ref, choiceId: "b", home });
    expect(decodeCustomId(encodeCustomId({ kind: "open-modal", ref, home }))).toEqual({ kind: "open-modal", ref, home });
    expect(() => encodeCustomId({ kind: "select", ref, home: "dm" })).toThrow();
    expect(decodeCustomId(`v1|a|AbC-12_x|3|covering-index-2|b|${home}|x`)).toBeNull();
  });

  test("malformed or other-version ids decode to null", () => {
    for (const bad of ["", "v1", "v2|a|s|0|q|a", "v1|z|s|0|q", "v1|a|s|0|q", "v1|o|s|-1|q", "v1|o|s|0|q|extra", "v1|o|s p|0|q"]) {
      expect(decodeCustomId(bad)).toBeNull();
    }
  });
});

const question = (over: Partial<Extract<Reply, { type: "question" }>>): Extract<Reply, { type: "question" }> => ({
  type: "question",
  ref,
  questionType: "single",
  stem: "Which?",
  choices: ["a", "b", "c", "d", "e", "f"].map((id) => ({ id, label: `Option ${id} `.repeat(12) })),
  hint: "Type the number of your choice.",
  difficulty: "intro",
  position: { index: 3, total: 5 },
  title: "Indexes",
  ...over,
});

describe("answer controls", () => {
  test("six choices become buttons in rows of at most five, labels at most 80 characters", () => {
    const rows = questionComponents(question({}));
    expect(rows.map((r) => r.components.length)).toEqual([5, 1]);
    for (const c of rows.flatMap((r) => r.components)) {
      expect(c.type).toBe(2);
      if (c.type === 2 && "label" in c) expect(c.label!.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    }
  });

  test("a multi-select question gets a select menu allowing 1 to all choices", () => {
    const [row] = questionComponents(question({ questionType: "multi" }));
    const menu = row!.components[0]!;
    expect(menu).toMatchObject({ type: 3, min_values: 1, max_values: 6 });
  });

  test("ordering, numeric and text questions get one Answer button whose modal asks for text", () => {
    for (const questionType of ["order", "numeric", "text"] as const) {
      const [row] = questionComponents(question({ questionType }));
      expect(row!.components).toMatchObject([{ type: 2, label: "Answer" }]);
    }
    const modal = answerModal({ ref, type: "order", hint: "Type the numbers in the right order.", choices: [{ id: "a", label: "X" }, { id: "b", label: "Y" }, { id: "c", label: "Z" }] });
    expect(modal.title.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(JSON.stringify(modal)).toContain("e.g. 3 2 1");
  });

  test("messages for a DM on behalf of a server learner carry the server on every control, the modal's too", () => {
    const home = "500000000000000001";
    for (const questionType of ["single", "truefalse", "multi", "order"] as const) {
      const [m] = renderMessages([question({ questionType })], { home });
      const ids = m!.components.flatMap((r) => r.components).map((c) => ("custom_id" in c ? String(c.custom_id) : ""));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(decodeCustomId(id)?.home).toBe(home);
    }
    const modal = answerModal({ ref, type: "numeric", hint: "A number.", choices: [], home });
    expect(decodeCustomId(modal.custom_id)?.home).toBe(home);
    const [plain] = renderMessages([question({})]);
    expect(plain!.components.flatMap((r) => r.components).every((c) => "custom_id" in c && decodeCustomId(String(c.custom_id))?.home === undefined)).toBe(true);
  });
});

describe("message layout", () => {
  test("a long lesson is split into messages of at most 10 embeds and 6000 characters", () => {
    const cards = Array.from({ length: 14 }, (_, i) => ({ title: `Card ${i}`, body: "x".repeat(1800) }));
    const lesson: Reply = { type: "lesson", lessonId: "l", title: "Long", cards, takeaways: ["t"], sources: [], position: { index: 0, total: 1 }, next: null };
    const messages = renderMessages([lesson, { type: "text", text: "Quiz yourself with /quiz long." }]);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.flatMap((m) => m.embeds)).toHaveLength(15);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
      expect(m.embeds.reduce((n, e) => n + embedSize(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    }
  });

  test("an oversized stem is clipped to the embed description limit", () => {
    const [m] = renderMessages([question({ stem: "y".repeat(9000) })]);
    expect(m!.embeds[0]!.description!.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embedSize(m!.embeds[0]!)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  test("feedback and the next question go in separate messages, the question with its buttons", () => {
    const feedback: Reply = {
      type: "feedback",
      ref,
      correct: true,
      chosen: [{ text: "A", explanation: "because" }],
      missed: [{ text: "B", explanation: "B was right too." }],
      correctAnswer: { text: "A", explanation: "why" },
      pointsAwarded: 10,
      totalPoints: 30,
      streak: { current: 2, extendedToday: true, freezeEarned: false, freezesSpent: 0 },
      nextReview: "2025-03-12T12:00:00Z",
    };
    const messages = renderMessages([feedback, question({})]);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.components).toEqual([]);
    expect(messages[1]!.components.length).toBeGreaterThan(0);
    expect(JSON.stringify(messages[0])).toContain("<t:1741780800:R>");
    expect(messages[0]!.embeds[0]!.description).toContain("**You left out:** B\nB was right too.");
  });
});

describe("autocomplete", () => {
  test("zones match by prefix, city word or substring, at most 25", () => {
    expect(zoneSuggestions("new york").map((z) => z.value)).toContain("America/New_York");
    expect(zoneSuggestions("berlin")[0]!.value).toBe("Europe/Berlin");
    expect(zoneSuggestions("").length).toBe(25);
    expect(zoneSuggestions("zzzz-nothing")).toEqual([]);
  });

  test("prefix matches come before substring matches", () => {
    expect(filterValues(["sharding", "resharding", "shards"], "shard")).toEqual(["sharding", "shards", "resharding"]);
  });
});

describe("slash commands", () => {
  test("options map to core commands", () => {
    expect(slashToCommand({ name: "quiz", subcommand: null, options: { topic: " Indexes ", count: 3 } })).toEqual({ kind: "quiz", topic: "indexes", count: 3 });
    expect(slashToCommand({ name: "leaderboard", subcommand: null, options: {} })).toEqual({ kind: "leaderboard", period: "week" });
    expect(slashToCommand({ name: "settings", subcommand: "tz", options: { zone: "Asia/Kolkata" } })).toEqual({ kind: "tz", zone: "Asia/Kolkata" });
    expect(slashToCommand({ name: "quiz", subcommand: null, options: { count: 99 } })).toMatchObject({ kind: "invalid" });
    expect(slashToCommand({ name: "drill", subcommand: null, options: {} })).toMatchObject({ kind: "invalid" });
    expect(slashToCommand({ name: "nonsense", subcommand: null, options: {} })).toBeNull();
  });

  test("definitions respect Discord's naming and length rules", () => {
    for (const c of discordCommands) {
      expect(c.name).toMatch(/^[a-z]{1,32}$/);
      expect(c.description!.length).toBeLessThanOrEqual(100);
      for (const o of c.options ?? []) {
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect(o.name).toMatch(/^[a-z-]{1,32}$/);
        for (const leaf of "options" in o ? (o.options ?? []) : []) {
          expect(leaf.description.length).toBeLessThanOrEqual(100);
          expect(leaf.name).toMatch(/^[a-z-]{1,32}$/);
        }
      }
    }
  });
});

describe("Discord wording", () => {
  test("points at /settings tz where the core says /tz", async () => {
    const { noticeText } = await import("../../../bots/discord/render-embeds.js");
    const text = noticeText({ type: "notice", level: "info", code: "info", text: "Your time zone is UTC. Change it with /tz <zone>, e.g. /tz Europe/Berlin." });
    expect(text).toContain("Change it with /settings tz <zone>, e.g. /settings tz Europe/Berlin.");
  });
});

describe("text longer than one message", () => {
  test("is cut at line breaks, else at a space, else anywhere but inside a surrogate pair; at most 5 parts, the last clipped", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`);
    const parts = splitText(lines.join("\n"), 2000);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(lines.slice(0, 20).join("\n"));
    expect(parts[1]).toBe(lines.slice(20).join("\n"));
    expect(splitText("word ".repeat(500).trim(), 2000).every((p) => p.length <= 2000 && !p.startsWith(" ") && !p.endsWith(" "))).toBe(true);
    const emoji = "a" + "😀".repeat(1500);
    const cut = splitText(emoji, 2000);
    expect(cut.join("")).toBe(emoji);
    expect(cut.every((p) => p.length <= 2000 && !/^[\udc00-\udfff]/.test(p))).toBe(true);
    const huge = splitText("y".repeat(20_000), 2000);
    expect(huge).toHaveLength(5);
    expect(huge[4]!.endsWith("…")).toBe(true);
    expect(splitText("short", 2000)).toEqual(["short"]);
  });

  test("a long notice goes over several messages, the last one with the embeds that followed it", () => {
    const text = Array.from({ length: 25 }, (_, i) => `• problem ${i + 1}: ${"z".repeat(100)}`).join("\n");
    const out = renderMessages([
      { type: "notice", level: "warning", code: "bad-option", text },
      { type: "file", fileName: "problems.txt", contentType: "text/plain", content: "all of them", description: "Every problem" },
    ]);
    expect(out).toHaveLength(2);
    expect(out.every((m) => (m.content ?? "").length <= LIMITS.content)).toBe(true);
    expect(out[0]!.files).toBeUndefined();
    expect(out[1]!.files?.map((f) => f.name)).toEqual(["problems.txt"]);
    expect(out.map((m) => m.content).join("\n")).toContain("problem 25:");
    expect(out[1]!.content).toContain("📎 Every problem");
    // Scheduled sends (one request a message) clip it instead.
    const scheduled = renderMessages([{ type: "notice", level: "info", code: "info", text }], { oneMessage: true });
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.content).toHaveLength(LIMITS.content);
  });
});
