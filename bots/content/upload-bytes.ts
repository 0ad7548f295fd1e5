/**
 * What both chat adapters need to fetch an uploaded file safely: the byte
 * limit for a file by its name (a YAML pack has its own, as checkUpload
 * decides), the sentence refusing a file over it, and a body reader that
 * stops at the limit however long the body turns out to be.
 */
import { UPLOAD_LIMITS, type UploadLimits } from "../../core/content/upload/check-upload.js";

const count = (n: number) => n.toLocaleString("en-US");

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${count(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** "1.5 MB (1,572,864 bytes)", or just "900 bytes". */
const exact = (bytes: number) => (bytes < 1024 ? byteSize(bytes) : `${byteSize(bytes)} (${count(bytes)} bytes)`);

/** The name as shown in a reply: no folders or control characters, at most 100 characters. */
export function shownFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f]/g, "").trim() || "the file";
  return base.length > 100 ? `${base.slice(0, 99)}…` : base;
}

/** The byte limit for a file of this name: a YAML pack's, or every other upload's (as checkUpload decides). */
export function uploadByteLimit(fileName: string, limits: Partial<UploadLimits> = {}): { limit: number; kind: string; other: string } {
  const l = { ...UPLOAD_LIMITS, ...limits };
  return /\.ya?ml$/i.test(fileName)
    ? { limit: l.maxPackBytes, kind: "a YAML pack", other: `other files ${byteSize(l.maxBytes)}` }
    : { limit: l.maxBytes, kind: "a question table or course JSON", other: `a YAML pack (.yaml) ${byteSize(l.maxPackBytes)}` };
}

/** Why a file of `bytes` is refused ("over" when only a lower bound is known), naming both limits. */
export function tooLargeMessage(fileName: string, bytes: number, limits?: Partial<UploadLimits>, atLeast = false): string {
  const { limit, kind, other } = uploadByteLimit(fileName, limits);
  const what = atLeast ? "reading stopped there" : "so it was not downloaded";
  return `${shownFileName(fileName)} is ${atLeast ? "over " : ""}${exact(bytes)}; ${kind} may be at most ${exact(limit)}, ${other}, ${what}: split it into smaller packs.`;
}

/** Reads at most `limit` bytes; null when the body is longer (reading stops there). */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
