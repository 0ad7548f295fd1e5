/**
 * Upgrading a database from key layout 1 (before Redis Cluster support):
 * drillbot refuses to start on it with one line, `drillbot migrate` moves
 * every key (the real CLI), the stores read the moved data, and a second run
 * changes nothing.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../../bots/redis/schedule-store.js";
import { RedisKeys } from "../../../bots/redis/keys.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";

const root = path.resolve(import.meta.dirname, "../../..");
const redis = useTestRedis();

function drillbot(args: string[], prefix: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "bots/main.ts"), ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", REDIS_URL: redis.server.url, DRILLBOT_REDIS_PREFIX: prefix, DRILLBOT_CONTENT_DIR: path.join(root, "test/fixtures/content") },
        timeout: 30_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const ann: LearnerKey = { platform: "slack", workspace: "T1", user: "ann" };
const card = { due: "2026-03-05T00:00:00.000Z", stability: 3, difficulty: 5, elapsed_days: 0, scheduled_days: 3, reps: 1, lapses: 0, state: 2, last_review: "2026-03-02T00:00:00.000Z" };

/** What drillbot 1 wrote: a learner who answered in a channel drill, their board, team figures, log and drill schedule. */
async function writeLayout1(p: string): Promise<void> {
  const c = redis.client;
  const id = learnerId(ann);
  await c.hset(`${p}learner:${id}`, { version: "3", tz: "Europe/Berlin", name: "ann", points: "42", answered: "2", correct: "1" });
  await c.hset(`${p}learner:${id}:cards`, "alpha-1", JSON.stringify(card));
  await c.zadd(`${p}learner:${id}:due`, Date.parse(card.due), "alpha-1");
  await c.hset(`${p}learner:${id}:days`, "2026-03-02", "2");
  await c.set(`${p}learner:${id}:slot:s1:0`, "{}", "EX", 3600);
  await c.zadd(`${p}lb:slack:T1:all`, 42, id);
  await c.zadd(`${p}lb:slack:T1:week:2026-W10`, 42, id);
  await c.hset(`${p}names:slack:T1`, id, "ann");
  await c.hset(`${p}team:slack:T1:week:2026-W10`, "a:alpha", "2", "c:alpha", "1");
  await c.hset(`${p}team:slack:T1:totals`, "a:alpha", "2");
  await c.xadd(`${p}log:slack:T1`, "*", "l", id, "q", "alpha-1", "r", "3", "d", "2026-03-02");
  await c.hset(`${p}ws:slack:T1:settings`, "version", "1", "retention", "0.85");
  await c.set(`${p}posted:d-abc-20260302`, JSON.stringify({ sessionId: "d-abc-20260302", channel: { platform: "slack", workspace: "T1", channel: "C1" }, questionId: "alpha-1", localDate: "2026-03-02", postedAt: "2026-03-02T09:00:00Z" }));
  await c.hset(`${p}tally:d-abc-20260302`, id, "1|1772442000000|ann");
  const sub = { learner: ann, displayName: "ann", recurrence: { time: "08:30", zone: "Europe/Berlin", days: [1, 2, 3, 4, 5, 6, 7] }, count: 5, remind: true };
  await c.hset(`${p}sched:personal:data`, id, JSON.stringify(sub));
  await c.zadd(`${p}sched:personal:due`, 1772523000000, id);
  await c.zadd(`${p}sched:remind:due`, 1772564400000, id);
  await c.hset(`${p}bull:drillbot-deliver-slack:1`, "name", "personal-drill");
}

async function allKeys(p: string): Promise<string[]> {
  return (await redis.client.keys(`${p}*`)).sort();
}

describe("drillbot migrate", () => {
  it("the bot refuses an old-layout database in one line; migrate moves it; the stores read it; a second run changes nothing", async () => {
    const p = uniquePrefix();
    await writeLayout1(p);

    const refused = await drillbot(["worker"], p);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("old key layout");
    expect(refused.stderr).toContain("npm run drillbot -- migrate");

    const first = await drillbot(["migrate"], p);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("moved 5 learner key(s), e.g.");
    expect(first.stdout).toContain("copied 3 schedule entries");
    expect(first.stdout).toContain("done: the database is in key layout 2");
    expect(first.stdout).toContain("compacted 1 card(s) of 1 learner(s).");
    const after = await allKeys(p);
    // Nothing is left in layout 1: every workspace key carries its tag, schedules sit in buckets.
    expect(after.filter((k) => /:(learner|lb|names|team|log|ws|tally):(?!\{)/.test(k))).toEqual([]);
    expect(after.filter((k) => /sched:(personal|remind):/.test(k))).toEqual([]);
    expect(after).toContain(`${p}{bull}:drillbot-deliver-slack:1`);
    expect(await redis.client.get(`${p}schema`)).toBe("2");

    const store = new RedisProgressStore(redis.client, { prefix: p });
    const snap = await store.snapshot(ann);
    expect(snap).toMatchObject({ version: 3, timezone: "Europe/Berlin", points: 42, answered: 2, correct: 1 });
    // The JSON card under its question id is now the dense form under the question's code.
    const [field, stored] = Object.entries(await redis.client.hgetall(new RedisKeys(p).cards(learnerId(ann))))[0]!;
    expect(field).toBe(await redis.client.hget(new RedisKeys(p).questionCodes(), "alpha-1"));
    expect(field).not.toBe("alpha-1");
    expect(stored!.startsWith("d")).toBe(true);
    const read = (await store.cardStates(ann))["alpha-1"]!;
    // (a card from before ts-fsrs 5 has no learning steps: it reads at step 0)
    expect({ ...read, stability: Number(read.stability.toFixed(3)) }).toEqual({ ...card, learning_steps: 0 });
    expect(await store.cards(ann)).toEqual([{ questionId: "alpha-1", dueMs: Date.parse(card.due) }]);
    expect(await store.activeDays(ann, ["2026-03-02"])).toEqual([true]);
    expect((await store.leaderboard("slack:T1", { kind: "week", weekKey: "2026-W10" }, 5, ann)).top).toEqual([{ learnerId: learnerId(ann), name: "ann", points: 42, rank: 1 }]);
    expect((await store.teamWeek("slack:T1", "2026-W10")).answered).toBe(2);
    expect((await store.workspaceSettings("slack:T1")).retention).toBe(0.85);
    const schedules = new RedisScheduleStore(redis.client, p);
    expect((await schedules.personalDrill(ann))?.recurrence.time).toBe("08:30");
    expect(await schedules.tally("d-abc-20260302")).toEqual([{ learnerId: learnerId(ann), correct: true, answeredAtMs: 1772442000000, name: "ann" }]);
    expect(await redis.client.xlen(new RedisKeys(p).reviewLog("slack:T1"))).toBe(1);
    expect(await redis.client.ttl(new RedisKeys(p).slot(learnerId(ann), "s1:0"))).toBeGreaterThan(0);

    const second = await drillbot(["migrate"], p);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing to move");
    expect(second.stdout).toContain("cards: all compact already.");
    expect(await allKeys(p)).toEqual(after);
  }, 60_000);
});
