/**
 * /content on a real Redis and BullMQ, through the study service as every
 * adapter reaches it: uploads checked whole before anything is stored,
 * versions, rollback, export, switching packs, isolation between
 * workspaces, and a channel drill from an uploaded pack.
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../../../core/commands.js";
import { parsePackYaml } from "../../../core/content/upload/pack-yaml.js";
import type { LearnerKey } from "../../../core/identity.js";
import type { Reply } from "../../../core/replies.js";
import type { ChannelRef } from "../../../core/schedule/model.js";
import { drillHarness, eventually, type DrillHarness } from "../../support/drill-harness.js";
import { only } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const redis = useTestRedis();

const admin: LearnerKey = { platform: "slack", workspace: "T1", user: "ada" };
const learner: LearnerKey = { platform: "slack", workspace: "T1", user: "lin" };
const otherTeam: LearnerKey = { platform: "slack", workspace: "T2", user: "ada" };
const general: ChannelRef = { platform: "slack", workspace: "T1", channel: "C1" };

const CSV_V1 = [
  "id,question,options,answer,explanation,topic",
  "ops-port,Which port does Redis listen on by default?,6379|5432|3306,a,Redis has used 6379 since its first releases.,Team ops",
  "ops-aof,Is the AOF file append-only?,true|false,a,Every write is appended to the end of the file.,Team ops",
  "ops-rdb,Which file holds Redis snapshots?,dump.rdb|appendonly.aof|redis.conf,a,RDB snapshots are written to dump.rdb.,Team ops",
].join("\n");
/** Version 2: ops-rdb removed, ops-port reworded (same id), a new question. */
const CSV_V2 = [
  "id,question,options,answer,explanation,topic",
  "ops-port,Which TCP port does Redis listen on unless configured otherwise?,6379|5432|3306,a,Redis has used 6379 since its first releases.,Team ops",
  "ops-aof,Is the AOF file append-only?,true|false,a,Every write is appended to the end of the file.,Team ops",
  "ops-maxmem,Which setting caps Redis memory?,maxmemory|maxclients|timeout,a,maxmemory sets the limit and the eviction policy applies past it.,Team ops",
].join("\n");

const bytes = (text: string) => new TextEncoder().encode(text);
let event = 0;

async function run(h: DrillHarness, who: LearnerKey, cmd: Command, opts: { admin?: boolean; channel?: ChannelRef } = {}): Promise<Reply[]> {
  return h.service.handle({ learner: who, displayName: who.user, eventId: `ev${++event}`, isAdmin: opts.admin ?? false, channel: opts.channel ?? null }, cmd);
}
const upload = (h: DrillHarness, who: LearnerKey, fileName: string, text: string | Uint8Array, isAdmin = true) =>
  run(h, who, { kind: "content", action: "upload", file: { fileName, bytes: typeof text === "string" ? bytes(text) : text } }, { admin: isAdmin });
const notices = (replies: Reply[]) => replies.filter((r): r is Extract<Reply, { type: "notice" }> => r.type === "notice").map((r) => r.text).join("\n");

async function answer(h: DrillHarness, who: LearnerKey, q: Extract<Reply, { type: "question" }>, right: boolean): Promise<void> {
  const question = (await h.service.catalogFor(who)).question(q.ref.questionId)!.question;
  if (question.type !== "single" && question.type !== "truefalse") throw new Error("expected a one-click question");
  const correctId = question.type === "truefalse" ? String(question.answer) : question.answer;
  const pos = q.choices.findIndex((c) => c.id === correctId) + 1;
  const fb = only(await h.service.handle({ learner: who, displayName: who.user, eventId: `ev${++event}` }, { kind: "answer", ref: q.ref, raw: String(right ? pos : pos === 1 ? 2 : 1) }), "feedback");
  expect(fb.correct).toBe(right);
}

describe("/content: uploads in chat, stored per workspace", () => {
  it("an admin's CSV becomes a pack of the workspace: listed, quizzable, and invisible to another workspace", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const stored = notices(await upload(h, admin, "team-ops.csv", CSV_V1));
    expect(stored).toContain("Stored team-ops version 1: Team ops, 1 lesson, 3 questions from team-ops.csv (question table).");
    expect(stored).toContain("/drill channel 09:00 <zone> weekdays topic team-ops");

    const listed = notices(await h.say(learner, "/content packs"));
    expect(listed).toMatch(/• mini: Mini course for tests \(built-in\), \d+ lessons?, \d+ questions, on/);
    expect(listed).toContain("• team-ops: Team ops (this workspace's, version 1), 1 lesson, 3 questions, on; uploaded by ada on 2026-03-02 from team-ops.csv");

    const q = only(await h.say(learner, "/quiz team-ops 3"), "question");
    expect(q.ref.questionId).toMatch(/^ops-/);
    expect(q.position.total).toBe(3);

    expect(notices(await h.say(otherTeam, "/content packs"))).not.toContain("team-ops");
    expect(only(await h.say(otherTeam, "/quiz team-ops"), "notice").code).toBe("unknown-topic");
    await h.shutdown();
  });

  it("an upload whose right options give themselves away is stored, with content check's answer-cue figures as a warning to the admin", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const rows = Array.from({ length: 10 }, (_, i) => `Question ${i + 1}?,no|nope|the right and much longer option ${i + 1},c,Because.`);
    const replies = await upload(h, admin, "leaning.csv", ["question,options,answer,explanation", ...rows].join("\n"));
    expect(replies[0]).toMatchObject({ type: "notice", level: "info" });
    const warning = replies.find((r) => r.type === "notice" && r.level === "warning");
    expect(warning).toMatchObject({ text: expect.stringContaining("Warning: the correct option is the longest in 100% of 10 single-choice questions: a learner can guess by length (keep it under 35%)") });
    await h.shutdown();
  });

  it("a bad file is refused with file, row and field, and nothing is stored", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const bad = CSV_V1.replace("6379|5432|3306,a,", "6379|5432|3306,d,").replace("true|false,a,", "true|false,,");
    const refusal = await upload(h, admin, "team-ops.csv", bad);
    const text = notices(refusal);
    expect(text).toMatch(/^Upload refused: 2 problems in team-ops\.csv: nothing was stored\./);
    expect(text).toMatch(/team-ops\.csv: row 2[^\n]*answer/);
    expect(text).toMatch(/team-ops\.csv: row 3[^\n]*answer/);
    expect(refusal.some((r) => r.type === "file")).toBe(false);
    expect(await h.workspaces!.packs.packs("slack:T1")).toEqual([]);
    expect(notices(await h.say(learner, "/content packs"))).not.toContain("team-ops");
    await h.shutdown();
  });

  it("many problems: the first dozen in the reply, all of them in an attached list", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const rows = Array.from({ length: 30 }, (_, i) => `Question ${i + 1}?,x|y,z`);
    const refusal = await upload(h, admin, "broken.csv", ["question,options,answer", ...rows].join("\n"));
    const text = notices(refusal);
    expect(text).toContain("30 problems in broken.csv: nothing was stored");
    expect(text.split("\n").filter((l) => l.startsWith("• "))).toHaveLength(12);
    expect(text).toContain("... and 18 more problems: the attached list has them all.");
    const file = only(refusal, "file");
    expect(file.fileName).toBe("broken-problems.txt");
    expect(file.content.trim().split("\n")).toHaveLength(30);
    await h.shutdown();
  });

  it("only admins upload, switch, roll back or export; everyone may list", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    expect(only(await upload(h, learner, "team-ops.csv", CSV_V1, false), "notice")).toMatchObject({ code: "not-admin" });
    for (const line of ["/content disable mini", "/content export mini", "/content rollback mini"]) {
      expect(only(await h.say(learner, line), "notice").code).toBe("not-admin");
    }
    expect(await h.workspaces!.packs.packs("slack:T1")).toEqual([]);
    expect(await h.workspaces!.packs.disabled("slack:T1")).toEqual([]);
    expect(notices(await h.say(learner, "/content packs"))).toContain("mini");
    await h.shutdown();
  });

  it("a replacement keeps progress where ids stay, stops scheduling removed questions, and rollback restores the previous version", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    // Learn all three questions of version 1 (right answers: cards due in a few days).
    let q = only(await h.say(learner, "/quiz team-ops 3"), "question");
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push(q.ref.questionId);
      await answer(h, learner, q, true);
      if (i < 2) q = only(await h.say(learner, "/quiz"), "question");
    }
    expect(seen.sort()).toEqual(["ops-aof", "ops-port", "ops-rdb"]);

    const replaced = notices(await upload(h, admin, "team-ops.csv", CSV_V2));
    expect(replaced).toContain("Stored team-ops version 2 (replaces version 1)");
    expect(replaced).toContain("2 questions kept their ids, so learners' progress on them carries over; 1 removed question is no longer scheduled. /content rollback team-ops goes back to version 1.");

    // A month on every card is due; only those still in the pack are reviewed or counted.
    h.clock.set("2026-04-02T08:00:00Z");
    const stats = only(await h.say(learner, "/stats"), "stats");
    expect(stats).toMatchObject({ dueNow: 2, cardsKnown: 2 });
    const review = only(await h.say(learner, "/review"), "question");
    expect(review.position.total).toBe(2);
    expect(["ops-aof", "ops-port"]).toContain(review.ref.questionId);
    expect(review.stem).not.toBe("Which file holds Redis snapshots?");
    // The card of the removed question is kept, not lost.
    expect(Object.keys(await h.store.cardStates(learner)).sort()).toEqual(["ops-aof", "ops-port", "ops-rdb"]);

    await run(h, admin, { kind: "content", action: "rollback", pack: "team-ops" }, { admin: true });
    const back = notices(await run(h, admin, { kind: "content", action: "packs" }, { admin: true }));
    expect(back).toContain("team-ops: Team ops (this workspace's, version 1)");
    expect(only(await h.say(learner, "/stats"), "stats")).toMatchObject({ cardsKnown: 3, dueNow: 3 });
    await h.shutdown();
  });

  it("a learner mid-quiz on a question the replacement removed is told so, and nothing is graded", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    let q = only(await h.say(learner, "/quiz team-ops 3"), "question");
    while (q.ref.questionId !== "ops-rdb") {
      await answer(h, learner, q, true);
      q = only(await h.say(learner, "/quiz"), "question");
    }
    await upload(h, admin, "team-ops.csv", CSV_V2);
    const stale = only(await h.service.handle({ learner, displayName: "lin", eventId: `ev${++event}` }, { kind: "answer", ref: q.ref, raw: "1" }), "notice");
    expect(stale).toMatchObject({ code: "stale-question", text: "That question is no longer in the course. Type /quiz for a fresh one." });
    expect(Object.keys(await h.store.cardStates(learner))).not.toContain("ops-rdb");
    await h.shutdown();
  });

  it("rollback: back one version with that version's own title, counts, file and uploader; nothing to roll back to says so", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const bo: LearnerKey = { platform: "slack", workspace: "T1", user: "bo" };
    await upload(h, admin, "team-ops.csv", CSV_V1);
    expect(only(await run(h, admin, { kind: "content", action: "rollback", pack: "team-ops" }, { admin: true }), "notice").text).toBe("team-ops has only version 1; there is nothing earlier to go back to.");
    h.clock.set("2026-03-05T08:00:00Z");
    await upload(h, bo, "team-ops.yaml", (await run(h, admin, { kind: "content", action: "export", pack: "team-ops" }, { admin: true }).then((r) => only(r, "file").content)).replace("title: Team ops", "title: Team ops, second edition"));
    expect(notices(await h.say(learner, "/content packs"))).toContain("team-ops: Team ops, second edition (this workspace's, version 2), 1 lesson, 3 questions, on; uploaded by bo on 2026-03-05 from team-ops.yaml");
    await upload(h, bo, "team-ops.csv", CSV_V2 + "\nops-extra,One more?,x|y,a,Because.,Team ops");
    const back = only(await run(h, admin, { kind: "content", action: "rollback", pack: "team-ops" }, { admin: true }), "notice");
    expect(back.text).toMatch(/^team-ops is back at version 2 \(1 lesson, 3 questions, uploaded by bo on 2026-03-05 from team-ops\.yaml\); version 3 is discarded \(upload its file again to return to it\)\./);
    await run(h, admin, { kind: "content", action: "rollback", pack: "team-ops" }, { admin: true });
    expect(notices(await h.say(learner, "/content packs"))).toContain("team-ops: Team ops (this workspace's, version 1), 1 lesson, 3 questions, on; uploaded by ada on 2026-03-02 from team-ops.csv");
    expect(only(await run(h, admin, { kind: "content", action: "rollback", pack: "mini" }, { admin: true }), "notice").text).toMatch(/^mini is built in/);
    expect(only(await run(h, admin, { kind: "content", action: "rollback", pack: "nope" }, { admin: true }), "notice").text).toMatch(/^No pack "nope" in this workspace\. Packs: mini, team-ops/);
    await h.shutdown();
  });

  it("export sends the pack back as a YAML file that uploads again unchanged; the built-in pack exports too", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    const file = only(await run(h, admin, { kind: "content", action: "export", pack: "team-ops" }, { admin: true }), "file");
    expect(file).toMatchObject({ fileName: "team-ops-v1.yaml", contentType: "application/yaml" });
    const parsed = parsePackYaml(file.content, file.fileName);
    if (!parsed.ok) throw new Error("export does not parse");
    expect(parsed.pack.manifest.id).toBe("team-ops");
    const again = notices(await upload(h, admin, "team-ops.yaml", file.content));
    expect(again).toContain("Stored team-ops version 2 (replaces version 1)");
    expect(again).toContain("3 questions kept their ids");
    const builtIn = only(await run(h, admin, { kind: "content", action: "export", pack: "mini" }, { admin: true }), "file");
    expect(builtIn.fileName).toBe("mini.yaml");
    expect(parsePackYaml(builtIn.content, "mini.yaml").ok).toBe(true);
    // Re-uploading the built-in pack under its own id collides with the built-in course.
    expect(notices(await upload(h, admin, "mini.yaml", builtIn.content))).toMatch(/Upload refused: .*mini\.yaml/);
    await h.shutdown();
  });

  it("switching packs off and on changes what the workspace studies; the last pack on cannot be switched off", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    expect(only(await run(h, admin, { kind: "content", action: "disable", pack: "team-ops" }, { admin: true }), "notice").text).toMatch(/^team-ops is off in this workspace/);
    expect(only(await h.say(learner, "/quiz team-ops"), "notice").code).toBe("unknown-topic");
    expect(notices(await h.say(learner, "/content packs"))).toMatch(/team-ops: .*, off;/);
    await run(h, admin, { kind: "content", action: "enable", pack: "team-ops" }, { admin: true });
    expect(only(await h.say(learner, "/quiz team-ops"), "question").ref.questionId).toMatch(/^ops-/);

    // The built-in pack off: quizzes come from the team's pack only.
    expect(only(await run(h, admin, { kind: "content", action: "disable", pack: "mini" }, { admin: true }), "notice").text).toMatch(/^mini is off/);
    const q = only(await h.say(otherTeam, "/quiz 1"), "question");
    expect(q.ref.questionId).not.toMatch(/^ops-/); // another workspace still has mini
    const only1 = only(await run(h, admin, { kind: "content", action: "disable", pack: "team-ops" }, { admin: true }), "notice");
    expect(only1.text).toMatch(/^team-ops is the only pack on/);
    expect(await h.workspaces!.packs.disabled("slack:T1")).toEqual(["mini"]);
    expect(only(await run(h, admin, { kind: "content", action: "enable", pack: "ghost" }, { admin: true }), "notice").code).toBe("unknown-topic");
    await h.shutdown();
  });

  it("ids cannot collide with the built-in course, and the same pack id in two workspaces are two packs", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    const clash = notices(await upload(h, admin, "mini.csv", "question,options,answer\nQ?,x|y,a\n"));
    expect(clash).toMatch(/pack id "mini" is already used by the built-in pack "mini"/);
    await upload(h, admin, "team-ops.csv", CSV_V1);
    const theirs = notices(await upload(h, otherTeam, "team-ops.csv", CSV_V2));
    expect(theirs).toContain("Stored team-ops version 1");
    const mine = await h.service.catalogFor({ platform: "slack", workspace: "T1" });
    const other = await h.service.catalogFor({ platform: "slack", workspace: "T2" });
    expect(mine.question("ops-rdb")).toBeDefined();
    expect(other.question("ops-rdb")).toBeUndefined();
    expect(other.question("ops-maxmem")).toBeDefined();
    await h.shutdown();
  });

  it("limits: a file over the question limit is refused with the count and the limit", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: { limits: { maxQuestions: 2 } } });
    const text = notices(await upload(h, admin, "team-ops.csv", CSV_V1));
    expect(text).toMatch(/^Upload refused: team-ops\.csv has 3 questions \(at most 2\): nothing was stored\./);
    expect(text).toContain("split it into smaller packs");
    expect(await h.workspaces!.packs.packs("slack:T1")).toEqual([]);
    const big = new Uint8Array(1_048_577).fill(0x61);
    expect(notices(await upload(h, admin, "huge.csv", big))).toMatch(/huge\.csv is 1,048,577 bytes, over the limit of 1,048,576: nothing was stored/);
    await h.shutdown();
  });

  it("remove sends the pack back as a file, then takes it and its versions out; uploading that file restores it with progress", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    await upload(h, admin, "team-ops.csv", CSV_V2);
    await answer(h, learner, only(await h.say(learner, "/quiz team-ops 1"), "question"), true);
    await run(h, admin, { kind: "content", action: "disable", pack: "team-ops" }, { admin: true });
    expect(only(await h.say(learner, "/content remove team-ops"), "notice").code).toBe("not-admin");
    const removed = await run(h, admin, { kind: "content", action: "remove", pack: "team-ops" }, { admin: true });
    expect(only(removed, "notice").text).toMatch(/^Removed team-ops \(version 2, 3 questions\) and its earlier versions from this workspace\./);
    const file = only(removed, "file");
    expect(file).toMatchObject({ fileName: "team-ops-v2.yaml", description: "team-ops as it was before removal: upload it with /content upload to restore it." });
    expect(await h.workspaces!.packs.packs("slack:T1")).toEqual([]);
    expect(await h.workspaces!.packs.disabled("slack:T1")).toEqual([]);
    expect(await h.redis.exists(h.workspaces!.packs.keys.workspacePack("slack:T1", "team-ops"))).toBe(0);
    expect(only(await h.say(learner, "/quiz team-ops"), "notice").code).toBe("unknown-topic");
    expect(only(await h.say(learner, "/stats"), "stats").cardsKnown).toBe(0);
    // Restored from the file: on again (its switch went with it), the learner's card counts again.
    expect(notices(await upload(h, admin, "team-ops.yaml", file.content))).toContain("Stored team-ops version 1");
    expect(only(await h.say(learner, "/stats"), "stats").cardsKnown).toBe(1);
    expect(only(await run(h, admin, { kind: "content", action: "remove", pack: "mini" }, { admin: true }), "notice").text).toMatch(/^mini is built in and cannot be removed/);
    expect(only(await run(h, admin, { kind: "content", action: "remove", pack: "ghost" }, { admin: true }), "notice").code).toBe("unknown-topic");
    await h.shutdown();
  });

  it("a workspace's own packs are bounded as a whole: packs and questions; a replacement counts only once", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: { workspaceLimits: { maxPacks: 2, maxQuestions: 7 } } });
    const table = (n: number, prefix: string) => ["id,question,options,answer", ...Array.from({ length: n }, (_, i) => `${prefix}-${i},Q${i}?,x|y,a`)].join("\n");
    expect(notices(await upload(h, admin, "one.csv", table(3, "one")))).toContain("Stored one version 1");
    expect(notices(await upload(h, admin, "two.csv", table(3, "two")))).toContain("Stored two version 1");
    const third = notices(await upload(h, admin, "three.csv", table(1, "three")));
    expect(third).toBe("three.csv is fine, but this workspace already has 2 packs of its own, the most it may hold. Remove a pack you no longer use (/content remove <pack>; it is sent back to you as a file) or replace one with a smaller version. Nothing was stored.");
    const bigger = notices(await upload(h, admin, "two.csv", table(5, "two")));
    expect(bigger).toContain("with it this workspace's own packs would hold 8 questions, over its limit of 7.");
    expect(notices(await upload(h, admin, "two.csv", table(4, "two")))).toContain("Stored two version 2 (replaces version 1)");
    expect((await h.workspaces!.packs.packs("slack:T1")).map((p) => `${p.packId}:${p.questions}`)).toEqual(["one:3", "two:4"]);
    await h.shutdown();
  });

  it("upload without a file says how to attach one; a fetch problem is passed on and nothing is stored", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    expect(only(await h.as(admin, "/content upload", { admin: true }), "notice").text).toMatch(/^Attach the file: on Discord \/content upload file:/);
    const problem = only(await run(h, admin, { kind: "content", action: "upload", fetchProblem: "Slack did not hand over team.csv (HTTP 404); upload it again." }, { admin: true }), "notice");
    expect(problem.text).toBe("Slack did not hand over team.csv (HTTP 404); upload it again. Nothing was stored.");
    await h.shutdown();
  });

  it("a channel drill named after an uploaded pack posts its questions; an unknown topic is refused when set", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    h.jobs.startDeliveryWorkers(h.drills, { slack: h.messenger });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    expect(only(await h.as(admin, "/drill channel 09:00 UTC daily topic ghost-pack", { admin: true, channel: general }), "notice").code).toBe("unknown-topic");
    const set = only(await h.as(admin, "/drill channel 09:00 UTC daily topic team-ops", { admin: true, channel: general }), "notice");
    expect(set.text).toMatch(/^Channel drill set: one question from team-ops at 09:00 UTC/);
    expect(only(await h.as(admin, "/drill list", { admin: true, channel: general }), "notice").text).toContain("from team-ops");
    for (const [day, n] of [["2026-03-02", 1], ["2026-03-03", 2], ["2026-03-04", 3]] as const) {
      h.clock.set(`${day}T09:00:30Z`);
      await h.jobs.tick();
      await eventually(() => h.messenger.to("ch:slack:T1:C1").filter((s) => s.replies.some((r) => r.type === "question")).length === n);
    }
    const posted = h.messenger.to("ch:slack:T1:C1").flatMap((s) => s.replies).filter((r): r is Extract<Reply, { type: "question" }> => r.type === "question");
    expect(posted.map((p) => p.ref.questionId).every((id) => id.startsWith("ops-"))).toBe(true);
    // A learner answers the posted question from the workspace's pack.
    await answer(h, learner, posted[2]!, true);
    await h.shutdown();
  });

  it("an answer to a question of an uploaded pack is still one round trip (the workspace's catalog is cached; its version is checked in the background)", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: { checkEveryMs: 60_000 } });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    const q = only(await h.say(learner, "/quiz team-ops 2"), "question");
    const sent: string[] = [];
    const original = h.redis.sendCommand.bind(h.redis);
    h.redis.sendCommand = ((...args: Parameters<typeof original>) => {
      sent.push(args[0].name);
      return original(...args);
    }) as typeof h.redis.sendCommand;
    await answer(h, learner, q, true);
    expect(sent).toEqual(["evalsha"]);
    await h.shutdown();
  });

  it("team views, the team export and charts count an uploaded pack's lessons like the built-in course's", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    let q = only(await h.say(learner, "/quiz team-ops 3"), "question");
    for (let i = 0; i < 3; i++) {
      await answer(h, learner, q, i !== 1);
      if (i < 2) q = only(await h.say(learner, "/quiz"), "question");
    }
    const team = only(await h.say(learner, "/team"), "team");
    expect([...team.weakest, ...team.strongest].map((l) => l.title)).toContain("Team ops");
    const csv = only(await run(h, admin, { kind: "team", export: true }, { admin: true }), "file").content;
    expect(csv).toContain("\nlesson,team-ops,Team ops,3,2,0.667,");
    expect(csv).toContain("\nconcept,team-ops,Team ops,3,2,0.667,");
    const charts = (await h.say(learner, "/stats")).filter((r): r is Extract<Reply, { type: "chart" }> => r.type === "chart");
    expect(charts.map((c) => c.text).join("\n")).toContain("Team ops");
    await h.shutdown();
  });

  it("a challenge can name an uploaded pack", async () => {
    const h = await drillHarness(redis.server.url, uniquePrefix(), "2026-03-02T08:00:00Z", { content: true });
    await upload(h, admin, "team-ops.csv", CSV_V1);
    const posted = await h.as(admin, "/challenge post team-ops 1h", { admin: true, channel: general });
    const q = only(posted, "question");
    expect(["Which port does Redis listen on by default?", "Is the AOF file append-only?", "Which file holds Redis snapshots?"]).toContain(q.stem);
    await h.shutdown();
  });
});
