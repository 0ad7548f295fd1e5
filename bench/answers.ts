/**
 * Scenario "answers": N concurrent simulated learners answering through the
 * real StudyService and Redis store. Reports answers/s, p50/p99 latency and
 * Redis round trips and commands per answer.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Catalog } from "../core/content/catalog.js";
import type { Reply } from "../core/replies.js";
import { StudyService } from "../core/service/study-service.js";
import { RedisProgressStore } from "../bots/redis/progress-store.js";
import { commandStats, percentile } from "./measure.js";

export interface AnswersResult {
  learners: number;
  answers: number;
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  p90Ms: number;
  maxMs: number;
  redisRoundTripsPerAnswer: number;
  redisCommandsPerAnswer: number;
  scriptCallsPerAnswer: number;
}

/** A plausible typed answer (right or wrong) for the open question. */
export function typedAnswer(q: Extract<Reply, { type: "question" }>, salt: number): string {
  const n = q.choices.length;
  switch (q.questionType) {
    case "single":
    case "truefalse":
      return String(1 + (salt % n));
    case "multi":
      return salt % 2 ? "1 2" : "2";
    case "order":
      return Array.from({ length: n }, (_, i) => i + 1).join(" ");
    case "numeric":
      return String(10 + (salt % 20));
    case "text":
      return "an answer";
  }
}

/**
 * @param paceAnswersPerSecond when set, learners answer on a fixed schedule that
 *   adds up to this rate (open loop; latency counts from the scheduled time, so a
 *   slow answer is not hidden by the next one starting late); otherwise every
 *   learner answers again the moment the last answer returns (saturation).
 */
export async function benchAnswers(url: string, catalog: Catalog, learners: number, answersEach: number, paceAnswersPerSecond?: number): Promise<AnswersResult> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  let sent = 0;
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<typeof original>) => {
    sent += 1;
    return original(...args);
  }) as typeof redis.sendCommand;
  const store = new RedisProgressStore(redis, { prefix: `bench-${randomBytes(3).toString("hex")}:` });
  const service = new StudyService({ catalog, store, clock: { now: () => new Date() }, newId: () => randomBytes(6).toString("hex") });

  const people = Array.from({ length: learners }, (_, i) => ({ platform: "shell" as const, workspace: `team-${i % 10}`, user: `learner-${i}` }));
  const latencies: number[] = [];
  let answerRoundTrips = 0;
  let scriptCalls = 0;
  let commands = 0;
  let timedMs = 0;
  const rounds = Math.ceil(answersEach / 20);
  const open = new Map<string, Extract<Reply, { type: "question" }>>();
  const remember = (user: string, replies: Reply[]) => {
    const q = replies.find((r): r is Extract<Reply, { type: "question" }> => r.type === "question");
    if (q) open.set(user, q);
  };
  for (let round = 0; round < rounds; round++) {
    const perQuiz = Math.min(20, answersEach - round * 20);
    // Untimed: everybody opens a quiz (a quiz start is not an answer).
    await Promise.all(
      people.map(async (p) =>
        remember(p.user, await service.handle({ learner: p, displayName: p.user, eventId: `quiz-${round}-${p.user}` }, { kind: "quiz", count: perQuiz })),
      ),
    );
    const before = await commandStats(url);
    const sentBefore = sent;
    const t0 = performance.now();
    await Promise.all(
      people.map(async (p, i) => {
        const interval = paceAnswersPerSecond ? (1000 * learners) / paceAnswersPerSecond : 0;
        const offset = interval ? (interval * i) / learners : 0;
        for (let n = 0; n < perQuiz; n++) {
          let a0 = performance.now();
          if (interval) {
            const scheduled = t0 + offset + n * interval;
            if (scheduled > a0) await new Promise((r) => setTimeout(r, scheduled - a0));
            a0 = scheduled;
          }
          const replies = await service.handle(
            { learner: p, displayName: p.user, eventId: `a-${round}-${i}-${n}` },
            { kind: "answer", raw: typedAnswer(open.get(p.user)!, i + n) },
          );
          remember(p.user, replies);
          latencies.push(performance.now() - a0);
          if (!replies.some((r) => r.type === "feedback")) throw new Error(`answer not recorded: ${JSON.stringify(replies[0])}`);
        }
      }),
    );
    timedMs += performance.now() - t0;
    answerRoundTrips += sent - sentBefore;
    const after = await commandStats(url);
    scriptCalls += after.scripts - before.scripts;
    commands += after.total - before.total;
  }
  redis.disconnect();
  const answers = latencies.length;
  const seconds = timedMs / 1000;
  // in a paced run the last learner's schedule ends one interval after the first's
  latencies.sort((a, b) => a - b);
  return {
    learners,
    answers,
    answersPerSecond: Math.round(answers / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    p90Ms: Number(percentile(latencies, 90).toFixed(2)),
    maxMs: Number((latencies[latencies.length - 1] ?? 0).toFixed(2)),
    redisRoundTripsPerAnswer: Number((answerRoundTrips / answers).toFixed(3)),
    redisCommandsPerAnswer: Number((commands / answers).toFixed(2)),
    scriptCallsPerAnswer: Number((scriptCalls / answers).toFixed(3)),
  };
}
