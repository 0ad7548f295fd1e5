/**
 * What Slack sends to an HTTP app, for tests: slash commands (form fields),
 * interactivity (payload=<json>) and Events API (JSON), signed with the v0
 * scheme: x-slack-signature = "v0=" + HMAC-SHA256(secret, "v0:{ts}:{body}").
 */
import { createHmac } from "node:crypto";

export const FORM = "application/x-www-form-urlencoded";

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface PostOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Replace the computed signature (to send a bad one). */
  signature?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface AppResponse {
  status: number;
  text: string;
}

export async function postToApp(port: number, body: string, contentType: string, opts: PostOptions): Promise<AppResponse> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": opts.signature ?? sign(opts.secret, ts, body),
  };
  if (opts.retryNum !== undefined) headers["x-slack-retry-num"] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers["x-slack-retry-reason"] = opts.retryReason;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function payloadBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SlackUser {
  team: string;
  user: string;
  name: string;
  /** The enterprise of an org-wide install the request comes through (is_enterprise_install). */
  enterprise?: string;
}

export function commandFields(who: SlackUser, text: string, responseUrl: string, triggerId: string, channel = "C1"): Record<string, string> {
  return {
    token: "verification-token",
    team_id: who.team,
    team_domain: who.team.toLowerCase(),
    channel_id: channel,
    channel_name: "study",
    user_id: who.user,
    user_name: who.name,
    command: "/study",
    text,
    api_app_id: "A1",
    is_enterprise_install: who.enterprise ? "true" : "false",
    ...(who.enterprise ? { enterprise_id: who.enterprise } : {}),
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

export interface ButtonLike {
  action_id: string;
  value?: string;
  text?: { text: string };
}

export function blockActionPayload(
  who: SlackUser,
  button: ButtonLike,
  opts: { responseUrl?: string; actionTs: string; triggerId: string; blockId?: string; channel?: string | null; state?: Record<string, any>; containerType?: "message" | "view" },
): Record<string, unknown> {
  const inView = opts.containerType === "view";
  return {
    type: "block_actions",
    user: { id: who.user, username: who.name, name: who.name, team_id: who.team },
    api_app_id: "A1",
    token: "verification-token",
    container: inView ? { type: "view", view_id: "VHOME" } : { type: "message", message_ts: "1700000000.000001", channel_id: opts.channel ?? "C1", is_ephemeral: false },
    trigger_id: opts.triggerId,
    team: { id: who.team, domain: who.team.toLowerCase() },
    enterprise: who.enterprise ? { id: who.enterprise, name: who.enterprise } : null,
    is_enterprise_install: Boolean(who.enterprise),
    ...(inView ? { view: { id: "VHOME", type: "home" } } : { channel: { id: opts.channel ?? "C1", name: "study" }, message: { type: "message", ts: "1700000000.000001", text: "q" } }),
    state: { values: opts.state ?? {} },
    ...(opts.responseUrl ? { response_url: opts.responseUrl } : {}),
    actions: [
      {
        action_id: button.action_id,
        block_id: opts.blockId ?? "b1",
        text: { type: "plain_text", text: button.text?.text ?? "" },
        value: button.value,
        type: "button",
        action_ts: opts.actionTs,
      },
    ],
  };
}

export function viewSubmissionPayload(who: SlackUser, view: { id: string; callback_id: string; private_metadata: string }, values: Record<string, any>): Record<string, unknown> {
  return {
    type: "view_submission",
    team: { id: who.team, domain: who.team.toLowerCase() },
    user: { id: who.user, username: who.name, name: who.name, team_id: who.team },
    api_app_id: "A1",
    token: "verification-token",
    trigger_id: `trig-view-${view.id}`,
    view: {
      id: view.id,
      team_id: who.team,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values },
      hash: "h1",
      blocks: [],
    },
    response_urls: [],
    is_enterprise_install: Boolean(who.enterprise),
    enterprise: who.enterprise ? { id: who.enterprise, name: who.enterprise } : null,
  };
}

export function appHomeOpenedEvent(who: SlackUser, eventId: string): Record<string, unknown> {
  return {
    token: "verification-token",
    team_id: who.team,
    api_app_id: "A1",
    event: { type: "app_home_opened", user: who.user, channel: "D1", tab: "home", event_ts: "1700000000.000100" },
    type: "event_callback",
    event_id: eventId,
    event_time: 1700000000,
    authorizations: [{ enterprise_id: who.enterprise ?? null, team_id: who.enterprise ? null : who.team, user_id: "UBOT", is_bot: true, is_enterprise_install: Boolean(who.enterprise) }],
    is_ext_shared_channel: false,
  };
}

/** A file_input's value in a view_submission's state (`files`: Slack's file objects). */
export function fileInputValue(files: Record<string, unknown>[]): Record<string, unknown> {
  return { type: "file_input", files };
}

/**
 * A file sent to the app in its DM (Messages tab), as the Events API delivers
 * it: a message event, subtype file_share, channel_type im, with the message
 * text (the file's comment) and the file objects.
 */
export function fileShareDmEvent(who: SlackUser, opts: { eventId: string; channel: string; text: string; files: Record<string, unknown>[] }): Record<string, unknown> {
  const ts = `1700000100.${opts.eventId.replace(/\D/g, "").padStart(6, "0").slice(-6)}`;
  return {
    token: "verification-token",
    team_id: who.team,
    api_app_id: "A1",
    event: {
      type: "message",
      subtype: "file_share",
      text: opts.text,
      files: opts.files,
      upload: false,
      user: who.user,
      display_as_bot: false,
      ts,
      channel: opts.channel,
      channel_type: "im",
      event_ts: ts,
    },
    type: "event_callback",
    event_id: opts.eventId,
    event_time: 1700000100,
    authorizations: [{ enterprise_id: who.enterprise ?? null, team_id: who.enterprise ? null : who.team, user_id: "UBOT", is_bot: true, is_enterprise_install: Boolean(who.enterprise) }],
    is_ext_shared_channel: false,
  };
}
