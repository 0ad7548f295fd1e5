/** Delivers scheduled messages (drills, reminders, results) into the running terminal chat. */
import type { LearnerKey } from "../../core/identity.js";
import type { Messenger } from "../../core/ports.js";
import type { Reply } from "../../core/replies.js";
import type { ChannelRef } from "../../core/schedule/model.js";
import type { OpenQuestion } from "./open-question.js";
import { renderText } from "./render-text.js";

export class ShellMessenger implements Messenger {
  constructor(
    private readonly output: (text: string) => void,
    private readonly open?: OpenQuestion,
  ) {}

  async toLearner(learner: LearnerKey, replies: Reply[]): Promise<void> {
    this.open?.saw(replies);
    this.output([`[drillbot -> ${learner.user}]`, ...replies.map(renderText), ""].join("\n"));
  }

  async toChannel(channel: ChannelRef, replies: Reply[]): Promise<void> {
    this.open?.saw(replies);
    this.output([`[drillbot in #${channel.channel}]`, ...replies.map(renderText), ""].join("\n"));
  }
}
