/**
 * The length limits every command obeys whatever platform it came from (a
 * shell line, a Slack command or form, Discord options and modals): a field
 * over its limit turns the command into a refusal, so nothing that long is
 * stored or posted. Pure.
 */
import { checkWritten, USAGE, type Command } from "../commands.js";
import { MAX_FIELD, tooLong } from "../input-limits.js";

export function boundCommand(cmd: Command): Command {
  const refuse = (reason: string | null, usage: string): Command | null => (reason ? { kind: "invalid", reason, usage } : null);
  switch (cmd.kind) {
    case "learn":
      return refuse(cmd.topic === undefined ? null : tooLong(cmd.topic, MAX_FIELD.topic, "The topic"), USAGE.learn) ?? cmd;
    case "quiz":
      return refuse(cmd.topic === undefined ? null : tooLong(cmd.topic, MAX_FIELD.topic, "The topic"), USAGE.quiz) ?? cmd;
    case "tz":
      return refuse(cmd.zone === undefined ? null : tooLong(cmd.zone, MAX_FIELD.zone, "The time zone"), USAGE.tz) ?? cmd;
    case "answer":
      return refuse(cmd.raw === undefined ? null : tooLong(cmd.raw, MAX_FIELD.answer, "That answer"), "type the number of your choice, or a short answer") ?? cmd;
    case "challenge":
      if (cmd.action === "post") return refuse(tooLong(cmd.pick, MAX_FIELD.topic, "The topic or question id"), USAGE.challenge) ?? cmd;
      return refuse(checkWritten(cmd.question), USAGE.challenge) ?? cmd;
    default:
      return cmd;
  }
}
