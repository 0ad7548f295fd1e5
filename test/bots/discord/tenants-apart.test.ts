/**
 * Two Discord servers that share user ids, a role id and a channel name, one
 * drillbot for both, over the gateway and over HTTP interactions: nothing of
 * one server (progress, leaderboard, team view, export, drills, challenges,
 * admin role, team settings) is visible to or changeable from the other.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { buttonsOf, Conversation } from "../../support/discord-conversation.js";
import { discordLearner, startDrillBot, type DrillBotUnderTest } from "../../support/discord-drill-harness.js";
import { GUILD_A, GUILD_B, useStandin } from "../../support/discord-harness.js";
import { buttonPress, MEMBER_PERMISSIONS, type Actor, type StandinGuild } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 15_000 });

/** The same role id in both servers (ids a test shares on purpose). */
const LEADS = { id: "520000000000000001", name: "Leads" };
const A: StandinGuild = { ...GUILD_A, roles: [LEADS] };
const B: StandinGuild = { ...GUILD_B, roles: [LEADS] };
const ANN = { id: "230000000000000001", username: "ann" };
const BOB = { id: "230000000000000002", username: "bob" };

const redis = useTestRedis();
const standin = useStandin([A, B]);
let run: DrillBotUnderTest | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

/** In A, Ann manages the server; in B she is an ordinary member. Bob is an ordinary member of both, with the Leads role in B. Carl manages B. */
const as = (actor: Actor) => new DiscordUser(standin, actor);
const annA = () => as({ user: ANN, guild: A });
const annB = () => as({ user: ANN, guild: B, permissions: MEMBER_PERMISSIONS });
const bobA = () => as({ user: BOB, guild: A, permissions: MEMBER_PERMISSIONS });
const bobB = () => as({ user: BOB, guild: B, permissions: MEMBER_PERMISSIONS, roles: [LEADS.id] });
const carlB = () => as({ user: { id: "230000000000000003", username: "carl" }, guild: B });

async function answerRight(user: DiscordUser): Promise<void> {
  const question = (await user.run("quiz", { topic: "alpha", count: 3 })).messages[0]!;
  expect((await user.press(question, "Alpha", atLeast(2))).text).toContain("Correct");
}

describe.each(["gateway", "http"] as const)("over the %s", (mode) => {
  const start = async () => (run = await startDrillBot(standin, redis.server.url, "2026-03-02T08:00:00Z", { mode }));

  test("progress, leaderboards, team views and exports of one server are not seen in the other, by the same user id", async () => {
    const r = await start();
    await answerRight(annA());
    expect((await r.h.store.snapshot(discordLearner(A, ANN.id))).points).toBeGreaterThan(0);
    expect((await r.h.store.snapshot(discordLearner(B, ANN.id))).points).toBe(0);

    const boardA = await bobA().run("leaderboard", { period: "all" });
    expect(boardA.text).toMatch(/ann — \d+ pts/);
    const boardB = await annB().run("leaderboard", { period: "all" });
    expect(boardB.text).toContain("Nobody has points yet");
    expect(boardB.text).not.toContain("pts");
    expect((await bobA().run("team")).text).toContain("1 learner answered 1 question");
    expect((await carlB().run("team")).text).toContain("Nobody has answered this week yet");

    const exportA = (await annA().run("team", { export: true })).messages[0]!;
    const exportB = await carlB().run("team", { export: true });
    const csv = (m: { files: { bytes: Buffer }[] }) => m.files.map((f) => f.bytes.toString("utf8")).join("");
    expect(Conversation.textOf(exportA)).toContain(`Team export for discord:${A.id}: 1 learner`);
    expect(csv(exportA)).toContain("ann");
    expect(exportB.text).toContain(`Team export for discord:${B.id}: 0 learners`);
    expect(exportB.messages.map(csv).join("") + exportB.text).not.toContain("ann");
  });

  test("an admin role, team settings and a time zone set in one server change nothing in the other", async () => {
    const r = await start();
    expect((await annA().runSub("settings", "admin-role", { role: { role: LEADS } })).text).toContain("can now set up channel drills");
    expect((await annA().runSub("settings", "tz", { zone: "Europe/Berlin" })).text).toContain("Europe/Berlin");
    expect((await annA().runInGroup("settings", "team", "quiet", { window: "22:00-07:00", zone: "UTC" })).text).toContain("Quiet hours set");
    // B: the same role id gives Bob nothing, B has no admin role, and its settings are untouched.
    expect((await bobB().runSub("challenge", "post", { topic: "alpha", duration: "30m" })).text).toContain("Only admins can post challenges");
    expect((await carlB().runSub("settings", "admin-role")).text).toContain("No admin role is set");
    const shownB = (await annB().runSub("settings", "show")).text;
    expect(shownB).toContain("Team quiet hours: none.");
    expect(shownB).not.toContain("Europe/Berlin");
    // And B cannot change A's: clearing B's admin role leaves A's in place.
    expect((await carlB().runSub("settings", "admin-role", { clear: true })).text).toContain("There was no admin role");
    expect(await r.adminRoles.get(A.id)).toBe(LEADS.id);
    expect((await annA().runSub("settings", "show")).text).toContain("Team quiet hours: 22:00");
  });

  test("a channel drill and a challenge of one server are neither listed nor stopped nor counted from the other", async () => {
    const r = await start();
    expect((await annA().runSub("drill", "channel", { time: "09:00", zone: "UTC" })).text).toContain("Channel drill set");
    expect((await carlB().runSub("drill", "list")).text).toContain("No channel drills in this workspace.");
    await carlB().runSub("drill", "channel-off");
    expect(await r.h.schedules.channelDrills("discord", A.id)).toHaveLength(1);
    expect(await r.h.schedules.channelDrills("discord", B.id)).toHaveLength(0);

    const posted = await annA().runSub("challenge", "post", { topic: "a-tf", duration: "1h" }, atLeast(2));
    const question = posted.messages[1]!;
    const [first] = buttonsOf(question);
    const sessionId = first!.custom_id.split("|")[2]!;
    await bobA().pressId(question, first!.custom_id);
    // Discord only lets B's members press buttons in B; even a press of A's button delivered from B is kept out of A's challenge.
    await standin.interact(buttonPress({ user: BOB, guild: B, permissions: MEMBER_PERMISSIONS }, standin.options.appId, question, first!.custom_id));
    const tally = await r.h.schedules.tally(sessionId);
    expect(tally.map((t) => t.learnerId)).toEqual([`discord:${A.id}:${BOB.id}`]);
    const challengeId = sessionId.replace(/^c-/, "");
    const results = await r.h.drills.challengeResults(challengeId);
    expect(results?.channel).toMatchObject({ platform: "discord", workspace: A.id, channel: A.channelId });
    expect(JSON.stringify(results?.replies)).not.toContain(B.id);
    // B's channel saw none of it.
    expect(standin.postsIn(B.channelId)).toEqual([]);
    expect(Conversation.textOf(posted.messages[0]!)).toContain("Challenge from ann");
  });
});
