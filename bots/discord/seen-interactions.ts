/**
 * Interaction ids this process has taken over HTTP, kept as long as a signed
 * request for them could still be accepted (the signature's age limit): a
 * replay of the same signed request runs nothing. Across processes the study
 * service's event ids (the interaction id) make an answer count once.
 */
import { MAX_SIGNATURE_AGE_MS } from "./interaction-signature.js";

export interface SeenInteractions {
  /** True the first time `id` is offered, false for every repeat while it is remembered. */
  firstTime(id: string, nowMs: number): boolean;
}

export function memorySeenInteractions(keepMs = 2 * MAX_SIGNATURE_AGE_MS): SeenInteractions {
  // Insertion order is arrival order, so the oldest entries are dropped from the front.
  const seen = new Map<string, number>();
  return {
    firstTime(id, nowMs) {
      for (const [old, at] of seen) {
        if (nowMs - at <= keepMs) break;
        seen.delete(old);
      }
      if (seen.has(id)) return false;
      seen.set(id, nowMs);
      return true;
    },
  };
}
