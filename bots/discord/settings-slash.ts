/**
 * /settings, /break and /team options as core commands. Values are checked by
 * the core's own parsers (parseRetention, parseQuietHours, the /break
 * grammar), so every platform accepts and refuses the same input. Pure.
 */
import { MAX_BREAK_DAYS, parseCommandText, parseQuietHours, parseRetention, type Command } from "../../core/commands.js";
import { MAX_RETENTION, MIN_RETENTION } from "../../core/srs.js";
import { OPTION, SETTINGS_SUB, SUBCOMMAND_TZ } from "./command-definitions.js";
import type { SlashInput } from "./slash-to-command.js";

/** How the commands are typed on Discord (the core's usage lines follow the text grammar); one line a subcommand, to keep refusals short. */
export const DISCORD_USAGE = {
  settings: "/settings show | tz | private | retention | team retention | team quiet | admin-role",
  private: "/settings private state:<on|off>",
  retention: `/settings retention value:<${MIN_RETENTION}-${MAX_RETENTION} | default>`,
  teamRetention: `/settings team retention value:<${MIN_RETENTION}-${MAX_RETENTION} | default>`,
  quiet: "/settings team quiet window:<HH:MM-HH:MM | off> [zone]",
  break: `/break [days:1-${MAX_BREAK_DAYS}] | /break off:True`,
} as const;

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

const invalid = (reason: string, usage: string): Command => ({ kind: "invalid", reason, usage });

function retention(value: unknown, action: "retention" | "team-retention"): Command {
  const r = parseRetention(text(value));
  return r.ok ? { kind: "settings", action, value: r.value } : invalid(r.reason, action === "retention" ? DISCORD_USAGE.retention : DISCORD_USAGE.teamRetention);
}

function quietHours(window: string | undefined, zone: string | undefined): Command {
  if (window?.toLowerCase() === "off") {
    return zone ? invalid("quiet hours off takes no time zone: leave the zone out.", DISCORD_USAGE.quiet) : { kind: "settings", action: "quiet-hours", quiet: null };
  }
  const q = parseQuietHours([window ?? "", ...(zone ? [zone] : [])]);
  return q.ok ? { kind: "settings", action: "quiet-hours", quiet: q.value } : invalid(q.reason, DISCORD_USAGE.quiet);
}

export function settingsToCommand(input: SlashInput): Command {
  const { options } = input;
  if (input.group === SETTINGS_SUB.team) {
    if (input.subcommand === SETTINGS_SUB.retention) return retention(options[OPTION.value], "team-retention");
    if (input.subcommand === SETTINGS_SUB.quiet) return quietHours(text(options[OPTION.window]), text(options[OPTION.zone]));
    return invalid(`unknown team setting "${input.subcommand ?? ""}".`, DISCORD_USAGE.settings);
  }
  switch (input.subcommand) {
    case SUBCOMMAND_TZ: {
      const zone = text(options[OPTION.zone]);
      return zone ? { kind: "tz", zone } : { kind: "tz" };
    }
    case SETTINGS_SUB.show:
      return { kind: "settings", action: "show" };
    case SETTINGS_SUB.private: {
      const state = text(options[OPTION.state])?.toLowerCase();
      if (state !== "on" && state !== "off") return invalid("say on (anonymous in team exports, team charts and leaderboards) or off.", DISCORD_USAGE.private);
      return { kind: "settings", action: "private", on: state === "on" };
    }
    case SETTINGS_SUB.retention:
      return retention(options[OPTION.value], "retention");
    default:
      return invalid(`unknown setting "${input.subcommand ?? ""}".`, DISCORD_USAGE.settings);
  }
}

/** /break [days] [off]: the core's /break grammar decides (1-30 days, off, or nothing for where it stands). */
export function breakToCommand(options: SlashInput["options"]): Command {
  const days = options[OPTION.days];
  const off = options[OPTION.off] === true;
  if (off && days !== undefined) return invalid("give either a number of days or off:True, not both.", DISCORD_USAGE.break);
  const words = off ? ["off"] : days !== undefined ? [String(days)] : [];
  const cmd = parseCommandText(["/break", ...words].join(" "));
  if (!cmd) return invalid("say how many days, or off:True.", DISCORD_USAGE.break);
  return cmd.kind === "invalid" ? { ...cmd, usage: DISCORD_USAGE.break } : cmd;
}

/** /team [export]. */
export function teamToCommand(options: SlashInput["options"]): Command {
  return options[OPTION.export] === true ? { kind: "team", export: true } : { kind: "team" };
}
