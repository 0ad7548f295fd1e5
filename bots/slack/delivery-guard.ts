/**
 * Remembers, in this process, which deliveries (by event id) are being or
 * were handled, so a delivery Slack marks as a retry (x-slack-retry-num, or a
 * Socket Mode retry_attempt) of one we already took gets an ack and no work.
 *
 * Only retries are skipped: a retry means Slack thinks our ack was late or
 * lost, while the original is in hand here. A delivery that failed (an
 * exception, or storage unavailable) is forgotten, so its retry does the work.
 * Without this memory (another process, a restart) the retry is handled in
 * full, and the store's idempotency on the event id still counts an answer once.
 */
export class DeliveryGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this delivery should be handled; false for a retry of one already taken. */
  begin(eventId: string, retryNum: number | undefined): boolean {
    this.prune();
    if (retryNum && retryNum > 0 && this.seen.has(eventId)) return false;
    this.seen.delete(eventId);
    this.seen.set(eventId, this.now());
    return true;
  }

  /** The delivery failed: let a retry do the work. */
  fail(eventId: string): void {
    this.seen.delete(eventId);
  }

  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, at] of this.seen) {
      if (at >= cutoff && this.seen.size < this.maxEntries) break;
      this.seen.delete(id);
    }
  }
}
