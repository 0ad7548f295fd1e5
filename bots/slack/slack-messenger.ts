/**
 * The core's Messenger port on Slack's Web API alone (no Bolt app, no
 * listener), so the `drillbot worker` role can send scheduled drills,
 * reminders and results. A DM is chat.postMessage with channel = the user id
 * (Slack opens the app's DM, the Messages tab); a channel post is
 * chat.postMessage to the channel id. Messages are the same Block Kit (with
 * the plain-text fallback) as replies to commands.
 *
 * Pacing (with `shared`, through Redis, across processes): at most one
 * message per second per channel (a DM is its own channel), Slack's
 * chat.postMessage guidance, and a budget per workspace for all its channels.
 *
 * Tokens: one workspace's (botToken), or with OAuth distribution each
 * workspace's own, asked of `tokens` for every send (the learner's or the
 * channel's workspace). A workspace drillbot is no longer installed in is
 * skipped with a log line, as is one whose token Slack says was revoked.
 *
 * Failures, for the job runtime:
 * - 429: the client rejects at once (rejectRateLimitedCalls) and we throw an
 *   Error with `retryAfterMs`, so the runtime pauses the whole Slack queue.
 * - a channel or user that is gone (see UNDELIVERABLE): logged, resolved.
 * - anything else: thrown, and BullMQ retries with backoff.
 */
import { webApi } from "@slack/bolt";
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import type { ChannelRef } from "../../core/schedule/model.js";
import type { Cluster, Redis } from "ioredis";
import { KeyedPacer, SharedRateBudget } from "../jobs/shared-rate-limit.js";
import type { Logger } from "../logger.js";
import type { RedisKeys } from "../redis/keys.js";
import { slackClientOptions } from "../ops/platform-metrics.js";
import { boltLogger } from "./bolt-logger.js";
import type { SlackTokenSource } from "./installation-store.js";
import { renderMessages } from "./render-replies.js";

export interface SlackMessengerOptions {
  /** One workspace's token (SLACK_BOT_TOKEN); unset with `tokens`. */
  botToken?: string;
  /** OAuth distribution: each workspace's bot token, asked for every send. */
  tokens?: SlackTokenSource;
  /** Web API base URL (default Slack's); a missing trailing "/" is added. */
  apiUrl?: string;
  log: Logger;
  /**
   * The client's own retries of network errors and 5xx. Default: 2 quick ones.
   * BullMQ retries the job after that; long client retries would hold the
   * delivery lease (60 s) and let another worker send the same message.
   */
  retryConfig?: webApi.RetryOptions;
  /** Per request; default 15 s, for the same reason. */
  timeoutMs?: number;
  /** Pace through this Redis, shared by every process: 1 message/s per channel and `workspacePerSecond` (default 18, at most that many in any second) per workspace. */
  shared?: { redis: Redis | Cluster; keys: RedisKeys; workspacePerSecond?: number };
}

/**
 * Slack publishes no figure for chat.postMessage's workspace-wide limit
 * ("Special" tier: about 1 message per second per channel, short bursts
 * allowed, plus a workspace-wide limit); we hold a workspace to at most 18
 * messages in any second (17/s steady), under the delivery queue's own 20
 * jobs/s, and a 429 still pauses everything.
 */
export const SLACK_WORKSPACE_MESSAGES_PER_SECOND = 18;

/** Thrown for a 429: the job runtime pauses the queue for `retryAfterMs`, then retries. */
export class SlackRateLimitedError extends Error {
  override name = "SlackRateLimitedError";
  constructor(readonly retryAfterMs: number) {
    super(`Slack rate limit: retry in ${Math.round(retryAfterMs / 1000)} s`);
  }
}

/**
 * Errors a retry cannot fix: the channel was deleted or archived, the bot is
 * not in that (private) channel, the user left or was deactivated. Retrying
 * would only repeat the failure through BullMQ's whole backoff and hold up
 * the queue; the next scheduled post tries again anyway, and an admin can
 * turn the drill off (/study drill channel off) or invite the bot.
 */
export const UNDELIVERABLE: ReadonlySet<string> = new Set(["channel_not_found", "not_in_channel", "is_archived", "user_not_found", "account_inactive"]);

/** With OAuth distribution: the workspace's token no longer works (uninstalled, revoked); retrying would not help. */
export const TOKEN_GONE: ReadonlySet<string> = new Set(["token_revoked", "invalid_auth", "not_authed", "team_not_found", "app_uninstalled"]);

const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 };

/** Messages of one delivery already accepted by Slack, so a retry in this process resumes after them. */
const PROGRESS_LIMIT = 1_000;

export interface SlackMessenger extends Messenger {
  /** Milliseconds spent waiting for a channel's second to pass (shared pacing only). */
  channelWaitMs(): number;
}

export function createSlackMessenger(opts: SlackMessengerOptions): SlackMessenger {
  if (Boolean(opts.botToken) === Boolean(opts.tokens)) throw new Error("createSlackMessenger needs either botToken (one workspace) or tokens (OAuth distribution)");
  const tokens = opts.tokens;
  const client = new webApi.WebClient(
    opts.botToken,
    slackClientOptions({
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
      logger: boltLogger(opts.log),
      rejectRateLimitedCalls: true,
      retryConfig: opts.retryConfig ?? DEFAULT_RETRIES,
      timeout: opts.timeoutMs ?? 15_000,
    }),
  );
  // Chat messages have no idempotency key on Slack. A delivery of several
  // messages (intro + question) that hits a 429 halfway must not repeat the
  // first one on its retry: remember how far each delivery got.
  const progress = new Map<string, number>();
  const shared = opts.shared;
  const channels = shared ? new KeyedPacer({ redis: shared.redis, keyPrefix: shared.keys.slackChannelPace(), intervalSeconds: 1 }) : undefined;
  const workspaces = new Map<string, SharedRateBudget>();
  const workspaceBudget = (workspace: string): SharedRateBudget | undefined => {
    if (!shared) return undefined;
    let b = workspaces.get(workspace);
    if (!b) {
      const name = `slack:${workspace}`;
      b = new SharedRateBudget({ redis: shared.redis, keyPrefix: shared.keys.rateBudget(name), pauseKey: shared.keys.ratePause(name), perSecond: shared.workspacePerSecond ?? SLACK_WORKSPACE_MESSAGES_PER_SECOND });
      workspaces.set(workspace, b);
    }
    return b;
  };

  async function send(workspace: string, channel: string, what: string, replies: Reply[], idempotencyKey: string): Promise<void> {
    // One message per drill where it fits (intro and question together): each message costs a paced second.
    const token = tokens ? await tokens.botTokenFor(workspace) : undefined;
    if (token === null) {
      opts.log.warn(`slack: not delivering ${idempotencyKey} to ${what} ${channel}: drillbot is not installed in workspace ${workspace} (uninstalled?); skipped, not retried`);
      progress.delete(idempotencyKey);
      return;
    }
    const messages = renderMessages(replies, { oneMessage: true });
    const budget = workspaceBudget(workspace);
    for (let i = progress.get(idempotencyKey) ?? 0; i < messages.length; i++) {
      const m = messages[i]!;
      await channels?.take(`${workspace}:${channel}`);
      await budget?.acquire();
      try {
        await client.chat.postMessage({ ...(token ? { token } : {}), channel, text: m.text, blocks: m.blocks });
      } catch (err) {
        const e = err as { code?: string; retryAfter?: unknown; data?: { error?: string } };
        if (e.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === "number") {
          remember(idempotencyKey, i);
          const waitMs = Math.max(1, e.retryAfter) * 1000;
          await budget?.pauseAll(waitMs);
          throw new SlackRateLimitedError(waitMs);
        }
        const code = e.data?.error;
        if (e.code === webApi.ErrorCode.PlatformError && code && UNDELIVERABLE.has(code)) {
          opts.log.warn(`slack: not delivering ${idempotencyKey} to ${what} ${channel}: ${code} (a retry would not help)`);
          progress.delete(idempotencyKey);
          return;
        }
        if (tokens && e.code === webApi.ErrorCode.PlatformError && code && TOKEN_GONE.has(code)) {
          opts.log.warn(`slack: not delivering ${idempotencyKey} to ${what} ${channel}: Slack refused workspace ${workspace}'s token (${code}; uninstalled?); skipped, not retried`);
          tokens.forget?.(workspace);
          progress.delete(idempotencyKey);
          return;
        }
        remember(idempotencyKey, i);
        throw err;
      }
    }
    progress.delete(idempotencyKey);
  }

  function remember(key: string, sent: number): void {
    if (sent === 0) return;
    progress.delete(key);
    progress.set(key, sent);
    if (progress.size > PROGRESS_LIMIT) progress.delete(progress.keys().next().value!);
  }

  return {
    toLearner: (learner: LearnerKey, replies: Reply[], { idempotencyKey }) => send(learner.workspace, learner.user, "user", replies, idempotencyKey),
    toChannel: (channel: ChannelRef, replies: Reply[], { idempotencyKey }) => send(channel.workspace, channel.channel, "channel", replies, idempotencyKey),
    channelWaitMs: () => channels?.waitedMs ?? 0,
  };
}
