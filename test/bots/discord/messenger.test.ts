/**
 * Scheduled messages on Discord's REST API: the messenger the delivery
 * workers use (no gateway), against the stand-in's DM and channel routes,
 * with drills on a real Redis and BullMQ. What a learner sees: a personal
 * drill DM with working buttons, channel drill posts and results; and what
 * happens when Discord says 429, 403 or 404.
 */
import { afterEach, expect, test, vi } from "vitest";
import { DiscordRateLimitedError } from "../../../bots/discord/index.js";
import type { Reply } from "../../../core/replies.js";
import type { ChannelRef } from "../../../core/schedule/model.js";
import { buttonsOf, Conversation } from "../../support/discord-conversation.js";
import { discordLearner, startDrillBot, type DrillBotUnderTest } from "../../support/discord-drill-harness.js";
import { GUILD_A, useStandin } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { eventually } from "../../support/drill-harness.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 15_000 });

const redis = useTestRedis();
const standin = useStandin([GUILD_A]);
let run: DrillBotUnderTest | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

async function start(startIso: string, bot = true): Promise<DrillBotUnderTest> {
  run = await startDrillBot(standin, redis.server.url, startIso, { bot });
  return run;
}

let channelSeq = 0;
/** A channel of its own for each test (rate-limit buckets and nonces are per channel). */
function freshChannel(): ChannelRef {
  channelSeq += 1;
  return { platform: "discord", workspace: GUILD_A.id, channel: `53000000000000${String(channelSeq).padStart(4, "0")}` };
}

const notice = (text: string): Reply[] => [{ type: "notice", level: "info", code: "info", text }];
const postsTo = (channelId: string) => standin.requests.filter((q) => q.method === "POST" && q.path === `/channels/${channelId}/messages`);

test("a personal drill set up in a server arrives by DM with buttons that answer for the server's learner", async () => {
  const r = await start("2026-03-02T06:00:00Z");
  const annId = "230000000000000001";
  const inServer = new DiscordUser(standin, { user: { id: annId, username: "ann" }, guild: GUILD_A, permissions: MEMBER_PERMISSIONS });
  expect((await inServer.runSub("drill", "me", { time: "08:30", zone: "Europe/Berlin", count: 3 })).text).toContain("Daily drill set: 3 questions at 08:30 Europe/Berlin");
  r.h.jobs.startDeliveryWorkers(r.h.drills, { discord: r.messenger() });
  r.h.clock.set("2026-03-02T07:31:00Z");
  expect(await r.h.jobs.tick()).toMatchObject({ personal: 1 });

  const dm = standin.dmChannelOf(annId);
  await eventually(() => standin.postsIn(dm).length === 1);
  expect(standin.requests.find((q) => q.path === "/users/@me/channels")?.body).toEqual({ recipient_id: annId });
  // One message a drill: the intro as content, the question's embed and its buttons (one request, not two).
  const [question] = standin.postsIn(dm) as [Conversation["messages"][0]];
  expect(question.content).toContain("Your daily drill: 3 questions");
  expect(question.embeds).toHaveLength(1);
  expect(question.embeds[0]?.title).toContain("question 1 of 3");
  const buttons = buttonsOf(question);
  expect(buttons.length).toBeGreaterThan(1);
  for (const b of buttons) expect(b.custom_id.endsWith(`|${GUILD_A.id}`)).toBe(true);
  // each message carries its own nonce, at most 25 characters, enforced
  const bodies = postsTo(dm).map((q) => q.body as { nonce: string; enforce_nonce: boolean; allowed_mentions: unknown });
  expect(bodies).toHaveLength(1);
  for (const b of bodies) {
    expect(b.nonce.length).toBeLessThanOrEqual(25);
    expect(b.enforce_nonce).toBe(true);
    expect(b.allowed_mentions).toEqual({ parse: [] });
  }

  // Ann answers in the DM: feedback, then the next question, all for her server learner.
  const inDm = new DiscordUser(standin, { user: { id: annId, username: "ann" }, guild: null, dmChannelId: dm });
  const answered = await inDm.pressId(question, buttons[0]!.custom_id, atLeast(2));
  const [feedback, next] = answered.messages;
  expect(Conversation.textOf(feedback!)).toMatch(/Correct|Not quite/);
  expect(next!.embeds[0]?.title).toContain("question 2 of 3");
  for (const b of buttonsOf(next!)) expect(b.custom_id.endsWith(`|${GUILD_A.id}`)).toBe(true);
  expect((await r.h.store.snapshot(discordLearner(GUILD_A, annId))).answered).toBe(1);
  expect((await r.h.store.snapshot(discordLearner(null, annId))).answered).toBe(0);
});

test("a channel drill is posted in the channel with buttons, members answer privately, and the results follow with the next drill", async () => {
  const r = await start("2026-03-02T08:00:00Z");
  const admin = new DiscordUser(standin, { user: { id: "230000000000000002", username: "ann" }, guild: GUILD_A });
  expect((await admin.runSub("drill", "channel", { time: "09:00", zone: "UTC", days: "weekdays" })).text).toContain("Channel drill set");
  r.h.jobs.startDeliveryWorkers(r.h.drills, { discord: r.messenger() });
  r.h.clock.set("2026-03-02T09:00:30Z");
  await r.h.jobs.tick();
  await eventually(() => standin.postsIn(GUILD_A.channelId).length >= 1);
  const [question] = standin.postsIn(GUILD_A.channelId).slice(-1);
  expect(question!.content).toContain("Daily drill");
  expect(question!.embeds[0]?.title).toContain("Daily drill");
  const bob = new DiscordUser(standin, { user: { id: "230000000000000003", username: "bob" }, guild: GUILD_A, permissions: MEMBER_PERMISSIONS });
  const answer = await bob.pressId(question!, buttonsOf(question!)[0]!.custom_id);
  expect(answer.messages[0]!.ephemeral).toBe(true);
  expect(answer.text).toMatch(/Correct|Not quite/);

  r.h.clock.set("2026-03-03T09:00:30Z");
  await r.h.jobs.tick();
  await eventually(() => standin.postsIn(GUILD_A.channelId).some((m) => m.embeds[0]?.title?.includes("results")));
  const results = standin.postsIn(GUILD_A.channelId).find((m) => m.embeds[0]?.title?.includes("results"))!;
  expect(Conversation.textOf(results)).toMatch(/[01]\/1 right/);
});

test("the messenger needs no gateway, and a delivery sent again posts nothing new (same nonce)", async () => {
  const r = await start("2026-03-02T08:00:00Z", false);
  const identifies = standin.identifies.length;
  const m = r.messenger();
  const channel = freshChannel();
  await m.toChannel(channel, notice("Drill results are in."), { idempotencyKey: "close-drill__d-abc-20260302" });
  await m.toChannel(channel, notice("Drill results are in."), { idempotencyKey: "close-drill__d-abc-20260302" });
  expect(standin.postsIn(channel.channel)).toHaveLength(1);
  const sent = postsTo(channel.channel).map((q) => (q.body as { nonce: string }).nonce);
  expect(sent).toHaveLength(2);
  expect(sent[0]).toBe(sent[1]);
  await m.toChannel(channel, notice("Another day."), { idempotencyKey: "close-drill__d-abc-20260303" });
  expect(standin.postsIn(channel.channel)).toHaveLength(2);
  expect(standin.identifies.length).toBe(identifies);
});

test("a long 429 surfaces at once as retryAfterMs without posting; a short one is waited out and posts once", async () => {
  const r = await start("2026-03-02T08:00:00Z", false);
  const long = freshChannel();
  standin.rateLimit("POST", new RegExp(`^/channels/${long.channel}/messages$`), 30);
  const began = Date.now();
  const err = await r.messenger().toChannel(long, notice("hello"), { idempotencyKey: "k-long" }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - began).toBeLessThan(2_000);
  expect(err).toBeInstanceOf(DiscordRateLimitedError);
  expect((err as DiscordRateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
  expect(standin.postsIn(long.channel)).toHaveLength(0);

  const short = freshChannel();
  standin.rateLimit("POST", new RegExp(`^/channels/${short.channel}/messages$`), 0.3);
  await r.messenger().toChannel(short, notice("hello"), { idempotencyKey: "k-short" });
  expect(standin.postsIn(short.channel)).toHaveLength(1);
});

test("a 429 during a scheduled delivery pauses the queue and retries: the DM arrives once", async () => {
  const r = await start("2026-03-02T06:00:00Z", false);
  const userId = "230000000000000004";
  await r.h.as(discordLearner(GUILD_A, userId), "/drill me 08:30 Europe/Berlin 2");
  const dm = standin.dmChannelOf(userId);
  standin.rateLimit("POST", new RegExp(`^/channels/${dm}/messages$`), 1.5);
  const limitedBefore = standin.rateLimited.length;
  r.h.jobs.startDeliveryWorkers(r.h.drills, { discord: r.messenger({ maxWaitMs: 200 }) });
  r.h.clock.set("2026-03-02T07:31:00Z");
  await r.h.jobs.tick();
  await eventually(() => standin.postsIn(dm).length === 1, 10_000);
  expect(standin.rateLimited.length - limitedBefore).toBe(1);
  await new Promise((res) => setTimeout(res, 300));
  expect(standin.postsIn(dm)).toHaveLength(1);
  expect(r.logs.filter((l) => l.includes(" ERROR: "))).toEqual([]);
});

test("closed DMs (403) and a deleted channel (404) are logged as not delivered and not retried", async () => {
  const r = await start("2026-03-02T08:00:00Z", false);
  const m = r.messenger();
  const userId = "230000000000000005";
  const dm = standin.dmChannelOf(userId);
  standin.failPosts(dm, 403, 50007, "Cannot send messages to this user");
  await expect(m.toLearner(discordLearner(GUILD_A, userId), notice("Your streak ends at midnight."), { idempotencyKey: "reminder__x__2026-03-02" })).resolves.toBeUndefined();
  const gone = freshChannel();
  standin.failPosts(gone.channel, 404, 10003, "Unknown Channel");
  await expect(m.toChannel(gone, notice("results"), { idempotencyKey: "close-drill__gone" })).resolves.toBeUndefined();
  await new Promise((res) => setTimeout(res, 200));
  expect(postsTo(dm)).toHaveLength(1);
  expect(postsTo(gone.channel)).toHaveLength(1);
  const warnings = r.logs.filter((l) => l.includes(" WARN: ") && l.includes("NOT delivered"));
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toContain(`user ${userId}`);
  expect(warnings[0]).toContain("50007");
  expect(warnings[1]).toContain(`channel ${gone.channel}`);
  expect(r.logs.join("\n")).not.toContain("standin-bot-token");
});
