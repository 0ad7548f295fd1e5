/** The whole drill stack in one process on a real Redis and BullMQ, with a recording messenger. */
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import { channelKey, type ChannelRef } from "../../core/schedule/model.js";
import { DrillService } from "../../core/service/drill-service.js";
import { StudyService } from "../../core/service/study-service.js";
import { JobRuntime } from "../../bots/jobs/job-runtime.js";
import { plainLogger } from "../../bots/logger.js";
import { RedisKeys } from "../../bots/redis/keys.js";
import { RedisScheduleStore } from "../../bots/redis/schedule-store.js";
import { harness, sayWith, type Harness } from "./study-harness.js";
import { parseCommandText } from "../../core/commands.js";
import { loadCourse } from "../../bots/content/load-packs.js";
import { createWorkspaceContent, type WorkspaceContent } from "../../bots/content/workspace-content.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import type { WORKSPACE_CONTENT_LIMITS } from "../../core/service/content-service.js";

export interface Sent {
  to: string;
  replies: Reply[];
  key: string;
}

export class RecordingMessenger implements Messenger {
  readonly sent: Sent[] = [];
  async toLearner(learner: LearnerKey, replies: Reply[], opts: { idempotencyKey: string }): Promise<void> {
    this.sent.push({ to: `dm:${learner.user}`, replies, key: opts.idempotencyKey });
  }
  async toChannel(channel: ChannelRef, replies: Reply[], opts: { idempotencyKey: string }): Promise<void> {
    this.sent.push({ to: `ch:${channelKey(channel)}`, replies, key: opts.idempotencyKey });
  }
  to(target: string): Sent[] {
    return this.sent.filter((s) => s.to === target);
  }
}

export interface DrillHarness extends Harness {
  drills: DrillService;
  schedules: RedisScheduleStore;
  jobs: JobRuntime;
  messenger: RecordingMessenger;
  /** Workspace content (/content), when asked for with `content`. */
  workspaces?: WorkspaceContent;
  /** Runs a command as someone in a channel. */
  as(learner: LearnerKey, line: string, opts?: { admin?: boolean; channel?: ChannelRef }): Promise<Reply[]>;
  shutdown(): Promise<void>;
}

let n = 0;
/** `content`: each workspace's catalog and the /content commands (uploads checked against the fixture course, catalogs re-read at once). */
export async function drillHarness(url: string, prefix: string, startIso: string, opts: { content?: boolean | { limits?: Partial<UploadLimits>; checkEveryMs?: number; workspaceLimits?: Partial<typeof WORKSPACE_CONTENT_LIMITS> } } = {}): Promise<DrillHarness> {
  const base = await harness(url, prefix, startIso);
  const keys = new RedisKeys(prefix);
  const schedules = new RedisScheduleStore(base.redis, prefix);
  const port = Number(new URL(url).port);
  const jobs = new JobRuntime({
    connection: { host: "127.0.0.1", port, maxRetriesPerRequest: null },
    redis: base.redis,
    keys,
    schedules,
    clock: base.clock,
    log: plainLogger("error", []),
    lockDurationMs: 5_000,
    stalledIntervalMs: 5_000,
  });
  let workspaces: WorkspaceContent | undefined;
  if (opts.content) {
    const course = await loadCourse("test/fixtures/content");
    if (!course.result.ok) throw new Error("fixture course does not build");
    const { limits, checkEveryMs = 0, workspaceLimits } = typeof opts.content === "object" ? opts.content : {};
    workspaces = createWorkspaceContent({ redis: base.redis, prefix, builtIn: { catalog: base.service.catalog, raw: course.raw }, clock: base.clock, log: plainLogger("error", []), checkEveryMs, ...(limits ? { limits } : {}), ...(workspaceLimits ? { workspaceLimits } : {}) });
  }
  const catalogs = workspaces ? { catalogs: workspaces.catalogs } : {};
  const drills = new DrillService({ catalog: base.service.catalog, ...catalogs, store: base.store, schedules, planner: jobs.planner, clock: base.clock, newId: () => `id${++n}` });
  const service = new StudyService({ catalog: base.service.catalog, ...catalogs, ...(workspaces ? { content: workspaces.content } : {}), store: base.store, clock: base.clock, newId: () => `s${++n}`, drills });
  const messenger = new RecordingMessenger();
  return {
    ...base,
    service,
    drills,
    schedules,
    jobs,
    messenger,
    ...(workspaces ? { workspaces } : {}),
    say: sayWith(service),
    async as(learner, line, opts = {}) {
      const cmd = parseCommandText(line);
      if (!cmd) throw new Error(`bad line ${line}`);
      return service.handle({ learner, displayName: learner.user, eventId: `e${++n}`, isAdmin: opts.admin ?? false, channel: opts.channel ?? null }, cmd);
    },
    async shutdown() {
      await jobs.close();
      base.close();
    },
  };
}

/** Waits until `check` passes or the time runs out. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}
