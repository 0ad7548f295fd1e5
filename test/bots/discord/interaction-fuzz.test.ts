/**
 * Fuzzing Discord interactions with fast-check, through the real discord.js
 * client and the strict stand-in: random custom ids (mangled real ones too),
 * select values, modal fields and slash options of any length, unicode and
 * control characters. Every one gets a short private answer, the bot never
 * crashes, and invalid input writes nothing to Redis.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { decodeCustomId } from "../../../bots/discord/custom-id.js";
import { parseQuietHours, parseRetention } from "../../../core/commands.js";
import { buttonsOf, type SeenMessage } from "../../support/discord-conversation.js";
import { fixtureCatalog, GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { modalSubmit, selectMenu } from "../../support/discord-interactions.js";
import { DiscordUser } from "../../support/discord-user.js";
import { mayWrite } from "../../support/input-classes.js";
import { redisState } from "../../support/redis-state.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 10_000 });

const redis = useTestRedis();
const standin = useStandin();
let bot: BotUnderTest;
let ann: DiscordUser;
let question: SeenMessage;
let realId: string;
beforeAll(async () => {
  bot = await startBot(standin, redis.server.url);
  ann = new DiscordUser(standin, { user: { id: "300000000000000099", username: "ann" }, guild: GUILD_A });
  question = (await ann.run("quiz", { topic: "alpha", count: 2 })).messages[0]!;
  realId = buttonsOf(question)[0]!.custom_id;
});
afterAll(async () => {
  await bot?.stop();
});

/** Any text: unicode, control characters, pipes, up to 150 characters. */
const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 150 }), fc.string({ unit: "binary", maxLength: 150 }), fc.string({ maxLength: 40 }));

/** Random ids and real ones with one part replaced. */
const customId = fc.oneof(
  text,
  fc.tuple(fc.nat(6), text).map(([i, part]) => {
    const parts = realId.split("|");
    parts[i % parts.length] = part;
    return parts.join("|");
  }),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }).map((p) => ["v1", ...p].join("|")),
);

/** A button press that would be a real answer: a known question with one of its own choices. */
async function isRealAnswer(id: string): Promise<boolean> {
  const action = decodeCustomId(id);
  if (!action || action.kind !== "choice") return false;
  const q = (await fixtureCatalog()).question(action.ref.questionId)?.question;
  if (!q) return false;
  const ids = q.type === "truefalse" ? ["true", "false"] : "options" in q ? q.options.map((o) => o.id) : [];
  return ids.includes(action.choiceId);
}

const shortPrivate = (c: { messages: { ephemeral: boolean }[]; text: string; modal: unknown }) =>
  c.modal !== null || (c.messages.length >= 1 && c.messages.every((m) => m.ephemeral) && c.text.length < 400);

test("random and mangled button ids get a short private note and write nothing", async () => {
  await fc.assert(
    fc.asyncProperty(customId, async (id) => {
      fc.pre(!(await isRealAnswer(id)));
      const before = await redisState(redis.client);
      const conv = await ann.pressId(question, id, (c) => c.answered || c.modal !== null);
      expect(shortPrivate(conv)).toBe(true);
      expect(await redisState(redis.client)).toEqual(before);
    }),
    { numRuns: 60 },
  );
});

test("random select-menu values and modal fields write nothing", async () => {
  const [, , session, index] = realId.split("|");
  await fc.assert(
    fc.asyncProperty(fc.oneof(customId, fc.constant(`v1|m|${session}|${index}|a-multi`), fc.constant(`v1|t|${session}|${index}|b-num`)), fc.array(text, { maxLength: 4 }), text, async (id, values, typed) => {
      const before = await redisState(redis.client);
      const picked = await standin.interact(selectMenu(ann.actor, "900000000000000001", question, id, values), (c) => c.answered);
      expect(shortPrivate(picked)).toBe(true);
      const submitted = await standin.interact(modalSubmit(ann.actor, "900000000000000001", id, { answer: typed }), (c) => c.answered);
      expect(shortPrivate(submitted)).toBe(true);
      expect(await redisState(redis.client)).toEqual(before);
    }),
    { numRuns: 40 },
  );
});

test("slash options of any length and content are refused briefly when invalid, and write nothing", async () => {
  const catalog = await fixtureCatalog();
  await fc.assert(
    fc.asyncProperty(fc.oneof(text, fc.string({ minLength: 100, maxLength: 3000 })), fc.constantFrom("learn", "quiz", "leaderboard"), async (value, name) => {
      const topic = value.trim().toLowerCase();
      fc.pre(topic !== "" && (name === "leaderboard" || !mayWrite({ kind: name === "learn" ? "learn" : "quiz", topic }, catalog, { questionOpen: true })));
      const before = await redisState(redis.client);
      const option = name === "leaderboard" ? "period" : "topic";
      const conv = await ann.run(name, { [option]: value });
      expect(conv.text.length).toBeLessThan(1500);
      expect(conv.text).not.toContain(value.length > 70 ? value : "\u0000never");
      expect(await redisState(redis.client)).toEqual(before);
    }),
    { numRuns: 40 },
  );
});

test("/settings retention and team quiet hours: text the core's parsers refuse gets a short private answer and writes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(text, fc.constantFrom("0.84", "0.98", "1", "-0.9", "90", "22:00-22:00", "24:00-07:00", "22:00-07:00 Mars/Base", "\u{10000}".repeat(9))), fc.boolean(), async (value, team) => {
      const refused = team ? value.trim().toLowerCase() !== "off" && !parseQuietHours([value.trim()]).ok : !parseRetention(value.trim()).ok;
      fc.pre(refused && value.trim() !== "");
      const before = await redisState(redis.client);
      const conv = team ? await ann.runInGroup("settings", "team", "quiet", { window: value }) : await ann.runSub("settings", "retention", { value });
      expect(shortPrivate(conv)).toBe(true);
      expect(await redisState(redis.client)).toEqual(before);
    }),
    { numRuns: 40 },
  );
});

test("after all that, the bot still answers and logged no error", async () => {
  const fresh = (await ann.run("quiz", { topic: "alpha", count: 1 })).messages[0]!;
  expect((await ann.press(fresh, "Alpha")).text).toContain("Correct");
  expect(bot.logs.filter((l) => l.includes(" ERROR: "))).toEqual([]);
  // Nothing the bot sent broke Discord's limits (the stand-in would have answered 400).
  expect(standin.requests.filter((r) => r.status === 400).map((r) => `${r.method} ${r.path}`)).toEqual([]);
});
