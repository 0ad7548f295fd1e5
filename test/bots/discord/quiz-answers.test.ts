/** /quiz end to end: the real discord.js client against the Discord stand-in, progress in a real Redis. */
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { buttonsOf, CALLBACK, Conversation } from "../../support/discord-conversation.js";
import { GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { atLeast, DiscordUser, listedChoices } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 10_000, hookTimeout: 10_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
let ann: DiscordUser;
let bob: DiscordUser;
beforeEach(async () => {
  bot = await startBot(standin, redis.server.url);
  ann = new DiscordUser(standin, { user: { id: "200000000000000001", username: "ann", global_name: "Ann" }, nick: "Annie", guild: GUILD_A });
  bob = new DiscordUser(standin, { user: { id: "200000000000000002", username: "bob" }, guild: GUILD_A });
});
afterEach(async () => {
  await bot?.stop();
});

async function startQuiz(user: DiscordUser, topic: string, count: number) {
  const quiz = await user.run("quiz", { topic, count });
  return { quiz, question: quiz.messages[0]! };
}

test("/quiz posts the question to the channel with one button per choice", async () => {
  const { quiz, question } = await startQuiz(ann, "alpha", 3);
  expect(quiz.messages).toHaveLength(1);
  expect(question.ephemeral).toBe(false);
  expect(question.embeds[0]?.title).toContain("question 1 of 3");
  expect(question.embeds[0]?.description).toContain("Which letter comes first?");
  const buttons = buttonsOf(question);
  expect(buttons.map((b) => b.label.replace(/^\d+\. /, "")).sort()).toEqual(["Alpha", "Beta", "Gamma"]);
  for (const b of buttons) {
    expect(b.custom_id).toMatch(/^v1\|a\|/);
    expect(b.custom_id.length).toBeLessThanOrEqual(100);
  }
});

test("the right button gets a private 'correct' with the explanation; the owner gets the next question privately", async () => {
  const { quiz, question } = await startQuiz(ann, "alpha", 3);
  const sharedBefore = JSON.stringify(question.raw);
  const answer = await ann.press(question, "Alpha", atLeast(2));
  expect(answer.callbacks.map((c) => c.type)).toEqual([CALLBACK.deferredMessage]);
  const [feedback, next] = answer.messages;
  expect(feedback!.ephemeral).toBe(true);
  const text = Conversation.textOf(feedback!);
  expect(text).toContain("Correct");
  expect(text).toContain("The Greek alphabet starts with alpha.");
  expect(text).toMatch(/\+\d+ \(total \d+\)/);
  expect(text).toContain("1 day");
  expect(next!.ephemeral).toBe(true);
  expect(next!.embeds[0]?.title).toContain("question 2 of 3");
  expect(buttonsOf(next!).map((b) => b.label)).toEqual(["True", "False"]);
  // The shared question is never edited by one learner's answer.
  expect(JSON.stringify(quiz.messages[0]!.raw)).toBe(sharedBefore);
  expect(standin.requests.filter((r) => r.method === "PATCH" && r.path.includes(quiz.token))).toHaveLength(1);
});

test("a wrong button shows why the chosen option is wrong and the right answer", async () => {
  const { question } = await startQuiz(ann, "alpha", 3);
  const answer = await ann.press(question, "Gamma", atLeast(2));
  const text = Conversation.textOf(answer.messages[0]!);
  expect(text).toContain("Not quite");
  expect(text).toContain("Gamma is third.");
  expect(text).toContain("Right answer:** Alpha");
  expect(text).toContain("+0 (total 0)");
});

test("a classmate can answer the shared question and gets only feedback, not the owner's next question", async () => {
  const { question } = await startQuiz(ann, "alpha", 3);
  const answer = await bob.press(question, "Alpha");
  await new Promise((r) => setTimeout(r, 150)); // room for a wrongly sent follow-up to show up
  expect(answer.messages).toHaveLength(1);
  expect(answer.messages[0]!.ephemeral).toBe(true);
  expect(Conversation.textOf(answer.messages[0]!)).toContain("Correct");
});

test("multi-select questions are answered with the select menu", async () => {
  const { question } = await startQuiz(ann, "alpha", 3);
  const second = (await ann.press(question, "Alpha", atLeast(2))).messages[1]!;
  const third = (await ann.press(second, "True", atLeast(2))).messages[1]!;
  expect(third.embeds[0]?.description).toContain("Which are Greek letters?");
  const result = await ann.select(third, ["Alpha", "Delta"], atLeast(1));
  const text = result.text;
  expect(text).toContain("Correct");
  expect(text).toContain("Alpha and delta are Greek");
  expect(text).toContain("Done: Quiz: Alpha basics");
  expect(text).toContain("3/3 correct");
  expect(result.messages.every((m) => m.ephemeral)).toBe(true);
});

test("numeric, text and ordering questions are answered in a modal", async () => {
  const { question } = await startQuiz(ann, "beta", 3);
  expect(question.embeds[0]?.description).toContain("How many letters");
  const num = await ann.answerInModal(question, "24", atLeast(2));
  expect(num.modal.title).toBe("Answer question 1");
  expect(num.result.callbacks[0]?.type).toBe(CALLBACK.deferredMessage);
  expect(Conversation.textOf(num.result.messages[0]!)).toContain("Correct");

  const textQ = num.result.messages[1]!;
  expect(textQ.embeds[0]?.description).toContain("Name the second Greek letter.");
  const txt = await ann.answerInModal(textQ, "Beta", atLeast(2));
  expect(Conversation.textOf(txt.result.messages[0]!)).toContain("Correct");

  const orderQ = txt.result.messages[1]!;
  const shown = listedChoices(orderQ);
  expect(shown.sort()).toEqual(["Alpha", "Beta", "Gamma"]);
  const positions = ["Alpha", "Beta", "Gamma"].map((l) => listedChoices(orderQ).indexOf(l) + 1).join(" ");
  const order = await ann.answerInModal(orderQ, positions, atLeast(1));
  expect(JSON.stringify(order.modal)).toContain("Gamma"); // the modal lists the items to order
  expect(order.result.text).toContain("Correct");
  expect(order.result.text).toContain("3/3 correct");
});

test("a bad modal answer gets a private hint and the question stays open", async () => {
  const { question } = await startQuiz(ann, "beta", 3);
  const bad = await ann.answerInModal(question, "lots", atLeast(1));
  expect(bad.result.messages[0]!.ephemeral).toBe(true);
  expect(bad.result.text).toContain("is not a number");
  const good = await ann.answerInModal(question, "24", atLeast(2));
  expect(good.result.text).toContain("Correct");
});

async function pointsOnBoard(user: DiscordUser): Promise<string> {
  const board = await user.run("leaderboard", { period: "all" });
  return board.text;
}

test("the same button press delivered twice is counted once (Discord refuses the second acknowledgement)", async () => {
  const { question } = await startQuiz(ann, "alpha", 3);
  const button = buttonsOf(question).find((b) => b.label.includes("Alpha"))!;
  const first = await ann.pressId(question, button.custom_id, atLeast(2));
  const total = /total (\d+)/.exec(first.text)![1];
  // The gateway delivers the very same INTERACTION_CREATE again.
  const payloadAgain = standin.requests.length;
  standin.dispatchInteraction(lastInteractionPayload(first));
  await new Promise((r) => setTimeout(r, 200));
  const refused = standin.requests.slice(payloadAgain).filter((r) => r.path.endsWith("/callback"));
  expect(refused.map((r) => r.status)).toEqual([400]);
  expect(await pointsOnBoard(ann)).toContain(`Annie — ${total} pts`);
  expect(bot.logs.join("\n")).toContain("could not be answered");
});

test("the same button press delivered twice is counted once (even if Discord accepted it again)", async () => {
  standin.repeatCallbacks = "accept";
  try {
    const { question } = await startQuiz(ann, "alpha", 3);
    const first = await ann.press(question, "Alpha", atLeast(2));
    const total = /total (\d+)/.exec(first.text)![1];
    const again = await standin.interact(lastInteractionPayload(first), (c) => c.callbacks.length === 2 && c.answered);
    // The redelivered press gets the same feedback (same points, same total), nothing is added.
    expect(Conversation.textOf(again.messages[0]!)).toContain(`(total ${total})`);
    expect(await pointsOnBoard(ann)).toContain(`Annie — ${total} pts`);
  } finally {
    standin.repeatCallbacks = "reject";
  }
});

/** The INTERACTION_CREATE payload the stand-in sent for a conversation. */
function lastInteractionPayload(conv: Conversation): Record<string, unknown> {
  const p = standin.sentInteractions.get(conv.token);
  if (!p) throw new Error("payload not recorded");
  return p;
}
