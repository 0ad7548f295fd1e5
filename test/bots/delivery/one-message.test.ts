/**
 * One message per scheduled send where Discord's limits allow (renderMessages
 * with oneMessage): the text before a question becomes its content, several
 * questions share a message up to 5 rows of components and 10 embeds, and
 * whatever would break a limit starts a new message. Every message is checked
 * with the stand-in's own check of Discord's published limits.
 */
import { describe, expect, it } from "vitest";
import type { Reply } from "../../../core/replies.js";
import { decodeCustomId } from "../../../bots/discord/custom-id.js";
import { renderMessages, type OutMessage } from "../../../bots/discord/render-message.js";
import { messageProblem } from "../../support/discord-limits.js";

type Question = Extract<Reply, { type: "question" }>;

const question = (index: number, choices = 4, total = 3): Question => ({
  type: "question",
  ref: { sessionId: "pabc123", index, questionId: `q-${index}` },
  questionType: "single",
  stem: `Which index fits query ${index}?`,
  choices: Array.from({ length: choices }, (_, i) => ({ id: String.fromCharCode(97 + i), label: `Option ${i + 1}` })),
  hint: "",
  difficulty: "intro",
  position: { index, total },
  title: "Daily drill",
});
const intro: Reply = { type: "text", text: "Your daily drill: 3 questions, 1 of them due for review." };

const customIds = (m: OutMessage) => m.components.flatMap((row) => row.components.map((c) => (c as { custom_id: string }).custom_id));

describe("one message per drill", () => {
  it("a drill's intro and its question are one message, and each button names its question", () => {
    const out = renderMessages([intro, question(0)], { oneMessage: true, home: "110000000000000001" });
    expect(out).toHaveLength(1);
    const [m] = out as [OutMessage];
    expect(m.content).toBe((intro as { text: string }).text);
    expect(m.embeds[0]?.title).toContain("question 1 of 3");
    const actions = customIds(m).map(decodeCustomId);
    expect(actions).toHaveLength(4);
    for (const a of actions) expect(a).toMatchObject({ kind: "choice", ref: { sessionId: "pabc123", index: 0, questionId: "q-0" }, home: "110000000000000001" });
    expect(messageProblem(m as never)).toBeNull();
  });

  it("without oneMessage (answers to commands) the question keeps a message of its own", () => {
    expect(renderMessages([intro, question(0)])).toHaveLength(2);
  });

  it("three questions share one message, each button naming its own question", () => {
    const out = renderMessages([intro, question(0), question(1), question(2)], { oneMessage: true });
    expect(out).toHaveLength(1);
    const ids = customIds(out[0]!).map((id) => decodeCustomId(id)!.ref.questionId);
    expect(new Set(ids)).toEqual(new Set(["q-0", "q-1", "q-2"]));
    expect(messageProblem(out[0] as never)).toBeNull();
  });

  it("past 5 rows of components a question starts the next message, and every message stays within Discord's limits", () => {
    // 10 choices = 2 rows a question: two fit (4 rows), the third would make 6.
    const out = renderMessages([intro, question(0, 10), question(1, 10), question(2, 10)], { oneMessage: true });
    expect(out.map((m) => m.components.length)).toEqual([4, 2]);
    for (const m of out) expect(messageProblem(m as never)).toBeNull();
  });

  it("an intro longer than Discord's 2000 content characters goes alone, the question after it", () => {
    const long: Reply = { type: "text", text: "x".repeat(2_100) };
    const out = renderMessages([long, question(0)], { oneMessage: true });
    expect(out).toHaveLength(2);
    for (const m of out) expect(messageProblem(m as never)).toBeNull();
  });
});
