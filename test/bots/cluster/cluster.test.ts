/**
 * drillbot on a real Redis Cluster (3 masters, 3 replicas on loopback): the
 * store, the answer script, drills, challenges and the terminal shell run as
 * they do on one Redis; then a master is killed and answers go on once its
 * replica has taken over, with every acknowledged answer still there.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import type { ChannelRef } from "../../../core/schedule/model.js";
import { DrillService } from "../../../core/service/drill-service.js";
import { StudyService } from "../../../core/service/study-service.js";
import { JobRuntime } from "../../../bots/jobs/job-runtime.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisKeys, scheduleBucket } from "../../../bots/redis/keys.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../../bots/redis/schedule-store.js";
import { eventually, RecordingMessenger } from "../../support/drill-harness.js";
import { useTestCluster } from "../../support/redis-cluster.js";
import { fixedClock, uniquePrefix } from "../../support/redis.js";
import { scheduledRuns } from "../../support/schedule-counts.js";
import { correctPosition, fixtureCatalog, only, sayWith } from "../../support/study-harness.js";
import { parseCommandText } from "../../../core/commands.js";
import { compactCards } from "../../../bots/cli/compact-cards.js";
import { review } from "../../../core/srs.js";
import { loadCourse } from "../../../bots/content/load-packs.js";
import { createWorkspaceContent } from "../../../bots/content/workspace-content.js";

const root = path.resolve(import.meta.dirname, "../../..");
const cluster = useTestCluster();

let n = 0;
async function stack(startIso: string, opts: { replicaAcks?: boolean } = {}) {
  const prefix = uniquePrefix();
  const redis = cluster.connect();
  const clock = fixedClock(startIso);
  const catalog = await fixtureCatalog();
  const store = new RedisProgressStore(redis, { prefix, ...(opts.replicaAcks ? { replicaAcks: { replicas: 1, timeoutMs: 2_000 } } : {}) });
  const schedules = new RedisScheduleStore(redis, prefix);
  const keys = new RedisKeys(prefix);
  const jobs = new JobRuntime({ connection: { clusterNodes: cluster.nodes, maxRetriesPerRequest: null }, redis, keys, schedules, clock, log: plainLogger("error", []), lockDurationMs: 5_000, stalledIntervalMs: 5_000 });
  const drills = new DrillService({ catalog, store, schedules, planner: jobs.planner, clock, newId: () => `id${++n}` });
  const service = new StudyService({ catalog, store, clock, newId: () => `s${++n}`, drills });
  const messenger = new RecordingMessenger();
  const as = (learner: LearnerKey, line: string, o: { admin?: boolean; channel?: ChannelRef } = {}) =>
    service.handle({ learner, displayName: learner.user, eventId: `e${++n}`, isAdmin: o.admin ?? false, channel: o.channel ?? null }, parseCommandText(line)!);
  return { prefix, redis, clock, store, schedules, keys, jobs, drills, service, messenger, as, say: sayWith(service) };
}

const ann: LearnerKey = { platform: "slack", workspace: "T1", user: "ann" };
const bob: LearnerKey = { platform: "slack", workspace: "T1", user: "bob" };
const eve: LearnerKey = { platform: "discord", workspace: "G9", user: "eve" };
const general: ChannelRef = { platform: "shell", workspace: "team", channel: "general" };

describe("the store and the answer script on a Redis Cluster", () => {
  it("answers record in one script call, and snapshot, stats and the leaderboard read them back", async () => {
    const s = await stack("2026-03-02T12:00:00Z");
    // The learners of two workspaces live in different slots, on different masters.
    expect(await cluster.masterOf(s.keys.learner(learnerId(ann)))).not.toBe(await cluster.masterOf(s.keys.learner(learnerId(eve))));
    for (const who of [ann, bob, eve]) {
      const q = only(await s.say(who, "/quiz alpha 2"), "question");
      const fb = only(await s.say(who, String(await correctPosition(q))), "feedback");
      expect(fb.correct).toBe(true);
    }
    const snap = await s.store.snapshot(ann);
    expect(snap.answered).toBe(1);
    expect(snap.points).toBeGreaterThan(0);
    const board = await s.store.leaderboard("slack:T1", { kind: "all" }, 10, ann);
    expect(board.top.map((e) => e.learnerId).sort()).toEqual([learnerId(ann), learnerId(bob)]);
    expect((await s.store.teamWeek("slack:T1", "2026-W10")).answered).toBe(2);
    expect(await s.redis.xlen(s.keys.reviewLog("slack:T1"))).toBe(2);
    expect((await s.store.teamMembers("discord:G9")).map((m) => m.answered)).toEqual([1]);
    // The same event again is a duplicate, not a second answer.
    const q2 = only(await s.say(ann, "/quiz alpha 1"), "question");
    await s.say(ann, "1", "same-event");
    await s.say(ann, "1", "same-event");
    expect((await s.store.snapshot(ann)).answered).toBe(2);
    expect(q2.ref.questionId).toBeTruthy();
    await s.jobs.close();
  });
});

describe("workspace content packs on a Redis Cluster", () => {
  it("an upload, a quiz from it, a replacement, a rollback, a switch and a removal each run on the workspace's slot", async () => {
    const s = await stack("2026-03-02T08:00:00Z");
    const course = await loadCourse("test/fixtures/content");
    const ws = createWorkspaceContent({ redis: s.redis, prefix: s.prefix, builtIn: { catalog: await fixtureCatalog(), raw: course.raw }, clock: s.clock, log: plainLogger("error", []), checkEveryMs: 0 });
    const service = new StudyService({ catalog: await fixtureCatalog(), catalogs: ws.catalogs, content: ws.content, store: s.store, clock: s.clock, newId: () => `s${++n}` });
    const admin = (cmd: Parameters<StudyService["handle"]>[1]) => service.handle({ learner: ann, displayName: "ann", eventId: `e${++n}`, isAdmin: true }, cmd);
    const csv = (rows: number) => new TextEncoder().encode(["id,question,options,answer", ...Array.from({ length: rows }, (_, i) => `ops-${i},Q${i}?,x|y,a`)].join("\n"));
    const texts = (r: Awaited<ReturnType<StudyService["handle"]>>) => r.map((x) => ("text" in x ? x.text : "")).join("\n");
    expect(texts(await admin({ kind: "content", action: "upload", file: { fileName: "team-ops.csv", bytes: csv(2) } }))).toContain("Stored team-ops version 1");
    expect(only(await sayWith(service)(bob, "/quiz team-ops"), "question").ref.questionId).toMatch(/^ops-/);
    expect(texts(await admin({ kind: "content", action: "upload", file: { fileName: "team-ops.csv", bytes: csv(3) } }))).toContain("Stored team-ops version 2 (replaces version 1)");
    expect(texts(await admin({ kind: "content", action: "rollback", pack: "team-ops" }))).toMatch(/^team-ops is back at version 1 \(1 lesson, 2 questions/);
    expect(texts(await admin({ kind: "content", action: "disable", pack: "team-ops" }))).toMatch(/^team-ops is off/);
    expect(only(await sayWith(service)(bob, "/quiz team-ops"), "notice").code).toBe("unknown-topic");
    expect(only(await admin({ kind: "content", action: "remove", pack: "team-ops" }), "file").fileName).toBe("team-ops-v1.yaml");
    expect(await ws.packs.packs("slack:T1")).toEqual([]);
    // Another workspace on the same cluster never saw it.
    expect(only(await sayWith(service)(eve, "/content packs"), "notice").text).not.toContain("team-ops");
    await s.jobs.close();
  }, 60_000);
});

describe("drills and challenges on a Redis Cluster", () => {
  it("personal drills fan out from every schedule bucket and arrive once each", async () => {
    const s = await stack("2026-03-02T06:00:00Z");
    const learners = Array.from({ length: 40 }, (_, i): LearnerKey => ({ platform: "shell", workspace: `w${i % 4}`, user: `u${i}` }));
    for (const l of learners) expect(only(await s.as(l, "/drill me 07:00 UTC"), "notice").text).toContain("07:00 UTC");
    expect(new Set(learners.map((l) => scheduleBucket(learnerId(l)))).size).toBeGreaterThan(8);
    expect(await scheduledRuns(s.redis, s.keys, "personal")).toBe(40);
    s.jobs.startDeliveryWorkers(s.drills, { shell: s.messenger });
    s.clock.set("2026-03-02T07:00:30Z");
    expect((await s.jobs.tick()).personal).toBe(40);
    await eventually(() => s.messenger.sent.length === 40, 15_000);
    // A second tick in the same minute (or a re-added job) sends nothing more.
    expect((await s.jobs.tick()).personal).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(s.messenger.sent.map((m) => m.to)).size).toBe(40);
    await s.jobs.close();
  });

  it("a channel drill and a challenge tally answers under their workspace and post results once", async () => {
    const s = await stack("2026-03-02T08:00:00Z");
    const ada: LearnerKey = { platform: "shell", workspace: "team", user: "ada" };
    const cy: LearnerKey = { platform: "shell", workspace: "team", user: "cy" };
    s.jobs.startDeliveryWorkers(s.drills, { shell: s.messenger });
    const channelPosts = () => s.messenger.to("ch:shell:team:general");
    const results = () => channelPosts().flatMap((m) => m.replies).filter((r) => r.type === "results");
    expect(only(await s.as(ada, "/drill channel 09:00 UTC weekdays", { admin: true, channel: general }), "notice").text).toContain("weekdays");
    s.clock.set("2026-03-02T09:00:10Z");
    expect((await s.jobs.tick()).channel).toBe(1);
    await eventually(() => channelPosts().length === 1, 10_000);
    const drillQ = only(channelPosts()[0]!.replies, "question");
    const right = String(await correctPosition(drillQ));
    await s.service.handle({ learner: ada, displayName: "ada", eventId: "d1" }, { kind: "answer", ref: drillQ.ref, raw: right });
    await s.service.handle({ learner: cy, displayName: "cy", eventId: "d2" }, { kind: "answer", ref: drillQ.ref, raw: right === "1" ? "2" : "1" });
    expect((await s.schedules.tally(drillQ.ref.sessionId)).map((t) => [t.learnerId, t.correct]).sort()).toEqual([
      [learnerId(ada), true],
      [learnerId(cy), false],
    ]);
    // The next weekday's drill closes this one and posts its results.
    s.clock.set("2026-03-03T09:00:10Z");
    await s.jobs.tick();
    await eventually(() => results().length === 1, 10_000);
    expect(results()[0]).toMatchObject({ kind: "drill", answered: 2, correct: 1, firstCorrect: ["ada"] });

    const posted = await s.as(ada, "/challenge write 30m Which letter is first? | Beta | *Alpha | Gamma | Alpha starts the alphabet.", { admin: true, channel: general });
    const chQ = only(posted, "question");
    const alpha = String(chQ.choices.findIndex((c) => c.label === "Alpha") + 1);
    expect(only(await s.service.handle({ learner: cy, displayName: "cy", eventId: "c1" }, { kind: "answer", ref: chQ.ref, raw: alpha }), "feedback").correct).toBe(true);
    expect((await s.schedules.tally(chQ.ref.sessionId)).map((t) => t.learnerId)).toEqual([learnerId(cy)]);
    const close = (await s.jobs.queues.shell.getJobs(["delayed"])).find((j) => j.data.kind === "close-challenge")!;
    await close.promote();
    await eventually(() => results().length === 2, 10_000);
    await close.promote().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(results()).toHaveLength(2);
    expect(results()[1]).toMatchObject({ kind: "challenge", answered: 1, correct: 1, firstCorrect: ["cy"] });
    await s.jobs.close();
  });
});

describe("the terminal shell on a Redis Cluster", () => {
  it("migrate's card compaction rewrites old cards of learners in every slot, each master's keys under WATCH, and a second run changes nothing", async () => {
    const s = await stack("2026-03-02T12:00:00Z");
    const old = review(review(null, new Date("2026-02-20T12:00:00Z"), true), new Date("2026-02-23T12:00:00Z"), false);
    // Twelve workspaces spread over the masters; each learner has two JSON cards under question ids.
    const learners = Array.from({ length: 12 }, (_, i): LearnerKey => ({ platform: "discord", workspace: `G${i}`, user: `u${i}` }));
    for (const l of learners) await s.redis.hset(s.keys.cards(learnerId(l)), "alpha-1", JSON.stringify(old), "beta-2", JSON.stringify(old));
    const masters = new Set<string>();
    for (const l of learners) masters.add(s.redis.slots[Number(await s.redis.cluster("KEYSLOT", s.keys.cards(learnerId(l))))]![0]!);
    expect(masters.size).toBeGreaterThan(1);
    const first = await compactCards(s.redis, s.keys);
    expect(first).toEqual({ hashes: 12, cards: 24, unreadable: 0 });
    for (const l of learners) {
      const h = await s.redis.hgetall(s.keys.cards(learnerId(l)));
      expect(Object.keys(h).sort()).toEqual([s.store.codes.fieldOf("alpha-1"), s.store.codes.fieldOf("beta-2")].sort());
      expect(Object.values(h).every((v) => v.startsWith("d"))).toBe(true);
      expect((await s.store.cardStates(l))["alpha-1"]!.lapses).toBe(old.lapses);
    }
    expect(await compactCards(s.redis, s.keys)).toEqual({ hashes: 0, cards: 0, unreadable: 0 });
    s.redis.disconnect();
  });

  it("the real CLI connects with REDIS_CLUSTER_NODES, quizzes, and remembers the answer in the next run", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "drillbot-cluster-shell-"));
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DRILLBOT_DATA_DIR: dataDir,
      DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content"),
      DRILLBOT_REDIS_PREFIX: uniquePrefix(),
      REDIS_CLUSTER_NODES: cluster.nodes.map((x) => `${x.host}:${x.port}`).join(","),
    };
    const run = (input: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "bots/main.ts"), "--user", "alice"], { cwd: root, env, timeout: 30_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
        );
        child.stdin?.end(input);
      });
    try {
      const first = await run("/quiz alpha 1\n1\n/streak\n");
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("streak: 1 day");
      const second = await run("/stats\n");
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("answered: 1");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("a master dies", () => {
  it("answers go on once its replica takes over, and every acknowledged answer is still there", async () => {
    const s = await stack("2026-03-02T12:00:00Z", { replicaAcks: true });
    const team = Array.from({ length: 4 }, (_, i): LearnerKey => ({ platform: "slack", workspace: "TFAIL", user: `u${i}` }));
    const master = await cluster.masterOf(s.keys.learner(learnerId(team[0]!)));
    const acked = new Map<string, number>();
    const failed = new Map<string, number>();
    let ackedAfterKill = 0;
    let killed = false;
    let stop = false;
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    // Each learner answers one question after another, as fast as the replies come.
    const answerer = async (who: LearnerKey) => {
      let open = false;
      while (!stop) {
        const replies = await s.say(who, open ? "1" : "/quiz alpha 2");
        if (replies.some((r) => r.type === "notice" && r.code === "unavailable")) {
          if (open) bump(failed, who.user);
          open = false;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (open && replies.some((r) => r.type === "feedback")) {
          bump(acked, who.user);
          if (killed) ackedAfterKill++;
        }
        open = replies.some((r) => r.type === "question");
      }
    };
    const running = Promise.all(team.map(answerer));
    await eventually(() => [...acked.values()].reduce((a, b) => a + b, 0) >= 40, 10_000);
    const killedAt = Date.now();
    cluster.kill(master);
    killed = true;
    await cluster.waitForFailover(master);
    const failoverMs = Date.now() - killedAt;
    // The new master has no replica until the dead node comes back (each WAIT runs to its timeout meanwhile).
    await cluster.restart(master);
    await eventually(() => ackedAfterKill >= 40, 20_000);
    stop = true;
    await running;
    // Read back from the new master with a fresh client: each learner holds at least every answer acknowledged to them,
    // and at most those plus the ones whose reply was lost in the failover.
    const fresh = new RedisProgressStore(cluster.connect(), { prefix: s.prefix });
    for (const who of team) {
      const { answered } = await fresh.snapshot(who);
      expect(answered).toBeGreaterThanOrEqual(acked.get(who.user) ?? 0);
      expect(answered).toBeLessThanOrEqual((acked.get(who.user) ?? 0) + (failed.get(who.user) ?? 0));
    }
    expect(await cluster.masterOf(s.keys.learner(learnerId(team[0]!)))).not.toBe(master);
    expect(failoverMs).toBeLessThan(15_000);
    console.log(`failover: master ${master} killed, replica serving after ${failoverMs} ms; acknowledged ${[...acked.values()].reduce((a, b) => a + b, 0)} answers (${ackedAfterKill} after the kill), ${[...failed.values()].reduce((a, b) => a + b, 0)} refused during the failover`);
    await s.jobs.close({ graceMs: 500 });
  }, 60_000);
});
