/**
 * "/study challenge write <duration>" with nothing after it: opens a form
 * (question, options one per line, the right option's number, explanation)
 * instead of the one-line "| *option |" syntax. The submission is checked
 * with the core's rules, errors shown next to the fields; a valid one goes to
 * the core, the question is posted in the channel the command came from, and
 * the admin gets a private confirmation.
 */
import type { App, webApi } from "@slack/bolt";
import type { Reply } from "../../core/replies.js";
import { parseDuration } from "../../core/schedule/model.js";
import type { RequestContext } from "../../core/service/study-service.js";
import { viewEventId } from "./action-codec.js";
import { CHALLENGE_CALLBACK, CHALLENGE_FIELDS, challengeModal, decodeChallengeMetadata, describeMinutes, readChallengeForm, type ChallengeMetadata } from "./challenge-form.js";
import type { Subcommand } from "./command-handler.js";
import { GENERIC_FAILURE, handleOnce, type HandlerDeps } from "./handler-deps.js";
import { apiErrorText, fromResponseUrl, postToDm, respondAll } from "./reply-sender.js";
import { renderMessages, type SlackMessage } from "./render-replies.js";
import { isSlackAdmin, requestContext } from "./slack-context.js";

const notice = (text: string): Reply[] => [{ type: "notice", level: "warning", code: "info", text }];

/** The "challenge" subcommand: only "write <duration>" alone is ours; everything else is the core's grammar. */
export const challengeSubcommand: Subcommand = async (input, deps) => {
  const [sub, duration, ...more] = input.args;
  if ((sub ?? "").toLowerCase() !== "write" || !duration || more.length > 0) return null;
  const d = parseDuration(duration);
  if (!d.ok) return null; // the core explains durations
  if (!input.isAdmin) {
    // The core owns the refusal wording; it refuses a non-admin before looking at the rest of the command.
    return deps.service.handle(input.ctx, { kind: "challenge", action: "post", pick: "", minutes: d.minutes });
  }
  try {
    await input.client.views.open({
      trigger_id: input.triggerId,
      view: challengeModal({ team: input.team, channel: input.channelId, minutes: d.minutes, ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}) }),
    });
    return [];
  } catch (err) {
    deps.log.error("slack: views.open for the challenge form failed", err);
    return notice(`I could not open the challenge form (Slack said: ${apiErrorText(err)}). Run /challenge write ${duration} again.`);
  }
};

const plain = (text: string): SlackMessage => ({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }], hasQuestion: false });

/** Private messages to the admin: through the command's response_url while it lasts, else the app DM. */
async function tellAdmin(client: webApi.WebClient, meta: ChallengeMetadata, userId: string, messages: SlackMessage[], deps: HandlerDeps): Promise<void> {
  if (meta.responseUrl && (await respondAll(fromResponseUrl(meta.responseUrl), messages, () => "ephemeral", deps.log))) return;
  await postToDm(client, userId, messages, deps.log);
}

/**
 * Posts the challenge in its channel with chat.postMessage. If Slack refuses
 * (the bot is not in a private channel, say), the rest goes through the
 * command's response_url, which works in any channel the command was typed in.
 */
type Posted = { kind: "posted" } | { kind: "via-response-url" } | { kind: "failed"; reason: string };

async function postInChannel(client: webApi.WebClient, meta: ChallengeMetadata, messages: SlackMessage[], deps: HandlerDeps): Promise<Posted> {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    try {
      await client.chat.postMessage({ channel: meta.channel, text: m.text, blocks: m.blocks });
    } catch (err) {
      const reason = apiErrorText(err);
      deps.log.warn(`slack: could not post the challenge in ${meta.channel} (${reason})`, err);
      if (meta.responseUrl && (await respondAll(fromResponseUrl(meta.responseUrl), messages.slice(i), () => "in_channel", deps.log))) return { kind: "via-response-url" };
      return { kind: "failed", reason };
    }
  }
  return { kind: "posted" };
}

function confirmation(meta: ChallengeMetadata, outcome: Posted): string {
  const where = `<#${meta.channel}>`;
  const closes = `It closes in ${describeMinutes(meta.minutes)}`;
  if (outcome.kind === "posted") return `:white_check_mark: Your challenge is posted in ${where}. ${closes}; the results are posted there then.`;
  if (outcome.kind === "via-response-url") {
    return `:warning: Your challenge is posted in ${where}, but drillbot is not a member there, so it cannot post the results when the challenge closes. \`/invite @drillbot\` to the channel before then.`;
  }
  return `:x: Your challenge was saved but I could not post it in ${where} (Slack said: ${outcome.reason}). \`/invite @drillbot\` to the channel and write it again.`;
}

export function registerChallengeForm(app: App, deps: HandlerDeps): void {
  app.view(CHALLENGE_CALLBACK, async ({ ack, body, view, client, context }) => {
    const meta = decodeChallengeMetadata(view.private_metadata);
    if (!meta) {
      await ack({ response_action: "errors", errors: { [CHALLENGE_FIELDS.stem]: "This form is from an older drillbot. Close it and run /study challenge write <duration> again." } });
      return;
    }
    // Check the fields here, so the form stays open with each reason next to its field.
    const form = readChallengeForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    await ack();
    const userId = body.user.id;
    const eventId = viewEventId(view.id, userId);
    await handleOnce(
      deps,
      { eventId, retryNum: context.retryNum, label: "challenge form" },
      async () => {
        const ref = { team: meta.team, user: userId, payloadName: body.user.name, client };
        const [base, isAdmin] = await Promise.all([requestContext(deps.profiles, ref, eventId), isSlackAdmin(deps.profiles, deps.adminUsers, ref)]);
        const ctx: RequestContext = { ...base, isAdmin, channel: { platform: "slack", workspace: meta.team, channel: meta.channel } };
        const replies = await deps.service.handle(ctx, { kind: "challenge", action: "write", question: form.question, minutes: meta.minutes });
        if (!replies.some((r) => r.type === "question")) {
          // Refused (no longer an admin) or storage unavailable: only the admin hears about it.
          await tellAdmin(client, meta, userId, renderMessages(replies), deps);
          return replies;
        }
        const outcome = await postInChannel(client, meta, renderMessages(replies), deps);
        await tellAdmin(client, meta, userId, [plain(confirmation(meta, outcome))], deps);
        return replies;
      },
      () => tellAdmin(client, meta, userId, [plain(GENERIC_FAILURE)], deps),
    );
  });
}
