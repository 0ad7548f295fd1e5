/**
 * The questions a terminal shows that are still open, newest last: a typed
 * answer goes to the newest. Quiz questions, daily drills and shared ones (a
 * challenge or a channel drill printed into the terminal) live side by side,
 * so answering a challenge mid-quiz leaves the quiz's question answerable.
 */
import type { QuestionRef, Reply } from "../../core/replies.js";

export type QuestionReply = Extract<Reply, { type: "question" }>;

const MAX_OPEN = 10;

const sameSlot = (a: QuestionRef, b: QuestionRef) => a.sessionId === b.sessionId && a.index === b.index;

export class OpenQuestion {
  private readonly open: QuestionReply[] = [];

  /** The question a typed answer goes to: the newest one still open. */
  get current(): QuestionRef | null {
    return this.open.at(-1)?.ref ?? null;
  }

  get currentQuestion(): QuestionReply | null {
    return this.open.at(-1) ?? null;
  }

  /** Follows what was just printed: a new question opens (replacing its session's older one); feedback closes the one answered. */
  saw(replies: Reply[]): void {
    for (const r of replies) {
      if (r.type === "question") {
        this.drop((q) => q.ref.sessionId === r.ref.sessionId);
        this.open.push(r);
        if (this.open.length > MAX_OPEN) this.open.shift();
      } else if (r.type === "feedback") this.drop((q) => sameSlot(q.ref, r.ref));
    }
  }

  /** Forgets a question the bot said is no longer open. */
  close(ref: QuestionRef): void {
    this.drop((q) => sameSlot(q.ref, ref));
  }

  private drop(match: (q: QuestionReply) => boolean): void {
    for (let i = this.open.length - 1; i >= 0; i--) if (match(this.open[i]!)) this.open.splice(i, 1);
  }
}
