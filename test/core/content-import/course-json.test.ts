import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../../core/content/catalog.js";
import { importCourseJson } from "../../../core/content/import/course-json.js";
import type { ImportedPack, ImportResult } from "../../../core/content/import/imported-pack.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), "utf8");
const courseText = fixture("queue-course.json");
const course = JSON.parse(courseText) as { course: Record<string, unknown> };

function pack(r: ImportResult): ImportedPack {
  if (!r.ok) throw new Error(r.error);
  return r.pack;
}
function error(r: ImportResult): string {
  if (r.ok) throw new Error("expected the import to fail");
  return r.error;
}
const edit = (change: (c: any) => void): string => {
  const copy = structuredClone(course);
  change(copy.course);
  return JSON.stringify(copy);
};
const opts = { fileName: "queue-course.json" };

describe("course JSON import", () => {
  const p = pack(importCourseJson(courseText, opts));
  const practice = p.manifest.practice?.[0];

  it("keeps every concept in sequence order, with prerequisites that resolve and outcomes in the description", () => {
    expect(p.manifest.id).toBe("message-queues-for-busy-services");
    expect(p.manifest.title).toBe("Message Queues for Busy Services");
    expect(p.manifest.concepts.map((c) => [c.id, c.title, c.prerequisites])).toEqual([
      ["queue-basics", "Queues as shock absorbers", []],
      ["consumer-groups", "Consumer groups", ["queue-basics"]],
      ["dead-letter-handling", "Dead-letter handling", ["consumer-groups", "queue-basics"]],
    ]);
    expect(p.manifest.concepts[2]?.description).toContain("moved to a side queue");
    expect(p.manifest.concepts[2]?.description).toContain("- Replay parked messages once the bug is fixed");
    expect(p.manifest.description).toContain("- Route poison messages aside without losing them.");
  });

  it("turns each segment into a lesson, in sequence order, with its outcomes, outline cards and sources", () => {
    expect(p.lessons.map((l) => [l.fileName, l.data.order, l.data.title, l.data.concepts])).toEqual([
      ["01-why-put-a-queue-in-between.yaml", 1, "Why Put a Queue in Between?", ["queue-basics"]],
      ["02-sharing-work-across-consumers.yaml", 2, "Sharing Work Across Consumers", ["consumer-groups"]],
      ["03-parking-messages-that-keep-failing.yaml", 3, "Parking Messages That Keep Failing", ["dead-letter-handling"]],
    ]);
    const groups = p.lessons[1]!.data;
    expect(groups.learningOutcomes).toEqual(["Estimate how many workers a backlog needs", "Say which messages keep their order"]);
    expect(groups.takeaways).toEqual(groups.learningOutcomes);
    const text = groups.cards.map((c) => `${c.title}\n${c.body}`).join("\n");
    expect(text).toMatch(/outline imported from "Message Queues for Busy Services" \(part 2 of 3\)/);
    expect(text).toContain("Next: how several workers drain it together.");
    expect(text).toContain("- Per-partition ordering");
    expect(text).toContain("- What a queue is");
    expect(text).toContain("https://example.org/queues/groups (about 5 min)");
    expect(groups.sources).toEqual([
      { file: "Message Queues for Busy Services", section: "segment seg_groups_02" },
      { file: "https://example.org/queues/groups", section: "Sharing Work Across Consumers" },
    ]);
  });

  it("derives lesson prerequisites from the concept graph", () => {
    expect(p.lessons.map((l) => l.data.prerequisites)).toEqual([
      [],
      ["why-put-a-queue-in-between"],
      ["sharing-work-across-consumers", "why-put-a-queue-in-between"],
    ]);
  });

  it("brings every question through as a single-choice question with its answer and per-option explanations", () => {
    expect(practice?.title).toBe("Interleaved practice");
    const qs = practice?.questions ?? [];
    expect(qs.map((q) => [q.id, q.type, "answer" in q ? q.answer : undefined, q.difficulty, q.concepts])).toEqual([
      ["q-burst-vs-overload", "single", "b", "intermediate", ["queue-basics", "consumer-groups"]],
      ["q-ordering", "single", "b", "advanced", ["consumer-groups"]],
      ["q-poison", "single", "c", "advanced", ["dead-letter-handling", "consumer-groups"]],
    ]);
    const first = qs[0]!;
    expect(first.type === "single" && first.options.map((o) => [o.id, o.explanation])).toEqual([
      ["a", "A burst drains once traffic falls; a depth that never drains is not a burst."],
      ["b", "Right: a backlog that survives the quiet hours means average capacity is below average load."],
      ["c", "Batching changes message size, not how much work the consumers must do."],
    ]);
    expect(first.explanation).toBe("A queue hides short peaks, but if it never empties the consumers are simply too slow on average.");
    // No discrimination_explanation: the correct option's own explanation is used.
    expect(qs[1]!.explanation).toBe("Keying by customer keeps their messages in one partition, where order is preserved.");
    expect(first.source).toEqual({ file: "Message Queues for Busy Services", section: "q_burst_vs_overload" });
  });

  it("produces a pack the catalog accepts", () => {
    const r = buildCatalog([
      { manifest: { file: "pack.yaml", data: p.manifest }, lessons: p.lessons.map((l) => ({ file: l.fileName, data: l.data })) },
    ]);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it("reads the course object without the outer wrapper too", () => {
    const bare = pack(importCourseJson(JSON.stringify(course.course), opts));
    expect(bare.manifest).toEqual(p.manifest);
  });

  it("keeps ids unique when two titles slugify alike and gives missing explanations a clear generated text", () => {
    const text = edit((c) => {
      c.segments[0].title = "Why put a queue in between";
      c.interleaved_practice[0].option_explanations = ["", null];
      c.interleaved_practice[0].question_id = "Q ordering";
      c.interleaved_practice[1].question_id = "q-ordering";
    });
    const r = importCourseJson(text, opts);
    const q = pack(r).manifest.practice?.[0]?.questions ?? [];
    expect(pack(r).lessons.map((l) => l.data.id)).toEqual(["why-put-a-queue-in-between", "why-put-a-queue-in-between-2", "parking-messages-that-keep-failing"]);
    expect(q.map((x) => x.id)).toEqual(["q-ordering", "q-ordering-2", "q-poison"]);
    expect(q[0]?.type === "single" && q[0].options.map((o) => o.explanation)).toEqual([
      "Not the intended answer; see the explanation.",
      "This is the intended answer; see the explanation.",
      "Not the intended answer; see the explanation.",
    ]);
    expect(r.ok && r.notes.join("\n")).toMatch(/3 option\(s\) had no explanation/);
  });

  it.each([
    ["a prerequisite that is not a concept", fixture("course-bad-prerequisite.json"), 'queue-course.json: course.micro_concepts[0] ("dead_letter_handling").prerequisites: "message_brokers" is not a concept_id in micro_concepts'],
    ["a correct_option_index out of range", edit((c) => (c.interleaved_practice[2].correct_option_index = 3.0)), 'queue-course.json: course.interleaved_practice[2] ("q_poison").correct_option_index: 3 is not an option; use 0 to 2 (counted from 0)'],
    ["a fractional correct_option_index", edit((c) => (c.interleaved_practice[0].correct_option_index = 1.5)), 'course.interleaved_practice[0] ("q_burst_vs_overload").correct_option_index: 1.5 is not an option'],
    ["a segment on an unknown concept", edit((c) => (c.segments[0].micro_concept_id = "nope")), 'course.segments[0] ("seg_groups_02").micro_concept_id: "nope" is not a concept_id in micro_concepts'],
    ["a question concept that does not exist", edit((c) => (c.interleaved_practice[1].related_micro_concepts = ["ghost"])), '.related_micro_concepts: "ghost" is not a concept_id'],
    ["an unknown difficulty word", edit((c) => (c.interleaved_practice[0].difficulty = "spicy")), '.difficulty: "spicy" is not a difficulty; use one of intro, intermediate, advanced, mastery'],
    ["a missing segment title", edit((c) => delete c.segments[2].title), "queue-course.json: course.segments[2].title: is missing (expected string)"],
    ["too many option explanations", edit((c) => c.interleaved_practice[2].option_explanations.push("extra")), ".option_explanations: 4 explanations for 3 options"],
    ["a concept id used twice", edit((c) => (c.micro_concepts[1].concept_id = "dead_letter_handling")), 'concept_id is used twice'],
    ["one option only", edit((c) => (c.interleaved_practice[0].options = ["only"])), "a question needs 2 to 6 options, this one has 1"],
  ])("refuses %s with a message naming where", (_name, text, message) => {
    expect(error(importCourseJson(text, opts))).toContain(message);
  });

  it("maps difficulty words and levels, falling back to the concept's level", () => {
    const r = pack(
      importCourseJson(
        edit((c) => {
          c.interleaved_practice[0].difficulty = "Easy";
          c.interleaved_practice[1].difficulty = 4;
        }),
        opts,
      ),
    );
    expect(r.manifest.practice?.[0]?.questions.map((q) => q.difficulty)).toEqual(["intro", "mastery", "advanced"]);
  });
});
