/**
 * /settings (show, private, retention, team retention, team quiet hours),
 * /break and /team export as Discord slash commands: their definitions pass
 * Discord's registration rules (the stand-in refuses what Discord refuses),
 * their options map to the core's commands through the core's own parsers,
 * and they work end to end through discord.js on a real Redis.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { discordCommands } from "../../../bots/discord/command-definitions.js";
import { deployCommands } from "../../../bots/discord/index.js";
import { slashToCommand, type SlashInput } from "../../../bots/discord/slash-to-command.js";
import { commandsProblem } from "../../support/discord-command-limits.js";
import { APP_ID, GUILD_A, startBot, TOKEN, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS } from "../../support/discord-interactions.js";
import { DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 15_000, hookTimeout: 15_000 });

const slash = (name: string, subcommand: string | null, options: SlashInput["options"] = {}, group: string | null = null): SlashInput => ({ name, group, subcommand, options });

describe("definitions", () => {
  test("every command passes Discord's registration rules, and the stand-in takes the list", async () => {
    expect(commandsProblem(discordCommands as never)).toBeNull();
  });

  test("the rules catch what Discord refuses", () => {
    const ok = { name: "x", description: "d" };
    expect(commandsProblem([{ ...ok, name: "Settings" }])).toMatch(/lowercase/);
    expect(commandsProblem([{ ...ok, description: "d".repeat(101) }])).toMatch(/description/);
    const opt = (name: string, required = false) => ({ type: 3, name, description: "d", required });
    expect(commandsProblem([{ ...ok, options: [opt("a"), opt("b", true)] }])).toMatch(/required options/);
    expect(commandsProblem([{ ...ok, options: Array.from({ length: 26 }, (_, i) => opt(`o${i}`)) }])).toMatch(/more than 25 options/);
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    expect(commandsProblem([{ ...ok, options: [{ ...opt("a"), choices }] }])).toMatch(/more than 25 choices/);
    const sub = (name: string, options: unknown[] = []) => ({ type: 1, name, description: "d", options });
    expect(commandsProblem([{ ...ok, options: [{ type: 2, name: "g", description: "d", options: [{ type: 2, name: "h", description: "d", options: [sub("s")] }] }] }])).toMatch(/nested|only subcommands/);
    expect(commandsProblem([{ ...ok, options: [sub("s"), opt("a")] }])).toMatch(/mixes/);
    expect(commandsProblem([{ ...ok, options: [{ ...opt("a"), autocomplete: true, choices: choices.slice(0, 2) }] }])).toMatch(/autocomplete/);
  });
});

describe("options as core commands", () => {
  test("/settings: show, private, retention (core's parser), tz still works", () => {
    expect(slashToCommand(slash("settings", "show"))).toEqual({ kind: "settings", action: "show" });
    expect(slashToCommand(slash("settings", "tz", { zone: "Asia/Kolkata" }))).toEqual({ kind: "tz", zone: "Asia/Kolkata" });
    expect(slashToCommand(slash("settings", "private", { state: "on" }))).toEqual({ kind: "settings", action: "private", on: true });
    expect(slashToCommand(slash("settings", "private", { state: "off" }))).toEqual({ kind: "settings", action: "private", on: false });
    expect(slashToCommand(slash("settings", "retention", { value: "0.93" }))).toEqual({ kind: "settings", action: "retention", value: 0.93 });
    expect(slashToCommand(slash("settings", "retention", { value: "90%" }))).toEqual({ kind: "settings", action: "retention", value: 0.9 });
    expect(slashToCommand(slash("settings", "retention", { value: "default" }))).toEqual({ kind: "settings", action: "retention", value: null });
    const tooHigh = slashToCommand(slash("settings", "retention", { value: "0.99" }));
    expect(tooHigh).toMatchObject({ kind: "invalid" });
    expect((tooHigh as { reason: string }).reason).toContain("0.85");
    expect((tooHigh as { usage: string }).usage).toContain("/settings retention");
  });

  test("/settings team retention and quiet hours (core's parsers), off", () => {
    expect(slashToCommand(slash("settings", "retention", { value: "0.88" }, "team"))).toEqual({ kind: "settings", action: "team-retention", value: 0.88 });
    expect(slashToCommand(slash("settings", "quiet", { window: "22:00-07:00" }, "team"))).toEqual({ kind: "settings", action: "quiet-hours", quiet: { start: "22:00", end: "07:00" } });
    expect(slashToCommand(slash("settings", "quiet", { window: "22:00-07:00", zone: "Europe/Berlin" }, "team"))).toEqual({
      kind: "settings",
      action: "quiet-hours",
      quiet: { start: "22:00", end: "07:00", zone: "Europe/Berlin" },
    });
    expect(slashToCommand(slash("settings", "quiet", { window: "OFF" }, "team"))).toEqual({ kind: "settings", action: "quiet-hours", quiet: null });
    expect(slashToCommand(slash("settings", "quiet", { window: "22:00-22:00" }, "team"))).toMatchObject({ kind: "invalid" });
    expect(slashToCommand(slash("settings", "quiet", { window: "25:00-07:00" }, "team"))).toMatchObject({ kind: "invalid" });
    expect(slashToCommand(slash("settings", "quiet", { window: "22:00-07:00", zone: "Mars/Base" }, "team"))).toMatchObject({ kind: "invalid" });
  });

  test("/break: days, off, status; both or out of range refused", () => {
    expect(slashToCommand(slash("break", null))).toEqual({ kind: "break" });
    expect(slashToCommand(slash("break", null, { days: 7 }))).toEqual({ kind: "break", days: 7 });
    expect(slashToCommand(slash("break", null, { off: true }))).toEqual({ kind: "break", days: null });
    expect(slashToCommand(slash("break", null, { off: false }))).toEqual({ kind: "break" });
    expect(slashToCommand(slash("break", null, { days: 3, off: true }))).toMatchObject({ kind: "invalid" });
    expect(slashToCommand(slash("break", null, { days: 31 }))).toMatchObject({ kind: "invalid", usage: "/break [days:1-30] | /break off:True" });
  });

  test("/team and /team export", () => {
    expect(slashToCommand(slash("team", null))).toEqual({ kind: "team" });
    expect(slashToCommand(slash("team", null, { export: true }))).toEqual({ kind: "team", export: true });
    expect(slashToCommand(slash("team", null, { export: false }))).toEqual({ kind: "team" });
  });
});

describe("through discord.js", () => {
  const redis = useTestRedis();
  const standin = useStandin();
  let bot: BotUnderTest;
  beforeEach(async () => {
    bot = await startBot(standin, redis.server.url);
  });
  afterEach(async () => {
    await bot?.stop();
  });

  const member = (id: string, admin = false) => new DiscordUser(standin, { user: { id, username: `u${id.slice(-3)}` }, guild: GUILD_A, ...(admin ? {} : { permissions: MEMBER_PERMISSIONS }) });

  test("deploy-commands: the stand-in, checking Discord's rules, takes every definition", async () => {
    const result = await deployCommands({ token: TOKEN, appId: APP_ID, apiUrl: standin.apiUrl, guildId: GUILD_A.id });
    expect(result.names).toContain("break");
    const settings = standin.registeredCommands.get(`guild:${GUILD_A.id}`)!.find((c) => c.name === "settings") as { options: { name: string; type: number; options?: { name: string }[] }[] };
    expect(settings.options.find((o) => o.name === "team")).toMatchObject({ type: 2 });
    expect(settings.options.find((o) => o.name === "team")!.options!.map((o) => o.name)).toEqual(["retention", "quiet"]);
  });

  test("a learner sets privacy and retention, then sees them in /settings show, privately", async () => {
    const ann = member("410000000000000001");
    const priv = await ann.runSub("settings", "private", { state: "on" });
    expect(priv.messages[0]!.ephemeral).toBe(true);
    expect(priv.text).toContain('Private on: you appear as "anonymous"');
    const ret = await ann.runSub("settings", "retention", { value: "0.93" });
    expect(ret.text).toContain("Desired retention set to 0.93");
    const bad = await ann.runSub("settings", "retention", { value: "2" });
    expect(bad.text).toContain("is not a desired retention");
    const show = await ann.runSub("settings", "show");
    expect(show.messages[0]!.ephemeral).toBe(true);
    expect(show.text).toContain("Private: on");
    expect(show.text).toContain("Desired retention: 0.93, yours");
  });

  test("team settings: an admin sets retention and quiet hours; a member is refused", async () => {
    const lead = member("420000000000000001", true);
    const bob = member("420000000000000002");
    const setRet = await lead.runInGroup("settings", "team", "retention", { value: "0.88" });
    expect(setRet.text).toContain("The team's desired retention is now 0.88");
    const quiet = await lead.runInGroup("settings", "team", "quiet", { window: "22:00-07:00", zone: "Europe/Berlin" });
    expect(quiet.text).toContain("Quiet hours set: no DMs from 22:00 to 07:00 (Europe/Berlin)");
    const refused = await bob.runInGroup("settings", "team", "quiet", { window: "off" });
    expect(refused.messages[0]!.ephemeral).toBe(true);
    expect(refused.text).toContain("Only workspace admins can set quiet hours");
    const show = await bob.runSub("settings", "show");
    expect(show.text).toContain("Desired retention: 0.88, the team's");
    expect(show.text).toContain("Team quiet hours: 22:00-07:00 Europe/Berlin");
    const off = await lead.runInGroup("settings", "team", "quiet", { window: "off" });
    expect(off.text).toContain("Quiet hours are off");
  });

  test("/break: status, a 5-day break, then off, worded for Discord", async () => {
    const ann = member("430000000000000001");
    const none = await ann.run("break");
    expect(none.messages[0]!.ephemeral).toBe(true);
    expect(none.text).toContain("You are not on a break.");
    const start = await ann.run("break", { days: 5 });
    expect(start.text).toContain("Break set through 2025-03-14");
    expect(start.text).toContain("/break off:True ends it now");
    const status = await ann.run("break");
    expect(status.text).toContain("You are on a break through 2025-03-14");
    const off = await ann.run("break", { off: true });
    expect(off.text).toContain("Break over");
    const both = await ann.run("break", { days: 2, off: true });
    expect(both.text).toContain("either a number of days or off:True");
  });
});
