/** Builds the real study service on a real Redis with a fixed clock, for tests. */
import { Redis } from "ioredis";
import { parseCommandText } from "../../core/commands.js";
import type { Catalog } from "../../core/content/catalog.js";
import type { LearnerKey } from "../../core/identity.js";
import type { Reply } from "../../core/replies.js";
import { StudyService } from "../../core/service/study-service.js";
import { loadCatalog } from "../../bots/content/load-packs.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { fixedClock } from "./redis.js";

let fixture: Catalog | undefined;
export async function fixtureCatalog(): Promise<Catalog> {
  if (!fixture) {
    const r = await loadCatalog("test/fixtures/content");
    if (!r.ok) throw new Error("fixture pack is broken");
    fixture = r.catalog;
  }
  return fixture;
}

export interface Harness {
  service: StudyService;
  store: RedisProgressStore;
  redis: Redis;
  clock: ReturnType<typeof fixedClock>;
  /** Runs a command line for a learner and returns the replies. */
  say(learner: LearnerKey, line: string, eventId?: string): Promise<Reply[]>;
  close(): void;
}

let ids = 0;

/** Runs a typed line for a learner: "/command ..." as a command, anything else as an answer. */
export function sayWith(service: StudyService): Harness["say"] {
  return async (learner, line, eventId) => {
    const cmd = line.startsWith("/") ? parseCommandText(line) : { kind: "answer" as const, raw: line };
    if (!cmd) throw new Error(`bad test line ${line}`);
    return service.handle({ learner, displayName: learner.user, eventId: eventId ?? `e${++ids}` }, cmd);
  };
}

export async function harness(url: string, prefix: string, startIso = "2026-03-02T12:00:00Z", catalog?: Catalog): Promise<Harness> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  const store = new RedisProgressStore(redis, { prefix });
  const clock = fixedClock(startIso);
  const service = new StudyService({ catalog: catalog ?? (await fixtureCatalog()), store, clock, newId: () => `s${++ids}` });
  return {
    service,
    store,
    redis,
    clock,
    say: sayWith(service),
    close: () => redis.disconnect(),
  };
}

export function only<T extends Reply["type"]>(replies: Reply[], type: T): Extract<Reply, { type: T }> {
  const r = replies.find((x) => x.type === type);
  if (!r) throw new Error(`no ${type} reply in ${JSON.stringify(replies.map((x) => x.type))}`);
  return r as Extract<Reply, { type: T }>;
}

/** The displayed position (1-based) of the correct choice of a single/truefalse question reply. */
export async function correctPosition(reply: Extract<Reply, { type: "question" }>): Promise<number> {
  const q = (await fixtureCatalog()).question(reply.ref.questionId)!.question;
  if (q.type === "truefalse") return q.answer ? 1 : 2;
  if (q.type !== "single") throw new Error("not a single-choice question");
  return reply.choices.findIndex((c) => c.id === q.answer) + 1;
}
