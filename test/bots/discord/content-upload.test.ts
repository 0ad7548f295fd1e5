/**
 * /content on Discord (issue 15): admins upload a pack as an attachment, the
 * bot fetches it from Discord's CDN (the stand-in's), the core checks it
 * whole and stores it for this server only; everything /content answers is
 * private. The real discord.js client against the stand-in, a real Redis and
 * BullMQ, the services composed with createWorkspaceContent as in main.ts.
 */
import fc from "fast-check";
import { afterEach, expect, test, vi } from "vitest";
import { parsePackYaml } from "../../../core/content/upload/pack-yaml.js";
import { workspaceId } from "../../../core/identity.js";
import { buttonsOf, Conversation, EPHEMERAL } from "../../support/discord-conversation.js";
import { discordLearner, startDrillBot, type DrillBotOptions, type DrillBotUnderTest } from "../../support/discord-drill-harness.js";
import { GUILD_A, GUILD_B, useStandin } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS, type StandinGuild } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { eventually } from "../../support/drill-harness.js";
import { useTestRedis } from "../../support/redis.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 15_000 });

const redis = useTestRedis();
const standin = useStandin([GUILD_A, GUILD_B]);
let run: DrillBotUnderTest | undefined;
let firstRequest = 0;

afterEach(async () => {
  // Every payload the bot sent was one Discord takes: the stand-in answers a bad one 400 (and the bot would say "something went wrong").
  const refused = standin.requests.slice(firstRequest).filter((q) => q.status === 400 || q.status === 413);
  await run?.stop();
  const logs = run?.logs ?? [];
  run = undefined;
  expect(refused.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([]);
  expect(logs.filter((l) => /failed|refused the reply/.test(l))).toEqual([]);
});

async function start(opts: DrillBotOptions = {}, startIso = "2026-03-02T08:00:00Z"): Promise<DrillBotUnderTest> {
  firstRequest = standin.requests.length;
  run = await startDrillBot(standin, redis.server.url, startIso, { content: true, ...opts });
  return run;
}

/** Ann has Manage Server; Bob is an ordinary member. */
const ann = (guild: StandinGuild = GUILD_A) => new DiscordUser(standin, { user: { id: "240000000000000001", username: "ann" }, guild });
const bob = (guild: StandinGuild = GUILD_A) => new DiscordUser(standin, { user: { id: "240000000000000002", username: "bob" }, guild, permissions: MEMBER_PERMISSIONS });

const STEMS = ["Who answers the pager first?", "Which severity pages people at night?", "When is the postmortem written?"];
const TEAM_OPS = [
  "id,question,options,answer,explanation,topic",
  `ops-pager,${STEMS[0]},The on-call engineer|The team lead|Whoever sees it,a,The on-call engineer owns the first response.,Incidents`,
  `ops-sev,${STEMS[1]},SEV3|SEV1|SEV4,b,Only SEV1 pages out of hours.,Incidents`,
  `ops-post,${STEMS[2]},Next quarter|Never|Within five working days,c,Five working days keeps memories fresh.,Reviews`,
].join("\n");
const NEW_STEM = "Who writes the incident summary?";
/** Version 2: the three questions keep their ids, one more is added. */
const TEAM_OPS_V2 = `${TEAM_OPS}\nops-summary,${NEW_STEM},The incident lead|Legal|Nobody,a,The incident lead writes it the same day.,Reviews`;

/** Only the asker saw anything: a private "thinking" first, and only private messages. */
function privateOnly(conv: Conversation): boolean {
  const flags = Number((conv.callbacks[0]?.data as { flags?: number } | undefined)?.flags ?? 0);
  return (flags & EPHEMERAL) !== 0 && conv.messages.length > 0 && conv.messages.every((m) => m.ephemeral);
}

const ownPacks = (r: DrillBotUnderTest, guild: StandinGuild = GUILD_A) => r.workspaces!.packs.packs(workspaceId({ platform: "discord", workspace: guild.id }));

async function uploadTeamOps(r: DrillBotUnderTest, csv = TEAM_OPS): Promise<Conversation> {
  const conv = await ann().attach("content", "upload", "team-ops.csv", csv);
  expect(conv.text).toContain("Stored team-ops version");
  return conv;
}

test("an admin uploads a good CSV: a private confirmation names the pack, version and counts; /quiz serves it and /content packs lists it", async () => {
  const r = await start();
  const conv = await ann().attach("content", "upload", "team-ops.csv", TEAM_OPS);
  expect(privateOnly(conv)).toBe(true);
  expect(conv.text).toContain("Stored team-ops version 1: Team ops, 2 lessons, 3 questions from team-ops.csv (question table).");
  expect(conv.text).toContain("Try it: /quiz team-ops");
  // Fetched once from the CDN.
  expect(standin.attachmentGets()).toHaveLength(1);

  const quiz = await bob().run("quiz", { topic: "team-ops", count: 1 });
  const question = quiz.messages.find((m) => m.embeds.length > 0)!;
  expect(STEMS.some((s) => (question.embeds[0]?.description ?? "").includes(s))).toBe(true);

  const packs = await bob().runSub("content", "packs");
  expect(privateOnly(packs)).toBe(true);
  expect(packs.text).toContain("team-ops: Team ops (this workspace's, version 1), 2 lessons, 3 questions, on; uploaded by ann");
  expect(packs.text).toContain("mini: Mini course for tests (built-in)");
  expect(packs.text).not.toContain("Admins: /content enable");
  expect((await ann().runSub("content", "packs")).text).toContain("Admins: /content enable|disable <pack>");
  expect((await ownPacks(r)).map((p) => p.packId)).toEqual(["team-ops"]);
});

test("a bad CSV is refused privately, naming the file, row and field, and nothing is stored", async () => {
  const r = await start();
  const bad = [
    "question,options,answer,explanation",
    "Who answers the pager first?,The on-call engineer|The team lead,d,The on-call engineer owns it.",
    ",SEV1|SEV3,a,Only SEV1 pages out of hours.",
  ].join("\n");
  const conv = await ann().attach("content", "upload", "team-ops.csv", bad);
  expect(privateOnly(conv)).toBe(true);
  expect(conv.text).toContain("Upload refused");
  expect(conv.text).toContain('team-ops.csv: row 2, column "answer": answer "d" matches no option');
  expect(conv.text).toContain('team-ops.csv: row 3, column "question": the question cell is empty');
  expect(conv.text).toMatch(/nothing was stored/i);

  const noAnswerColumn = await ann().attach("content", "upload", "team-ops.csv", "question,options\nWho answers the pager?,Me|You");
  expect(noAnswerColumn.text).toContain("Upload refused");
  expect(noAnswerColumn.text).toMatch(/answer/i);

  expect(await ownPacks(r)).toEqual([]);
  expect((await bob().runSub("content", "packs")).text).not.toContain("team-ops");
});

test("a file over the 1 MB limit is refused from the size Discord reports, before anything is downloaded", async () => {
  const r = await start();
  const row = "Which severity pages people at night?,SEV1|SEV3|SEV4,a,Only SEV1 pages out of hours.\n";
  const big = "question,options,answer,explanation\n" + row.repeat(Math.ceil(1_600_000 / row.length));
  const attachment = standin.hostAttachment("team-ops.csv", big);
  const conv = await ann().runSub("content", "upload", { file: { attachment } });
  expect(privateOnly(conv)).toBe(true);
  expect(conv.text).toContain(`team-ops.csv is 1.5 MB (${big.length.toLocaleString("en-US")} bytes)`);
  expect(conv.text).toContain("at most 1 MB (1,048,576 bytes)");
  expect(conv.text).toContain("split it into smaller packs");
  expect(conv.text).toContain("Nothing was stored.");
  expect(standin.attachmentGets(attachment.id)).toEqual([]);
  expect(await ownPacks(r)).toEqual([]);
});

test("a size that was wrong does not make the bot read past the limit; a file Discord no longer has is reported", async () => {
  const r = await start();
  const big = "question,options,answer,explanation\n" + "x".repeat(2_500_000);
  const lying = await ann().attach("content", "upload", "team-ops.csv", big, { size: 2_000, chunked: true });
  expect(lying.text).toContain("team-ops.csv is over 1 MB (1,048,576 bytes)");
  expect(lying.text).toContain("Nothing was stored.");

  const gone = standin.hostAttachment("team-ops.csv", TEAM_OPS);
  standin.forgetAttachment(gone.id);
  const conv = await ann().runSub("content", "upload", { file: { attachment: gone } });
  expect(conv.text).toContain("Discord did not hand over team-ops.csv (HTTP 404); upload it again. Nothing was stored.");
  expect(standin.attachmentGets(gone.id).map((q) => q.status)).toEqual([404]);
  expect(await ownPacks(r)).toEqual([]);
});

test("a member without Manage Server cannot upload: refused privately, the file is never downloaded, nothing is stored", async () => {
  const r = await start();
  const attachment = standin.hostAttachment("team-ops.csv", TEAM_OPS);
  const conv = await bob().runSub("content", "upload", { file: { attachment } });
  expect(privateOnly(conv)).toBe(true);
  expect(conv.text).toContain("Only admins can upload content");
  expect(standin.attachmentGets(attachment.id)).toEqual([]);
  for (const sub of ["enable", "disable", "rollback", "export"]) {
    expect((await bob().runSub("content", sub, { pack: "mini" })).text).toContain("Only admins can");
  }
  expect(await ownPacks(r)).toEqual([]);
});

test("a new version replaces the pack and keeps progress on kept ids; rollback goes back; the export is a private YAML file that uploads again", async () => {
  const r = await start();
  await uploadTeamOps(r);
  // Bob answers one question of version 1.
  const quiz = await bob().run("quiz", { topic: "team-ops", count: 1 });
  const question = quiz.messages.find((m) => m.embeds.length > 0)!;
  const answered = await bob().pressId(question, buttonsOf(question)[0]!.custom_id);
  expect(answered.text).toMatch(/Correct|Not quite/);
  const learner = discordLearner(GUILD_A, "240000000000000002");
  const before = await r.h.store.cardStates(learner);
  const [cardId] = Object.keys(before);
  expect(["ops-pager", "ops-sev", "ops-post"].some((id) => cardId?.endsWith(id))).toBe(true);

  const v2 = await ann().attach("content", "upload", "team-ops.csv", TEAM_OPS_V2);
  expect(privateOnly(v2)).toBe(true);
  expect(v2.text).toContain("Stored team-ops version 2 (replaces version 1): Team ops, 2 lessons, 4 questions");
  expect(v2.text).toContain("3 questions kept their ids, so learners' progress on them carries over");
  expect(await r.h.store.cardStates(learner)).toEqual(before);

  const back = await ann().runSub("content", "rollback", { pack: "team-ops" });
  expect(privateOnly(back)).toBe(true);
  // (Its counts and file name come from the store's info, which keeps version 2's after a rollback: reported to the lead.)
  expect(back.text).toContain("team-ops is back at version 1");
  expect(await r.h.store.cardStates(learner)).toEqual(before);
  // Version 1's questions again: the new one is gone from quizzes.
  const catalog = await r.h.service.catalogFor({ platform: "discord", workspace: GUILD_A.id });
  expect(catalog.questions.filter((q) => q.packId === "team-ops").map((q) => q.question.stem).sort()).toEqual([...STEMS].sort());

  const exported = await ann().runSub("content", "export", { pack: "team-ops" });
  expect(privateOnly(exported)).toBe(true);
  const file = exported.messages.flatMap((m) => m.files).find((f) => f.filename.endsWith(".yaml"))!;
  expect(file.filename).toBe("team-ops-v1.yaml");
  const parsed = parsePackYaml(file.bytes.toString("utf8"), file.filename);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  expect(parsed.pack.manifest.id).toBe("team-ops");
  const stems = parsed.pack.lessons.flatMap((l) => l.data.questions ?? []).map((q) => q.stem);
  expect(stems.sort()).toEqual([...STEMS].sort());

  const again = await ann().attach("content", "upload", file.filename, file.bytes);
  expect(again.text).toContain("Stored team-ops version");
  expect(again.text).toContain("(replaces version 1)");
  expect(again.text).toContain("(YAML pack)");
  expect(again.text).toContain("3 questions kept their ids");
});

test("a switched-off pack leaves /quiz and comes back when switched on; enable suggests it", async () => {
  await start();
  await uploadTeamOps(run!);
  const off = await ann().runSub("content", "disable", { pack: "team-ops" });
  expect(privateOnly(off)).toBe(true);
  expect(off.text).toContain("team-ops is off in this workspace");
  const unknown = await bob().run("quiz", { topic: "team-ops" });
  expect(unknown.text).toContain('No lesson or question matches "team-ops"');
  expect(unknown.messages.every((m) => m.embeds.every((e) => !STEMS.some((s) => (e.description ?? "").includes(s))))).toBe(true);
  expect(unknown.messages.every((m) => m.ephemeral)).toBe(true);

  const suggested = await ann().suggest("content", "pack", "team", "enable");
  expect(suggested).toEqual([{ name: "team-ops", value: "team-ops" }]);
  expect((await ann().suggest("content", "pack", "", "export")).map((s) => s.value).sort()).toEqual(["mini", "team-ops"]);

  const on = await ann().runSub("content", "enable", { pack: "team-ops" });
  expect(on.text).toContain("team-ops is on");
  const quiz = await bob().run("quiz", { topic: "team-ops", count: 1 });
  const question = quiz.messages.find((m) => m.embeds.length > 0)!;
  expect(STEMS.some((s) => (question.embeds[0]?.description ?? "").includes(s))).toBe(true);
  expect((await bob().suggest("quiz", "topic", "team")).map((s) => s.value)).toContain("team-ops");
});

test("another server does not see the pack: /quiz there does not know it and its /content packs lacks it", async () => {
  await start();
  await uploadTeamOps(run!);
  const quiz = await bob(GUILD_B).run("quiz", { topic: "team-ops" });
  expect(quiz.messages.every((m) => m.embeds.every((e) => !STEMS.some((s) => (e.description ?? "").includes(s))))).toBe(true);
  expect(quiz.text).toContain('No lesson or question matches "team-ops"');
  const packs = await bob(GUILD_B).runSub("content", "packs");
  expect(packs.text).toContain("mini");
  expect(packs.text).not.toContain("team-ops");
  expect(await bob(GUILD_B).suggest("quiz", "topic", "team")).toEqual([]);
});

test("a channel drill set on the pack posts a question from it", async () => {
  const r = await start({}, "2026-03-02T07:00:00Z");
  await uploadTeamOps(r);
  const set = await ann().runSub("drill", "channel", { time: "09:00", zone: "Europe/Berlin", topic: "team-ops" });
  expect(set.text).toContain("Channel drill set");
  expect(set.text).toContain("team-ops");
  r.h.jobs.startDeliveryWorkers(r.h.drills, { discord: r.messenger() });
  r.h.clock.set("2026-03-02T08:00:30Z"); // 09:00:30 in Berlin
  await r.h.jobs.tick();
  await eventually(() => standin.postsIn(GUILD_A.channelId).some((m) => m.embeds.length > 0));
  const posted = standin.postsIn(GUILD_A.channelId).filter((m) => m.embeds.length > 0).at(-1)!;
  expect(STEMS.some((s) => Conversation.textOf(posted).includes(s))).toBe(true);
});

test("over HTTP interactions an upload and an export are answered the same way, within Discord's 3 seconds", async () => {
  const r = await start({ mode: "http" });
  const up = await ann().attach("content", "upload", "team-ops.csv", TEAM_OPS);
  expect(up.overHttp).toBe(true);
  expect(up.failure).toBeNull();
  expect(privateOnly(up)).toBe(true);
  expect(up.text).toContain("Stored team-ops version 1");
  const exported = await ann().runSub("content", "export", { pack: "team-ops" });
  expect(exported.failure).toBeNull();
  expect(exported.messages.flatMap((m) => m.files).map((f) => f.filename)).toEqual(["team-ops-v1.yaml"]);
  expect((await ownPacks(r)).map((p) => p.version)).toEqual([1]);
});

test("a file with many problems: the first 12 in the private reply, all of them in an attached list", async () => {
  await start();
  const rows = Array.from({ length: 30 }, (_, i) => `Question ${i + 1}?,Yes|No,z,Because.`);
  const conv = await ann().attach("content", "upload", "team-ops.csv", ["question,options,answer,explanation", ...rows].join("\n"), {}, atLeast(1));
  expect(privateOnly(conv)).toBe(true);
  expect(conv.text).toContain("Upload refused");
  expect(conv.text).toContain("... and 18 more problems: the attached list has them all.");
  const list = conv.messages.flatMap((m) => m.files).find((f) => f.filename === "team-ops-problems.txt")!;
  expect(list.bytes.toString("utf8").trim().split("\n")).toHaveLength(30);
});

test("a refusal longer than one Discord message is sent whole, split at line breaks over private messages", async () => {
  await start();
  const long = (i: number) => `Option that is not there number ${i} `.repeat(4).trim();
  const rows = Array.from({ length: 12 }, (_, i) => `Question ${i + 1}?,Yes|No,${long(i + 1)},Because.`);
  const conv = await ann().attach("content", "upload", "team-ops.csv", ["question,options,answer,explanation", ...rows].join("\n"), {}, atLeast(2));
  expect(privateOnly(conv)).toBe(true);
  expect(conv.messages).toHaveLength(2);
  for (const m of conv.messages) expect(m.content.length).toBeLessThanOrEqual(2000);
  for (let row = 2; row <= 13; row++) expect(conv.text).toContain(`team-ops.csv: row ${row}, column "answer"`);
  expect(conv.messages[1]!.content).toContain("Fix the file and upload it again.");
});

test("any pack text and any small file, with any name, get a private answer and store nothing unless the file is a good pack", async () => {
  const r = await start();
  const text = fc.oneof(fc.string({ unit: "grapheme", maxLength: 64 }), fc.string({ unit: "binary", maxLength: 64 }), fc.constantFrom("mini", "MINI", "team-ops", "-", "a".repeat(65)));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("enable", "disable", "rollback", "export"), text, async (sub, pack) => {
      const conv = await ann().runSub("content", sub, { pack });
      expect(privateOnly(conv)).toBe(true);
      expect(conv.text.length).toBeGreaterThan(0);
    }),
    { numRuns: 25 },
  );
  // "mini" may have been switched off and on; it is the only pack, so it can never be switched off.
  expect(await r.workspaces!.packs.disabled(workspaceId({ platform: "discord", workspace: GUILD_A.id }))).toEqual([]);
  const name = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), fc.constantFrom("team.csv", "pack.yaml", "course.json", "x.tsv", "no-extension", "a b c.csv"));
  const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 300 }).map((t) => Buffer.from(t, "utf8")));
  await fc.assert(
    fc.asyncProperty(name, bytes, async (filename, content) => {
      const conv = await ann().attach("content", "upload", filename, Buffer.from(content));
      expect(privateOnly(conv)).toBe(true);
      expect(conv.text).toMatch(/Upload refused|Stored |Discord did not hand over/);
    }),
    { numRuns: 25 },
  );
  // Random bytes are never a pack.
  expect(await ownPacks(r)).toEqual([]);
});
