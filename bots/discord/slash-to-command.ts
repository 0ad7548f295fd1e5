/** Turns a slash command (its name, subcommand and option values) into a core command. Pure. */
import { MAX_QUIZ_COUNT, USAGE, type Command } from "../../core/commands.js";
import { OPTION } from "./command-definitions.js";
import { contentToCommand } from "./content-slash.js";
import { challengeToCommand, drillToCommand } from "./drill-slash.js";
import { breakToCommand, settingsToCommand, teamToCommand } from "./settings-slash.js";

export interface SlashInput {
  name: string;
  /** The subcommand group (/settings team ...), if any. */
  group?: string | null;
  subcommand: string | null;
  /** Option values by name (those of the subcommand, when there is one). */
  options: Record<string, string | number | boolean | undefined>;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** Returns null for a command drillbot does not know (the caller shows help). */
export function slashToCommand(input: SlashInput): Command | null {
  const { options } = input;
  switch (input.name) {
    case "help":
      return { kind: "help" };
    case "learn": {
      const topic = text(options[OPTION.topic]);
      return topic ? { kind: "learn", topic: topic.toLowerCase() } : { kind: "learn" };
    }
    case "quiz": {
      const cmd: Command = { kind: "quiz" };
      const topic = text(options[OPTION.topic]);
      if (topic) cmd.topic = topic.toLowerCase();
      const count = options[OPTION.count];
      if (count !== undefined) {
        if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_QUIZ_COUNT) {
          return { kind: "invalid", reason: `"${String(count)}" is not a question count: use a number from 1 to ${MAX_QUIZ_COUNT}.`, usage: "/quiz [topic] [count]" };
        }
        cmd.count = count;
      }
      return cmd;
    }
    case "review":
      return { kind: "review" };
    case "streak":
      return { kind: "streak" };
    case "stats":
      return { kind: "stats" };
    case "team":
      return teamToCommand(options);
    case "break":
      return breakToCommand(options);
    case "leaderboard": {
      const period = text(options[OPTION.period])?.toLowerCase() ?? "week";
      if (period === "week" || period === "all") return { kind: "leaderboard", period };
      return { kind: "invalid", reason: `"${period}" is not a leaderboard period: use week or all.`, usage: USAGE.leaderboard };
    }
    case "settings":
      return settingsToCommand(input);
    case "drill":
      return drillToCommand(input.subcommand, options);
    case "challenge":
      return challengeToCommand(input.subcommand, options);
    case "content":
      // An upload's file is fetched by handle-content.ts.
      return contentToCommand(input.subcommand, options);
    default:
      return null;
  }
}
