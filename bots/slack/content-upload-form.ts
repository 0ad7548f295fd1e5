/**
 * The "upload content" modal that /study content upload opens (a slash
 * command cannot carry a file): one input block holding a Block Kit
 * file_input, its private_metadata (the workspace, the channel the command
 * came from and its response_url, for the private replies), and reading the
 * submitted file back, with the errors Slack shows next to the field.
 */
import type { types } from "@slack/bolt";
import { UPLOAD_LIMITS, type UploadLimits } from "../../core/content/upload/check-upload.js";
import { VERSION } from "./action-codec.js";

export const CONTENT_UPLOAD_CALLBACK = "study.content.upload";
/** The input block's id (errors are keyed by block id) and its file_input's action id. */
export const CONTENT_FILE_BLOCK = "content.file";
export const CONTENT_FILE_ACTION = "file";
/** Extensions the file picker offers; checkUpload still judges the content itself. */
export const CONTENT_FILETYPES = ["csv", "tsv", "yaml", "yml", "json", "txt"] as const;

export interface ContentUploadMetadata {
  v: typeof VERSION;
  team: string;
  /** The channel /study content upload was typed in. */
  channel: string;
  /** The command's response_url (30 minutes, 5 uses): the private replies go there, else to the DM. */
  responseUrl?: string;
}

export function encodeContentUploadMetadata(meta: Omit<ContentUploadMetadata, "v">): string {
  return JSON.stringify({ v: VERSION, ...meta });
}

export function decodeContentUploadMetadata(text: string | undefined): ContentUploadMetadata | null {
  if (!text) return null;
  try {
    const m = JSON.parse(text) as Partial<ContentUploadMetadata>;
    if (m.v !== VERSION || typeof m.team !== "string" || typeof m.channel !== "string") return null;
    return { v: VERSION, team: m.team, channel: m.channel, ...(typeof m.responseUrl === "string" ? { responseUrl: m.responseUrl } : {}) };
  } catch {
    return null;
  }
}

const mb = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

export function contentUploadModal(meta: Omit<ContentUploadMetadata, "v">, limits: UploadLimits = UPLOAD_LIMITS): types.ModalView {
  return {
    type: "modal",
    callback_id: CONTENT_UPLOAD_CALLBACK,
    title: { type: "plain_text", text: "Upload content" },
    submit: { type: "plain_text", text: "Upload" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeContentUploadMetadata(meta),
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text:
            "Add a content pack for this workspace: a *YAML pack* (as `/study content export` gives), a *course JSON*, or a *CSV/TSV question table* " +
            "(columns `question`, `options` split by `|`, `answer`, and optionally `explanation`, `topic`). The pack id comes from the file name or the pack; " +
            "uploading the same pack again replaces it (`/study content rollback <pack>` goes back).",
        },
      },
      {
        type: "input",
        block_id: CONTENT_FILE_BLOCK,
        label: { type: "plain_text", text: "Content file" },
        hint: {
          type: "plain_text",
          text: `One file: a YAML pack up to ${mb(limits.maxPackBytes)}, other files up to ${mb(limits.maxBytes)}; at most ${limits.maxQuestions.toLocaleString("en-US")} questions and ${limits.maxLessons} lessons. It is checked whole before anything is stored.`,
        },
        element: { type: "file_input", action_id: CONTENT_FILE_ACTION, filetypes: [...CONTENT_FILETYPES], max_files: 1 },
      },
    ],
  };
}

/** The fields of a Slack file object drillbot reads (view_submission state, message events, files.info). */
export interface SlackFileRef {
  id: string;
  name?: string;
  size?: number;
  filetype?: string;
  url_private_download?: string;
  url_private?: string;
  /** "check_file_info": the object is partial; files.info has the rest. */
  file_access?: string;
}

type StateValues = Record<string, Record<string, { files?: unknown[] } | undefined> | undefined>;

const isFileRef = (f: unknown): f is SlackFileRef => typeof f === "object" && f !== null && typeof (f as { id?: unknown }).id === "string";

/** The one file of a submission, or the error to show next to the field. */
export function readContentUpload(values: StateValues): { ok: true; file: SlackFileRef } | { ok: false; errors: Record<string, string> } {
  const files = (values[CONTENT_FILE_BLOCK]?.[CONTENT_FILE_ACTION]?.files ?? []).filter(isFileRef);
  if (files.length === 0) return { ok: false, errors: { [CONTENT_FILE_BLOCK]: "Choose a file to upload: a .yaml pack, a course .json or a .csv/.tsv question table." } };
  if (files.length > 1) return { ok: false, errors: { [CONTENT_FILE_BLOCK]: "Upload one file at a time: each file is one pack." } };
  return { ok: true, file: files[0]! };
}
