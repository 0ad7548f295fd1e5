import { describe, expect, it } from "vitest";
import { buildCatalog, formatProblem } from "../../core/content/catalog.js";
import { loadCatalog } from "../../bots/content/load-packs.js";

const manifest = { file: "content/packs/x/pack.yaml", data: { id: "x", title: "X", concepts: [{ id: "c1", title: "C1" }] } };
const lesson = (questions: unknown[]) => ({
  file: "content/packs/x/lessons/indexes.yaml",
  data: { id: "l1", order: 1, title: "L", concepts: ["c1"], cards: [{ body: "b" }], takeaways: ["t"], sources: [{ file: "f", section: "s" }], questions },
});
const q = (over: Record<string, unknown>) => ({
  id: "q1",
  type: "single",
  difficulty: "intro",
  concepts: ["c1"],
  source: { file: "f", section: "s" },
  stem: "?",
  explanation: "e",
  options: ["a", "b", "c", "d"].map((id) => ({ id, text: id, explanation: id })),
  answer: "a",
  ...over,
});

describe("content validation", () => {
  it("an answer that is not an option id names file, field and the valid ids", () => {
    const r = buildCatalog([{ manifest, lessons: [lesson([q({}), q({ id: "q2" }), q({ id: "q3" }), q({ id: "q4", answer: "e" })])] }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatProblem(r.problems[0]!)).toBe('content/packs/x/lessons/indexes.yaml: questions[3].answer: "e" is not one of the option ids a, b, c, d');
  });

  it("a wrong difficulty is named with its path", () => {
    const r = buildCatalog([{ manifest, lessons: [lesson([q({ difficulty: "easy" })])] }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatProblem(r.problems[0]!)).toMatch(/^content\/packs\/x\/lessons\/indexes\.yaml: questions\[0\]\.difficulty: /);
  });

  it("an unknown concept and a duplicate question id are reported", () => {
    const r = buildCatalog([{ manifest, lessons: [lesson([q({ concepts: ["nope"] }), q({})])] }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const text = r.problems.map(formatProblem).join("\n");
      expect(text).toContain('"nope" is not a concept declared in pack.yaml');
      expect(text).toContain('question id "q1" is already used');
    }
  });

  it("an ordering answer must use every item once", () => {
    const r = buildCatalog([{ manifest, lessons: [lesson([q({ type: "order", answer: ["a", "b"] })])] }]);
    expect(r.ok).toBe(false);
  });

  it("the test pack loads with every question type", async () => {
    const r = await loadCatalog("test/fixtures/content");
    expect(r.ok).toBe(true);
    if (r.ok) expect(new Set(r.catalog.questions.map((x) => x.question.type))).toEqual(new Set(["single", "multi", "truefalse", "order", "numeric", "text"]));
  });
});
