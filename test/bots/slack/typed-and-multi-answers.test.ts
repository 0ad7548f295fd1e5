import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS, MODAL_CALLBACK } from "../../../bots/slack/action-codec.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, button, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";

const redis = useTestRedis();
let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

/** Answers alpha's first two questions right and returns the multi-select question message. */
async function reachMultiQuestion() {
  const res = await h.command(ALICE, "quiz alpha 3");
  const [q1] = await h.responses(res.responseId);
  const c1 = await h.click(ALICE, button(q1!.body.blocks, "Alpha"));
  const [, q2] = await h.responses(c1.responseId, 2);
  const c2 = await h.click(ALICE, button(q2!.body.blocks, "True"));
  const [, q3] = await h.responses(c2.responseId, 2);
  return q3!.body;
}

function checkboxesOf(blocks: any[]) {
  for (const b of blocks) for (const e of b.elements ?? []) if (e.type === "checkboxes") return { blockId: b.block_id as string, el: e };
  throw new Error("no checkboxes");
}

async function openModalFor(text: string) {
  const res = await h.command(ALICE, text);
  const [q] = await h.responses(res.responseId);
  const click = await h.click(ALICE, button(q!.body.blocks, "Answer"));
  expect(click.status).toBe(200);
  const open = await h.standin.waitFor(() => h.standin.callsTo("views.open")[0], "views.open");
  return { question: q!.body, click, open };
}

describe("multi-select and typed answers on Slack", () => {
  it("a multi-select question has checkboxes and Submit; ticking the right ones is correct", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await reachMultiQuestion();
    expect(textOf(q.blocks)).toContain("Which are Greek letters?");
    const { blockId, el } = checkboxesOf(q.blocks);
    const greek = el.options.filter((o: any) => /Alpha|Delta/.test(o.text.text));
    // Ticking a box is acked and does nothing visible.
    const tick = await h.click(ALICE, { action_id: ACTIONS.multiPick });
    expect(tick.status).toBe(200);
    const submit = await h.click(ALICE, button(q.blocks, "Submit"), {
      state: { [blockId]: { [ACTIONS.multiPick]: { type: "checkboxes", selected_options: greek } } },
    });
    const [fb] = await h.responses(submit.responseId);
    const seen = textOf(fb!.body.blocks);
    expect(seen).toContain("Correct!");
    expect(seen).toContain("Alpha and delta are Greek; aleph is Hebrew.");
    expect(fb!.body.response_type).toBe("ephemeral");
    expect(h.standin.responsesTo(tick.responseId)).toHaveLength(0);
  });

  it("Submit with nothing ticked asks to tick an answer and records nothing", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await reachMultiQuestion();
    const submit = await h.click(ALICE, button(q.blocks, "Submit"));
    const [fb] = await h.responses(submit.responseId);
    expect(fb!.body.text).toContain("Tick at least one answer");
    expect(fb!.body.response_type).toBe("ephemeral");
    // Still open: a proper answer afterwards counts.
    const { blockId, el } = checkboxesOf(q.blocks);
    const again = await h.click(ALICE, button(q.blocks, "Submit"), {
      state: { [blockId]: { [ACTIONS.multiPick]: { type: "checkboxes", selected_options: el.options.filter((o: any) => /Aleph/.test(o.text.text)) } } },
    });
    const [fb2] = await h.responses(again.responseId);
    expect(textOf(fb2!.body.blocks)).toContain("Aleph is Hebrew.");
  });

  it("a numeric question opens a modal; the submitted number is graded and the feedback is ephemeral", async () => {
    h = await startSlackHarness(redis.server.url);
    const { question, click, open } = await openModalFor("quiz beta 3");
    expect(textOf(question.blocks)).toContain("How many letters does the Greek alphabet have?");
    expect(open.body.trigger_id).toMatch(/^trigger-/);
    const view = open.body.view;
    expect(view.type).toBe("modal");
    expect(view.callback_id).toBe(MODAL_CALLBACK);
    expect(textOf(view.blocks)).toContain("How many letters");
    const sub = await h.submitView(ALICE, { id: "VMODAL1", callback_id: view.callback_id, private_metadata: view.private_metadata }, { answer: { raw: { type: "plain_text_input", value: "26" } } });
    expect(sub.status).toBe(200);
    const [fb, next] = await h.responses(click.responseId, 2);
    const seen = textOf(fb!.body.blocks);
    expect(seen).toContain("Not quite.");
    expect(seen).toContain("Not 26; that is the Latin alphabet.");
    expect(seen).toContain("24 letters");
    expect(fb!.body.response_type).toBe("ephemeral");
    expect(textOf(next!.body.blocks)).toContain("Name the second Greek letter.");
  });

  it("text that is not an answer keeps the modal open with the reason next to the field", async () => {
    h = await startSlackHarness(redis.server.url);
    const { click, open } = await openModalFor("quiz beta 3");
    const view = open.body.view;
    const sub = await h.submitView(ALICE, { id: "VMODAL2", callback_id: view.callback_id, private_metadata: view.private_metadata }, { answer: { raw: { type: "plain_text_input", value: "lots" } } });
    expect(sub.status).toBe(200);
    const body = JSON.parse(sub.text);
    expect(body.response_action).toBe("errors");
    expect(body.errors.answer).toContain("is not a number");
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standin.responsesTo(click.responseId)).toHaveLength(0);
  });

  it("an order question is answered in the modal with the numbers in order", async () => {
    h = await startSlackHarness(redis.server.url);
    const res = await h.command(ALICE, "quiz beta 3");
    const [q1] = await h.responses(res.responseId);
    // Skip to the order question: answer the numeric and text ones through their modals.
    let question = q1!.body;
    for (const raw of ["24", "beta"]) {
      const click = await h.click(ALICE, button(question.blocks, "Answer"));
      const open = await h.standin.waitFor(() => h.standin.callsTo("views.open").at(-1)?.body.view.private_metadata.includes(`"index":${raw === "24" ? 0 : 1}`) && h.standin.callsTo("views.open").at(-1), "modal");
      await h.submitView(ALICE, { id: `V-${raw}`, callback_id: MODAL_CALLBACK, private_metadata: open.body.view.private_metadata }, { answer: { raw: { type: "plain_text_input", value: raw } } });
      const [fb, next] = await h.responses(click.responseId, 2);
      expect(textOf(fb!.body.blocks)).toContain("Correct!");
      question = next!.body;
    }
    expect(textOf(question.blocks)).toContain("Put the letters in alphabet order.");
    const lines = textOf(question.blocks).split("\n");
    const pos = (label: string) => lines.find((l) => l.includes(`* ${label}`) && /^\*\d+\.\*/.test(l))!.match(/^\*(\d+)\./)![1];
    const order = ["Alpha", "Beta", "Gamma"].map(pos).join(" ");
    const click = await h.click(ALICE, button(question.blocks, "Answer"));
    const open = await h.standin.waitFor(() => h.standin.callsTo("views.open").at(-1)?.body.view.private_metadata.includes('"index":2') && h.standin.callsTo("views.open").at(-1), "order modal");
    await h.submitView(ALICE, { id: "V-order", callback_id: MODAL_CALLBACK, private_metadata: open.body.view.private_metadata }, { answer: { raw: { type: "plain_text_input", value: order } } });
    const [fb, summary] = await h.responses(click.responseId, 1);
    const seen = textOf(fb!.body.blocks) + (summary ? textOf(summary.body.blocks) : "");
    expect(seen).toContain("Correct!");
    expect(seen).toContain("3/3 correct");
  });
});
