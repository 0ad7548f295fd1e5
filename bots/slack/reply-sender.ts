/**
 * Sends rendered messages to Slack: through a response_url (Bolt's `respond`,
 * or a stored one after a modal), or as a DM with chat.postMessage. A failed
 * send is logged and the rest still go out; nothing here throws.
 */
import type { RespondFn, webApi } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import type { Logger } from "../logger.js";
import type { SlackMessage } from "./render-replies.js";
import { slackFetch } from "../ops/platform-metrics.js";

export type Visibility = "in_channel" | "ephemeral";

/** Posts one message body to a response_url (a Bolt respond function or our own). */
export type Responder = (body: Record<string, unknown>) => Promise<unknown>;

export function fromRespond(respond: RespondFn): Responder {
  return (body) => respond(body as Parameters<RespondFn>[0]);
}

/** A response_url kept from an earlier click (the modal's); valid for 30 minutes and 5 uses. */
export function fromResponseUrl(url: string): Responder {
  return async (body) => {
    const res = await slackFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
    return res;
  };
}

/** Ephemeral replies go only to the person who acted and never replace the message they acted on. */
export async function respondAll(responder: Responder, messages: SlackMessage[], visibility: (m: SlackMessage) => Visibility, log: Logger): Promise<boolean> {
  let ok = true;
  for (const m of messages) {
    const response_type = visibility(m);
    try {
      await responder({ response_type, ...(response_type === "ephemeral" ? { replace_original: false } : {}), text: m.text, blocks: m.blocks });
    } catch (err) {
      ok = false;
      log.error("slack: could not post a reply to the response_url", err);
    }
  }
  return ok;
}

/** Posts to the user's DM with the app (its Messages tab): chat.postMessage to the user id needs only chat:write. */
export async function postToDm(client: webApi.WebClient, userId: string, messages: SlackMessage[], log: Logger): Promise<boolean> {
  for (const m of messages) {
    try {
      await client.chat.postMessage({ channel: userId, text: m.text, blocks: m.blocks });
    } catch (err) {
      log.error(`slack: chat.postMessage to ${userId} failed`, err);
      return false;
    }
  }
  return true;
}

/** Storage did not answer: the delivery should not count as handled, so a retry may do the work. */
export function isUnavailable(replies: Reply[]): boolean {
  return replies.some((r) => r.type === "notice" && r.code === "unavailable");
}

/** The short text of a Web API failure, safe to show a user ("expired_trigger_id", "rate limited"). */
export function apiErrorText(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; message?: string } | undefined;
  if (e?.data?.error) return e.data.error;
  if (e?.code === "slack_webapi_rate_limited_error" || /rate limit/i.test(e?.message ?? "")) return "rate limited";
  if (e?.code === "slack_webapi_request_error") return "no answer from Slack";
  return "an unexpected error";
}
