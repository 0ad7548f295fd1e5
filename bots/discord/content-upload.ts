/**
 * Fetches the file an admin attached to /content upload, as the core's
 * UploadedFile, or says why not (the core then answers with that and stores
 * nothing). A file whose size Discord reports over the limit for its kind
 * (core/content/upload/check-upload.ts: a YAML pack 4 MB, any other file
 * 1 MB) is refused before anything is downloaded; the download has a time
 * limit and stops reading at the limit, so a size that was wrong cannot make
 * us read more. Files come only from Discord's CDN over HTTPS (or from the
 * host of DISCORD_API_URL, for a stand-in).
 */
import type { UploadedFile } from "../../core/commands.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import { readCapped, shownFileName, tooLargeMessage, uploadByteLimit } from "../content/upload-bytes.js";

/** What Discord tells about an attachment in the interaction (resolved.attachments[id]). */
export interface AttachmentInfo {
  /** filename */
  name: string;
  /** Bytes, as Discord reports them. */
  size: number;
  url: string;
}

export interface UploadFetchOptions {
  /** The upload limits the content service checks with (default UPLOAD_LIMITS). */
  limits?: Partial<UploadLimits>;
  /** How long the download may take (default 10 s). */
  timeoutMs?: number;
  /** Origins besides Discord's CDN that files may come from, e.g. a stand-in's "http://127.0.0.1:8080". */
  extraOrigins?: string[];
}

export type FetchedUpload = { ok: true; file: UploadedFile } | { ok: false; problem: string };

export const DOWNLOAD_TIMEOUT_MS = 10_000;

/** Where Discord serves attachments (cdn: the file; media: its proxy). */
const DISCORD_CDN_HOSTS = new Set(["cdn.discordapp.com", "media.discordapp.net"]);

const AGAIN = "upload it again";

export { uploadByteLimit } from "../content/upload-bytes.js";

function allowed(url: string, extraOrigins: string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === "https:" && DISCORD_CDN_HOSTS.has(u.hostname)) return true;
  return extraOrigins.some((o) => {
    try {
      return new URL(o).origin === u.origin;
    } catch {
      return false;
    }
  });
}

function why(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

export async function fetchAttachment(att: AttachmentInfo, opts: UploadFetchOptions = {}): Promise<FetchedUpload> {
  const fileName = att.name;
  const { limit } = uploadByteLimit(fileName, opts.limits);
  if (att.size > limit) return { ok: false, problem: tooLargeMessage(fileName, att.size, opts.limits) };
  if (!allowed(att.url, opts.extraOrigins ?? [])) return { ok: false, problem: `Discord did not hand over ${shownFileName(fileName)} (it is not on Discord's file server); ${AGAIN}.` };
  const timeoutMs = opts.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(att.url, { signal, redirect: "error" });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, problem: `Discord did not hand over ${shownFileName(fileName)} (HTTP ${res.status}); ${AGAIN}.` };
    }
    const announced = Number(res.headers.get("content-length") ?? NaN);
    if (Number.isFinite(announced) && announced > limit) {
      await res.body.cancel().catch(() => undefined);
      return { ok: false, problem: tooLargeMessage(fileName, announced, opts.limits) };
    }
    const bytes = await readCapped(res.body, limit);
    if (bytes === null) return { ok: false, problem: tooLargeMessage(fileName, limit, opts.limits, true) };
    return { ok: true, file: { fileName, bytes } };
  } catch (err) {
    if (signal.aborted) {
      const limitText = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
      return { ok: false, problem: `Discord did not hand over ${shownFileName(fileName)} within ${limitText}; ${AGAIN}.` };
    }
    return { ok: false, problem: `Discord did not hand over ${shownFileName(fileName)} (${why(err)}); ${AGAIN}.` };
  }
}
