/**
 * `drillbot content packs|enable|disable|rollback|export|upload --workspace <platform:id>`:
 * a workspace's content packs from the command line, through the same
 * service as /content in chat (the operator acts as an admin). Export writes
 * the YAML to --out (a file, or a folder for <pack>-v<N>.yaml; whole or not
 * at all) or to stdout; everything else prints what chat would say. Exit
 * code 1 when the service refused (its first reply is a warning or an error;
 * warnings after a stored upload, such as answer cues, do not count).
 */
import path from "node:path";
import { parseContent, type Command } from "../../core/commands.js";
import { quoteInput } from "../../core/input-limits.js";
import type { Platform } from "../../core/identity.js";
import type { Reply } from "../../core/replies.js";
import type { RequestContext } from "../../core/service/study-service.js";
import { readUpload } from "../content/read-local-upload.js";
import { checkWorkspace, isDirectory, WRITE_ERRORS, writeWhole, type Checked } from "./team-export.js";
import { unknownFlag } from "./unknown-flag.js";

export const WORKSPACE_CONTENT_USAGE =
  "Usage: drillbot content packs|enable <pack>|disable <pack>|rollback <pack>|export <pack> [--out FILE|DIR]|remove <pack> [--out FILE|DIR]|upload <file> --workspace <platform:id> [--as NAME]";

export interface WorkspaceContentOptions {
  workspace: string;
  command: Extract<Command, { kind: "content" }>;
  out: string | null;
  as: string;
}

const FLAGS = ["--workspace", "--out", "--as"];

export function parseWorkspaceContentArgs(sub: string, args: readonly string[]): Checked<WorkspaceContentOptions> {
  const bogus = unknownFlag(args, FLAGS);
  if (bogus) return { ok: false, reason: `${quoteInput(bogus, 40)} is not an option of content ${sub}. ${WORKSPACE_CONTENT_USAGE}` };
  const value = (name: string): Checked<string | undefined> => {
    const i = args.indexOf(name);
    if (i < 0) return { ok: true, value: undefined };
    const v = args[i + 1];
    return v === undefined || v.startsWith("--") ? { ok: false, reason: `${name} needs a value. ${WORKSPACE_CONTENT_USAGE}` } : { ok: true, value: v };
  };
  const [workspace, out, as] = [value("--workspace"), value("--out"), value("--as")];
  for (const v of [workspace, out, as]) if (!v.ok) return v;
  if (!workspace.ok || workspace.value === undefined) return { ok: false, reason: `--workspace is required, e.g. --workspace slack:T0123ABCD. ${WORKSPACE_CONTENT_USAGE}` };
  const checked = checkWorkspace(workspace.value);
  if (!checked.ok) return { ok: false, reason: `--workspace: ${checked.reason}` };
  const words = args.filter((a, i) => !FLAGS.includes(a) && !FLAGS.includes(args[i - 1] ?? ""));
  const parsed = parseContent([sub, ...words], words.join(" "));
  if (parsed.kind === "invalid") return { ok: false, reason: `${parsed.reason} ${WORKSPACE_CONTENT_USAGE}` };
  if (parsed.kind !== "content") return { ok: false, reason: WORKSPACE_CONTENT_USAGE };
  if (parsed.action === "upload" && !parsed.path) return { ok: false, reason: `name the file to upload, e.g. drillbot content upload team.csv --workspace ${checked.value}. ${WORKSPACE_CONTENT_USAGE}` };
  if (out.ok && out.value !== undefined && parsed.action !== "export" && parsed.action !== "remove") return { ok: false, reason: `--out goes with content export and remove only. ${WORKSPACE_CONTENT_USAGE}` };
  return { ok: true, value: { workspace: checked.value, command: parsed, out: (out.ok && out.value) || null, as: (as.ok && as.value) || "the command line" } };
}

export interface WorkspaceContentDeps {
  handle(ctx: RequestContext, cmd: Command): Promise<Reply[]>;
  /** The exported YAML without --out (stdout). */
  write: (text: string) => Promise<void> | void;
  /** Messages for people. */
  say: (line: string) => void;
  cwd?: string;
}

export async function runWorkspaceContent(options: WorkspaceContentOptions, deps: WorkspaceContentDeps): Promise<number> {
  const [platform, ...rest] = options.workspace.split(":");
  const ctx: RequestContext = { learner: { platform: platform as Platform, workspace: rest.join(":"), user: "cli" }, displayName: options.as, eventId: `cli-${Date.now()}`, isAdmin: true };
  const cmd = options.command.action === "upload" ? await readUpload(options.command, deps.cwd) : options.command;
  const replies = await deps.handle(ctx, cmd);
  const first = replies[0];
  let code = first?.type === "notice" && first.level !== "info" ? 1 : 0;
  for (const r of replies) {
    if (r.type === "notice") deps.say(r.text); else if (r.type === "text") deps.say(r.text);
    else if (r.type === "file") {
      if (options.out === null) {
        await deps.write(r.content);
        deps.say(r.description);
        continue;
      }
      const target = (await isDirectory(options.out)) ? path.join(options.out, r.fileName) : options.out;
      try {
        await writeWhole(target, r.content);
        deps.say(`${r.description} Written to ${target}.`);
      } catch (err) {
        const why = WRITE_ERRORS[(err as NodeJS.ErrnoException).code ?? ""] ?? (err as Error).message;
        deps.say(`could not write ${quoteInput(target, 200)}: ${why}. Nothing was written; pick another --out.`);
        code = 1;
      }
    }
  }
  return code;
}
