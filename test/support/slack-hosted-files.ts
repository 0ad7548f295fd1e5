/**
 * Files people shared with the app in the Slack stand-in (a file_input in a
 * modal, a file sent in the app's DM), served as Slack serves them:
 * - the file object Slack puts in view_submission state, in a file_share
 *   message event and in files.info (id, name, size, filetype, mimetype,
 *   url_private, url_private_download, ...), or the partial one Slack sends
 *   with file_access "check_file_info";
 * - GET of url_private / url_private_download on the stand-in's own server:
 *   the bytes (200, the file's mimetype, Content-Length) only with
 *   "Authorization: Bearer <a bot token of the file's workspace>" that holds
 *   files:read. Without it Slack does not answer 401: it redirects (302
 *   Found) to the workspace's sign-in page, an HTML page (200 text/html);
 *   bolt-js#2585, deno-slack-sdk#285, wee-slack#767. An unknown file is 404.
 * - Slack's file_input takes files up to 10 MB (docs.slack.dev, "File input
 *   element"); larger ones cannot be added.
 * Every GET is recorded (tests check a refused file was never fetched). A
 * test may hold downloads (a slow Slack) and release them, or make a file's
 * object understate its size and send it without Content-Length (to prove
 * the reader's own byte cap).
 */
export interface HostedFile {
  id: string;
  team: string;
  user: string;
  name: string;
  filetype: string;
  mimetype: string;
  bytes: Buffer;
  created: number;
  /** The size its file object states, when a test makes it differ from the bytes. */
  claimedSize?: number;
  /** Sent chunked, without Content-Length. */
  chunked?: boolean;
}

export interface FileGet {
  fileId: string | undefined;
  status: number;
  token: string | undefined;
}

/** What Slack's file_input accepts (docs.slack.dev/reference/block-kit/block-elements/file-input-element). */
export const FILE_INPUT_LIMITS = { maxBytes: 10 * 1024 * 1024, maxFilesMin: 1, maxFilesMax: 10 } as const;

const MIMETYPES: Record<string, string> = { csv: "text/csv", tsv: "text/tab-separated-values", yaml: "application/x-yaml", yml: "application/x-yaml", json: "application/json", txt: "text/plain" };

export class SlackHostedFiles {
  readonly gets: FileGet[] = [];
  /** Download requests that arrived (held ones included). */
  arrivals = 0;
  private held: { promise: Promise<void>; release: () => void } | null = null;
  private readonly byId = new Map<string, HostedFile>();
  private counter = 0;

  constructor(private readonly base: () => string) {}

  /** A file a person added (as Slack stores it once they pick it in a file_input or attach it to a DM). */
  add(opts: { team: string; user: string; name: string; bytes: Buffer | string; claimedSize?: number; chunked?: boolean }): HostedFile {
    const bytes = typeof opts.bytes === "string" ? Buffer.from(opts.bytes, "utf8") : opts.bytes;
    if (bytes.length > FILE_INPUT_LIMITS.maxBytes) throw new Error(`Slack takes files up to ${FILE_INPUT_LIMITS.maxBytes} bytes in a file_input`);
    const ext = /\.([a-z0-9]+)$/i.exec(opts.name)?.[1]?.toLowerCase() ?? "";
    const f: HostedFile = {
      id: `FU${String(++this.counter).padStart(8, "0")}`,
      team: opts.team,
      user: opts.user,
      name: opts.name,
      filetype: ext === "yml" ? "yaml" : ext || "text",
      mimetype: MIMETYPES[ext] ?? "text/plain",
      bytes,
      created: 1_700_000_000 + this.counter,
      ...(opts.claimedSize !== undefined ? { claimedSize: opts.claimedSize } : {}),
      ...(opts.chunked ? { chunked: true } : {}),
    };
    this.byId.set(f.id, f);
    return f;
  }

  /** Downloads wait until the returned function is called (a slow Slack). */
  hold(): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
    return () => {
      this.held = null;
      release();
    };
  }

  /** Resolves when held downloads may go on. */
  async gate(): Promise<void> {
    this.arrivals += 1;
    await this.held?.promise;
  }

  get(id: string): HostedFile | undefined {
    return this.byId.get(id);
  }

  /** Slack's file object. */
  object(f: HostedFile): Record<string, unknown> {
    const dir = `${this.base()}/files-pri/${f.team}-${f.id}`;
    const name = encodeURIComponent(f.name);
    return {
      id: f.id,
      created: f.created,
      timestamp: f.created,
      name: f.name,
      title: f.name,
      mimetype: f.mimetype,
      filetype: f.filetype,
      pretty_type: f.filetype.toUpperCase(),
      user: f.user,
      user_team: f.team,
      editable: true,
      size: f.claimedSize ?? f.bytes.length,
      mode: "hosted",
      is_external: false,
      external_type: "",
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: "",
      url_private: `${dir}/${name}`,
      url_private_download: `${dir}/download/${name}`,
      permalink: `https://${f.team.toLowerCase()}.slack.invalid/files/${f.user}/${f.id}/${name}`,
      permalink_public: `https://slack-files.invalid/${f.team}-${f.id}`,
      has_rich_preview: false,
      file_access: "visible",
    };
  }

  /** The partial object some events carry: the rest comes from files.info. */
  partial(f: HostedFile): Record<string, unknown> {
    return { id: f.id, mode: "file_access", file_access: "check_file_info", created: f.created, user: f.user };
  }

  /** files.info; `owner` is the workspace of the calling token, when the stand-in knows it. */
  info(b: Record<string, any>, owner: string | undefined): { body: Record<string, unknown> } {
    const id = typeof b.file === "string" ? b.file : "";
    if (!id) return { body: { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] missing required field: file"] } } };
    const f = this.byId.get(id);
    if (!f || (owner !== undefined && owner !== f.team)) return { body: { ok: false, error: "file_not_found" } };
    return { body: { ok: true, file: this.object(f), comments: [], response_metadata: { next_cursor: "" } } };
  }

  /**
   * GET /files-pri/<team>-<id>/[download/]<name>. `mayRead(token, team)`: whether this token is a bot token
   * of that workspace holding files:read. A refused request is sent to the sign-in page, as Slack does.
   */
  download(path: string, authorization: string | undefined, mayRead: (token: string, team: string) => boolean): { status: number; headers: Record<string, string>; body: Buffer } {
    const m = /^\/files-pri\/([A-Z0-9]+)-(F[A-Z0-9]+)\/(?:download\/)?([^/]+)$/.exec(path);
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const f = m ? this.byId.get(m[2]!) : undefined;
    const record = (status: number) => this.gets.push({ fileId: m?.[2], status, token });
    if (!m || !f || f.team !== m[1] || decodeURIComponent(m[3]!) !== f.name) {
      record(404);
      return { status: 404, headers: { "content-type": "text/html; charset=utf-8" }, body: Buffer.from("<!DOCTYPE html><html><body>File not found</body></html>") };
    }
    if (!token || !mayRead(token, f.team)) {
      record(302);
      const redir = encodeURIComponent(path);
      return { status: 302, headers: { location: `${this.base()}/?redir=${redir}`, "content-type": "text/html; charset=utf-8" }, body: Buffer.from(`<a href="${this.base()}/?redir=${redir}">Found</a>.`) };
    }
    record(200);
    const length: Record<string, string> = f.chunked ? {} : { "content-length": String(f.bytes.length) };
    return { status: 200, headers: { "content-type": f.mimetype, ...length, "content-disposition": `attachment; filename="${f.name}"` }, body: f.bytes };
  }

  /** The workspace sign-in page a refused download is redirected to. */
  signInPage(): { status: number; headers: Record<string, string>; body: Buffer } {
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: Buffer.from('<!DOCTYPE html><html lang="en-US"><head><title>Sign in | Slack</title></head><body>Sign in to your workspace</body></html>') };
  }
}
