/**
 * /content options as core content commands: packs, enable, disable,
 * rollback, export and remove (the pack id checked by the core's parseContent, so
 * every platform accepts the same ids). An upload's file is fetched first
 * (content-upload.ts); this only names the subcommand. Pure.
 */
import { parseContent, type Command } from "../../core/commands.js";
import { CONTENT_SUB, OPTION } from "./command-definitions.js";
import type { SlashInput } from "./slash-to-command.js";

/** How /content is typed on Discord (the core's usage line follows the text grammar). */
export const DISCORD_USAGE_CONTENT = "/content packs | /content upload file:<.yaml, .json, .csv or .tsv> | /content enable|disable|rollback|export|remove pack:<pack id>";

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

const invalid = (reason: string): Command => ({ kind: "invalid", reason, usage: DISCORD_USAGE_CONTENT });

/** The core command of a /content subcommand; an upload comes back without its file (the caller fetches it). */
export function contentToCommand(subcommand: string | null, options: SlashInput["options"]): Command {
  switch (subcommand) {
    case CONTENT_SUB.packs:
      return { kind: "content", action: "packs" };
    case CONTENT_SUB.upload:
      return { kind: "content", action: "upload" };
    case CONTENT_SUB.enable:
    case CONTENT_SUB.disable:
    case CONTENT_SUB.rollback:
    case CONTENT_SUB.export:
    case CONTENT_SUB.remove: {
      const pack = text(options[OPTION.pack]);
      if (!pack) return invalid(`name a pack, e.g. /content ${subcommand} pack:team-onboarding (/content packs lists them).`);
      // As one word: "team ops" is refused as not a pack id rather than read as two words.
      const cmd = parseContent([subcommand, pack]);
      return cmd.kind === "invalid" ? { ...cmd, usage: DISCORD_USAGE_CONTENT } : cmd;
    }
    default:
      return invalid(`unknown content option "${subcommand ?? ""}".`);
  }
}
