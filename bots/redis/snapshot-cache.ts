/**
 * A bounded in-process cache of learner snapshots. It only saves the read
 * before an answer: every write is checked against the learner's version in
 * Redis, so a stale entry costs one extra round trip, never a wrong write.
 */
import type { LearnerSnapshot } from "../../core/ports.js";

export class SnapshotCache {
  private readonly entries = new Map<string, LearnerSnapshot>();

  constructor(private readonly maxEntries = 20_000) {}

  get(id: string): LearnerSnapshot | undefined {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return hit;
  }

  set(id: string, snap: LearnerSnapshot): void {
    this.entries.delete(id);
    this.entries.set(id, snap);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }
}
