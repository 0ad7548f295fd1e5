/**
 * App Home: on app_home_opened (Home tab) publish the learner's figures; the
 * "Start a quiz" button there starts a quiz and posts it to the learner's DM
 * with the app (the Messages tab). A Home-tab click carries no response_url
 * and no channel, so the DM is the one place a question can go; chat.postMessage
 * to the user id reaches it with the chat:write scope alone.
 */
import type { App, BlockAction, ButtonAction, webApi } from "@slack/bolt";
import { actionEventId, ACTIONS } from "./action-codec.js";
import { handleOnce, type HandlerDeps } from "./handler-deps.js";
import { postToDm } from "./reply-sender.js";
import { renderMessages } from "./render-replies.js";
import { homeView } from "./render-home.js";
import { requestContext, teamOf } from "./slack-context.js";

async function publish(client: webApi.WebClient, deps: HandlerDeps, userId: string, view: ReturnType<typeof homeView>): Promise<void> {
  try {
    await client.views.publish({ user_id: userId, view });
  } catch (err) {
    deps.log.error(`slack: views.publish for ${userId} failed`, err);
  }
}

export function registerHome(app: App, deps: HandlerDeps): void {
  // Bolt acks Events API deliveries before listeners run.
  app.event("app_home_opened", async ({ event, body, client, context }) => {
    if (event.tab !== "home") return;
    const eventId = `slack:event:${body.event_id}`;
    await handleOnce(deps, { eventId, retryNum: context.retryNum, label: "app_home_opened" }, async () => {
      const ctx = await requestContext(deps.profiles, { team: teamOf(body), user: event.user, client }, eventId);
      const replies = await deps.service.handle(ctx, { kind: "stats" });
      await publish(client, deps, event.user, homeView(replies));
      return replies;
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.homeQuiz, async ({ ack, body, action, client, context }) => {
    await ack();
    const user = body.user.id;
    const eventId = actionEventId(action.action_ts, user, action.action_id, body.trigger_id);
    await handleOnce(deps, { eventId, retryNum: context.retryNum, label: "home quiz button" }, async () => {
      const ctx = await requestContext(deps.profiles, { team: teamOf(body), user, payloadName: body.user.name ?? body.user.username, client }, eventId);
      const replies = await deps.service.handle(ctx, { kind: "quiz" });
      const sent = await postToDm(client, user, renderMessages(replies), deps.log);
      const stats = await deps.service.handle(ctx, { kind: "stats" });
      const note = sent
        ? ":point_left: Your quiz is waiting in the Messages tab."
        : ":warning: I could not send your quiz to the Messages tab. Try /quiz in a channel instead.";
      await publish(client, deps, user, homeView(stats, note));
      return replies;
    });
  });
}
