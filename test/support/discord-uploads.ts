/**
 * File uploads as Discord takes them (discord.com/developers/docs/reference#uploading-files):
 * a multipart/form-data body with `payload_json` and `files[n]` parts, read
 * with the platform's own FormData parser (undici's, built into Node). Sizes
 * are checked first, like Discord's edge: a file over the upload limit (10 MiB
 * by default) or a request over 25 MiB gets 413, code 40005. Then the
 * `attachments` list: each id must name a `files[n]` (or, in an edit, an
 * attachment the message already has), a description is at most 1024
 * characters, a message has at most 10 attachments (400, 50035 otherwise).
 * Embeds show an uploaded image through `attachment://filename`; a reference
 * that names no image of the message is not an error on Discord (the embed
 * just shows no image), so it is recorded for tests to refuse.
 */
import { PNG } from "pngjs";
import type { APIEmbed } from "discord.js";
import type { JsonObject, SeenFile } from "./discord-conversation.js";
import { INVALID_FORM_BODY } from "./discord-limits.js";

export const UPLOAD_LIMITS = {
  /** Default per-file limit for everyone (an interaction's attachment_size_limit). */
  fileBytes: 10 * 1024 * 1024,
  requestBytes: 25 * 1024 * 1024,
  attachmentsPerMessage: 10,
  description: 1024,
} as const;

export interface UploadedFile {
  /** The n of files[n]. */
  index: number;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export type Refusal = [number, unknown];

export const TOO_LARGE: Refusal = [413, { message: "Request entity too large", code: 40005 }];

/** Image types an embed can show from an attachment. */
const EMBEDDABLE = /\.(png|jpe?g|gif|webp)$/i;

/** Content types Discord reports, by extension (it does not trust the part's header). */
const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** The Content-Type Discord reports for a file of this name (by its extension). */
export function contentTypeOf(filename: string): string {
  return TYPES[filename.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

/** Discord rewrites whitespace in an uploaded file's name to underscores. */
export function discordFileName(name: string): string {
  return name.replace(/\s/g, "_");
}

/** Reads a multipart body into its JSON payload and files, or Discord's refusal. */
export async function parseMultipart(raw: Buffer, contentType: string, fileLimit: number): Promise<{ body: JsonObject; files: UploadedFile[] } | Refusal> {
  if (raw.length > UPLOAD_LIMITS.requestBytes) return TOO_LARGE;
  const form = await new Request("http://127.0.0.1/upload", { method: "POST", headers: { "content-type": contentType }, body: new Blob([new Uint8Array(raw)]) }).formData();
  const body: JsonObject = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      if (name === "payload_json") Object.assign(body, JSON.parse(value) as JsonObject);
      else body[name] = value;
      continue;
    }
    const m = /^files\[(\d+)\]$/.exec(name);
    if (!m) return INVALID_FORM_BODY(`file part "${name}" is not named files[n]`);
    const bytes = Buffer.from(await value.arrayBuffer());
    if (bytes.length > fileLimit) return TOO_LARGE;
    files.push({ index: Number(m[1]), filename: value.name, contentType: value.type || "application/octet-stream", bytes });
  }
  if (new Set(files.map((f) => f.index)).size !== files.length) return INVALID_FORM_BODY("two file parts share one files[n] name");
  return { body, files };
}

let attachmentSeq = 0n;

function seenFile(file: UploadedFile, meta: JsonObject | undefined, channelId: string): SeenFile {
  attachmentSeq += 1n;
  const id = String(1_400_000_000_000_000_000n + attachmentSeq);
  const filename = discordFileName(typeof meta?.filename === "string" && meta.filename ? meta.filename : file.filename);
  const ext = filename.split(".").pop()?.toLowerCase() ?? "";
  let width: number | null = null;
  let height: number | null = null;
  if (ext === "png") {
    try {
      const img = PNG.sync.read(file.bytes);
      ({ width, height } = img);
    } catch {
      // Not a PNG after all: Discord keeps it as a plain file.
    }
  }
  return {
    id,
    filename,
    description: typeof meta?.description === "string" ? meta.description : null,
    uploadedType: file.contentType,
    contentType: TYPES[ext] ?? "application/octet-stream",
    size: file.bytes.length,
    bytes: file.bytes,
    width,
    height,
    url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${filename}`,
    shownIn: [],
  };
}

/**
 * The attachments a message has after this request: for a new message every
 * uploaded file (with its metadata from `attachments`); for an edit, those the
 * `attachments` list keeps (existing ids) and adds (files[n]), or, without a
 * list, the existing ones plus every upload.
 */
export function attachFiles(data: JsonObject | undefined, uploads: UploadedFile[], existing: SeenFile[] | null, channelId: string): SeenFile[] | Refusal {
  const list = data?.attachments;
  if (list !== undefined && !Array.isArray(list)) return INVALID_FORM_BODY("attachments is not an array");
  const metas = (list ?? []) as JsonObject[];
  const byIndex = new Map(uploads.map((u) => [String(u.index), u]));
  const kept: SeenFile[] = [];
  const added = new Map<string, SeenFile>();
  for (const [i, meta] of metas.entries()) {
    const id = String(meta?.id ?? "");
    if (typeof meta?.description === "string" && meta.description.length > UPLOAD_LIMITS.description) {
      return INVALID_FORM_BODY(`attachments[${i}].description is longer than ${UPLOAD_LIMITS.description}`);
    }
    const upload = byIndex.get(id);
    const old = existing?.find((f) => f.id === id);
    if (upload) {
      if (added.has(id)) return INVALID_FORM_BODY(`attachments[${i}].id ${id} is listed twice`);
      added.set(id, seenFile(upload, meta, channelId));
    } else if (old) kept.push(typeof meta.description === "string" ? { ...old, description: meta.description } : old);
    else return INVALID_FORM_BODY(`attachments[${i}].id ${id} names no files[n] of this request${existing ? " and no attachment of the message" : ""}`);
  }
  let files: SeenFile[];
  if (existing && list !== undefined) files = [...kept, ...added.values()];
  else {
    // Files the list does not describe are attached too, without a description.
    const rest = uploads.filter((u) => !added.has(String(u.index))).map((u) => seenFile(u, undefined, channelId));
    files = [...(existing ?? []), ...added.values(), ...rest];
  }
  if (files.length > UPLOAD_LIMITS.attachmentsPerMessage) return INVALID_FORM_BODY(`attachments: must be ${UPLOAD_LIMITS.attachmentsPerMessage} or fewer in length (got ${files.length})`);
  return files;
}

export interface UnresolvedImage {
  embed: number;
  url: string;
}

/**
 * Embeds as Discord stores them: `attachment://name` images and thumbnails
 * become the attachment's URL with its size; one naming no image of the
 * message is dropped (Discord shows none) and returned as unresolved.
 */
export function resolveEmbedImages(embeds: APIEmbed[], files: SeenFile[]): { embeds: APIEmbed[]; unresolved: UnresolvedImage[] } {
  const unresolved: UnresolvedImage[] = [];
  const out = embeds.map((embed, i) => {
    const e: APIEmbed = { ...embed };
    for (const key of ["image", "thumbnail"] as const) {
      const url = e[key]?.url;
      if (!url?.startsWith("attachment://")) continue;
      const file = files.find((f) => f.filename === url.slice("attachment://".length) && EMBEDDABLE.test(f.filename));
      if (!file) {
        unresolved.push({ embed: i, url });
        delete e[key];
        continue;
      }
      if (!file.shownIn.includes(i)) file.shownIn.push(i);
      e[key] = { url: file.url, proxy_url: file.url.replace("cdn.discordapp.com", "media.discordapp.net"), ...(file.width ? { width: file.width, height: file.height! } : {}) };
    }
    return e;
  });
  return { embeds: out, unresolved };
}

/** An attachment as Discord returns it in a message object. */
export function attachmentJson(f: SeenFile): JsonObject {
  return {
    id: f.id,
    filename: f.filename,
    ...(f.description !== null ? { description: f.description } : {}),
    content_type: f.contentType,
    size: f.size,
    url: f.url,
    proxy_url: f.url.replace("cdn.discordapp.com", "media.discordapp.net"),
    ...(f.width ? { width: f.width, height: f.height } : {}),
  };
}
