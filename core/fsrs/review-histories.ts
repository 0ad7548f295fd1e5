/**
 * A workspace's review log as per-card review histories, in the shape FSRS's
 * optimizer (fsrs-rs) trains on, and the split into a training part and a
 * held-out part.
 *
 * Conventions, as fsrs-rs builds items from Anki's revlog (convertor_tests.rs
 * `convert_to_fsrs_items`, Anki rslib `reviews_for_fsrs`):
 * - a card is one learner x one question; its reviews are sorted by time;
 * - delta_t is the number of whole days between the local dates of a review and
 *   the one before it (0 for the first review); a date that goes backwards (the
 *   learner moved to a zone behind) counts as 0, as fsrs-rs's `max(0)`;
 * - several reviews on one local day are all kept: the later ones have
 *   delta_t 0 and update the memory state with FSRS-5/6's short-term formula,
 *   but only reviews with delta_t > 0 are predicted (trained on, evaluated),
 *   since FSRS's forgetting curve is in days;
 * - every review after the first with delta_t > 0 is one "item": the card's
 *   reviews up to and including it.
 */

/** One graded answer from the log. */
export interface LogEntry {
  learner: string;
  question: string;
  /** FSRS rating 1-4 (drillbot writes 1 Again when wrong, 3 Good when right). */
  rating: number;
  /** The learner's local date "YYYY-MM-DD" at the answer. */
  date: string;
  /** The answer's time (ms since the epoch). */
  ms: number;
}

export interface HistoryReview {
  rating: number;
  /** Whole local days since the card's previous review (0 for the first). */
  deltaT: number;
  ms: number;
}

export interface CardHistory {
  learner: string;
  question: string;
  reviews: HistoryReview[];
}

/** One predicted review: `histories[card].reviews[index]`, with the reviews before it as its history. */
export interface ItemRef {
  card: number;
  index: number;
  ms: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD", or null if it is not a real date. */
export function dayNumber(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / 86_400_000;
}

/** True when an entry can be used: a known rating, a real date and a finite time. */
export function isUsableEntry(e: LogEntry): boolean {
  return Number.isInteger(e.rating) && e.rating >= 1 && e.rating <= 4 && dayNumber(e.date) !== null && Number.isFinite(e.ms) && e.learner !== "" && e.question !== "";
}

/**
 * Collects log entries (in any order, e.g. page by page from the stream) into
 * per-card histories. Entries of one card are sorted by time (ties keep their
 * log order). Unusable entries are counted and left out.
 */
export class HistoryBuilder {
  private readonly cards = new Map<string, { learner: string; question: string; ratings: number[]; days: number[]; ms: number[]; seq: number[] }>();
  private seq = 0;
  skipped = 0;

  add(e: LogEntry): void {
    const day = dayNumber(e.date);
    if (day === null || !isUsableEntry(e)) {
      this.skipped++;
      return;
    }
    const key = `${e.learner}\u0000${e.question}`;
    let c = this.cards.get(key);
    if (!c) this.cards.set(key, (c = { learner: e.learner, question: e.question, ratings: [], days: [], ms: [], seq: [] }));
    c.ratings.push(e.rating);
    c.days.push(day);
    c.ms.push(e.ms);
    c.seq.push(this.seq++);
  }

  histories(): CardHistory[] {
    const out: CardHistory[] = [];
    for (const c of this.cards.values()) {
      const order = c.ms.map((_, i) => i).sort((a, b) => c.ms[a]! - c.ms[b]! || c.seq[a]! - c.seq[b]!);
      const reviews = order.map((i, k) => ({
        rating: c.ratings[i]!,
        deltaT: k === 0 ? 0 : Math.max(0, c.days[i]! - c.days[order[k - 1]!]!),
        ms: c.ms[i]!,
      }));
      out.push({ learner: c.learner, question: c.question, reviews });
    }
    return out;
  }
}

/** Per-card histories from log entries in any order (see HistoryBuilder). */
export function buildHistories(entries: Iterable<LogEntry>): CardHistory[] {
  const b = new HistoryBuilder();
  for (const e of entries) b.add(e);
  return b.histories();
}

/** Every predicted review (delta_t > 0, not a card's first), sorted by time as fsrs-rs expects its items. */
export function reviewItems(histories: readonly CardHistory[]): ItemRef[] {
  const items: ItemRef[] = [];
  histories.forEach((h, card) => {
    for (let index = 1; index < h.reviews.length; index++) {
      const r = h.reviews[index]!;
      if (r.deltaT > 0) items.push({ card, index, ms: r.ms });
    }
  });
  return items.sort((a, b) => a.ms - b.ms || a.card - b.card || a.index - b.index);
}

export interface TimeSplit {
  /** Items before the cutoff: what the optimizer fits on. */
  train: ItemRef[];
  /** Items at or after the cutoff: what the fitted and the default weights are compared on. */
  heldOut: ItemRef[];
  /** The first held-out review's time (ms), or null when nothing is held out. */
  cutoffMs: number | null;
}

/**
 * Splits items by time: the latest `heldOutShare` of them are held out, the
 * rest are trained on. FSRS's benchmark (srs-benchmark, and fsrs-rs's
 * evaluate_with_time_series_splits) evaluates the same way, with a
 * time-series split: a model is fitted on the past and tested on the reviews
 * that come after, never on reviews older than its training data. A held-out
 * item's history may include training reviews of the same card, as there.
 * Items at the same instant as the cutoff all go to the held-out part.
 */
export function splitByTime(items: readonly ItemRef[], heldOutShare = 0.2): TimeSplit {
  if (items.length === 0 || heldOutShare <= 0) return { train: [...items], heldOut: [], cutoffMs: null };
  const sorted = [...items].sort((a, b) => a.ms - b.ms || a.card - b.card || a.index - b.index);
  let at = Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - heldOutShare)));
  const cutoffMs = sorted[at]!.ms;
  while (at > 0 && sorted[at - 1]!.ms === cutoffMs) at--;
  return { train: sorted.slice(0, at), heldOut: sorted.slice(at), cutoffMs };
}

/** How many graded reviews the histories hold (every entry that was usable). */
export function reviewCount(histories: readonly CardHistory[]): number {
  let n = 0;
  for (const h of histories) n += h.reviews.length;
  return n;
}
