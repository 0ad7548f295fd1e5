/**
 * Workspace content uploads on Slack (issue 15). A slash command cannot carry
 * a file, so "/study content upload" opens a form with a file_input
 * (content-upload-form.ts); a file sent to drillbot in its DM with the
 * comment "content upload" takes the same path. Either way: admins only
 * (checked before anything is downloaded), the file fetched with the
 * workspace's token (slack-file-download.ts), then the core's ContentService
 * decides, and its replies go privately to the admin: ephemeral through the
 * command's response_url, else the DM; files it returns (a problem list) are
 * uploaded to the DM. The other /study content commands are the core's
 * grammar and replies, ephemeral like every non-quiz reply.
 */
import type { App, webApi } from "@slack/bolt";
import type { ContentCommand } from "../../core/commands.js";
import { UPLOAD_LIMITS, type UploadLimits } from "../../core/content/upload/check-upload.js";
import type { Reply } from "../../core/replies.js";
import type { RequestContext } from "../../core/service/study-service.js";
import { viewEventId } from "./action-codec.js";
import type { Subcommand } from "./command-handler.js";
import { CONTENT_FILE_BLOCK, CONTENT_UPLOAD_CALLBACK, contentUploadModal, decodeContentUploadMetadata, readContentUpload, type SlackFileRef } from "./content-upload-form.js";
import { deliverReplies } from "./deliver-replies.js";
import { GENERIC_FAILURE, handleOnce, type HandlerDeps } from "./handler-deps.js";
import { apiErrorText, fromResponseUrl } from "./reply-sender.js";
import { isSlackAdmin, requestContext, teamOf, type SlackUserRef } from "./slack-context.js";
import { downloadSharedFile, sizeProblem } from "./slack-file-download.js";

export interface ContentUploadOptions {
  /** The limits the content service checks with (default UPLOAD_LIMITS): files over them are not downloaded. */
  limits?: Partial<UploadLimits>;
  /** Per download; default 15 s. */
  downloadTimeoutMs?: number;
  /** Origins besides Slack's own hosts that may receive the bot token for a download (the configured API URL's). */
  extraOrigins?: readonly string[];
}

const warning = (text: string): Reply[] => [{ type: "notice", level: "warning", code: "info", text }];

/** "content upload" (any case, optionally "/study content upload"): the comment that makes a DM file an upload. */
export function isUploadComment(text: string | undefined): boolean {
  return /^\s*(\/study\s+)?content\s+upload\s*$/i.test(text ?? "");
}

/** "content upload" opens the form; every other content text is the core's. */
export function contentSubcommand(opts: ContentUploadOptions = {}): Subcommand {
  const limits = { ...UPLOAD_LIMITS, ...opts.limits };
  return async (input, deps) => {
    if ((input.args[0] ?? "").toLowerCase() !== "upload") return null;
    const upload: ContentCommand = { kind: "content", action: "upload" };
    // The core owns the refusal (and "content packs are not enabled here"); it refuses a non-admin before anything else.
    if (!input.isAdmin) return deps.service.handle(input.ctx, upload);
    try {
      await input.client.views.open({
        trigger_id: input.triggerId,
        view: contentUploadModal({ team: input.team, channel: input.channelId, ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}) }, limits),
      });
      return [];
    } catch (err) {
      deps.log.error("slack: views.open for the content upload form failed", err);
      return warning(`I could not open the upload form (Slack said: ${apiErrorText(err)}). Run /study content upload again, or send the file to drillbot in a direct message with the comment content upload.`);
    }
  };
}

interface UploadRun {
  deps: HandlerDeps;
  client: webApi.WebClient;
  token: string | undefined;
  ref: SlackUserRef;
  eventId: string;
  /** The files shared (the form allows one; a DM message may carry several). */
  files: SlackFileRef[];
  opts: ContentUploadOptions;
  limits: UploadLimits;
}

/** Admin check, download, the core's decision. A non-admin is refused by the core before anything is downloaded. */
async function uploadReplies(run: UploadRun): Promise<Reply[]> {
  const { deps, ref } = run;
  const [base, isAdmin] = await Promise.all([requestContext(deps.profiles, ref, run.eventId), isSlackAdmin(deps.profiles, deps.adminUsers, ref)]);
  const ctx: RequestContext = { ...base, isAdmin, channel: null };
  if (!isAdmin) return deps.service.handle(ctx, { kind: "content", action: "upload" });
  if (run.files.length !== 1) {
    return warning(run.files.length === 0 ? "I found no file in that message. Attach one file with the comment content upload." : "Send one file at a time with the comment content upload: each file is one pack.");
  }
  const got = await downloadSharedFile(run.client, run.token, run.files[0]!, {
    limits: run.limits,
    log: deps.log,
    ...(run.opts.downloadTimeoutMs !== undefined ? { timeoutMs: run.opts.downloadTimeoutMs } : {}),
    ...(run.opts.extraOrigins ? { extraOrigins: run.opts.extraOrigins } : {}),
  });
  const command: ContentCommand = got.ok
    ? { kind: "content", action: "upload", file: { fileName: got.fileName, bytes: got.bytes } }
    : { kind: "content", action: "upload", fetchProblem: `Could not fetch ${got.fileName}: ${got.why}` };
  return deps.service.handle(ctx, command);
}

/** Runs an upload once per event (Slack retries), its replies privately to the admin: the response_url when there is one, else the DM. */
function uploadOnce(deps: HandlerDeps, key: { eventId: string; retryNum: number | undefined; label: string }, to: { responseUrl?: string; client: webApi.WebClient; userId: string }, run: () => Promise<Reply[]>) {
  const deliver = (replies: Reply[]) =>
    deliverReplies({
      responder: to.responseUrl ? fromResponseUrl(to.responseUrl) : null,
      client: to.client,
      userId: to.userId,
      replies,
      visibility: () => "ephemeral",
      log: deps.log,
      uploads: deps.uploads,
    });
  return handleOnce(
    deps,
    key,
    async () => {
      const replies = await run();
      await deliver(replies);
      return replies;
    },
    () => deliver([{ type: "notice", level: "error", code: "info", text: GENERIC_FAILURE }]),
  );
}

export function registerContentUploads(app: App, deps: HandlerDeps, opts: ContentUploadOptions = {}): void {
  const limits = { ...UPLOAD_LIMITS, ...opts.limits };

  app.view(CONTENT_UPLOAD_CALLBACK, async ({ ack, body, view, client, context }) => {
    const meta = decodeContentUploadMetadata(view.private_metadata);
    if (!meta) {
      await ack({ response_action: "errors", errors: { [CONTENT_FILE_BLOCK]: "This form is from an older drillbot. Close it and run /study content upload again." } });
      return;
    }
    const form = readContentUpload(view.state.values);
    if (!form.ok) {
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    // Too large: said next to the field while the form is open, and nothing is downloaded.
    const tooBig = typeof form.file.size === "number" ? sizeProblem(form.file.name ?? "The file", form.file.size, limits) : null;
    if (tooBig) {
      await ack({ response_action: "errors", errors: { [CONTENT_FILE_BLOCK]: tooBig } });
      return;
    }
    // Within Slack's 3 seconds; the download and the checks come after, and the answer arrives as a message.
    await ack();
    const userId = body.user.id;
    const eventId = viewEventId(view.id, userId);
    const ref = { team: meta.team, user: userId, payloadName: body.user.name, client };
    await uploadOnce(deps, { eventId, retryNum: context.retryNum, label: "content upload form" }, { ...(meta.responseUrl ? { responseUrl: meta.responseUrl } : {}), client, userId }, () =>
      uploadReplies({ deps, client, token: context.botToken ?? client.token, ref, eventId, files: [form.file], opts, limits }),
    );
  });

  // A file sent to drillbot in its DM with the comment "content upload". Bolt acks events before listeners run.
  app.event("message", async ({ event, body, client, context }) => {
    const m = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; files?: SlackFileRef[] };
    if (m.channel_type !== "im" || m.subtype !== "file_share" || m.bot_id || !m.user || !isUploadComment(m.text)) return;
    const user = m.user;
    const files = (m.files ?? []).filter((f) => typeof f?.id === "string");
    const eventId = `slack:event:${(body as { event_id?: string }).event_id ?? `${user}:${files[0]?.id ?? "none"}`}`;
    const ref = { team: teamOf(body as Parameters<typeof teamOf>[0]), user, client };
    await uploadOnce(deps, { eventId, retryNum: context.retryNum, label: "content upload by DM" }, { client, userId: user }, () =>
      uploadReplies({ deps, client, token: context.botToken ?? client.token, ref, eventId, files, opts, limits }),
    );
  });
}
