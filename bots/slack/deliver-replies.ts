/**
 * Delivers the replies to someone who acted: through the response_url first;
 * what Slack refuses there (a response_url works 5 times within 30 minutes,
 * so a form submitted late finds it expired) goes to the person's DM with the
 * app; and if Slack refuses that too, a plain-text DM says what was and was
 * not recorded. Charts and files cannot ride on those messages: they are
 * uploaded to the DM (dm-uploads.ts) while the text goes out, and one line in
 * the text says they were sent, are on the way, or why not. Nothing here throws.
 */
import type { webApi } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { replyRefusedText } from "../../core/service/what-was-recorded.js";
import type { Logger } from "../logger.js";
import { isAttachment, type Attachment, type DmUploader, type UploadOutcome } from "./dm-uploads.js";
import { postToDm, type Responder, type Visibility } from "./reply-sender.js";
import { renderMessages, type SlackMessage } from "./render-replies.js";

export interface Delivery {
  /** Where the person acted; null when there is none (a form opened from the Home tab). */
  responder: Responder | null;
  client: webApi.WebClient;
  userId: string;
  replies: Reply[];
  visibility: (m: SlackMessage) => Visibility;
  log: Logger;
  /** Uploads charts and files to the DM; without it they are left out. */
  uploads?: DmUploader;
  /** Introduces the charts in the DM, e.g. "Charts for `/study stats`". */
  uploadComment?: string;
}

const LATE_NOTE = "I could not answer where you acted (Slack's reply link had expired or was used up), so here it is.";
const DM = "your DM with drillbot";

/** "2 charts", "`team-export.csv`", "2 charts and `team-export.csv`". */
function describe(attachments: Attachment[]): string {
  const charts = attachments.filter((a) => a.type === "chart").length;
  const files = attachments.flatMap((a) => (a.type === "file" ? [`\`${a.fileName}\``] : []));
  return [charts === 1 ? "1 chart" : charts > 1 ? `${charts} charts` : "", ...files].filter(Boolean).join(" and ");
}

/** The line that tells the learner where the attachments went; `undefined` = still uploading. */
export function uploadNote(attachments: Attachment[], outcome: UploadOutcome | undefined): Reply {
  const what = describe(attachments);
  if (outcome === undefined) return { type: "text", text: `${what} on the way to ${DM}.` };
  if (outcome.ok) return { type: "text", text: `${what} sent to ${DM}.` };
  const same = attachments.some((a) => a.type === "chart") ? " The figures above say the same." : "";
  return { type: "notice", level: "warning", code: "info", text: `Could not send ${what} to ${DM}: ${outcome.why}.${same}` };
}

/** The outcome if it comes within `ms`, else undefined (the upload carries on). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Returns how the replies went out, for logs and tests. */
export async function deliverReplies(d: Delivery): Promise<"response_url" | "dm" | "note" | "nothing"> {
  const uploads = d.uploads;
  const attachments = uploads ? d.replies.filter((r): r is Attachment => isAttachment(r) && uploads.canSend(r)) : [];
  const text = d.replies.filter((r) => !isAttachment(r));
  if (!uploads || attachments.length === 0) return sendReplies(d, text);
  const upload = uploads.send(d.userId, attachments, d.uploadComment, d.client.token);
  const early = await within(upload, uploads.waitMs);
  const how = await sendReplies(d, [...text, uploadNote(attachments, early)]);
  if (early === undefined) {
    const outcome = await upload;
    if (!outcome.ok) await sendReplies(d, [uploadNote(attachments, outcome)]);
  }
  return how;
}

async function sendReplies(d: Delivery, replies: Reply[]): Promise<"response_url" | "dm" | "note" | "nothing"> {
  const messages = renderMessages(replies);
  let rest = messages;
  if (d.responder) {
    let sent = 0;
    for (const m of messages) {
      const response_type = d.visibility(m);
      try {
        await d.responder({ response_type, ...(response_type === "ephemeral" ? { replace_original: false } : {}), text: m.text, blocks: m.blocks });
        sent += 1;
      } catch (err) {
        d.log.warn(`slack: the response_url refused a reply (${sent} of ${messages.length} sent); sending the rest by DM`, err);
        break;
      }
    }
    if (sent === messages.length) return "response_url";
    rest = messages.slice(sent);
  }
  const lead = d.responder ? renderMessages([{ type: "notice", level: "info", code: "info", text: LATE_NOTE }]) : [];
  if (await postToDm(d.client, d.userId, [...lead, ...rest], d.log)) return "dm";
  // The blocks themselves may be what Slack refuses: plain text, saying what was recorded.
  try {
    await d.client.chat.postMessage({ channel: d.userId, text: replyRefusedText(replies, "Slack", "`/study quiz`") });
    return "note";
  } catch (err) {
    d.log.error(`slack: could not reach ${d.userId} at all`, err);
    return "nothing";
  }
}
