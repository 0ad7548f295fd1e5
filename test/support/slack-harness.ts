/**
 * Runs the real Slack adapter (Bolt, HTTP receiver on 127.0.0.1) against the
 * Slack stand-in and a real Redis, and plays the part of Slack's clients:
 * a person typing /study, clicking buttons, submitting a modal, opening Home.
 * With `distribution`, the app is distributed with OAuth: no bot token, an
 * installation store in Redis, and `install` runs the real install flow.
 * With `content`, workspace content packs are composed as in main.ts
 * (createWorkspaceContent over the fixture course): people can upload a file
 * in the content form or send one in the app's DM.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { ChartRenderer } from "../../bots/charts/chart-renderer.js";
import { loadCourse } from "../../bots/content/load-packs.js";
import { createWorkspaceContent, type WorkspaceContent } from "../../bots/content/workspace-content.js";
import type { Catalog, RawPack } from "../../core/content/catalog.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import { CONTENT_FILE_ACTION, CONTENT_FILE_BLOCK } from "../../bots/slack/content-upload-form.js";
import { DrillService } from "../../core/service/drill-service.js";
import { StudyService } from "../../core/service/study-service.js";
import { JobRuntime } from "../../bots/jobs/job-runtime.js";
import { plainLogger, type Logger } from "../../bots/logger.js";
import { RedisProgressStore } from "../../bots/redis/progress-store.js";
import { RedisScheduleStore } from "../../bots/redis/schedule-store.js";
import { SlackInstallationStore } from "../../bots/slack/installation-store.js";
import { startSlack, type SlackAdapter, type SlackOptions } from "../../bots/slack/start-slack.js";
import { installThroughSlack, type InstallOutcome, type InstallTweaks } from "./slack-install.js";
import type { InstallTarget } from "./slack-oauth-standin.js";
import { fixedClock, uniquePrefix } from "./redis.js";
import {
  appHomeOpenedEvent,
  blockActionPayload,
  commandFields,
  fileInputValue,
  fileShareDmEvent,
  formBody,
  FORM,
  payloadBody,
  postToApp,
  viewSubmissionPayload,
  type AppResponse,
  type ButtonLike,
  type SlackUser,
} from "./slack-requests.js";
import type { HostedFile } from "./slack-hosted-files.js";
import { SlackStandin, type ResponsePost, type StandinUser } from "./slack-standin.js";
import { fixtureCatalog } from "./study-harness.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-0000-bot-token";
export const CLIENT_ID = "1111.2222";
export const CLIENT_SECRET = "client-secret-0123456789abcdef";
export const STATE_SECRET = "state-secret-0123456789abcdef";

export const ALICE: SlackUser = { team: "T1", user: "UALICE", name: "alice" };
export const BOB: SlackUser = { team: "T1", user: "UBOB", name: "bob" };
/** Another workspace. */
export const CAROL: SlackUser = { team: "T2", user: "UCAROL", name: "carol" };

export interface SlackHarness {
  standin: SlackStandin;
  adapter: SlackAdapter;
  redis: Redis;
  prefix: string;
  logLines: string[];
  /** With `drills: true`: the schedule store and the BullMQ runtime (no workers started). */
  schedules: RedisScheduleStore | null;
  jobs: JobRuntime | null;
  drills: DrillService | null;
  clock: ReturnType<typeof fixedClock>;
  log: Logger;
  /** Sends /study <text> (in channel C1 unless told); returns the HTTP answer and the id of its response_url. */
  command(who: SlackUser, text: string, opts?: { retryNum?: number; triggerId?: string; channel?: string }): Promise<AppResponse & { responseId: string }>;
  /** Clicks a button; `actionTs` names the click (the same value = a redelivery of that click). */
  click(
    who: SlackUser,
    button: ButtonLike,
    opts?: { actionTs?: string; retryNum?: number; responseId?: string; state?: Record<string, any>; containerType?: "message" | "view" },
  ): Promise<AppResponse & { responseId: string }>;
  submitView(who: SlackUser, view: { id: string; callback_id: string; private_metadata: string }, values: Record<string, any>): Promise<AppResponse>;
  openHome(who: SlackUser, eventId?: string, retryNum?: number): Promise<AppResponse>;
  /** Waits until `n` posts reached this response_url and returns them. */
  responses(responseId: string, n?: number): Promise<ResponsePost[]>;
  /** Posts a signed Events API body (e.g. app_uninstalled) to /slack/events. */
  event(body: Record<string, unknown>): Promise<AppResponse>;
  /** With `content`: the workspace packs, catalogs and content service the adapter's service uses. */
  content: WorkspaceContent | null;
  /** Picks a file in the content form's file_input (the stand-in now holds it) and submits the form. */
  submitFile(who: SlackUser, view: { id: string; callback_id: string; private_metadata: string }, file: SharedFileSpec): Promise<AppResponse & { file: HostedFile }>;
  /** Sends a file to the app in its DM with this comment (a file_share message event); `partial`: the event carries the file_access "check_file_info" object. */
  sendFileInDm(who: SlackUser, file: SharedFileSpec, text: string, opts?: { partial?: boolean; eventId?: string; retryNum?: number }): Promise<AppResponse & { file: HostedFile; channel: string }>;
  /** With `distribution`: the installation store the adapter uses, its secret key, and the install flow. */
  installations: SlackInstallationStore | null;
  secretKey: Buffer;
  install(target: InstallTarget, tweaks?: InstallTweaks): Promise<InstallOutcome>;
  stop(): Promise<void>;
}

/** A file a person shares: its name and bytes; `claimedSize`/`chunked` make Slack's object understate it (see SlackHostedFiles). */
export interface SharedFileSpec {
  name: string;
  bytes: string | Buffer;
  claimedSize?: number;
  chunked?: boolean;
}

let seq = 0;
const next = (p: string) => `${p}-${++seq}`;

export interface SlackHarnessOptions {
  users?: Record<string, StandinUser>;
  clockIso?: string;
  /** Slack user ids configured as admins (SLACK_ADMIN_USERS). */
  adminUsers?: string[];
  /** Wire drills and challenges (DrillService, schedule store, BullMQ planner) as the composition root does. */
  drills?: boolean;
  /** Draws the charts of /study stats and /study team for upload to the DM. */
  charts?: ChartRenderer;
  /** Upload settings; by default quick retries (a 429 still waits its Retry-After). */
  uploads?: SlackOptions["uploads"];
  /** Distribute the app with OAuth (no bot token); `rotation`: the app has token rotation on. */
  distribution?: { rotation?: boolean; cacheMs?: number };
  /** Compose workspace content packs (uploads, /study content) over the fixture course, as main.ts does. */
  content?: boolean | { limits?: Partial<UploadLimits>; downloadTimeoutMs?: number };
}

let course: { catalog: Catalog; raw: RawPack[] } | undefined;
/** The fixture course with its raw packs (uploads are checked beside them). */
async function fixtureCourse(): Promise<{ catalog: Catalog; raw: RawPack[] }> {
  if (!course) {
    const { result, raw } = await loadCourse("test/fixtures/content");
    if (!result.ok) throw new Error("fixture pack is broken");
    course = { catalog: result.catalog, raw };
  }
  return course;
}

export async function startSlackHarness(redisUrl: string, opts: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const standin = await SlackStandin.start();
  const dist = opts.distribution;
  if (dist) {
    standin.strictTokens = true;
    standin.oauth.app = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, appId: "A1" };
    standin.oauth.rotation = dist.rotation === true;
  } else standin.botToken = BOT_TOKEN;
  for (const [id, u] of Object.entries(opts.users ?? {})) standin.users.set(id, u);
  const secretKey = randomBytes(32);
  const prefix = uniquePrefix();
  // As the composition root does: few retries per command and a short reconnect delay.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(times * 50, 200) });
  redis.on("error", () => {});
  const clock = fixedClock(opts.clockIso ?? "2026-03-02T12:00:00Z");
  const logLines: string[] = [];
  const log = plainLogger("debug", [BOT_TOKEN, SIGNING_SECRET, CLIENT_SECRET, STATE_SECRET, secretKey.toString("base64")], (line) => logLines.push(line));
  let ids = 0;
  const contentOpts = opts.content ? (opts.content === true ? {} : opts.content) : null;
  const builtIn = contentOpts ? await fixtureCourse() : null;
  const catalog = builtIn ? builtIn.catalog : await fixtureCatalog();
  const content = builtIn
    ? createWorkspaceContent({ redis, prefix, builtIn, clock, log, ...(contentOpts?.limits ? { limits: contentOpts.limits } : {}) })
    : null;
  const store = new RedisProgressStore(redis, { prefix });
  const schedules = opts.drills ? new RedisScheduleStore(redis, prefix) : null;
  const jobs = schedules
    ? new JobRuntime({
        connection: { host: "127.0.0.1", port: Number(new URL(redisUrl).port), maxRetriesPerRequest: null },
        redis,
        keys: schedules.keys,
        schedules,
        clock,
        log,
      })
    : null;
  const drills = schedules && jobs ? new DrillService({ catalog, ...(content ? { catalogs: content.catalogs } : {}), store, schedules, planner: jobs.planner, clock, newId: () => `c${++ids}` }) : null;
  const service = new StudyService({
    catalog,
    ...(content ? { catalogs: content.catalogs, content: content.content } : {}),
    store,
    clock,
    newId: () => `s${++ids}`,
    ...(drills ? { drills } : {}),
    onError: (err, cmd) => log.error(`command ${cmd.kind} failed`, err),
  });
  const installations = dist
    ? new SlackInstallationStore({
        redis,
        prefix,
        secretKey,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiUrl: standin.apiUrl,
        log,
        now: () => standin.nowMs(),
        ...(dist.cacheMs !== undefined ? { cacheMs: dist.cacheMs } : {}),
      })
    : null;
  let adapter: SlackAdapter;
  try {
    adapter = await startSlack({
      ...(installations ? { distribution: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: STATE_SECRET, installations } } : { botToken: BOT_TOKEN }),
      signingSecret: SIGNING_SECRET,
      apiUrl: standin.apiUrl,
      port: 0,
      host: "127.0.0.1",
      service,
      log,
      retryConfig: { retries: 0 },
      ...(opts.adminUsers ? { adminUsers: opts.adminUsers } : {}),
      ...(opts.charts ? { charts: opts.charts } : {}),
      uploads: { retryConfig: { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 50 }, ...(opts.uploads ?? {}) },
      ...(contentOpts ? { content: { ...(contentOpts.limits ? { limits: contentOpts.limits } : {}), ...(contentOpts.downloadTimeoutMs !== undefined ? { downloadTimeoutMs: contentOpts.downloadTimeoutMs } : {}) } } : {}),
    });
  } catch (err) {
    await jobs?.close();
    redis.disconnect();
    await standin.close();
    throw err;
  }
  const post = (body: string, type: string, retryNum?: number) =>
    postToApp(adapter.port, body, type, { secret: SIGNING_SECRET, ...(retryNum !== undefined ? { retryNum, retryReason: "http_timeout" } : {}) });

  return {
    standin,
    adapter,
    redis,
    prefix,
    logLines,
    schedules,
    jobs,
    drills,
    clock,
    log,
    async command(who, text, o = {}) {
      const responseId = next("cmd");
      const res = await post(formBody(commandFields(who, text, standin.responseUrl(responseId), o.triggerId ?? next("trigger"), o.channel)), FORM, o.retryNum);
      return { ...res, responseId };
    },
    async click(who, button, o = {}) {
      const responseId = o.responseId ?? next("click");
      const view = o.containerType === "view";
      const payload = blockActionPayload(who, button, {
        ...(view ? {} : { responseUrl: standin.responseUrl(responseId) }),
        actionTs: o.actionTs ?? `${1700000000 + ++seq}.000100`,
        triggerId: next("trigger"),
        ...(o.state ? { state: o.state } : {}),
        ...(o.containerType ? { containerType: o.containerType } : {}),
      });
      const res = await post(payloadBody(payload), FORM, o.retryNum);
      return { ...res, responseId };
    },
    submitView(who, view, values) {
      return post(payloadBody(viewSubmissionPayload(who, view, values)), FORM);
    },
    openHome(who, eventId = next("Ev"), retryNum) {
      return post(JSON.stringify(appHomeOpenedEvent(who, eventId)), "application/json", retryNum);
    },
    event(body) {
      return post(JSON.stringify(body), "application/json");
    },
    content,
    async submitFile(who, view, f) {
      const file = standin.shared.add({ team: who.team, user: who.user, ...f });
      const res = await post(payloadBody(viewSubmissionPayload(who, view, { [CONTENT_FILE_BLOCK]: { [CONTENT_FILE_ACTION]: fileInputValue([standin.shared.object(file)]) } })), FORM);
      return { ...res, file };
    },
    async sendFileInDm(who, f, text, o = {}) {
      const file = standin.shared.add({ team: who.team, user: who.user, ...f });
      const channel = standin.userDm(who.user, dist ? who.team : undefined);
      const object = o.partial ? standin.shared.partial(file) : standin.shared.object(file);
      const res = await post(JSON.stringify(fileShareDmEvent(who, { eventId: o.eventId ?? next("EvFile"), channel, text, files: [object] })), "application/json", o.retryNum);
      return { ...res, file, channel };
    },
    installations,
    secretKey,
    install(target, tweaks) {
      return installThroughSlack(adapter.port, standin, target, tweaks);
    },
    responses(responseId, n = 1) {
      return standin.waitFor(() => {
        const got = standin.responsesTo(responseId);
        return got.length >= n ? got : undefined;
      }, `${n} response(s) to ${responseId}`);
    },
    async stop() {
      await adapter.stop().catch(() => {});
      await jobs?.close();
      redis.disconnect();
      await standin.close();
    },
  };
}

/** Every button in a message's blocks. */
export function buttonsOf(blocks: any[]): (ButtonLike & { text: { text: string } })[] {
  return blocks.flatMap((b) => (b.type === "actions" ? b.elements.filter((e: any) => e.type === "button") : []));
}

/** All the text a person would read in a message's blocks. */
export function textOf(blocks: any[]): string {
  const parts: string[] = [];
  const walk = (x: any): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(walk);
    if (typeof x.text === "string") parts.push(x.text);
    for (const v of Object.values(x)) if (v && typeof v === "object") walk(v);
  };
  walk(blocks);
  return parts.join("\n");
}

/** The button whose label contains `label`. */
export function button(blocks: any[], label: string): ButtonLike & { text: { text: string } } {
  const b = buttonsOf(blocks).find((x) => x.text.text.includes(label));
  if (!b) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(blocks).map((x) => x.text.text))}`);
  return b;
}
