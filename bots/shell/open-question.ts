/**
 * Which question the terminal shows last, so a typed answer goes to it: a
 * quiz question, or a shared one (a challenge or channel drill printed into
 * the terminal) that is not part of the learner's own quiz.
 */
import type { QuestionRef, Reply } from "../../core/replies.js";

export class OpenQuestion {
  private ref: QuestionRef | null = null;

  get current(): QuestionRef | null {
    return this.ref;
  }

  /** Follows what was just printed: a new question opens; feedback or a summary closes the one answered. */
  saw(replies: Reply[]): void {
    for (const r of replies) {
      if (r.type === "question") this.ref = r.ref;
      else if ((r.type === "feedback" || r.type === "summary") && (!this.ref || r.type === "summary" || sameSlot(r.ref, this.ref))) this.ref = null;
    }
  }
}

function sameSlot(a: QuestionRef, b: QuestionRef): boolean {
  return a.sessionId === b.sessionId && a.index === b.index;
}
