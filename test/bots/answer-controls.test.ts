import { ComponentType } from "discord.js";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../bots/content/load-packs.js";
import { questionComponents } from "../../bots/discord/render-components.js";
import { LIMITS as DISCORD } from "../../bots/discord/discord-limits.js";
import { choiceLabels } from "../../bots/render/choice-labels.js";
import { questionBlocks } from "../../bots/slack/render-question.js";
import { LIMITS as SLACK } from "../../bots/slack/mrkdwn.js";
import { questionReply } from "../../core/service/present.js";
import type { Reply } from "../../core/replies.js";

type QuestionReply = Extract<Reply, { type: "question" }>;

/** Texts on the controls of a rendered question: Discord buttons and menu options. */
function discordLabels(q: QuestionReply): string[] {
  const labels: string[] = [];
  for (const row of questionComponents(q)) {
    for (const c of row.components) {
      if (c.type === ComponentType.Button && "label" in c && c.label !== "Answer") labels.push(c.label!);
      if (c.type === ComponentType.StringSelect) labels.push(...c.options.map((o) => o.label));
    }
  }
  return labels;
}

/** Texts on the controls of a rendered question: Slack buttons and checkboxes (not Submit/Answer). */
function slackLabels(q: QuestionReply): string[] {
  const labels: string[] = [];
  for (const b of questionBlocks(q)) {
    if (b.type !== "actions") continue;
    for (const e of b.elements) {
      if (e.type === "button" && e.text.text !== "Submit" && e.text.text !== "Answer") labels.push(e.text.text);
      if (e.type === "checkboxes") labels.push(...e.options.map((o) => o.text.text));
    }
  }
  return labels;
}

/** Either every control shows its option whole, or every control shows only a number. */
function oneStyle(labels: string[], q: QuestionReply): "full" | "numbers" {
  const numbers = labels.map((l, i) => l === String(i + 1) || l === `Choice ${i + 1}`);
  if (numbers.every(Boolean)) return "numbers";
  labels.forEach((l, i) => {
    const text = q.choices[i]!.label;
    expect(l === text || l === `${i + 1}. ${text}`, `${q.ref.questionId}: control ${i + 1} "${l}" is not the whole option`).toBe(true);
  });
  return "full";
}

describe("answer controls never point at the answer", () => {
  it("texts fit: every control carries its whole option; one does not: every control carries only its number", () => {
    const o = { max: 20, numbered: true, numberOnly: String };
    expect(choiceLabels(["short", "also short"], o)).toEqual(["1. short", "2. also short"]);
    expect(choiceLabels(["short", "a much longer option that would be cut"], o)).toEqual(["1", "2"]);
    expect(choiceLabels(["x".repeat(17), "y"], o)).toEqual([`1. ${"x".repeat(17)}`, "2. y"]); // exactly 20
    expect(choiceLabels(["ü".repeat(18)], { ...o, numbered: false })).toEqual(["ü".repeat(18)]); // counted in characters
  });

  it("in the shipped course no control is cut while others are not, on Discord and on Slack", async () => {
    const r = await loadCatalog("content");
    if (!r.ok) throw new Error("the course does not load");
    let numbered = 0;
    let checked = 0;
    for (const entry of r.catalog.questions) {
      const type = entry.question.type;
      if (type !== "single" && type !== "multi" && type !== "truefalse") continue;
      const q = questionReply(r.catalog, { sessionId: "s1", index: 0, questionId: entry.question.id }, 1) as QuestionReply;
      const d = discordLabels(q);
      const s = slackLabels(q);
      expect(d, entry.question.id).toHaveLength(q.choices.length);
      expect(s, entry.question.id).toHaveLength(q.choices.length);
      for (const l of d) expect(l.length, entry.question.id).toBeLessThanOrEqual(type === "multi" ? DISCORD.selectOptionLabel : DISCORD.buttonLabel);
      for (const l of s) expect(Array.from(l).length, entry.question.id).toBeLessThanOrEqual(SLACK.buttonText);
      for (const l of [...d, ...s]) expect(l, entry.question.id).not.toContain("…");
      if (oneStyle(d, q) === "numbers") numbered++;
      oneStyle(s, q);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
    // Options that do not fit are common in this course: the number-only style is really exercised.
    expect(numbered).toBeGreaterThan(0);
  });
});
