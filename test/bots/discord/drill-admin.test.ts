/**
 * /drill and who may set up channel features: the real discord.js client
 * against the stand-in, drills on a real Redis and BullMQ. Members with
 * Manage Server are admins, and so are members of the role chosen with
 * /settings admin-role; everyone else is refused privately and nothing is
 * scheduled.
 */
import { afterEach, expect, test, vi } from "vitest";
import { EPHEMERAL, type Conversation } from "../../support/discord-conversation.js";
import { Redis } from "ioredis";
import { DiscordAdminRoles } from "../../../bots/discord/index.js";
import { discordLearner, startDrillBot, type DrillBotOptions, type DrillBotUnderTest } from "../../support/discord-drill-harness.js";
import { GUILD_A, useStandin } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS, type StandinGuild } from "../../support/discord-interactions.js";
import { DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";
import { scheduledRuns, storedSubscriptions } from "../../support/schedule-counts.js";

vi.setConfig({ testTimeout: 15_000, hookTimeout: 15_000 });

const LEADS = { id: "520000000000000001", name: "Drill leads" };
const GUILD: StandinGuild = { ...GUILD_A, roles: [LEADS] };

const redis = useTestRedis();
const standin = useStandin([GUILD]);
let run: DrillBotUnderTest | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

async function start(opts: DrillBotOptions = {}): Promise<DrillBotUnderTest> {
  run = await startDrillBot(standin, redis.server.url, "2026-03-02T08:00:00Z", opts);
  return run;
}

/** Ann has Manage Server; Bob is an ordinary member; Cy is an ordinary member with the Drill leads role. */
const ann = () => new DiscordUser(standin, { user: { id: "210000000000000001", username: "ann" }, guild: GUILD });
const bob = () => new DiscordUser(standin, { user: { id: "210000000000000002", username: "bob" }, guild: GUILD, permissions: MEMBER_PERMISSIONS });
const cy = () => new DiscordUser(standin, { user: { id: "210000000000000003", username: "cy" }, guild: GUILD, permissions: MEMBER_PERMISSIONS, roles: [LEADS.id] });

/** Only the asker ever saw anything: a private "thinking" or reply, and private messages. */
function seenOnlyByAsker(conv: Conversation): boolean {
  const first = conv.callbacks[0];
  const flags = Number((first?.data as { flags?: number } | undefined)?.flags ?? 0);
  return (flags & EPHEMERAL) !== 0 && conv.messages.length > 0 && conv.messages.every((m) => m.ephemeral);
}

async function nothingScheduled(r: DrillBotUnderTest): Promise<void> {
  const { h } = r;
  expect(await scheduledRuns(h.redis, h.schedules.keys, "channel")).toBe(0);
  expect(await storedSubscriptions(h.redis, h.schedules.keys, "channel")).toBe(0);
  expect(await h.redis.keys(`${h.schedules.keys.prefix}challenge:*`)).toEqual([]);
  const counts = await h.jobs.queues.discord.getJobCounts("delayed", "waiting", "prioritized");
  expect((counts.delayed ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0)).toBe(0);
}

test("a member without Manage Server cannot set up a channel drill or post a challenge; only they see the refusal and nothing is scheduled", async () => {
  const r = await start();
  const drill = await bob().runSub("drill", "channel", { time: "09:00", zone: "Europe/Berlin", days: "weekdays" });
  expect(seenOnlyByAsker(drill)).toBe(true);
  expect(drill.text).toContain("Only admins can set up channel drills");
  const challenge = await bob().runSub("challenge", "post", { topic: "alpha", duration: "1h" });
  expect(seenOnlyByAsker(challenge)).toBe(true);
  expect(challenge.text).toContain("Only admins can post challenges");
  const off = await bob().runSub("drill", "channel-off");
  expect(off.text).toContain("Only admins can turn channel drills off");
  // The form is not even opened for them.
  const write = await bob().runSub("challenge", "write", { duration: "30m" });
  expect(write.modal).toBeNull();
  expect(seenOnlyByAsker(write)).toBe(true);
  expect(write.text).toContain("Only admins can post challenges");
  await nothingScheduled(r);
});

test("in a DM nobody is an admin for channel commands, Manage Server or not", async () => {
  const r = await start();
  const dm = new DiscordUser(standin, { user: { id: "210000000000000001", username: "ann" }, guild: null, dmChannelId: "610000000000000009" });
  const drill = await dm.runSub("drill", "channel", { time: "09:00", zone: "UTC" });
  expect(drill.text).toContain("Only admins can set up channel drills");
  await nothingScheduled(r);
});

test("a member with Manage Server sets up this channel's drill and gets a private confirmation", async () => {
  const r = await start();
  const conv = await ann().runSub("drill", "channel", { time: "09:00", zone: "Europe/Berlin", days: "weekdays", window: "2h" });
  expect(seenOnlyByAsker(conv)).toBe(true);
  expect(conv.text).toContain("Channel drill set: one question at 09:00 Europe/Berlin, weekdays; results 2 h after each post. First post: 2026-03-03.");
  const subs = await r.h.schedules.channelDrills("discord", GUILD.id);
  expect(subs.map((s) => s.channel.channel)).toEqual([GUILD.channelId]);
  expect(subs[0]!.recurrence.days).toEqual([1, 2, 3, 4, 5]);
  // days typed freely, or left out (every day)
  expect((await ann().runSub("drill", "channel", { time: "07:30", zone: "UTC", days: "mon, wed fri" })).text).toContain("mon, wed, fri");
  expect((await ann().runSub("drill", "channel", { time: "07:30", zone: "UTC" })).text).toContain("every day");
  expect((await ann().runSub("drill", "channel", { time: "7pm", zone: "UTC" })).text).toContain('"7pm" is not a time');
  expect((await ann().runSub("drill", "channel-off")).text).toContain("This channel's drill is off.");
  expect(await scheduledRuns(r.h.redis, r.h.schedules.keys, "channel")).toBe(0);
});

test("/settings admin-role: only Manage Server may choose it; then members with that role may post a challenge, and not after it is cleared", async () => {
  const r = await start();
  const refused = await bob().runSub("settings", "admin-role", { role: { role: LEADS } });
  expect(refused.text).toContain("Only members with the Manage Server permission");
  expect(await r.adminRoles.get(GUILD.id)).toBeNull();
  // Before a role is set, Cy is an ordinary member.
  expect((await cy().runSub("challenge", "post", { topic: "alpha", duration: "30m" })).text).toContain("Only admins can post challenges");

  const set = await ann().runSub("settings", "admin-role", { role: { role: LEADS } });
  expect(seenOnlyByAsker(set)).toBe(true);
  expect(set.text).toContain(`Members with <@&${LEADS.id}> can now set up channel drills and post challenges here`);
  expect(await r.adminRoles.get(GUILD.id)).toBe(LEADS.id);
  expect((await ann().runSub("settings", "admin-role")).text).toContain(`Members with <@&${LEADS.id}> and everyone with Manage Server`);

  const posted = await cy().runSub("challenge", "post", { topic: "alpha", duration: "30m" }, (c) => c.answered && c.messages.length >= 2);
  expect(posted.messages.every((m) => !m.ephemeral)).toBe(true);
  expect(posted.messages[0]!.content).toContain("Challenge from cy");
  const question = posted.messages[1]!;
  expect(question.embeds[0]?.title).toContain("Challenge");
  expect(question.components.length).toBeGreaterThan(0);
  expect(await r.h.jobs.queues.discord.getJobCounts("delayed")).toMatchObject({ delayed: 1 });
  // Bob has neither: still refused.
  expect((await bob().runSub("challenge", "post", { topic: "alpha", duration: "30m" })).text).toContain("Only admins can post challenges");

  expect((await ann().runSub("settings", "admin-role", { clear: true })).text).toContain("Admin role removed");
  expect((await cy().runSub("challenge", "post", { topic: "alpha", duration: "30m" })).text).toContain("Only admins can post challenges");
});

test("@everyone cannot be made the admin role", async () => {
  const r = await start();
  const conv = await ann().runSub("settings", "admin-role", { role: { role: { id: GUILD.id, name: "@everyone" } } });
  expect(conv.text).toContain("@everyone cannot be the admin role");
  expect(await r.adminRoles.get(GUILD.id)).toBeNull();
});

test("without an admin-role store, only Manage Server counts and /settings admin-role says so", async () => {
  await start({ adminRoles: false });
  expect((await ann().runSub("settings", "admin-role", { role: { role: LEADS } })).text).toContain("keeps no admin roles");
  expect((await cy().runSub("challenge", "post", { topic: "alpha", duration: "30m" })).text).toContain("Only admins can post challenges");
  expect((await ann().runSub("drill", "channel", { time: "09:00", zone: "UTC" })).text).toContain("Channel drill set");
});

test("when the admin roles cannot be read, a role member is told something went wrong (not that they are no admin), and nothing is scheduled", async () => {
  // A Redis client for a server that is not there: every lookup fails.
  const dead = new Redis({ host: "127.0.0.1", port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  dead.on("error", () => undefined);
  try {
    const r = await start({ adminRoles: new DiscordAdminRoles(dead, "dead:") });
    const conv = await cy().runSub("drill", "channel", { time: "09:00", zone: "UTC" });
    expect(seenOnlyByAsker(conv)).toBe(true);
    expect(conv.text).toContain("Something went wrong on my side and nothing was recorded");
    expect(conv.text).not.toContain("Only admins");
    await nothingScheduled(r);
    // Manage Server needs no lookup: Ann still can.
    expect((await ann().runSub("drill", "channel", { time: "09:00", zone: "UTC" })).text).toContain("Channel drill set");
  } finally {
    dead.disconnect();
  }
});

test("/drill me 08:00 Europe/Berlin sets a personal drill with a private confirmation; anyone may, and list shows it", async () => {
  const r = await start();
  const conv = await bob().runSub("drill", "me", { time: "08:00", zone: "Europe/Berlin" });
  expect(seenOnlyByAsker(conv)).toBe(true);
  expect(conv.text).toContain("Daily drill set: 5 questions at 08:00 Europe/Berlin");
  const sub = await r.h.schedules.personalDrill(discordLearner(GUILD, "210000000000000002"));
  expect(sub?.recurrence).toMatchObject({ time: "08:00", zone: "Europe/Berlin" });
  expect((await bob().runSub("drill", "me", { time: "06:15", count: 3 })).text).toContain("Daily drill set: 3 questions at 06:15");
  expect((await bob().runSub("drill", "remind", { on: false })).text).toContain("Streak reminders are off.");
  await ann().runSub("drill", "channel", { time: "09:00", zone: "UTC", days: "weekends" });
  const list = await bob().runSub("drill", "list");
  expect(list.text).toContain("Your drill: 3 questions at 06:15");
  expect(list.text).toContain(`Channel ${GUILD.channelId}: 09:00 UTC, weekends`);
  expect((await bob().runSub("drill", "me-off")).text).toContain("Your daily drill and reminders are off.");
  expect((await bob().runSub("drill", "me", { time: "08:00", zone: "Mars/Olympus" })).text).toContain("not a time zone I know");
});

test("the days and zone options autocomplete", async () => {
  await start();
  const days = await ann().suggest("drill", "days", "week", "channel");
  expect(days.map((d) => d.value)).toEqual(expect.arrayContaining(["weekdays", "weekends"]));
  const typed = await ann().suggest("drill", "days", "mon,thu", "channel");
  expect(typed[0]).toEqual({ name: "mon,thu", value: "mon,thu" });
  const zones = await ann().suggest("drill", "zone", "berl", "me");
  expect(zones[0]?.value).toBe("Europe/Berlin");
  const topics = await ann().suggest("challenge", "topic", "alp", "post");
  expect(topics.map((t) => t.value)).toContain("alpha");
});
