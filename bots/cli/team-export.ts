/**
 * `drillbot team export --workspace <platform:id> [--out FILE|DIR] [--tz ZONE]`:
 * the team export CSV (core/team-export.ts) of one workspace, written to a
 * file (whole or not at all) or printed to stdout. Messages go to `say`
 * (stderr in main.ts) so a piped CSV stays clean. A workspace where nobody has
 * answered exits 1 without writing: it is far more often a mistyped id than an
 * empty team, and an empty file would look like success.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../../core/content/catalog.js";
import { quoteInput } from "../../core/input-limits.js";
import type { ProgressStore } from "../../core/ports.js";
import { teamExportCsv } from "../../core/team-export.js";
import { checkZone, DEFAULT_ZONE } from "../../core/time.js";
import { unknownFlag } from "./unknown-flag.js";

export const TEAM_EXPORT_USAGE = "Usage: drillbot team export --workspace <platform:id> [--out FILE|DIR] [--tz ZONE]";

const WORKSPACE_FORMS = "discord:<server id>, slack:<team id> or shell:local";

export interface TeamExportOptions {
  /** The workspace id as the store keys it, e.g. "discord:123456789012345678". */
  workspace: string;
  out: string | null;
  zone: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A workspace id as core/identity.ts forms it for each platform, or why the input is not one. */
export function checkWorkspace(input: string): Checked<string> {
  const shown = quoteInput(input, 60);
  const m = /^(discord|slack|shell):(.*)$/.exec(input.trim());
  if (!m) return { ok: false, reason: `${shown} is not a workspace id: use ${WORKSPACE_FORMS}, e.g. --workspace slack:T0123ABCD` };
  const [, platform, id = ""] = m;
  if (platform === "discord") {
    if (id === "dm" || /^\d{17,20}$/.test(id)) return { ok: true, value: `discord:${id}` };
    return { ok: false, reason: `${shown}: a Discord server id is 17-20 digits (Developer Mode on, right-click the server, Copy Server ID), e.g. discord:123456789012345678` };
  }
  if (platform === "slack") {
    if (/^[TE][A-Z0-9]+$/.test(id)) return { ok: true, value: `slack:${id}` };
    const hint = /^[te][a-z0-9]+$/i.test(id) ? ` Did you mean slack:${id.toUpperCase()}?` : "";
    return { ok: false, reason: `${shown}: a Slack team id is upper-case letters and digits starting with T (the T… part of the workspace's app.slack.com/client/ address), e.g. slack:T0123ABCD.${hint}` };
  }
  if (id === "local") return { ok: true, value: "shell:local" };
  return { ok: false, reason: `${shown}: the terminal's workspace is shell:local` };
}

function flagValue(args: readonly string[], name: string): Checked<string | undefined> {
  const i = args.indexOf(name);
  if (i < 0) return { ok: true, value: undefined };
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) return { ok: false, reason: `${name} needs a value. ${TEAM_EXPORT_USAGE}` };
  return { ok: true, value };
}

/** Reads the arguments after `team export`; checked before anything is started. */
export function parseTeamExportArgs(args: readonly string[]): Checked<TeamExportOptions> {
  const bogus = unknownFlag(args, ["--workspace", "--out", "--tz"]);
  if (bogus) return { ok: false, reason: `${quoteInput(bogus, 40)} is not an option of team export. ${TEAM_EXPORT_USAGE}` };
  const known = new Set(["--workspace", "--out", "--tz"]);
  const stray = args.find((a, i) => !known.has(a) && !known.has(args[i - 1] ?? ""));
  if (stray !== undefined) return { ok: false, reason: `${quoteInput(stray, 40)} is not expected here. ${TEAM_EXPORT_USAGE}` };
  const workspace = flagValue(args, "--workspace");
  const out = flagValue(args, "--out");
  const tz = flagValue(args, "--tz");
  for (const v of [workspace, out, tz]) if (!v.ok) return v;
  if (!workspace.ok || workspace.value === undefined) return { ok: false, reason: `--workspace is required (${WORKSPACE_FORMS}). ${TEAM_EXPORT_USAGE}` };
  const checked = checkWorkspace(workspace.value);
  if (!checked.ok) return { ok: false, reason: `--workspace: ${checked.reason}` };
  let zone = DEFAULT_ZONE;
  if (tz.ok && tz.value !== undefined) {
    const z = checkZone(tz.value);
    if (!z.ok) return { ok: false, reason: `--tz: ${z.reason}` };
    zone = z.zone;
  }
  return { ok: true, value: { workspace: checked.value, out: (out.ok && out.value) || null, zone } };
}

export interface TeamExportDeps {
  store: Pick<ProgressStore, "teamMembers" | "teamTotals">;
  catalog: Catalog;
  now: Date;
  /** Where the CSV goes without --out (stdout). */
  write: (text: string) => Promise<void> | void;
  /** Messages for people (stderr). */
  say: (line: string) => void;
}

export async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export const WRITE_ERRORS: Record<string, string> = {
  ENOENT: "its folder does not exist",
  ENOTDIR: "part of its path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EISDIR: "it is a folder",
};

/** Writes beside the target and renames over it, so the file is whole or absent. */
export async function writeWhole(target: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Runs the export; returns the exit code. */
export async function runTeamExport(options: TeamExportOptions, deps: TeamExportDeps): Promise<number> {
  const [members, totals] = await Promise.all([deps.store.teamMembers(options.workspace), deps.store.teamTotals(options.workspace)]);
  if (members.length === 0) {
    deps.say(`nobody has answered in ${options.workspace} yet, so there is nothing to export. Check the id (${WORKSPACE_FORMS}).`);
    return 1;
  }
  const result = teamExportCsv({ catalog: deps.catalog, members, totals, now: deps.now, zone: options.zone, workspaceLabel: options.workspace });
  if (options.out === null) {
    await deps.write(result.csv);
    deps.say(result.description);
    return 0;
  }
  const target = (await isDirectory(options.out)) ? path.join(options.out, result.fileName) : options.out;
  try {
    await writeWhole(target, result.csv);
  } catch (err) {
    const why = WRITE_ERRORS[(err as NodeJS.ErrnoException).code ?? ""] ?? (err as Error).message;
    deps.say(`could not write ${quoteInput(target, 200)}: ${why}. Nothing was written; pick another --out.`);
    return 1;
  }
  deps.say(`wrote ${target}: ${result.description}`);
  return 0;
}
