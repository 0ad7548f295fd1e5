/**
 * Request budgets shared by every process through Redis, for the platforms'
 * rate limits (Discord's 50 requests/s per bot token, Slack's 1 message/s per
 * channel). The counting is rate-limiter-flexible's RateLimiterRedis (one
 * atomic INCR + expiry script per take).
 *
 * SharedRateBudget: at most `perSecond` requests in ANY second, in all
 * processes together. rate-limiter-flexible's Redis windows are whole seconds
 * and start at the first take, so a plain "48 per 1 s" window lets 48 go at
 * the end of one window and 48 more at the start of the next (96 within one
 * second). Instead time is cut into slots of 1000/(perSecond − 1) ms,
 * numbered from the epoch, and each slot's key admits one request: any
 * one-second interval overlaps at most perSecond slots. A caller is released
 * only inside the slot its process took, never later: a take whose answer
 * comes back after its slot ended (a slow Redis, a stalled event loop) loses
 * that slot, since releasing then would put two requests where the budget
 * meant one. So at most perSecond requests start in any second, at a steady
 * perSecond − 1 per second. Each process queues its callers, and only the
 * head of its queue takes, once per slot (no herd on Redis), just before the
 * slot starts (as long before as recent takes took), so it goes on time even
 * when Redis is far.
 *
 * A pause (a global 429) is a key with a TTL that every process reads with
 * each take, just before its request goes, so one process's 429 holds them all.
 *
 * KeyedPacer: at most one take per key per interval (Slack: a channel), with
 * waiting instead of refusing.
 */
import type { Cluster, Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export interface SharedRateBudgetOptions {
  redis: Redis | Cluster;
  /** Prefix of the slot keys (one per slot, living a few seconds). */
  keyPrefix: string;
  /** The key that, while it exists, holds every process (its PTTL is the wait). */
  pauseKey: string;
  /** The most requests in any one second for all processes together (the steady rate is one less). */
  perSecond: number;
  /** Epoch ms; default Date.now. Slots are numbered from it, so processes must agree on it (NTP). */
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, Math.ceil(ms))));

function aborted(signal: AbortSignal | undefined | null): Error | null {
  if (!signal?.aborted) return null;
  return signal.reason instanceof Error ? signal.reason : new Error("the request was aborted while waiting for the rate budget");
}

/** A process takes a slot at most this long before it starts (the slot keys outlive that). */
const MAX_LEAD_MS = 500;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  signal?: AbortSignal | null;
}

export class SharedRateBudget {
  readonly slotMs: number;
  private readonly limiter: RateLimiterRedis;
  private readonly now: () => number;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  /** The first slot this process has not tried yet. */
  private nextSlot = 0;
  /** How long before a slot's start its take begins: the slowest recent take, decaying. */
  private leadMs = 0;
  /** Requests this process was admitted, slots it took but could not use in time, and the waits a pause imposed (for tests and the benchmark). */
  admitted = 0;
  lateSlots = 0;
  pausedMs = 0;

  constructor(private readonly opts: SharedRateBudgetOptions) {
    if (!(opts.perSecond >= 1)) throw new Error(`a rate budget needs perSecond >= 1 (got ${opts.perSecond})`);
    this.slotMs = 1000 / Math.max(1, opts.perSecond - 1);
    this.now = opts.now ?? Date.now;
    // A slot's key lives until well after its slot has passed, however early it was taken.
    const duration = Math.ceil((MAX_LEAD_MS + this.slotMs) / 1000) + 1;
    this.limiter = new RateLimiterRedis({ storeClient: opts.redis, keyPrefix: opts.keyPrefix, points: 1, duration });
  }

  /** Resolves when this process may send one request; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal | null): Promise<void> {
    const early = aborted(signal);
    if (early) return Promise.reject(early);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject, signal });
      void this.pump();
    });
  }

  /** Holds every process for `ms` (a global 429's Retry-After); never shortens a longer pause. */
  async pauseAll(ms: number): Promise<void> {
    const wait = Math.ceil(ms);
    if (wait <= 0) return;
    const left = await this.opts.redis.pttl(this.opts.pauseKey);
    if (left >= wait) return;
    await this.opts.redis.set(this.opts.pauseKey, String(this.now() + wait), "PX", wait);
  }

  /** Milliseconds every process is still held for (0 when not paused). */
  async pausedFor(): Promise<number> {
    return Math.max(0, await this.opts.redis.pttl(this.opts.pauseKey));
  }

  private dropAborted(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const err = aborted(this.queue[i]!.signal);
      if (err) this.queue.splice(i, 1)[0]!.reject(err);
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.dropAborted();
        if (this.queue.length === 0) return;
        const slot = Math.max(this.nextSlot, Math.floor((this.now() + this.leadMs) / this.slotMs));
        // Take it just before it starts (as long before as takes have lately taken): the pause read
        // with the take is then fresh when the request goes.
        const early = slot * this.slotMs - this.leadMs - this.now();
        if (early > 0) {
          await sleep(early);
          this.dropAborted();
          if (this.queue.length === 0) return;
        }
        const asked = this.now();
        if (asked >= (slot + 1) * this.slotMs) {
          // This process was held up past the slot (a stalled event loop): skip it untaken.
          this.nextSlot = slot + 1;
          continue;
        }
        // The pause is read with the take (one round trip): a slot taken while paused is given up.
        const [paused, took] = await Promise.all([
          this.pausedFor(),
          this.limiter.consume(String(slot), 1).then(
            () => true,
            (err: unknown) => {
              if (err instanceof RateLimiterRes) return false;
              throw err;
            },
          ),
        ]);
        const answered = this.now();
        this.leadMs = Math.min(MAX_LEAD_MS, Math.max(answered - asked, this.leadMs * 0.9));
        if (paused > 0) {
          this.pausedMs += paused;
          await sleep(paused);
          continue;
        }
        this.nextSlot = slot + 1;
        // Another process has this slot: try the next.
        if (!took) continue;
        await sleep(slot * this.slotMs - answered);
        if (this.now() >= (slot + 1) * this.slotMs) {
          this.lateSlots += 1;
          continue;
        }
        this.dropAborted();
        const head = this.queue.shift();
        if (head) {
          this.admitted += 1;
          head.resolve();
        }
      }
    } catch (err) {
      // Redis failed: the callers fail (their job is retried by BullMQ), the next caller starts over.
      const e = err instanceof Error ? err : new Error(String(err));
      for (const w of this.queue.splice(0)) w.reject(e);
    } finally {
      this.pumping = false;
    }
  }
}

export interface KeyedPacerOptions {
  redis: Redis | Cluster;
  keyPrefix: string;
  /** At most one take per key per this many seconds (whole seconds: rate-limiter-flexible's Redis windows). */
  intervalSeconds: number;
}

/** One take per key per interval across processes; a take waits until its key's window has passed. */
export class KeyedPacer {
  private readonly limiter: RateLimiterRedis;
  waitedMs = 0;

  constructor(opts: KeyedPacerOptions) {
    this.limiter = new RateLimiterRedis({ storeClient: opts.redis, keyPrefix: opts.keyPrefix, points: 1, duration: opts.intervalSeconds });
  }

  async take(key: string): Promise<void> {
    for (;;) {
      try {
        await this.limiter.consume(key, 1);
        return;
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const wait = Math.max(1, err.msBeforeNext);
        this.waitedMs += wait;
        await sleep(wait);
      }
    }
  }
}
