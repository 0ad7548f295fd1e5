import { describe, expect, it } from "vitest";
import type { Reply } from "../../../core/replies.js";
import { decodeMetadata, decodeValue, encodeMetadata, encodeValue } from "../../../bots/slack/action-codec.js";
import { chunkText, markdownToMrkdwn, slackCommands } from "../../../bots/slack/mrkdwn.js";
import { renderMessages } from "../../../bots/slack/render-replies.js";
import { answerModal, type QuestionReply } from "../../../bots/slack/render-question.js";

const question = (over: Partial<QuestionReply> = {}): QuestionReply => ({
  type: "question",
  ref: { sessionId: "s|1", index: 2, questionId: "q-9" },
  questionType: "single",
  stem: "Which **index** helps?",
  choices: [
    { id: "a", label: "A B-tree" },
    { id: "b", label: "A hash index" },
  ],
  hint: "Type the number of your choice.",
  difficulty: "intro",
  position: { index: 2, total: 5 },
  title: "Indexes",
  ...over,
});

function sectionTexts(blocks: any[]): string[] {
  return blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: any) => f.text)]).filter((t): t is string => typeof t === "string");
}

describe("Markdown to Slack mrkdwn", () => {
  it("turns **bold** into *bold*, *italic* into _italic_, headings into bold lines and bullets into •", () => {
    const out = markdownToMrkdwn("# Sharding\nUse **hash** keys, *not* ranges.\n- one\n* two\n[docs](https://example.com/a?b=1&c=2)");
    expect(out).toBe("*Sharding*\nUse *hash* keys, _not_ ranges.\n• one\n• two\n<https://example.com/a?b=1&c=2|docs>");
  });

  it("escapes &, < and > and leaves code alone", () => {
    expect(markdownToMrkdwn("a < b && **c** `x **y**`")).toBe("a &lt; b &amp;&amp; *c* `x **y**`");
  });

  it("speaks of /study subcommands instead of the core's /quiz", () => {
    expect(slackCommands("Try /quiz indexes or /settings tz Europe/Berlin; see /help.")).toBe("Try /study quiz indexes or /study tz Europe/Berlin; see /study help.");
    expect(slackCommands("Admins: /content enable|disable <pack>; /content packs lists them.")).toBe("Admins: /study content enable|disable <pack>; /study content packs lists them.");
  });

  it("splits long text into pieces within the 3000-character section limit, at paragraph breaks", () => {
    const para = "word ".repeat(500).trim();
    const chunks = chunkText(`${para}\n\n${para}\n\n${para}`);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(3000);
    expect(chunks.join(" ").replace(/\s+/g, " ")).toBe(`${para} ${para} ${para}`.replace(/\s+/g, " "));
  });
});

describe("Block Kit messages", () => {
  it("a long lesson stays within 50 blocks a message and 3000 characters a section, with a text fallback on each", () => {
    const lesson: Reply = {
      type: "lesson",
      lessonId: "l1",
      title: "A very long lesson",
      cards: Array.from({ length: 60 }, (_, i) => ({ title: `Card ${i}`, body: `## Part ${i}\n` + "**x** ".repeat(290) })),
      takeaways: ["Keep it short."],
      sources: [{ file: "f.txt", section: "s" }],
      position: { index: 0, total: 3 },
      next: "beta",
    };
    const messages = renderMessages([lesson, { type: "text", text: "Quiz yourself on it with /quiz alpha." }]);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(m.text.length).toBeGreaterThan(0);
      for (const t of sectionTexts(m.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    }
    const all = messages.flatMap((m) => sectionTexts(m.blocks)).join("\n");
    expect(all).toContain("*Part 59*");
    expect(all).toContain("/study quiz alpha");
    expect(all).not.toContain("**");
  });

  it("a question gets its own message with versioned button values; true/false buttons read True and False", () => {
    const [fb, q] = renderMessages([{ type: "notice", level: "info", code: "info", text: "hi" }, question()]);
    expect(fb!.hasQuestion).toBe(false);
    expect(q!.hasQuestion).toBe(true);
    const buttons = q!.blocks.flatMap((b: any) => (b.type === "actions" ? b.elements : []));
    expect(buttons.map((b: any) => b.value)).toEqual(["v1|s%7C1|2|q-9|a", "v1|s%7C1|2|q-9|b"]);
    expect(new Set(buttons.map((b: any) => b.action_id)).size).toBe(2);
    const tf = renderMessages([question({ questionType: "truefalse", choices: [{ id: "true", label: "True" }, { id: "false", label: "False" }] })])[0]!;
    expect(tf.blocks.flatMap((b: any) => (b.type === "actions" ? b.elements.map((e: any) => e.text.text) : []))).toEqual(["True", "False"]);
  });

  it("button labels are cut to Slack's 75 characters while the full choice text is shown above them", () => {
    const long = "x".repeat(200);
    const q = renderMessages([question({ choices: [{ id: "a", label: long }] })])[0]!;
    const btn = q.blocks.flatMap((b: any) => (b.type === "actions" ? b.elements : []))[0];
    expect(btn.text.text.length).toBeLessThanOrEqual(75);
    expect(sectionTexts(q.blocks).join("\n")).toContain(long);
  });

  it("multi-select questions get checkboxes and Submit; order questions an Answer button and a modal", () => {
    const multi = renderMessages([question({ questionType: "multi" })])[0]!;
    const kinds = multi.blocks.flatMap((b: any) => (b.type === "actions" ? b.elements.map((e: any) => e.type) : []));
    expect(kinds).toEqual(["checkboxes", "button"]);
    const order = question({ questionType: "order", hint: "Type the numbers in the right order." });
    const rendered = renderMessages([order])[0]!;
    expect(rendered.blocks.flatMap((b: any) => (b.type === "actions" ? b.elements.map((e: any) => e.text.text) : []))).toEqual(["Answer"]);
    const modal = answerModal(order, "http://127.0.0.1:1/response/x");
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(decodeMetadata(modal.private_metadata)).toEqual({ v: "v1", ref: order.ref, responseUrl: "http://127.0.0.1:1/response/x" });
    expect(JSON.stringify(modal.blocks)).toContain("plain_text_input");
  });
});

describe("channel results", () => {
  it("a drill or challenge's results show the answer, the share right and the first correct names", () => {
    const [m] = renderMessages([
      { type: "results", kind: "challenge", title: "Challenge", stem: "Which **index**?", correctAnswer: { text: "B-tree", explanation: "Ranges." }, answered: 4, correct: 3, firstCorrect: ["ana", "<bo>"] },
    ]);
    const all = sectionTexts(m!.blocks).join("\n") + m!.blocks.flatMap((b: any) => (b.elements ?? []).map((e: any) => e.text)).join("\n");
    expect(all).toContain("*Challenge: results*");
    expect(all).toContain("Which *index*?");
    expect(all).toContain("*Answer:* B-tree");
    expect(all).toContain("3/4 got it right (75%)");
    expect(all).toContain("first correct: ana, &lt;bo&gt;");
    expect(m!.text).toContain("B-tree");
  });
});

describe("action values", () => {
  it("round-trip, including ids with | in them, and reject other versions", () => {
    const ref = { sessionId: "a|b", index: 3, questionId: "q/1" };
    expect(decodeValue(encodeValue(ref, "c"))).toEqual({ ref, choiceId: "c" });
    expect(decodeValue(encodeValue(ref))).toEqual({ ref });
    expect(decodeValue("v0|s|0|q|a")).toBeNull();
    expect(decodeValue("v1|s|x|q|a")).toBeNull();
    expect(decodeMetadata(encodeMetadata({ ref }))).toEqual({ v: "v1", ref });
    expect(decodeMetadata("{nope")).toBeNull();
  });
});

describe("the shipped course on Slack", () => {
  it("every lesson and question of content/ renders within Block Kit's limits", async () => {
    const { loadCatalog } = await import("../../../bots/content/load-packs.js");
    const { lessonReply, questionReply } = await import("../../../core/service/present.js");
    const result = await loadCatalog("content");
    if (!result.ok) throw new Error("content/ does not load; see the content tests");
    const catalog = result.catalog;
    const replies: Reply[] = [
      ...catalog.lessons.map((l) => lessonReply(catalog, l)),
      ...catalog.questions.map((q, i) => questionReply(catalog, { sessionId: `s${i}`, index: 0, questionId: q.question.id }, 5)),
    ];
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      for (const m of renderMessages([reply])) {
        expect(m.blocks.length).toBeLessThanOrEqual(50);
        expect(m.text.length).toBeGreaterThan(0);
        for (const t of sectionTexts(m.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
        for (const b of m.blocks as any[]) {
          if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
          for (const e of b.type === "actions" ? b.elements : []) {
            if (e.type === "button") {
              expect(e.text.text.length).toBeLessThanOrEqual(75);
              expect(e.value.length).toBeLessThanOrEqual(2000);
            }
            if (e.type === "checkboxes") for (const o of e.options) expect(o.text.text.length).toBeLessThanOrEqual(75);
          }
        }
      }
    }
  });
});
