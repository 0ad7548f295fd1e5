/**
 * Fetches a file someone shared with drillbot (the upload form's file_input,
 * or a file sent in its DM): the file object is completed with files.info
 * when Slack sent a partial one, a file over the size limit is refused before
 * any byte moves, and the bytes come from url_private_download with the
 * workspace's bot token (Authorization: Bearer), within a timeout and a byte
 * cap. Slack answers a request it does not accept (no token, another
 * workspace's, no files:read) with a redirect to its sign-in page, not an
 * error code: a redirect or an HTML page is reported as "not the file".
 * The token goes only to Slack's own hosts. Nothing here throws: the outcome
 * is the bytes, or a sentence for the admin.
 */
import type { webApi } from "@slack/bolt";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import { readCapped, tooLargeMessage, uploadByteLimit } from "../content/upload-bytes.js";
import type { Logger } from "../logger.js";
import { slackFetch } from "../ops/platform-metrics.js";
import type { SlackFileRef } from "./content-upload-form.js";
import { apiErrorText } from "./reply-sender.js";

export interface DownloadOptions {
  limits: UploadLimits;
  /** The whole download, headers to last byte; default 15 s. */
  timeoutMs?: number;
  /** Origins besides Slack's own (https://*.slack.com, *.slack-gov.com) that may receive the token: the configured SLACK_API_URL's. */
  extraOrigins?: readonly string[];
  log: Logger;
}

export type Download = { ok: true; fileName: string; bytes: Uint8Array } | { ok: false; fileName: string; why: string };

export const DOWNLOAD_TIMEOUT_MS = 15_000;

/** The byte limit for this file: a YAML pack has its own (checkUpload judges by the same name rule). */
export function byteLimitFor(fileName: string, limits: UploadLimits): number {
  return uploadByteLimit(fileName, limits).limit;
}

/** Why a file of this size is refused before downloading it, or null. */
export function sizeProblem(fileName: string, bytes: number, limits: UploadLimits): string | null {
  return bytes <= byteLimitFor(fileName, limits) ? null : tooLargeMessage(fileName, bytes, limits);
}

const SIGN_IN =
  "Slack answered with its sign-in page instead of the file: drillbot's app may lack the files:read permission (a workspace admin can add it by reinstalling the app from its manifest), or the file is not shared with drillbot.";

/** Slack's file hosts, and the configured API's origin (a Slack stand-in, an Enterprise proxy). */
function mayReceiveToken(url: URL, extraOrigins: readonly string[]): boolean {
  if (extraOrigins.includes(url.origin)) return true;
  return url.protocol === "https:" && (url.hostname === "slack.com" || url.hostname.endsWith(".slack.com") || url.hostname.endsWith(".slack-gov.com"));
}

/** The file object with its name, size and download URL: files.info when Slack sent a partial one. */
async function complete(client: webApi.WebClient, file: SlackFileRef, log: Logger): Promise<SlackFileRef | { why: string }> {
  if (file.url_private_download && file.name && typeof file.size === "number" && file.file_access !== "check_file_info") return file;
  try {
    const res = await client.files.info({ file: file.id });
    const f = res.file as SlackFileRef | undefined;
    if (!f?.id) return { why: "Slack gave no details of the file." };
    return f;
  } catch (err) {
    const code = apiErrorText(err);
    log.warn(`slack: files.info for a shared content file failed: ${code}`);
    if (code === "missing_scope") return { why: "drillbot's Slack app lacks the files:read permission; a workspace admin can add it by reinstalling the app from its manifest." };
    if (code === "file_not_found" || code === "file_deleted") return { why: "Slack no longer has the file (was it deleted?); share it again." };
    return { why: `Slack did not give the file's details (${code}).` };
  }
}

const looksLikeHtml = (bytes: Uint8Array) => /^\s*<(!doctype html|html[\s>])/i.test(new TextDecoder().decode(bytes.subarray(0, 64)));

export async function downloadSharedFile(client: webApi.WebClient, token: string | undefined, shared: SlackFileRef, opts: DownloadOptions): Promise<Download> {
  const log = opts.log;
  const file = await complete(client, shared, log);
  const fallbackName = shared.name ?? "the file";
  if ("why" in file) return { ok: false, fileName: fallbackName, why: file.why };
  const fileName = file.name ?? fallbackName;
  const fail = (why: string): Download => ({ ok: false, fileName, why });
  const limit = byteLimitFor(fileName, opts.limits);
  if (typeof file.size === "number") {
    const tooBig = sizeProblem(fileName, file.size, opts.limits);
    if (tooBig) return fail(tooBig);
  }
  const link = file.url_private_download ?? file.url_private;
  if (!link) return fail("Slack gave no download link for the file.");
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return fail("Slack gave a download link drillbot cannot read.");
  }
  if (!mayReceiveToken(url, opts.extraOrigins ?? [])) {
    log.warn(`slack: a shared file's download link is not on a Slack host (${url.host}); not downloaded`);
    return fail("the file's download link is not on Slack, so drillbot did not fetch it.");
  }
  if (!token) return fail("drillbot has no token for this workspace to fetch the file with.");
  const timeoutMs = opts.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  try {
    const res = await slackFetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      log.warn(`slack: downloading a shared content file was redirected (HTTP ${res.status}): Slack did not accept the token for it`);
      return fail(SIGN_IN);
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel().catch(() => undefined);
      return fail("Slack no longer has the file (was it deleted?); share it again.");
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      log.warn(`slack: downloading a shared content file answered HTTP ${res.status}`);
      return fail(`Slack did not send the file (HTTP ${res.status}); try again in a minute.`);
    }
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      await res.body?.cancel().catch(() => undefined);
      return fail(sizeProblem(fileName, declared, opts.limits) ?? "the file is too large.");
    }
    const html = /^text\/html\b/i.test(res.headers.get("content-type") ?? "");
    const bytes = await readCapped(res.body, limit);
    if (bytes === null) return fail(tooLargeMessage(fileName, limit, opts.limits, true));
    if ((html || looksLikeHtml(bytes)) && !/\.html?$/i.test(fileName)) {
      log.warn("slack: downloading a shared content file gave an HTML page, not the file");
      return fail(SIGN_IN);
    }
    return { ok: true, fileName, bytes };
  } catch (err) {
    const name = (err as { name?: string } | undefined)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      log.warn(`slack: downloading a shared content file took over ${timeoutMs} ms; given up`);
      return fail(`Slack did not send the file within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}; try again in a minute.`);
    }
    log.warn(`slack: downloading a shared content file failed (${name ?? "error"})`);
    return fail("drillbot could not reach Slack to fetch the file; try again in a minute.");
  }
}
