/**
 * Fuzzing Slack payloads with fast-check, through the real Bolt app and the
 * strict stand-in: /study text, button values, checkbox state and modal
 * submissions of any length, unicode and control characters. Every one is
 * acked and answered briefly, the app never crashes, and invalid input
 * writes nothing to Redis.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { parseCommandText } from "../../../core/commands.js";
import { ACTIONS, decodeValue, MODAL_CALLBACK } from "../../../bots/slack/action-codec.js";
import { CHALLENGE_CALLBACK } from "../../../bots/slack/challenge-form.js";
import { fuzzLine, mayWrite } from "../../support/input-classes.js";
import { redisState } from "../../support/redis-state.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, button, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { fixtureCatalog } from "../../support/study-harness.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 20_000 });

const redis = useTestRedis();
let h: SlackHarness;
let question: any;
beforeAll(async () => {
  h = await startSlackHarness(redis.server.url);
  const res = await h.command(ALICE, "quiz alpha 2");
  question = (await h.responses(res.responseId))[0]!.body;
});
afterAll(async () => {
  await h?.stop();
});

const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 150 }), fc.string({ unit: "binary", maxLength: 150 }), fc.string({ minLength: 1990, maxLength: 3000 }));
const state = () => redisState(h.redis, `${h.prefix}*`);

/** A button value that would be a real answer: a known question and one of its own choices. */
async function isRealAnswer(value: string): Promise<boolean> {
  const decoded = decodeValue(value);
  const q = decoded ? (await fixtureCatalog()).question(decoded.ref.questionId)?.question : undefined;
  if (!q || decoded?.choiceId === undefined) return false;
  const ids = q.type === "truefalse" ? ["true", "false"] : "options" in q ? q.options.map((o) => o.id) : [];
  return ids.includes(decoded.choiceId);
}

test("any /study text that is not a command that writes gets an answer and writes nothing", async () => {
  const catalog = await fixtureCatalog();
  await fc.assert(
    fc.asyncProperty(fuzzLine, async (line) => {
      const word = line.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
      fc.pre(!mayWrite(parseCommandText(line), catalog, { questionOpen: true }) && word !== "challenge");
      const before = await state();
      const res = await h.command(ALICE, line);
      expect(res.status).toBe(200);
      const [reply] = await h.responses(res.responseId);
      expect(textOf(reply!.body.blocks ?? []).length + String(reply!.body.text ?? "").length).toBeGreaterThan(0);
      expect(JSON.stringify(reply!.body)).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      expect(await state()).toEqual(before);
    }),
    { numRuns: 60 },
  );
});

test("random button values and checkbox picks are answered with a short note and write nothing", async () => {
  const real = button(question.blocks, "Alpha").value!;
  const mangled = fc.tuple(fc.nat(5), fc.string({ maxLength: 20 })).map(([i, part]) => {
    const parts = real.split("|");
    parts[i % parts.length] = part;
    return parts.join("|");
  });
  const actionId = fc.constantFrom(`${ACTIONS.choicePrefix}0`, `${ACTIONS.choicePrefix}7`, ACTIONS.multiSubmit, ACTIONS.openModal);
  await fc.assert(
    fc.asyncProperty(actionId, fc.oneof(text, mangled), fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }), async (action_id, value, picks) => {
      fc.pre(!(await isRealAnswer(value)));
      const before = await state();
      const stateValues = { b1: { [ACTIONS.multiPick]: { type: "checkboxes", selected_options: picks.map((p) => ({ value: p, text: { type: "plain_text", text: p || "x" } })) } } };
      const res = await h.click(ALICE, { action_id, value }, { state: stateValues });
      expect(res.status).toBe(200);
      if (action_id !== ACTIONS.openModal || !decodeValue(value)) {
        const [reply] = await h.responses(res.responseId);
        expect(String(reply!.body.text ?? "").length).toBeLessThan(1500);
      }
      expect(await state()).toEqual(before);
    }),
    { numRuns: 60 },
  );
});

test("modal submissions with random metadata and fields are refused in the form and write nothing", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(MODAL_CALLBACK, CHALLENGE_CALLBACK), text, text, async (callback_id, metadata, typed) => {
      const before = await state();
      const field = { type: "plain_text_input", value: typed };
      const res = await h.submitView(ALICE, { id: "VFUZZ", callback_id, private_metadata: metadata }, { answer: { raw: field }, "challenge.stem": { value: field } });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text || "{}").response_action).toBe("errors");
      expect(await state()).toEqual(before);
    }),
    { numRuns: 40 },
  );
});

test("after all that, the app still answers and logged no error", async () => {
  const res = await h.click(ALICE, button(question.blocks, "Alpha"));
  const [fb] = await h.responses(res.responseId);
  expect(textOf(fb!.body.blocks)).toContain("Correct!");
  expect(h.logLines.filter((l) => l.includes(" ERROR: "))).toEqual([]);
  // Nothing drillbot sent broke Block Kit's limits (the stand-in would have refused it).
  expect(h.standin.invalidPosts).toEqual([]);
});
