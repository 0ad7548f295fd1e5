/**
 * The core's Messenger port on Discord's REST API only (no gateway), so the
 * `drillbot worker` role can send too: a DM opens (or reuses) the DM channel
 * with POST /users/@me/channels, then posts to it; a channel post goes to
 * POST /channels/{id}/messages. Replies are rendered like interaction
 * answers, so questions keep working answer buttons.
 *
 * Rate limits: with `shared` (Redis), every request of every process takes
 * a slot of one budget per bot token (rest-budget.ts), a global 429 holds
 * them all, and DM channel ids are kept in Redis (dm-channels.ts), so a
 * learner reached before costs one request. A drill's intro and question go
 * out as one message where Discord's limits allow.
 *
 * At most once: every message carries a nonce derived from the delivery's
 * idempotency key, with enforce_nonce, so when a worker crashed after Discord
 * accepted a message and the job runs again, Discord returns the earlier
 * message instead of posting a second one (Discord checks nonces over the
 * past few minutes).
 */
import { createHash } from "node:crypto";
import { DiscordAPIError, RateLimitError, REST, Routes, type RateLimitData, type RawFile, type RESTPostAPIChannelMessageJSONBody } from "discord.js";
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import type { ChannelRef } from "../../core/schedule/model.js";
import type { Cluster, Redis } from "ioredis";
import type { ChartRenderer } from "../charts/chart-renderer.js";
import type { SharedRateBudget } from "../jobs/shared-rate-limit.js";
import type { RedisKeys } from "../redis/keys.js";
import type { Logger } from "../logger.js";
import { observeDiscordRest } from "../ops/platform-metrics.js";
import { createChartDrawer, renderWithCharts } from "./chart-images.js";
import { isHomeId } from "./custom-id.js";
import { memoryDmChannels, redisDmChannels } from "./dm-channels.js";
import { discordBudget, shareRestBudget } from "./rest-budget.js";
import type { OutMessage } from "./render-message.js";

export interface DiscordMessengerOptions {
  token: string;
  /** Base of the REST API, e.g. a stand-in's "http://127.0.0.1:8080/api". Default: Discord's. */
  apiUrl?: string;
  log: Logger;
  /**
   * Rate-limit waits up to this long are waited out by the REST client; a
   * longer one is thrown at once as an Error with `retryAfterMs`, so the job
   * runtime pauses the queue instead of a worker blocking. Default 2 s.
   */
  maxWaitMs?: number;
  /** Per-request timeout (default 15 s, the REST client's). */
  timeoutMs?: number;
  /** Draws chart replies to PNGs; without it charts are sent as their alt text. The caller closes it. */
  charts?: ChartRenderer;
  /** Appended to the User-Agent (names a worker process, e.g. to a stand-in). */
  userAgentAppendix?: string;
  /**
   * Share the bot's request budget and DM channel ids with every process
   * through this Redis. Without it, each process keeps its own (the REST's
   * 50/s per process) and DM channels are remembered in memory only.
   */
  shared?: { redis: Redis | Cluster; keys: RedisKeys; requestsPerSecond?: number };
}

export interface DiscordMessenger extends Messenger {
  /** The shared request budget, when `shared` was given. */
  readonly budget: SharedRateBudget | undefined;
  /** Stops the REST client's sweep timers. */
  close(): void;
}

/** Discord asked us to slow down for longer than we wait in place. */
export class DiscordRateLimitedError extends Error {
  override name = "DiscordRateLimitedError";
  constructor(
    readonly retryAfterMs: number,
    route: string,
  ) {
    super(`Discord rate limit on ${route}: retry in ${retryAfterMs} ms`);
  }
}

/** Discord's nonce: at most 25 characters. One per message of a delivery. */
export function nonceFor(idempotencyKey: string, index: number): string {
  return createHash("sha256").update(`${idempotencyKey}#${index}`).digest("hex").slice(0, 25);
}

const waitOf = (d: Pick<RateLimitData, "retryAfter" | "sublimitTimeout" | "timeToReset">): number =>
  Math.ceil(Math.max(d.retryAfter, d.sublimitTimeout) || d.timeToReset || 1000);

function body(m: OutMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
  return {
    ...(m.content ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    ...(m.files?.length ? { attachments: m.files.map((f, id) => ({ id, filename: f.name, ...(f.description ? { description: f.description } : {}) })) } : {}),
    allowed_mentions: { parse: [] },
    nonce,
    enforce_nonce: true,
  };
}

/** The multipart parts files[0..n], in the order of the attachments list. */
const filesOf = (m: OutMessage): RawFile[] => (m.files ?? []).map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));

/** 403 (DMs closed, no access to the channel) and 404 (channel or user gone): sending again cannot help. */
function isUndeliverable(err: unknown): err is DiscordAPIError {
  return err instanceof DiscordAPIError && (err.status === 403 || err.status === 404);
}

export function createDiscordMessenger(opts: DiscordMessengerOptions): DiscordMessenger {
  const { log } = opts;
  const maxWaitMs = opts.maxWaitMs ?? 2_000;
  const base = new REST({
    ...(opts.apiUrl ? { api: opts.apiUrl } : {}),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    ...(opts.userAgentAppendix ? { userAgentAppendix: opts.userAgentAppendix } : {}),
    rejectOnRateLimit: (data) => waitOf(data) > maxWaitMs,
  }).setToken(opts.token);
  const budget = opts.shared ? discordBudget(opts.shared.redis, opts.shared.keys, opts.token, opts.shared.requestsPerSecond) : undefined;
  const rest = observeDiscordRest(budget ? shareRestBudget(base, budget) : base);
  /** user id -> DM channel id: opening a DM channel is idempotent, but costs a request. */
  const dmChannels = opts.shared ? redisDmChannels(opts.shared.redis, opts.shared.keys) : memoryDmChannels();
  const drawCharts = createChartDrawer(opts.charts, log);

  async function dmChannel(userId: string): Promise<string> {
    const known = await dmChannels.get(userId);
    if (known) return known;
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    await dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async function post(channelId: string, replies: Reply[], key: string, home?: string): Promise<void> {
    const messages = await renderWithCharts(replies, drawCharts, { oneMessage: true, ...(home ? { home } : {}) });
    for (const [i, m] of messages.entries()) {
      const files = filesOf(m);
      await rest.post(Routes.channelMessages(channelId), { body: body(m, nonceFor(key, i)), ...(files.length ? { files } : {}) });
    }
  }

  /**
   * A 429 longer than maxWaitMs becomes retryAfterMs (the job runtime pauses and retries).
   * A 403/404 is logged at warn and swallowed: retrying cannot deliver it (the user
   * closed their DMs, the bot lost the channel, the channel was deleted), so the job
   * must not be retried; the warning is the record that it was not delivered.
   * Anything else is thrown, and BullMQ retries with backoff.
   */
  async function settle(err: unknown, what: string, onGone?: () => Promise<void>): Promise<void> {
    if (err instanceof RateLimitError) throw new DiscordRateLimitedError(waitOf(err), err.route);
    if (isUndeliverable(err)) {
      await onGone?.();
      log.warn(`discord: ${what} was NOT delivered and will not be retried (${err.status}, code ${String(err.code)}: ${err.message})`);
      return;
    }
    throw err;
  }

  return {
    async toLearner(learner: LearnerKey, replies: Reply[], { idempotencyKey }: { idempotencyKey: string }): Promise<void> {
      if (learner.platform !== "discord") throw new Error(`the Discord messenger cannot reach a ${learner.platform} learner`);
      try {
        const channelId = await dmChannel(learner.user);
        // A server learner's buttons name their server: the DM's interactions do not.
        await post(channelId, replies, idempotencyKey, isHomeId(learner.workspace) ? learner.workspace : undefined);
      } catch (err) {
        await settle(err, `DM ${idempotencyKey} to user ${learner.user}`, () => dmChannels.forget(learner.user));
      }
    },

    async toChannel(channel: ChannelRef, replies: Reply[], { idempotencyKey }: { idempotencyKey: string }): Promise<void> {
      if (channel.platform !== "discord") throw new Error(`the Discord messenger cannot post to a ${channel.platform} channel`);
      try {
        await post(channel.channel, replies, idempotencyKey);
      } catch (err) {
        await settle(err, `post ${idempotencyKey} to channel ${channel.channel}`);
      }
    },

    budget,

    close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}
