import { afterEach, describe, expect, it } from "vitest";
import { CHALLENGE_CALLBACK, CHALLENGE_FIELDS, FIELD_ACTION } from "../../../bots/slack/challenge-form.js";
import { useTestRedis } from "../../support/redis.js";
import { ALICE, BOB, button, buttonsOf, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { scheduledRuns, storedSubscriptions } from "../../support/schedule-counts.js";

const redis = useTestRedis();
let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

const USERS = {
  [ALICE.user]: { name: "alice" },
  [BOB.user]: { name: "bob" },
  UADMIN: { name: "ada", admin: true },
  UOWNER: { name: "otto", owner: true },
};
const ADA = { team: "T1", user: "UADMIN", name: "ada" };
const OTTO = { team: "T1", user: "UOWNER", name: "otto" };

async function start(adminUsers: string[] = []) {
  h = await startSlackHarness(redis.server.url, { users: USERS, drills: true, adminUsers });
  return h;
}

async function reply(who: typeof ALICE, text: string, n = 1) {
  const res = await h.command(who, text);
  expect(res.status).toBe(200);
  return (await h.responses(res.responseId, n)).map((r) => r.body);
}

/** Everything drills and challenges keep in Redis, and the jobs planned in BullMQ. */
async function scheduled() {
  const keys = h.schedules!.keys;
  const delayed = await h.jobs!.queues.slack.getJobCounts("delayed", "waiting");
  return {
    channelDrills: await storedSubscriptions(h.redis, keys, "channel"),
    channelDue: await scheduledRuns(h.redis, keys, "channel"),
    challenges: (await h.redis.keys(`${h.prefix}challenge:*`)).length,
    jobs: (delayed.delayed ?? 0) + (delayed.waiting ?? 0),
  };
}
const NOTHING = { channelDrills: 0, channelDue: 0, challenges: 0, jobs: 0 };

/** The values of a submitted challenge form. */
function form(f: { stem?: string; options?: string; correct?: string; explanation?: string }) {
  const input = (value: string | undefined, type = "plain_text_input") => ({ [FIELD_ACTION]: { type, value: value ?? null } });
  return {
    [CHALLENGE_FIELDS.stem]: input(f.stem),
    [CHALLENGE_FIELDS.options]: input(f.options),
    [CHALLENGE_FIELDS.correct]: input(f.correct, "number_input"),
    [CHALLENGE_FIELDS.explanation]: input(f.explanation),
  };
}

async function openChallengeForm(who = ADA, duration = "1h") {
  const res = await h.command(who, `challenge write ${duration}`, { triggerId: "trig-write-1" });
  expect(res.status).toBe(200);
  const open = await h.standin.waitFor(() => h.standin.callsTo("views.open")[0], "views.open");
  return { responseId: res.responseId, open, view: open.body.view };
}

describe("admin rule on Slack", () => {
  it("a member who is not an admin is refused a channel drill, privately, and nothing is scheduled", async () => {
    await start();
    const [r] = await reply(BOB, "drill channel 09:00 Europe/Berlin weekdays window 2h");
    expect(r!.response_type).toBe("ephemeral");
    expect(r!.text).toContain("Only admins can set up channel drills");
    expect(await scheduled()).toEqual(NOTHING);
  });

  it("a member who is not an admin is refused a challenge, privately, and nothing is scheduled", async () => {
    await start();
    const [r] = await reply(BOB, "challenge post a-single 2h");
    expect(r!.response_type).toBe("ephemeral");
    expect(r!.text).toContain("Only admins can post challenges");
    expect(buttonsOf(r!.blocks ?? [])).toHaveLength(0);
    const [w] = await reply(BOB, "challenge write 1h");
    expect(w!.text).toContain("Only admins can post challenges");
    expect(h.standin.callsTo("views.open")).toHaveLength(0);
    expect(await scheduled()).toEqual(NOTHING);
  });

  it("a workspace admin (users.info is_admin) sets a channel drill and gets a private confirmation", async () => {
    await start();
    const [r] = await reply(ADA, "drill channel 09:00 Europe/Berlin weekdays window 2h");
    expect(r!.response_type).toBe("ephemeral");
    const seen = textOf(r!.blocks);
    expect(seen).toContain("Channel drill set: one question at 09:00 Europe/Berlin");
    expect(seen).toContain("results 2 h after each post");
    expect(seen).toContain("/invite @drillbot");
    const drills = await h.schedules!.channelDrills("slack", "T1");
    expect(drills.map((d) => d.channel)).toEqual([{ platform: "slack", workspace: "T1", channel: "C1" }]);
    expect(drills[0]!.createdBy).toBe("ada");
    // ...and turns it off again
    const [off] = await reply(ADA, "drill channel off");
    expect(off!.text).toContain("This channel's drill is off.");
    expect((await scheduled()).channelDrills).toBe(0);
  });

  it("a workspace owner counts as an admin too", async () => {
    await start();
    const [r] = await reply(OTTO, "drill channel 18:30 America/New_York mon,wed,fri");
    expect(r!.text).toContain("Channel drill set");
    expect((await scheduled()).channelDrills).toBe(1);
  });

  it("a user listed in adminUsers posts a challenge: the question lands in the channel with answer buttons", async () => {
    await start([BOB.user]);
    const [intro, question] = await reply(BOB, "challenge post a-single 2h", 2);
    expect(intro!.response_type).toBe("in_channel");
    expect(intro!.text).toContain("Challenge from bob");
    expect(question!.response_type).toBe("in_channel");
    expect(textOf(question!.blocks)).toContain("Which letter comes first?");
    expect(buttonsOf(question!.blocks).map((b) => b.text.text.replace(/^\d+\. /, "")).sort()).toEqual(["Alpha", "Beta", "Gamma"]);
    for (const b of buttonsOf(question!.blocks)) expect(b.value).toMatch(/^v1\|c-/);
    expect(await scheduled()).toMatchObject({ challenges: 1, jobs: 1 });
  });
});

describe("personal drills on Slack", () => {
  it("drill me, list, remind off and me off answer privately through the core", async () => {
    await start();
    const [on] = await reply(BOB, "drill me 08:30 Europe/Berlin 3");
    expect(on!.response_type).toBe("ephemeral");
    expect(on!.text).toContain("Daily drill set: 3 questions at 08:30 Europe/Berlin");
    const [list] = await reply(BOB, "drill list");
    expect(list!.text).toContain("Your drill: 3 questions at 08:30 Europe/Berlin, reminders on.");
    const [remind] = await reply(BOB, "drill remind off");
    expect(remind!.text).toContain("Streak reminders are off.");
    const [off] = await reply(BOB, "drill me off");
    expect(off!.text).toContain("Your daily drill and reminders are off.");
    const [bad] = await reply(BOB, "drill me 25:00");
    expect(bad!.response_type).toBe("ephemeral");
    expect(bad!.text).toContain("/study drill me");
  });
});

describe("the challenge form", () => {
  it("/study challenge write 1h opens a modal with the command's trigger and the channel in its metadata", async () => {
    await start();
    const { view, open } = await openChallengeForm();
    expect(open.body.trigger_id).toBe("trig-write-1");
    expect(view.type).toBe("modal");
    expect(view.callback_id).toBe(CHALLENGE_CALLBACK);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: "C1", team: "T1", minutes: 60 });
    const blockIds = view.blocks.filter((b: any) => b.type === "input").map((b: any) => b.block_id);
    expect(blockIds).toEqual(Object.values(CHALLENGE_FIELDS));
    expect(textOf(view.blocks)).toContain("Question");
  });

  it("the one-line form still works: write 1h with the question after it posts at once, without a modal", async () => {
    await start();
    const [intro, question] = await reply(ADA, "challenge write 1h Which is prime? | 4 | *7 | 9 | 7 has no divisors but 1 and itself.", 2);
    expect(intro!.response_type).toBe("in_channel");
    expect(question!.response_type).toBe("in_channel");
    expect(buttonsOf(question!.blocks)).toHaveLength(3);
    expect(h.standin.callsTo("views.open")).toHaveLength(0);
  });

  it("when Slack will not open the form (an expired trigger), the admin is told privately to run the command again", async () => {
    await start();
    h.standin.fail("views.open", { body: { ok: false, error: "expired_trigger_id" } });
    const [r] = await reply(ADA, "challenge write 2h");
    expect(r!.response_type).toBe("ephemeral");
    expect(r!.text).toContain("expired_trigger_id");
    expect(r!.text).toContain("/study challenge write 2h");
    expect((await scheduled()).challenges).toBe(0);
  });

  it("a submission with one option keeps the form open with the reason next to the options", async () => {
    await start();
    const { view, responseId } = await openChallengeForm();
    const sub = await h.submitView(ADA, { id: "VCH1", callback_id: view.callback_id, private_metadata: view.private_metadata }, form({ stem: "Pick one", options: "Only this", correct: "1", explanation: "Because." }));
    expect(sub.status).toBe(200);
    const body = JSON.parse(sub.text);
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual([CHALLENGE_FIELDS.options]);
    expect(body.errors[CHALLENGE_FIELDS.options]).toContain("2 to 5 options (you gave 1)");
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standin.callsTo("chat.postMessage")).toHaveLength(0);
    expect(h.standin.responsesTo(responseId)).toHaveLength(0);
    expect((await scheduled()).challenges).toBe(0);
  });

  it("empty fields and a right-option number past the last option are all reported at once", async () => {
    await start();
    const { view } = await openChallengeForm();
    const sub = await h.submitView(ADA, { id: "VCH2", callback_id: view.callback_id, private_metadata: view.private_metadata }, form({ stem: " ", options: "A\n\nB", correct: "3", explanation: "" }));
    const errors = JSON.parse(sub.text).errors;
    expect(Object.keys(errors).sort()).toEqual([CHALLENGE_FIELDS.correct, CHALLENGE_FIELDS.explanation, CHALLENGE_FIELDS.stem].sort());
    expect(errors[CHALLENGE_FIELDS.correct]).toContain("right option");
  });

  it("a valid submission posts the question in the channel, confirms privately, and a member's click gets private feedback", async () => {
    await start();
    const { view, responseId } = await openChallengeForm(ADA, "90m");
    const sub = await h.submitView(
      ADA,
      { id: "VCH3", callback_id: view.callback_id, private_metadata: view.private_metadata },
      form({ stem: "Which index avoids a table lookup?", options: "A clustered scan\nA covering index\n\nA hash join", correct: "2", explanation: "A covering index holds every column the query needs." }),
    );
    expect(sub.status).toBe(200);
    expect(sub.text).toBe("");
    const posts = await h.standin.waitFor(() => (h.standin.callsTo("chat.postMessage").length >= 2 ? h.standin.callsTo("chat.postMessage") : undefined), "challenge posts");
    expect(posts.map((p) => p.body.channel)).toEqual(["C1", "C1"]);
    expect(posts[0]!.body.text).toContain("Challenge from ada");
    const question = posts[1]!.body;
    expect(question.text).toContain("Which index avoids a table lookup?");
    expect(buttonsOf(question.blocks).map((b) => b.text.text.replace(/^\d+\. /, "")).sort()).toEqual(["A clustered scan", "A covering index", "A hash join"]);
    const [confirm] = await h.responses(responseId);
    expect(confirm!.body.response_type).toBe("ephemeral");
    expect(confirm!.body.text).toContain("Your challenge is posted in <#C1>");
    expect(confirm!.body.text).toContain("It closes in 90 min");
    expect(await scheduled()).toMatchObject({ challenges: 1, jobs: 1 });

    const click = await h.click(BOB, button(question.blocks, "A covering index"));
    const [fb] = await h.responses(click.responseId);
    expect(fb!.body.response_type).toBe("ephemeral");
    expect(fb!.body.replace_original).toBe(false);
    const seen = textOf(fb!.body.blocks);
    expect(seen).toContain("Correct!");
    expect(seen).toContain("A covering index holds every column the query needs.");
    const wrong = await h.click(ALICE, button(question.blocks, "A hash join"));
    const [fb2] = await h.responses(wrong.responseId);
    expect(textOf(fb2!.body.blocks)).toContain("Not quite.");
  });

  it("when the bot may not post in the channel, the challenge goes out through the command's reply and the admin is told to invite it", async () => {
    await start();
    const { view, responseId } = await openChallengeForm();
    h.standin.fail("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });
    await h.submitView(ADA, { id: "VCH4", callback_id: view.callback_id, private_metadata: view.private_metadata }, form({ stem: "Q?", options: "Yes\nNo", correct: "1", explanation: "Yes it is." }));
    const [intro, question, confirm] = await h.responses(responseId, 3);
    expect(intro!.body.response_type).toBe("in_channel");
    expect(question!.body.response_type).toBe("in_channel");
    expect(buttonsOf(question!.body.blocks)).toHaveLength(2);
    expect(confirm!.body.response_type).toBe("ephemeral");
    expect(confirm!.body.text).toContain("/invite @drillbot");
  });
});
