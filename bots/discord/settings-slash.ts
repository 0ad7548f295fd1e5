/**
 * /settings, /break and /team options as core commands. Values are checked by
 * the core's own parsers (parseRetention, parseQuietHours, the /break
 * grammar), so every platform accepts and refuses the same input. Pure.
 */
import { parseCommandText, parseQuietHours, parseRetention, type Command } from "../../core/commands.js";
import { OPTION, SETTINGS_SUB, SUBCOMMAND_TZ } from "./command-definitions.js";
import type { SlashInput } from "./slash-to-command.js";

/** How the commands are typed on Discord (the core's usage lines follow the text grammar). */
export const DISCORD_USAGE_SETTINGS =
  "/settings show | /settings tz <zone> | /settings private <on|off> | /settings retention <0.85-0.97|default> | /settings team retention <0.85-0.97|default> | /settings team quiet <HH:MM-HH:MM|off> [zone] | /settings admin-role [role] [clear]";
export const DISCORD_USAGE_BREAK = "/break [days 1-30] | /break off:True";

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

const invalid = (reason: string, usage: string): Command => ({ kind: "invalid", reason, usage });

function retention(value: unknown, action: "retention" | "team-retention"): Command {
  const r = parseRetention(text(value));
  return r.ok ? { kind: "settings", action, value: r.value } : invalid(r.reason, DISCORD_USAGE_SETTINGS);
}

function quietHours(window: string | undefined, zone: string | undefined): Command {
  if (window?.toLowerCase() === "off") {
    return zone ? invalid("quiet hours off takes no time zone: leave the zone out.", DISCORD_USAGE_SETTINGS) : { kind: "settings", action: "quiet-hours", quiet: null };
  }
  const q = parseQuietHours([window ?? "", ...(zone ? [zone] : [])]);
  return q.ok ? { kind: "settings", action: "quiet-hours", quiet: q.value } : invalid(q.reason, DISCORD_USAGE_SETTINGS);
}

export function settingsToCommand(input: SlashInput): Command {
  const { options } = input;
  if (input.group === SETTINGS_SUB.team) {
    if (input.subcommand === SETTINGS_SUB.retention) return retention(options[OPTION.value], "team-retention");
    if (input.subcommand === SETTINGS_SUB.quiet) return quietHours(text(options[OPTION.window]), text(options[OPTION.zone]));
    return invalid(`unknown team setting "${input.subcommand ?? ""}".`, DISCORD_USAGE_SETTINGS);
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
      if (state !== "on" && state !== "off") return invalid("say on (anonymous in team exports, team charts and leaderboards) or off.", DISCORD_USAGE_SETTINGS);
      return { kind: "settings", action: "private", on: state === "on" };
    }
    case SETTINGS_SUB.retention:
      return retention(options[OPTION.value], "retention");
    default:
      return invalid(`unknown setting "${input.subcommand ?? ""}".`, DISCORD_USAGE_SETTINGS);
  }
}

/** /break [days] [off]: the core's /break grammar decides (1-30 days, off, or nothing for where it stands). */
export function breakToCommand(options: SlashInput["options"]): Command {
  const days = options[OPTION.days];
  const off = options[OPTION.off] === true;
  if (off && days !== undefined) return invalid("give either a number of days or off:True, not both.", DISCORD_USAGE_BREAK);
  const words = off ? ["off"] : days !== undefined ? [String(days)] : [];
  const cmd = parseCommandText(["/break", ...words].join(" "));
  if (!cmd) return invalid("say how many days, or off:True.", DISCORD_USAGE_BREAK);
  return cmd.kind === "invalid" ? { ...cmd, usage: DISCORD_USAGE_BREAK } : cmd;
}

/** /team [export]. */
export function teamToCommand(options: SlashInput["options"]): Command {
  return options[OPTION.export] === true ? { kind: "team", export: true } : { kind: "team" };
}
