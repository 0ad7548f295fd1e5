/**
 * Bolt global middleware: every request Slack sends passes the interaction
 * gate (counted, one log line, drained at shutdown). Once shutdown begins a
 * new request is acknowledged with a short "restarting" note instead of
 * being handled, so Slack does not show a timeout.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { InteractionGate, InteractionInfo } from "../ops/interaction-gate.js";

export const RESTARTING_TEXT = "⏳ drillbot is restarting and did not take this. Please try again in a few seconds.";

type Body = {
  type?: string;
  command?: string;
  text?: string;
  team_id?: string;
  team?: { id?: string } | null;
  event?: { type?: string };
  actions?: { type?: string }[];
};

/** The first word of a slash command's text, when it looks like a subcommand (bounded, for logs). */
function subcommand(text: string | undefined): string {
  const word = (text ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  return /^[a-z-]{1,20}$/.test(word) ? ` ${word}` : "";
}

export function describeSlackRequest(body: Body): InteractionInfo {
  const workspace = body.team_id ?? body.team?.id ?? undefined;
  const base = { platform: "slack" as const, ...(workspace ? { workspace } : {}) };
  if (body.command) return { ...base, kind: "command", command: `${body.command}${subcommand(body.text)}` };
  switch (body.type) {
    case "block_actions":
      return { ...base, kind: body.actions?.[0]?.type === "button" ? "button" : "select" };
    case "view_submission":
      return { ...base, kind: "modal" };
    case "view_closed":
      return { ...base, kind: "modal-closed" };
    case "block_suggestion":
      return { ...base, kind: "autocomplete" };
    case "event_callback":
      return { ...base, kind: body.event?.type === "app_home_opened" ? "home" : "event" };
    default:
      return { ...base, kind: "other" };
  }
}

export function gateMiddleware(gate: InteractionGate): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const info = describeSlackRequest(args.body as Body);
    if (!gate.accepting) {
      gate.refused(info);
      const { ack, respond } = args as { ack?: (r?: unknown) => Promise<void>; respond?: (r: unknown) => Promise<unknown> };
      if (info.kind === "command") await ack?.({ response_type: "ephemeral", text: RESTARTING_TEXT });
      else {
        await ack?.();
        if (info.kind === "button" || info.kind === "select") await respond?.({ response_type: "ephemeral", replace_original: false, text: RESTARTING_TEXT }).catch(() => undefined);
      }
      return;
    }
    await gate.run(info, async () => {
      await args.next();
    });
  };
}
