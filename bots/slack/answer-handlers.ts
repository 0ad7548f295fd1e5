/**
 * Answers: choice buttons, multi-select checkboxes + Submit, and the typed
 * answer modal. Every answer is acked at once; the feedback (and, for the
 * quiz's owner, the next question) goes EPHEMERAL to the one who clicked and
 * never changes the shared question message.
 */
import type { App, BlockAction, ButtonAction, RespondFn, webApi } from "@slack/bolt";
import { parseAnswer } from "../../core/answer-input.js";
import type { Command } from "../../core/commands.js";
import { boundQuotes, MAX_FIELD, tooLong } from "../../core/input-limits.js";
import type { QuestionRef, Reply } from "../../core/replies.js";
import { choiceOrder } from "../../core/service/choice-order.js";
import { questionReply } from "../../core/service/present.js";
import {
  ACTIONS,
  actionEventId,
  CHOICE_ACTION,
  decodeMetadata,
  decodeValue,
  MODAL_CALLBACK,
  MODAL_INPUT,
  viewEventId,
} from "./action-codec.js";
import { GENERIC_FAILURE, handleOnce, type HandlerDeps } from "./handler-deps.js";
import { deliverReplies } from "./deliver-replies.js";
import { apiErrorText, fromRespond, fromResponseUrl, type Responder } from "./reply-sender.js";
import { answerModal, type QuestionReply } from "./render-question.js";
import { requestContext, teamOf } from "./slack-context.js";

const STALE_BUTTON = "That button comes from an older drillbot message I can no longer read. Start a fresh quiz with `/study quiz`.";

const ephemeral = (responder: Responder, text: string) => responder({ response_type: "ephemeral", replace_original: false, text });

/** A short private note to the clicker; a failure to send it is only logged. */
async function tell(deps: HandlerDeps, responder: Responder, text: string): Promise<void> {
  await ephemeral(responder, text).catch((err: unknown) => deps.log.warn("slack: could not send a note to the response_url", err));
}

type ButtonBody = BlockAction<ButtonAction>;

/** Grades one answer for the clicker and sends the feedback ephemerally (by DM when the response_url refuses). */
async function answer(deps: HandlerDeps, body: ButtonBody, action: ButtonAction, responder: Responder, client: webApi.WebClient, retryNum: number | undefined, command: Command): Promise<void> {
  const eventId = actionEventId(action.action_ts, body.user.id, action.action_id, body.trigger_id);
  await handleOnce(
    deps,
    { eventId, retryNum, label: `answer ${action.action_id}` },
    async () => {
      const ctx = await requestContext(deps.profiles, { team: teamOf(body), user: body.user.id, payloadName: body.user.name ?? body.user.username, client }, eventId);
      const replies = await deps.service.handle(ctx, command);
      await deliverReplies({ responder, client, userId: body.user.id, replies, visibility: () => "ephemeral", log: deps.log });
      return replies;
    },
    () => ephemeral(responder, GENERIC_FAILURE),
  );
}

/** The question on screen, rebuilt from the catalog (the same choice order as shown). */
async function questionFor(deps: HandlerDeps, team: string, ref: QuestionRef): Promise<QuestionReply | null> {
  const catalog = await deps.service.catalogFor({ platform: "slack", workspace: team });
  if (!catalog.question(ref.questionId)) return null;
  return questionReply(catalog, ref, 0) as QuestionReply;
}

export function registerAnswerHandlers(app: App, deps: HandlerDeps): void {
  app.action<ButtonBody>(CHOICE_ACTION, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    const responder = fromRespond(respond as RespondFn);
    const decoded = decodeValue(action.value);
    if (!decoded?.choiceId) return tell(deps, responder, STALE_BUTTON);
    const isTrueFalse = (await deps.service.catalogFor({ platform: "slack", workspace: teamOf(body) })).question(decoded.ref.questionId)?.question.type === "truefalse";
    const input = isTrueFalse ? { kind: "boolean" as const, value: decoded.choiceId === "true" } : { kind: "choices" as const, ids: [decoded.choiceId] };
    await answer(deps, body, action, responder, client, context.retryNum, { kind: "answer", ref: decoded.ref, input });
  });

  // Ticking a checkbox is only a state change; the answer is sent with Submit.
  app.action(ACTIONS.multiPick, async ({ ack }) => {
    await ack();
  });

  app.action<ButtonBody>(ACTIONS.multiSubmit, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    const responder = fromRespond(respond as RespondFn);
    const decoded = decodeValue(action.value);
    if (!decoded) return tell(deps, responder, STALE_BUTTON);
    const picked = Object.values(body.state?.values ?? {})
      .map((block) => block[ACTIONS.multiPick]?.selected_options ?? [])
      .find((opts) => opts.length > 0);
    if (!picked?.length) return tell(deps, responder, "Tick at least one answer, then press Submit.");
    const ids = picked.map((o) => o.value).filter((v): v is string => typeof v === "string");
    await answer(deps, body, action, responder, client, context.retryNum, { kind: "answer", ref: decoded.ref, input: { kind: "choices", ids } });
  });

  app.action<ButtonBody>(ACTIONS.openModal, async ({ ack, body, action, respond, client }) => {
    await ack();
    const responder = fromRespond(respond as RespondFn);
    const decoded = decodeValue(action.value);
    const question = decoded ? await questionFor(deps, teamOf(body), decoded.ref) : null;
    if (!question) return tell(deps, responder, STALE_BUTTON);
    try {
      // trigger_id expires 3 seconds after the click: open the modal before anything slow.
      await client.views.open({ trigger_id: body.trigger_id, view: answerModal(question, body.response_url) });
    } catch (err) {
      deps.log.error("slack: views.open failed", err);
      await tell(deps, responder, `I could not open the answer form (Slack said: ${apiErrorText(err)}). Press Answer again in a moment.`);
    }
  });

  app.view(MODAL_CALLBACK, async ({ ack, body, view, client, context }) => {
    const meta = decodeMetadata(view.private_metadata);
    const raw = view.state.values[MODAL_INPUT.block]?.[MODAL_INPUT.action]?.value ?? "";
    if (!meta) {
      await ack({ response_action: "errors", errors: { [MODAL_INPUT.block]: "This form is from an older drillbot. Close it and start a fresh quiz with /study quiz." } });
      return;
    }
    // Check the typed text here, so the form stays open with the reason next to the field.
    const entry = (await deps.service.catalogFor({ platform: "slack", workspace: teamOf(body) })).question(meta.ref.questionId);
    const tooLongReason = tooLong(raw, MAX_FIELD.answer, "The answer");
    const parsed = tooLongReason ? { ok: false as const, reason: tooLongReason } : entry ? parseAnswer(entry.question, raw, choiceOrder(meta.ref.sessionId, entry.question)) : null;
    if (parsed && !parsed.ok) {
      await ack({ response_action: "errors", errors: { [MODAL_INPUT.block]: boundQuotes(parsed.reason) } });
      return;
    }
    await ack();
    const eventId = viewEventId(view.id, body.user.id);
    // The response_url was issued at the Answer click: a form sent back after 30 minutes finds it expired, and the DM takes over.
    const send = (replies: Reply[]) =>
      deliverReplies({ responder: meta.responseUrl ? fromResponseUrl(meta.responseUrl) : null, client, userId: body.user.id, replies, visibility: () => "ephemeral", log: deps.log });
    await handleOnce(
      deps,
      { eventId, retryNum: context.retryNum, label: "answer form" },
      async () => {
        const ctx = await requestContext(deps.profiles, { team: teamOf(body), user: body.user.id, payloadName: body.user.name, client }, eventId);
        const replies = await deps.service.handle(ctx, { kind: "answer", ref: meta.ref, raw });
        await send(replies);
        return replies;
      },
      () => send([{ type: "notice", level: "error", code: "unavailable", text: GENERIC_FAILURE }]),
    );
  });
}
