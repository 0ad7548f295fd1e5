/**
 * The Slack stand-in's external file uploads, as Slack documents them:
 * files.getUploadURLExternal hands out a file id and an upload URL; the bytes
 * are POSTed there (raw or multipart/form-data, HTTP 200 when they match the
 * announced length, non-200 otherwise); files.completeUploadExternal shares
 * uploaded files once, in a channel with an optional initial comment. What
 * completes is recorded for tests.
 */
import { FILE_UPLOAD_LIMITS } from "./slack-limits.js";

/** A Web API answer (the stand-in's CannedResponse without its extras). */
export interface ApiAnswer {
  body: Record<string, unknown>;
}

export interface CompletedUpload {
  fileId: string;
  /** Where it was shared; undefined = kept private (no channel_id). */
  channel: string | undefined;
  filename: string;
  title: string | undefined;
  /** The image description, from alt_txt (Slack's documented name) or alt_text (what @slack/web-api sends). */
  altText: string | undefined;
  altField: "alt_txt" | "alt_text" | undefined;
  snippetType: string | undefined;
  bytes: Buffer;
  /** How the bytes came: a multipart part or the raw body. */
  encoding: "multipart" | "raw";
  initialComment: string | undefined;
}

interface Ticket {
  fileId: string;
  token: string;
  filename: string;
  length: number;
  altText: string | undefined;
  altField: "alt_txt" | "alt_text" | undefined;
  snippetType: string | undefined;
  upload: { bytes: Buffer; encoding: "multipart" | "raw" } | null;
  completed: boolean;
}

/** snippet_type values accepted here (Slack's list is longer; unknown ones are unknown_snippet_type). */
const SNIPPET_TYPES = new Set(["text", "csv", "json", "javascript", "typescript", "python", "shell", "markdown", "sql", "yaml", "xml", "html", "css", "go", "java", "ruby", "rust", "diff"]);

const invalid = (message: string): ApiAnswer => ({ body: { ok: false, error: "invalid_arguments", response_metadata: { messages: [`[ERROR] ${message}`] } } });
const refused = (error: string): ApiAnswer => ({ body: { ok: false, error } });
const chars = (s: string) => [...s].length;

export class SlackFileUploads {
  readonly completed: CompletedUpload[] = [];
  /** Upload POSTs refused (unknown URL, wrong byte count, uploaded twice), with why. */
  readonly refusedUploads: { fileId: string | undefined; why: string }[] = [];
  private readonly tickets = new Map<string, Ticket>();
  private readonly byToken = new Map<string, Ticket>();
  private counter = 0;

  constructor(private readonly base: () => string) {}

  /** files.getUploadURLExternal (form fields already parsed). */
  getUploadUrl(b: Record<string, any>): ApiAnswer {
    const filename = typeof b.filename === "string" ? b.filename : "";
    if (!filename) return invalid("missing required field: filename");
    if (b.length === undefined || b.length === "") return invalid("missing required field: length");
    const length = Number(b.length);
    if (!Number.isInteger(length) || length < 0) return invalid("invalid value for field: length");
    if (length === 0) return refused("missing_argument");
    const altField = b.alt_txt !== undefined ? "alt_txt" : b.alt_text !== undefined ? "alt_text" : undefined;
    const altText = altField ? String(b[altField]) : undefined;
    for (const field of ["alt_txt", "alt_text"] as const) {
      if (b[field] !== undefined && chars(String(b[field])) > FILE_UPLOAD_LIMITS.altText) return refused("alt_txt_too_large");
    }
    const snippetType = b.snippet_type === undefined || b.snippet_type === "" ? undefined : String(b.snippet_type);
    if (snippetType !== undefined && !SNIPPET_TYPES.has(snippetType)) return refused("unknown_snippet_type");
    if (snippetType !== undefined && length > FILE_UPLOAD_LIMITS.snippetBytes) return refused("snippet_too_large");
    const n = ++this.counter;
    const ticket: Ticket = {
      fileId: `F${String(n).padStart(9, "0")}`,
      token: `up${n}x${Math.random().toString(36).slice(2, 10)}`,
      filename,
      length,
      altText,
      altField,
      snippetType,
      upload: null,
      completed: false,
    };
    this.tickets.set(ticket.fileId, ticket);
    this.byToken.set(ticket.token, ticket);
    return { body: { ok: true, upload_url: `${this.base()}/upload/v1/${ticket.token}`, file_id: ticket.fileId } };
  }

  /** The POST of a file's bytes to its upload URL: 200 "OK - <length>" when they match, non-200 otherwise. */
  async receive(token: string, contentType: string | undefined, raw: Buffer): Promise<{ status: number; text: string }> {
    const ticket = this.byToken.get(token);
    const refuse = (status: number, why: string) => {
      this.refusedUploads.push({ fileId: ticket?.fileId, why });
      return { status, text: why };
    };
    if (!ticket) return refuse(404, "unknown upload URL");
    if (ticket.upload || ticket.completed) return refuse(400, "this upload URL was already used");
    let bytes: Buffer;
    let encoding: "multipart" | "raw" = "raw";
    if (contentType?.toLowerCase().startsWith("multipart/form-data")) {
      let form: FormData;
      try {
        form = await new Request("http://upload.invalid/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
      } catch (err) {
        return refuse(400, `malformed multipart body (${(err as Error).message})`);
      }
      const parts = [...form.values()].filter((v): v is File => typeof v !== "string");
      if (parts.length !== 1) return refuse(400, `expected one file part, got ${parts.length}`);
      bytes = Buffer.from(await parts[0]!.arrayBuffer());
      encoding = "multipart";
    } else {
      bytes = raw;
    }
    if (bytes.length !== ticket.length) return refuse(400, `got ${bytes.length} bytes where ${ticket.length} were announced`);
    ticket.upload = { bytes, encoding };
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  /** files.completeUploadExternal; `channelExists` says whether channel_id names a conversation the bot may post in. */
  complete(b: Record<string, any>, channelExists: (id: string) => boolean): ApiAnswer {
    const files = b.files;
    if (files === undefined || files === "") return invalid("missing required field: files");
    if (!Array.isArray(files) || files.length === 0 || files.some((f) => !f || typeof f !== "object" || typeof f.id !== "string")) {
      return invalid("invalid value for field: files (a JSON list of {id, title})");
    }
    if (files.length > FILE_UPLOAD_LIMITS.filesPerComplete) return refused("internal_error");
    const channel = b.channel_id === undefined || b.channel_id === "" ? undefined : String(b.channel_id);
    if (channel !== undefined && !channelExists(channel)) return refused("channel_not_found");
    const tickets: Ticket[] = [];
    for (const f of files as { id: string }[]) {
      const t = this.tickets.get(f.id);
      // Never issued, bytes never POSTed, or already completed: Slack finds no file on the upload ticket.
      if (!t || !t.upload || t.completed || tickets.includes(t)) return refused("file_not_found");
      tickets.push(t);
    }
    const comment = b.initial_comment === undefined ? undefined : String(b.initial_comment);
    for (const [i, t] of tickets.entries()) {
      t.completed = true;
      const title = (files as { title?: unknown }[])[i]!.title;
      this.completed.push({
        fileId: t.fileId,
        channel,
        filename: t.filename,
        title: typeof title === "string" ? title : undefined,
        altText: t.altText,
        altField: t.altField,
        snippetType: t.snippetType,
        bytes: t.upload!.bytes,
        encoding: t.upload!.encoding,
        initialComment: comment,
      });
    }
    return { body: { ok: true, files: tickets.map((t, i) => ({ id: t.fileId, title: (files as { title?: string }[])[i]!.title ?? t.filename, name: t.filename })) } };
  }
}
