/**
 * /challenge write and post end to end: the real discord.js client against
 * the stand-in, challenges on a real Redis and BullMQ. The form's question is
 * posted in the channel with answer buttons; answers are private and final.
 */
import { afterEach, expect, test, vi } from "vitest";
import { buttonsOf, CALLBACK, Conversation } from "../../support/discord-conversation.js";
import { startDrillBot, type DrillBotUnderTest } from "../../support/discord-drill-harness.js";
import { GUILD_A, useStandin } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 15_000, hookTimeout: 15_000 });

const redis = useTestRedis();
const standin = useStandin([GUILD_A]);
let run: DrillBotUnderTest | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

async function start(): Promise<DrillBotUnderTest> {
  run = await startDrillBot(standin, redis.server.url, "2026-03-02T08:00:00Z");
  return run;
}

const admin = () => new DiscordUser(standin, { user: { id: "220000000000000001", username: "ann" }, nick: "Ann the Admin", guild: GUILD_A });
const member = (n: number, name: string) =>
  new DiscordUser(standin, { user: { id: `22000000000000010${n}`, username: name }, guild: GUILD_A, permissions: MEMBER_PERMISSIONS });

const GOOD_FORM = {
  question: "Which letter comes first in the Greek alphabet?",
  options: "Beta\nAlpha\nGamma",
  correct: "2",
  explanation: "Alpha starts the Greek alphabet.",
};

async function openForm(duration = "30m") {
  const opened = await admin().runSub("challenge", "write", { duration }, (c) => c.modal !== null || c.answered);
  return opened.modal;
}

test("/challenge write opens a form with the question, options, right option and explanation", async () => {
  await start();
  const modal = await openForm("2h");
  expect(modal).not.toBeNull();
  expect(String(modal!.title)).toContain("2 h");
  const inputs = (modal!.components as { label: string; component: { custom_id: string; required: boolean } }[]).map((c) => [c.component.custom_id, c.label]);
  expect(inputs).toEqual([
    ["question", "Question"],
    ["options", "Options, one a line (2 to 5)"],
    ["correct", "Number of the right option"],
    ["explanation", "Why it is right"],
  ]);
});

test("a submitted form posts the question in the channel with buttons; members answer privately, once, and early right answers score", async () => {
  const r = await start();
  const modal = await openForm();
  const posted = await admin().submitModal(modal!, GOOD_FORM, atLeast(2));
  expect(posted.callbacks.map((c) => c.type)).toEqual([CALLBACK.deferredMessage]);
  expect(posted.messages.every((m) => !m.ephemeral)).toBe(true);
  expect(posted.messages[0]!.content).toContain("Challenge from Ann the Admin");
  const question = posted.messages[1]!;
  expect(question.embeds[0]?.description).toContain("Which letter comes first in the Greek alphabet?");
  expect(buttonsOf(question).map((b) => b.label.replace(/^\d+\. /, "")).sort()).toEqual(["Alpha", "Beta", "Gamma"]);
  expect(buttonsOf(question).every((b) => b.custom_id.startsWith("v1|a|c-"))).toBe(true);

  const bob = member(1, "bob");
  const right = await bob.press(question, "Alpha");
  expect(right.messages).toHaveLength(1);
  expect(right.messages[0]!.ephemeral).toBe(true);
  expect(right.text).toContain("Correct");
  expect(right.text).toContain("Alpha starts the Greek alphabet.");
  const again = await bob.press(question, "Beta");
  expect(again.text).toContain("You already answered this question; your first answer counts.");
  r.h.clock.advance(20 * 60_000);
  const wrong = await member(2, "cy").press(question, "Gamma");
  expect(wrong.messages[0]!.ephemeral).toBe(true);
  expect(wrong.text).toContain("Not quite");
  // The shared question was never edited by anyone's answer.
  expect(standin.requests.filter((q) => q.method === "PATCH" && q.path.includes(posted.token))).toHaveLength(1);
  const sessionId = buttonsOf(question)[0]!.custom_id.split("|")[2]!;
  const tally = await r.h.schedules.tally(sessionId);
  expect(tally.map((t) => [t.name, t.correct])).toEqual(expect.arrayContaining([["bob", true], ["cy", false]]));
  // After the deadline, answers are refused.
  r.h.clock.advance(15 * 60_000);
  expect((await member(3, "dee").press(question, "Alpha")).text).toContain("closed");
});

test("a form with problems is answered privately with the reason and the text back, and nothing is posted or scheduled", async () => {
  const r = await start();
  const cases: [Partial<typeof GOOD_FORM>, string][] = [
    [{ options: "Only one" }, "a challenge needs 2 to 5 options (you gave 1)"],
    [{ options: "A\nB\nC\nD\nE\nF" }, "a challenge needs 2 to 5 options (you gave 6)"],
    [{ correct: "4" }, "mark exactly one right option"],
    [{ correct: "two" }, "mark exactly one right option"],
    [{ explanation: "   " }, "add an explanation of the right answer"],
    [{ question: " " }, "the question text is empty"],
  ];
  for (const [change, reason] of cases) {
    const modal = await openForm();
    const conv = await admin().submitModal(modal!, { ...GOOD_FORM, ...change });
    expect(conv.messages).toHaveLength(1);
    expect(conv.messages[0]!.ephemeral).toBe(true);
    expect(conv.text).toContain("Your challenge was not posted");
    expect(conv.text).toContain(reason);
    expect(conv.text).toContain("```");
  }
  expect(await r.h.redis.keys(`${r.h.schedules.keys.prefix}challenge:*`)).toEqual([]);
  expect(await r.h.jobs.queues.discord.getJobCounts("delayed")).toMatchObject({ delayed: 0 });
});

test("numbered or bulleted option lines are read as the options", async () => {
  await start();
  const modal = await openForm();
  const conv = await admin().submitModal(modal!, { ...GOOD_FORM, options: "1. Beta\n2. Alpha\n\n3) Gamma" }, atLeast(2));
  expect(buttonsOf(conv.messages[1]!).map((b) => b.label.replace(/^\d+\. /, "")).sort()).toEqual(["Alpha", "Beta", "Gamma"]);
});

test("a bad duration is answered privately before any form opens", async () => {
  await start();
  const write = await admin().runSub("challenge", "write", { duration: "soon" });
  expect(write.modal).toBeNull();
  expect(write.messages[0]!.ephemeral).toBe(true);
  expect(write.text).toContain('"soon" is not a duration');
  const post = await admin().runSub("challenge", "post", { topic: "alpha", duration: "3m" });
  expect(post.messages.every((m) => m.ephemeral)).toBe(true);
  expect(post.text).toContain("between 5 minutes and 14 days");
});

test("/challenge post of an unknown topic is answered privately; a question id works", async () => {
  await start();
  const unknown = await admin().runSub("challenge", "post", { topic: "zeppelins", duration: "1h" });
  expect(unknown.messages.every((m) => m.ephemeral)).toBe(true);
  expect(unknown.text).toContain('No question matches "zeppelins"');
  const byId = await admin().runSub("challenge", "post", { topic: "a-tf", duration: "1 h" }, atLeast(2));
  expect(byId.messages.every((m) => !m.ephemeral)).toBe(true);
  expect(buttonsOf(byId.messages[1]!).map((b) => b.label)).toEqual(["True", "False"]);
  expect(Conversation.textOf(byId.messages[0]!)).toContain("answer before 2026-03-02 09:00 UTC");
});
