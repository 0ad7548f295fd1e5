import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS } from "../../../bots/slack/action-codec.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, BOB, button, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";

const redis = useTestRedis();
let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

const USERS = { UALICE: { name: "Alice Liddell", displayName: "alice.l", tz: "Europe/Berlin" } };

async function answerOneRight() {
  const res = await h.command(ALICE, "quiz alpha 3");
  const [q] = await h.responses(res.responseId);
  const click = await h.click(ALICE, button(q!.body.blocks, "Alpha"));
  const [fb] = await h.responses(click.responseId, 2);
  return Number(/total (\d+)/.exec(textOf(fb!.body.blocks))![1]);
}

describe("App Home", () => {
  it("opening the Home tab publishes the learner's streak, points and due reviews with a Start a quiz button", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const points = await answerOneRight();
    expect(points).toBeGreaterThan(0);
    const res = await h.openHome(ALICE);
    expect(res.status).toBe(200);
    const publish = await h.standin.waitFor(() => h.standin.callsTo("views.publish")[0], "views.publish");
    expect(publish.body.user_id).toBe("UALICE");
    expect(publish.body.view.type).toBe("home");
    const seen = textOf(publish.body.view.blocks);
    expect(seen).toContain("*Streak*\n:fire: 1 day (studied today)");
    expect(seen).toContain(`*Points*\n${points}`);
    expect(seen).toContain("*Due reviews*\n0");
    expect(seen).toContain("Europe/Berlin");
    expect(button(publish.body.view.blocks, "Start a quiz").action_id).toBe(ACTIONS.homeQuiz);
  });

  it("a retried app_home_opened delivery is published once", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    await h.openHome(ALICE, "EvHOME1");
    await h.standin.waitFor(() => h.standin.callsTo("views.publish")[0], "views.publish");
    await h.openHome(ALICE, "EvHOME1", 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standin.callsTo("views.publish")).toHaveLength(1);
  });

  it("Start a quiz posts the first question to the learner's DM and says so on the Home tab", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    const res = await h.click(ALICE, { action_id: ACTIONS.homeQuiz, value: "quiz", text: { text: "Start a quiz" } }, { containerType: "view" });
    expect(res.status).toBe(200);
    const post = await h.standin.waitFor(() => h.standin.callsTo("chat.postMessage")[0], "chat.postMessage");
    expect(post.body.channel).toBe("UALICE");
    expect(post.body.text).toContain("Question 1 of 5");
    expect(textOf(post.body.blocks)).toContain("Which letter comes first?");
    const home = await h.standin.waitFor(() => h.standin.callsTo("views.publish")[0], "views.publish");
    expect(textOf(home.body.view.blocks)).toContain("waiting in the Messages tab");
    // The DM question's buttons work like the channel's.
    const click = await h.click(ALICE, button(post.body.blocks, "Alpha"), { responseId: "dm-click" });
    const [fb] = await h.responses(click.responseId, 2);
    expect(textOf(fb!.body.blocks)).toContain("Correct!");
  });
});

describe("Slack Web API errors", () => {
  it("views.open answering ok:false is logged and the learner is told to try again", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    h.standin.fail("views.open", { body: { ok: false, error: "expired_trigger_id" } });
    const res = await h.command(ALICE, "quiz beta 1");
    const [q] = await h.responses(res.responseId);
    const click = await h.click(ALICE, button(q!.body.blocks, "Answer"));
    const [msg] = await h.responses(click.responseId);
    expect(msg!.body.response_type).toBe("ephemeral");
    expect(msg!.body.text).toContain("could not open the answer form (Slack said: expired_trigger_id)");
    expect(h.logLines.some((l) => l.includes("views.open failed") && l.includes("expired_trigger_id"))).toBe(true);
    // The next click works.
    const again = await h.click(ALICE, button(q!.body.blocks, "Answer"));
    expect(again.status).toBe(200);
    await h.standin.waitFor(() => h.standin.callsTo("views.open").length === 2, "second views.open");
  });

  it("a 429 with Retry-After from views.open is logged and the learner gets a message", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    h.standin.fail("views.open", { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } });
    const res = await h.command(ALICE, "quiz beta 1");
    const [q] = await h.responses(res.responseId);
    const click = await h.click(ALICE, button(q!.body.blocks, "Answer"));
    const [msg] = await h.responses(click.responseId);
    expect(msg!.body.text).toContain("Slack said: rate limited");
    expect(h.logLines.some((l) => /rate limit/i.test(l))).toBe(true);
  });

  it("users.info failing (429 with Retry-After, or ok:false) does not stop a command; the payload's name is used", async () => {
    h = await startSlackHarness(redis.server.url);
    h.standin.fail("users.info", { status: 429, headers: { "retry-after": "0" }, body: { ok: false, error: "ratelimited" } });
    const res = await h.command(ALICE, "quiz alpha 3");
    const [q] = await h.responses(res.responseId);
    expect(textOf(q!.body.blocks)).toContain("Which letter comes first?");
    await h.responses((await h.click(ALICE, button(q!.body.blocks, "Alpha"))).responseId);
    const board = await h.command(ALICE, "leaderboard");
    const [r] = await h.responses(board.responseId);
    expect(textOf(r!.body.blocks)).toContain("alice");
    expect(h.logLines.some((l) => l.includes("WARN") && l.includes("users.info failed for UALICE"))).toBe(true);
    // Bob has no profile at all (ok:false user_not_found): his command is answered too.
    const bob = await h.command(BOB, "stats");
    const [b] = await h.responses(bob.responseId);
    expect(textOf(b!.body.blocks)).toContain("Your stats");
    expect(h.logLines.some((l) => l.includes("users.info failed for UBOB") && l.includes("user_not_found"))).toBe(true);
  });

  it("chat.postMessage failing for the Home quiz is logged and the Home tab says what happened", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    h.standin.fail("chat.postMessage", { body: { ok: false, error: "not_allowed_token_type" } });
    await h.click(ALICE, { action_id: ACTIONS.homeQuiz, value: "quiz", text: { text: "Start a quiz" } }, { containerType: "view" });
    const home = await h.standin.waitFor(() => h.standin.callsTo("views.publish")[0], "views.publish");
    expect(textOf(home.body.view.blocks)).toContain("could not send your quiz");
    expect(h.logLines.some((l) => l.includes("chat.postMessage to UALICE failed"))).toBe(true);
  });

  it("views.publish failing is logged and the app keeps serving", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    h.standin.fail("views.publish", { body: { ok: false, error: "invalid_blocks" } });
    await h.openHome(ALICE);
    await h.standin.waitFor(() => h.logLines.some((l) => l.includes("views.publish for UALICE failed")), "log line");
    const res = await h.command(ALICE, "streak");
    const [r] = await h.responses(res.responseId);
    expect(textOf(r!.body.blocks)).toContain("Streak: 0 days");
  });

  it("no secret reaches the logs", async () => {
    h = await startSlackHarness(redis.server.url, { users: USERS });
    await h.responses((await h.command(ALICE, "help")).responseId);
    expect(h.logLines.length).toBeGreaterThan(0);
    expect(h.logLines.join("\n")).not.toMatch(/xoxb-|test-signing-secret/);
  });
});
