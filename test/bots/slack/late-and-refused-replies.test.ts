/**
 * Slack refuses a response_url after 5 uses or 30 minutes (the stand-in does
 * too): an answer form sent back late still gets its feedback and the next
 * question, by DM; when Slack refuses even that, the learner is told what
 * was recorded.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MODAL_CALLBACK } from "../../../bots/slack/action-codec.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, button, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { blocksProblem, SLACK_LIMITS, viewProblem } from "../../support/slack-limits.js";

const redis = useTestRedis();
let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

/** /study quiz beta 3, then Answer on its numeric question: the modal and the click's response_url id. */
async function openAnswerForm() {
  const res = await h.command(ALICE, "quiz beta 3");
  const [q] = await h.responses(res.responseId);
  const click = await h.click(ALICE, button(q!.body.blocks, "Answer"));
  const open = await h.standin.waitFor(() => h.standin.callsTo("views.open")[0], "views.open");
  return { view: open.body.view, clickId: click.responseId };
}

const submit = (view: { callback_id: string; private_metadata: string }, value: string) =>
  h.submitView(ALICE, { id: "VLATE", callback_id: view.callback_id ?? MODAL_CALLBACK, private_metadata: view.private_metadata }, { answer: { raw: { type: "plain_text_input", value } } });

const dmsTo = (user: string) => h.standin.callsTo("chat.postMessage").filter((c) => c.body.channel === user);

describe("the strict stand-in", () => {
  it("refuses blocks and views that break Block Kit's published limits", () => {
    expect(blocksProblem(Array.from({ length: 51 }, () => ({ type: "divider" })))).toContain("more than 50 blocks");
    expect(blocksProblem([{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }])).toContain("longer than 3000");
    expect(blocksProblem([{ type: "actions", elements: [{ type: "button", action_id: "a", text: { type: "plain_text", text: "b".repeat(76) } }] }])).toContain("longer than 75");
    expect(viewProblem({ title: { type: "plain_text", text: "t".repeat(25) }, blocks: [] })).toContain("title");
    expect(blocksProblem([{ type: "section", text: { type: "mrkdwn", text: "fine" } }])).toBeNull();
  });
});

describe("an answer form sent back after its response_url expired", () => {
  it("the stand-in refuses a response_url after 30 minutes, as Slack does", async () => {
    h = await startSlackHarness(redis.server.url);
    const url = h.standin.responseUrl("old");
    h.standin.advanceClock(SLACK_LIMITS.responseUrlTtlMs + 1000);
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "late" }) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error: "expired_url" });
    const fresh = h.standin.responseUrl("fresh");
    const statuses: number[] = [];
    for (let i = 0; i < SLACK_LIMITS.responseUrlUses + 1; i++) statuses.push((await fetch(fresh, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it("still gets its feedback and the next question, by DM", async () => {
    h = await startSlackHarness(redis.server.url);
    const { view, clickId } = await openAnswerForm();
    h.standin.advanceClock(31 * 60_000); // the learner took 31 minutes over the form
    expect((await submit(view, "24")).status).toBe(200);

    const dms = await h.standin.waitFor(() => (dmsTo(ALICE.user).length >= 3 ? dmsTo(ALICE.user) : undefined), "the feedback and the next question by DM");
    const seen = dms.map((c) => textOf(c.body.blocks)).join("\n");
    expect(seen).toContain("could not answer where you acted");
    expect(seen).toContain("Correct!");
    expect(seen).toContain("Name the second Greek letter.");
    expect(h.standin.refusedResponses.map((r) => [r.id, r.error])).toEqual([[clickId, "expired_url"]]);
    expect(h.standin.responsesTo(clickId)).toHaveLength(0);
  });

  it("when Slack refuses the DM's blocks too, a plain note says the answer was recorded", async () => {
    h = await startSlackHarness(redis.server.url);
    const { view } = await openAnswerForm();
    h.standin.advanceClock(31 * 60_000);
    h.standin.fail("chat.postMessage", { body: { ok: false, error: "invalid_blocks" } });
    await submit(view, "24");
    const note = await h.standin.waitFor(() => dmsTo(ALICE.user).find((c) => !c.body.blocks), "the plain-text note");
    expect(note.body.text).toContain("Slack refused to show my reply. Your answer was recorded (right, +");
    expect(note.body.text).toContain("/study quiz");
  });

  it("a wrong-length or garbled form is refused in the form and nothing is sent or recorded", async () => {
    h = await startSlackHarness(redis.server.url);
    const { view, clickId } = await openAnswerForm();
    const before = await h.redis.keys(`${h.prefix}*`);
    const sub = await submit(view, "9".repeat(2500));
    const body = JSON.parse(sub.text);
    expect(body.response_action).toBe("errors");
    expect(body.errors.answer).toContain("at most 500");
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standin.responsesTo(clickId)).toHaveLength(0);
    expect((await h.redis.keys(`${h.prefix}*`)).sort()).toEqual(before.sort());
  });
});
