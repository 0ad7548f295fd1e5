/**
 * Delivers the replies to someone who acted: through the response_url first;
 * what Slack refuses there (a response_url works 5 times within 30 minutes,
 * so a form submitted late finds it expired) goes to the person's DM with the
 * app; and if Slack refuses that too, a plain-text DM says what was and was
 * not recorded. Nothing here throws.
 */
import type { webApi } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { replyRefusedText } from "../../core/service/what-was-recorded.js";
import type { Logger } from "../logger.js";
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
}

const LATE_NOTE = "I could not answer where you acted (Slack's reply link had expired or was used up), so here it is.";

/** Returns how the replies went out, for logs and tests. */
export async function deliverReplies(d: Delivery): Promise<"response_url" | "dm" | "note" | "nothing"> {
  const messages = renderMessages(d.replies);
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
    await d.client.chat.postMessage({ channel: d.userId, text: replyRefusedText(d.replies, "Slack", "`/study quiz`") });
    return "note";
  } catch (err) {
    d.log.error(`slack: could not reach ${d.userId} at all`, err);
    return "nothing";
  }
}
