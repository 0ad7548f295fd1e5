/**
 * Charts and files for the person who asked, uploaded to their DM with the
 * app: ephemeral replies and response_url messages cannot carry files. Charts
 * are drawn off the main thread (bots/charts), the DM is opened with
 * conversations.open (im:write), and files.uploadV2 (files:write) puts all
 * charts of one command in one message, each with its title and alt text; a
 * file goes in its own message with its description as the comment.
 * Nothing here throws: the outcome says what went out, or why not in words
 * for the learner; a failure is logged once, by its Slack error code only.
 */
import { webApi } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { ChartRendererBusyError, type ChartRenderer } from "../charts/chart-renderer.js";
import type { Logger } from "../logger.js";
import { slackClientOptions } from "../ops/platform-metrics.js";
import { boltLogger } from "./bolt-logger.js";
import { slackCommands } from "./mrkdwn.js";

export type Attachment = Extract<Reply, { type: "chart" } | { type: "file" }>;

export function isAttachment(r: Reply): r is Attachment {
  return r.type === "chart" || r.type === "file";
}

/** files.getUploadURLExternal refuses longer alt text (alt_txt_too_large: "the limit of 1000 character"). */
export const ALT_TEXT_MAX = 1000;

export type UploadOutcome = { ok: true; channel: string } | { ok: false; why: string };

export interface DmUploaderOptions {
  /** One workspace's token; with OAuth distribution none, and each send names its workspace's token. */
  botToken?: string;
  /** Web API client options shared with the app (base URL). */
  clientOptions?: webApi.WebClientOptions;
  /** Without a renderer, charts are left out (the text figures still go). */
  charts?: ChartRenderer | null;
  log: Logger;
  /**
   * The upload client's retries (a 429 waits its Retry-After first). Default:
   * 3 attempts a second or two apart. A client of its own, so a rate-limited
   * upload pauses uploads only, not quiz replies.
   */
  retryConfig?: webApi.RetryOptions;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** How long a reply waits to say "sent" before saying "on the way" (default 2.5 s). */
  waitMs?: number;
}

/** Clipped to Slack's limit at a word break, with an ellipsis. */
export function clipAltText(alt: string, max = ALT_TEXT_MAX): string {
  if (alt.length <= max) return alt;
  let cut = alt.lastIndexOf(" ", max - 1);
  if (cut < max / 2) cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(alt[cut - 1] ?? "")) cut -= 1;
  return `${alt.slice(0, cut).trimEnd()}…`;
}

interface Failure {
  /** For the learner: what went wrong and what to do. */
  why: string;
  /** For the log: a Slack error code or a short name, never a message that could carry a URL or token. */
  code: string;
}

/** What a failed render or Web API call means for the learner. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof ChartRendererBusyError) return { why: "drillbot is drawing many charts right now; try again in a minute", code: "chart renderer busy" };
  const e = err as { code?: string; data?: { error?: string; needed?: string }; statusCode?: number; message?: string } | undefined;
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? "unknown_error";
    if (error === "missing_scope") {
      const needed = e.data?.needed ?? "files:write";
      return { why: `drillbot's Slack app lacks the ${needed} permission; a workspace admin can add it by reinstalling the app from its manifest`, code: `missing_scope (${needed})` };
    }
    if (error === "ratelimited") return { why: "Slack is limiting uploads right now; try again in a minute", code: error };
    if (error === "file_uploads_disabled" || error === "file_uploads_except_images_disabled") return { why: "this workspace does not allow file uploads", code: error };
    return { why: `Slack refused the upload (${error})`, code: error };
  }
  if (e?.code === webApi.ErrorCode.RateLimitedError || /rate limit/i.test(e?.message ?? "")) return { why: "Slack is limiting uploads right now; try again in a minute", code: "rate limited (429)" };
  if (e?.code === webApi.ErrorCode.HTTPError) return { why: `Slack did not accept the file (HTTP ${e.statusCode ?? "error"})`, code: `HTTP ${e.statusCode ?? "?"}` };
  if (e?.code === webApi.ErrorCode.RequestError) return { why: "Slack did not answer", code: "no answer" };
  if (e?.code === webApi.ErrorCode.FileUploadInvalidArgumentsError || e?.code === webApi.ErrorCode.FileUploadReadFileDataError) return { why: "drillbot could not prepare the file", code: e.code };
  return { why: "something went wrong on drillbot's side", code: err instanceof Error ? err.name : "unknown" };
}

/** Only errors reach the log from the upload client: the outcome is logged once, here. */
function quiet(log: Logger): Logger {
  const none = () => {};
  return { debug: none, info: none, warn: none, error: (m, e) => log.error(m, e) };
}

/** Upload clients kept for other workspaces' tokens (OAuth distribution), least recently used dropped first. */
const CLIENTS_KEPT = 200;

export class DmUploader {
  readonly waitMs: number;
  private readonly client: webApi.WebClient;
  private readonly clientOptions: webApi.WebClientOptions;
  private readonly byToken = new Map<string, webApi.WebClient>();
  private readonly charts: ChartRenderer | null;
  private readonly log: Logger;

  constructor(opts: DmUploaderOptions) {
    this.clientOptions = slackClientOptions({
      ...(opts.clientOptions ?? {}),
      retryConfig: opts.retryConfig ?? { retries: 2, factor: 1, minTimeout: 1_000, maxTimeout: 2_000 },
      timeout: opts.timeoutMs ?? 30_000,
      logger: boltLogger(quiet(opts.log)),
      logLevel: webApi.LogLevel.ERROR,
    });
    this.client = new webApi.WebClient(opts.botToken, this.clientOptions);
    this.charts = opts.charts ?? null;
    this.log = opts.log;
    this.waitMs = opts.waitMs ?? 2_500;
  }

  /** Whether this reply can go out here (a chart needs a renderer). */
  canSend(a: Attachment): boolean {
    return a.type === "file" || this.charts !== null;
  }

  /** The upload client for this token (the workspace's own, with OAuth distribution). */
  private clientFor(token: string | undefined): webApi.WebClient {
    if (!token || token === this.client.token) return this.client;
    let c = this.byToken.get(token);
    if (c) this.byToken.delete(token);
    else c = new webApi.WebClient(token, this.clientOptions);
    this.byToken.set(token, c);
    if (this.byToken.size > CLIENTS_KEPT) this.byToken.delete(this.byToken.keys().next().value!);
    return c;
  }

  /** Renders the charts, opens the DM and uploads; `comment` introduces the charts' message; `token`: the workspace's bot token. */
  async send(userId: string, attachments: Attachment[], comment?: string, token?: string): Promise<UploadOutcome> {
    const client = this.clientFor(token);
    const charts = attachments.filter((a): a is Extract<Attachment, { type: "chart" }> => a.type === "chart" && this.charts !== null);
    const files = attachments.filter((a): a is Extract<Attachment, { type: "file" }> => a.type === "file");
    try {
      const [pngs, channel] = await Promise.all([Promise.all(charts.map((c) => this.charts!.renderChart(c.spec))), this.openDm(client, userId)]);
      if (charts.length > 0) {
        await client.files.uploadV2({
          channel_id: channel,
          ...(comment ? { initial_comment: comment } : {}),
          file_uploads: charts.map((c, i) => ({ file: pngs[i]!.png, filename: c.fileName, title: c.spec.title, alt_text: clipAltText(c.alt) })),
        });
      }
      for (const f of files) {
        await client.files.uploadV2({ channel_id: channel, content: f.content, filename: f.fileName, title: f.fileName, initial_comment: slackCommands(f.description) });
      }
      return { ok: true, channel };
    } catch (err) {
      const failure = describeFailure(err);
      const what = [charts.length ? `${charts.length} chart(s)` : "", ...files.map((f) => f.fileName)].filter(Boolean).join(" and ");
      this.log.warn(`slack: could not send ${what} to ${userId}'s DM: ${failure.code}`);
      return { ok: false, why: failure.why };
    }
  }

  private async openDm(client: webApi.WebClient, userId: string): Promise<string> {
    const res = await client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error("conversations.open returned no channel");
    return id;
  }
}
