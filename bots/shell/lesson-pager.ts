/** Shows a lesson one card at a time: Enter or /next prints the next card, then the takeaways. */
import type { Reply } from "../../core/replies.js";
import { lessonCard, lessonEnd, lessonHead } from "./render-text.js";

type LessonReply = Extract<Reply, { type: "lesson" }>;

export class LessonPager {
  private lesson: LessonReply | null = null;
  private next = 0;
  /** What the bot said after the lesson (e.g. "Quiz yourself with ..."): shown after its last card. */
  private after: string[] = [];

  /** The head and first card of a new lesson; `after` is printed once the last card is shown. */
  open(lesson: LessonReply, after: string[] = []): string {
    this.lesson = lesson;
    this.next = 0;
    this.after = after;
    return `${lessonHead(lesson)}\n\n${this.advance()}`;
  }

  get reading(): boolean {
    return this.lesson !== null;
  }

  /** The next card, or the lesson's end after the last one; null when no lesson is open. */
  advance(): string | null {
    const lesson = this.lesson;
    if (!lesson) return null;
    if (this.next < lesson.cards.length) {
      const card = lessonCard(lesson, this.next);
      this.next += 1;
      return this.next < lesson.cards.length ? card : [card, "", lessonEnd(lesson), ...this.after].join("\n");
    }
    this.lesson = null;
    return null;
  }

  /** The lesson ended with its last card. */
  settle(): void {
    if (this.lesson && this.next >= this.lesson.cards.length) this.lesson = null;
  }
}
