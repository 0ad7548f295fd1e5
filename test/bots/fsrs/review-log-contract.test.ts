/**
 * The review log as the answer script really writes it, read by the fit, and
 * the fitted weights scheduling the next answers: study service, Lua script,
 * stream, optimizer and settings hash together on a real Redis.
 */
import { describe, expect, it } from "vitest";
import { learnerId, type LearnerKey } from "../../../core/identity.js";
import { buildHistories, type LogEntry } from "../../../core/fsrs/review-histories.js";
import { simulateReviewLog } from "../../../core/fsrs/simulate-learners.js";
import type { Reply } from "../../../core/replies.js";
import { review } from "../../../core/srs.js";
import { optimizeWorkspace } from "../../../bots/fsrs/optimize-workspace.js";
import { readReviewLog } from "../../../bots/fsrs/read-review-log.js";
import { correctPosition, harness, only, type Harness } from "../../support/study-harness.js";
import { uniquePrefix, useTestRedis } from "../../support/redis.js";
import { writeReviewLog } from "../../../bots/fsrs/write-review-log.js";

const redis = useTestRedis();
const ann: LearnerKey = { platform: "shell", workspace: "team-a", user: "ann" };
const bob: LearnerKey = { platform: "shell", workspace: "team-a", user: "bob" };
const WS = "shell:team-a";

/** Opens a one-question quiz and answers it right or wrong; returns the question id. */
async function answerOne(h: Harness, who: LearnerKey, right: boolean): Promise<string> {
  const q = only(await h.say(who, "/quiz alpha 1"), "question") as Extract<Reply, { type: "question" }>;
  const pos = await correctPosition(q);
  await h.say(who, String(right ? pos : pos === 1 ? 2 : 1));
  return q.ref.questionId;
}

async function readAll(h: Harness): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  await readReviewLog(h.redis, h.store.keys.reviewLog(WS), (page) => all.push(...page));
  return all;
}

describe("the review log written by answers", () => {
  it("reads as the learner, the question, Good or Again, the learner's local date and the answer time", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T23:30:00Z");
    await h.say(ann, "/tz Asia/Tokyo");
    const q1 = await answerOne(h, ann, true);
    h.clock.advance(90_000);
    const q2 = await answerOne(h, ann, false);
    const entries = await readAll(h);
    expect(entries).toEqual([
      { learner: learnerId(ann), question: q1, rating: 3, date: "2026-03-03", ms: Date.parse("2026-03-02T23:30:00Z") },
      { learner: learnerId(ann), question: q2, rating: 1, date: "2026-03-03", ms: Date.parse("2026-03-02T23:31:30Z") },
    ]);
    expect(buildHistories(entries).every((c) => c.reviews[0]!.deltaT === 0)).toBe(true);
    h.close();
  });

  it("once fitted on the team's log, the weights schedule the team's next answers", async () => {
    const h = await harness(redis.server.url, uniquePrefix(), "2026-03-02T12:00:00Z");
    // Months of the team's earlier reviews, then one real answer through the answer script.
    const earlier = simulateReviewLog({ seed: 1, learners: 8, days: 40, questions: 200, newPerSession: 4, start: "2026-01-05" });
    await writeReviewLog(h.redis, h.store.keys.reviewLog(WS), earlier);
    await answerOne(h, ann, true);
    expect((await readAll(h)).length).toBe(earlier.length + 1);

    const summary = await optimizeWorkspace({ redis: h.redis, keys: h.store.keys, settings: h.store, clock: h.clock }, WS);
    expect(summary.outcome).toBe("stored");
    const weights = summary.fitted!.weights;

    h.clock.advance(3_600_000);
    const q = await answerOne(h, bob, true);
    const card = (await h.store.cardStates(bob))[q]!;
    // Cards are stored with stability to 4 significant digits (core/srs-codec.ts): compare relatively.
    const fitted = review(null, h.clock.now(), true, { weights }).stability;
    const defaults = review(null, h.clock.now(), true).stability;
    expect(Math.abs(card.stability - fitted) / fitted).toBeLessThan(5e-4);
    expect(Math.abs(card.stability - defaults) / defaults).toBeGreaterThan(1e-2);
    h.close();
  });
});
