import { afterEach, describe, expect, it } from "vitest";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, BOB, button, buttonsOf, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";

const redis = useTestRedis();
let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

async function startQuiz(text = "quiz alpha 3") {
  const res = await h.command(ALICE, text);
  expect(res.status).toBe(200);
  const [question] = await h.responses(res.responseId);
  return question!.body;
}

describe("/study quiz on Slack", () => {
  it("posts the question to the channel with one button per choice and a text fallback", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await startQuiz();
    expect(q.response_type).toBe("in_channel");
    expect(q.text).toContain("Which letter comes first?");
    expect(textOf(q.blocks)).toContain("Which letter comes first?");
    const labels = buttonsOf(q.blocks).map((b) => b.text.text);
    expect(labels.map((l) => l.replace(/^\d+\. /, "")).sort()).toEqual(["Alpha", "Beta", "Gamma"]);
    expect(labels.map((l) => l.slice(0, 2))).toEqual(["1.", "2.", "3."]);
    for (const b of buttonsOf(q.blocks)) expect(b.value).toMatch(/^v1\|s1\|0\|a-single\|[abc]$/);
  });

  it("a right click gets an ephemeral 'Correct!' with the explanation, and the quiz owner the next question", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await startQuiz();
    const click = await h.click(ALICE, button(q.blocks, "Alpha"));
    expect(click.status).toBe(200);
    const [feedback, nextQ] = await h.responses(click.responseId, 2);
    expect(feedback!.body.response_type).toBe("ephemeral");
    expect(feedback!.body.replace_original).toBe(false);
    expect(feedback!.body.text).toContain("Correct!");
    const seen = textOf(feedback!.body.blocks);
    expect(seen).toContain("Correct!");
    expect(seen).toContain("Alpha is first.");
    expect(seen).toContain("The Greek alphabet starts with alpha.");
    expect(seen).toMatch(/\+\d+ points/);
    expect(nextQ!.body.response_type).toBe("ephemeral");
    expect(textOf(nextQ!.body.blocks)).toContain("Alpha comes before beta.");
    expect(buttonsOf(nextQ!.body.blocks).map((b) => b.text.text)).toEqual(["True", "False"]);
  });

  it("a wrong click shows that option's explanation and the right answer", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await startQuiz();
    const click = await h.click(ALICE, button(q.blocks, "Gamma"));
    const [feedback] = await h.responses(click.responseId);
    const seen = textOf(feedback!.body.blocks);
    expect(seen).toContain("Not quite.");
    expect(seen).toContain("Gamma is third.");
    expect(seen).toMatch(/Right answer:\* Alpha/);
    expect(feedback!.body.response_type).toBe("ephemeral");
  });

  it("someone else in the channel answers the public question for themselves, without getting the owner's next question", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await startQuiz();
    const click = await h.click(BOB, button(q.blocks, "Alpha"));
    const [feedback] = await h.responses(click.responseId);
    expect(textOf(feedback!.body.blocks)).toContain("Correct!");
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standin.responsesTo(click.responseId)).toHaveLength(1);
    // The shared message was never replaced.
    expect(h.standin.responses.every((r) => r.body.replace_original !== true)).toBe(true);
  });

  it("a true/false question is answered with its buttons and the quiz ends with a summary", async () => {
    h = await startSlackHarness(redis.server.url);
    const q = await startQuiz("quiz alpha 2");
    const first = await h.click(ALICE, button(q.blocks, "Alpha"));
    const [, tf] = await h.responses(first.responseId, 2);
    const second = await h.click(ALICE, button(tf!.body.blocks, "True"));
    const [fb] = await h.responses(second.responseId);
    const seen = textOf(fb!.body.blocks);
    expect(seen).toContain("Correct!");
    expect(seen).toContain("Alpha is first, beta second.");
    expect(seen).toContain("Done: Quiz: Alpha basics.");
    expect(seen).toContain("2/2 correct");
  });

  it("empty and unknown subcommands show the help with /study usages", async () => {
    h = await startSlackHarness(redis.server.url);
    for (const text of ["", "frobnicate"]) {
      const res = await h.command(ALICE, text);
      const [help] = await h.responses(res.responseId);
      expect(help!.body.response_type).toBe("ephemeral");
      const seen = textOf(help!.body.blocks);
      expect(seen).toContain("/study quiz [topic]");
      expect(seen).toContain("/study leaderboard [week|all]");
      if (text) expect(seen).toContain('"frobnicate" is not a /study subcommand');
    }
  });

  it("/study learn shows the lesson only to the learner, in Slack formatting", async () => {
    h = await startSlackHarness(redis.server.url);
    const res = await h.command(ALICE, "learn alpha");
    const [lesson] = await h.responses(res.responseId);
    expect(lesson!.body.response_type).toBe("ephemeral");
    expect(lesson!.body.text).toContain("Lesson 1/2: Alpha basics");
    expect(lesson!.body.blocks[0]).toMatchObject({ type: "header", text: { text: "Lesson 1/2: Alpha basics" } });
    const seen = textOf(lesson!.body.blocks);
    expect(seen).toContain("*What alpha is*\nAlpha is the first letter.");
    expect(seen).toContain("• Alpha comes first.");
    expect(seen).toContain("/study learn beta");
    expect(seen).toContain("Quiz yourself on it with /study quiz alpha.");
  });

  it("acks the command at once and answers through the response_url when the work is done", async () => {
    h = await startSlackHarness(redis.server.url);
    h.standin.fail("users.info", { delayMs: 1200, body: { ok: true, user: { id: "UALICE", name: "alice", tz: "Europe/Berlin", profile: { display_name: "alice" } } } });
    const started = Date.now();
    const res = await h.command(ALICE, "quiz alpha 3");
    const ackedAfter = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    expect(ackedAfter).toBeLessThan(900);
    expect(h.standin.responsesTo(res.responseId)).toHaveLength(0);
    const [q] = await h.responses(res.responseId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(textOf(q!.body.blocks)).toContain("Which letter comes first?");
  });

  it("drill and challenge reach the core with the caller's channel; without drills enabled it says so", async () => {
    h = await startSlackHarness(redis.server.url);
    const res = await h.command(ALICE, "drill list");
    const [r] = await h.responses(res.responseId);
    expect(r!.body.response_type).toBe("ephemeral");
    expect(r!.body.text).toContain("Drills and challenges are not enabled");
  });
});
