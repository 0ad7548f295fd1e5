/** Delivers scheduled messages (drills, reminders, results) into the running terminal chat. */
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import type { ChannelRef } from "../../core/schedule/model.js";
import type { OpenQuestion } from "./open-question.js";
import { renderText } from "./render-text.js";
import { terminalWidth, wrapText } from "./wrap-text.js";

export class ShellMessenger implements Messenger {
  constructor(
    private readonly output: (text: string) => void,
    private readonly open?: OpenQuestion,
    private readonly columns?: number,
  ) {}

  private print(head: string, replies: Reply[]): void {
    this.open?.saw(replies);
    this.output(wrapText([head, ...replies.map(renderText), ""].join("\n"), this.columns ?? terminalWidth()));
  }

  async toLearner(learner: LearnerKey, replies: Reply[]): Promise<void> {
    this.print(`[drillbot -> ${learner.user}]`, replies);
  }

  async toChannel(channel: ChannelRef, replies: Reply[]): Promise<void> {
    this.print(`[drillbot in #${channel.channel}]`, replies);
  }
}
