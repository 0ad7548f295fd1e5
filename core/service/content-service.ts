/**
 * A workspace's own content, managed in chat: list the packs it sees, switch
 * one off or on, upload a pack (a YAML pack, a course JSON or a question
 * table, checked whole by core/content/upload/check-upload.ts before anything
 * is stored), go back to a pack's previous version, export a pack as YAML.
 * Learners may list packs; everything else is for admins (an export holds
 * the answers). Talks to the world through its ports: the pack store, the
 * workspace catalogs (told when a workspace's content changed) and the clock.
 */
import type { ContentCommand, UploadedFile } from "../commands.js";
import type { Catalog, ContentProblem, RawPack } from "../content/catalog.js";
import { formatProblem, rawPackId } from "../content/catalog.js";
import { checkUpload, UPLOAD_LIMITS, type UploadLimits } from "../content/upload/check-upload.js";
import type { ImportedPack } from "../content/import/imported-pack.js";
import { normalizePack, packToYaml, toRawPacks } from "../content/upload/pack-yaml.js";
import { readStoredPack, storedPackText } from "../content/upload/stored-pack.js";
import { workspaceId, type LearnerKey } from "../identity.js";
import { plural, quoteInput } from "../input-limits.js";
import type { CatalogSource, Clock, PackWork, WorkspacePackStore } from "../ports.js";
import type { Reply } from "../replies.js";

export interface ContentDeps {
  /** The built-in course: its catalog (titles, counts) and raw packs (upload checks, export). */
  builtIn: { catalog: Catalog; raw: RawPack[] };
  packs: WorkspacePackStore;
  catalogs: CatalogSource;
  clock: Clock;
  limits?: Partial<UploadLimits>;
  /** How much one workspace may hold (default WORKSPACE_CONTENT_LIMITS). */
  workspaceLimits?: Partial<typeof WORKSPACE_CONTENT_LIMITS>;
  /** Where checks and YAML writing run (off the main thread in the bot); in place without it. */
  work?: PackWork;
}

/**
 * What one workspace may hold across its own packs: every process keeps each
 * active workspace's catalog in memory, so the whole, not only each upload,
 * has a bound.
 */
export const WORKSPACE_CONTENT_LIMITS = { maxPacks: 50, maxQuestions: 10_000 };

/** The pack work run in place. */
export const IN_PLACE_PACK_WORK: PackWork = {
  check: async (input) => checkUpload(input),
  toYaml: async (pack, comment) => packToYaml(pack, comment),
};

export interface ContentContext {
  learner: LearnerKey;
  displayName: string;
  isAdmin: boolean;
}

/** Problems shown in the chat reply; the rest go in an attached list. */
export const PROBLEMS_SHOWN = 12;

const notice = (level: "info" | "warning" | "error", text: string, code: "info" | "bad-option" | "not-admin" | "unknown-topic" = level === "info" ? "info" : "bad-option"): Reply => ({ type: "notice", level, code, text });


const questionIds = (pack: ImportedPack): Set<string> =>
  new Set([...pack.lessons.flatMap((l) => l.data.questions ?? []), ...(pack.manifest.practice ?? []).flatMap((p) => p.questions)].map((q) => q.id));

const HOW_TO_ATTACH =
  "Attach the file: on Discord /content upload file:<your file>; on Slack /study content upload opens a form for it (or send the file to drillbot in a direct message with the comment content upload); in the shell /content upload <path>. A file is a YAML pack, a course JSON, or a CSV/TSV question table (columns: question, options, answer, explanation).";

export class ContentService {
  private readonly work: PackWork;

  constructor(private readonly deps: ContentDeps) {
    this.work = deps.work ?? IN_PLACE_PACK_WORK;
  }

  async handle(ctx: ContentContext, cmd: ContentCommand): Promise<Reply[]> {
    const ws = workspaceId(ctx.learner);
    if (cmd.action === "packs") return this.list(ws, ctx.isAdmin);
    if (!ctx.isAdmin) {
      return [notice("warning", `Only admins can ${cmd.action === "upload" ? "upload content" : `${cmd.action} packs`}. /content packs lists what this workspace studies.`, "not-admin")];
    }
    switch (cmd.action) {
      case "enable":
      case "disable":
        return this.switchPack(ws, cmd.pack, cmd.action === "enable");
      case "rollback":
        return this.rollback(ws, cmd.pack);
      case "export":
        return this.exportPack(ws, cmd.pack);
      case "remove":
        return this.remove(ws, cmd.pack);
      case "upload":
        if (cmd.fetchProblem) return [notice("warning", `${cmd.fetchProblem} Nothing was stored.`)];
        if (!cmd.file) return [notice("info", HOW_TO_ATTACH)];
        return this.upload(ws, ctx.displayName, cmd.file);
    }
  }

  private builtInIds(): string[] {
    return this.deps.builtIn.raw.map(rawPackId);
  }

  /** Every pack id the workspace has, built-in first (for "no such pack" replies). */
  private async knownIds(ws: string, own?: { packId: string }[]): Promise<string[]> {
    return [...this.builtInIds(), ...(own ?? (await this.deps.packs.packs(ws))).map((p) => p.packId)];
  }

  /** The pack as YAML (on the pack-work thread in the bot), or the notice saying it could not be written. */
  private async yamlOf(pack: ImportedPack, name: string, comment?: string): Promise<{ yaml: string } | { failed: Reply }> {
    try {
      return { yaml: await this.work.toYaml(pack, comment) };
    } catch (err) {
      return { failed: notice("error", `${name} could not be written out just now (${err instanceof Error ? err.message : String(err)}); try again in a minute.`) };
    }
  }

  private async list(ws: string, isAdmin: boolean): Promise<Reply[]> {
    const [own, off] = await Promise.all([this.deps.packs.packs(ws), this.deps.packs.disabled(ws)]);
    const offSet = new Set(off);
    const seen = await this.deps.catalogs.forWorkspace(ws);
    const inUse = new Set(seen.packs.map((p) => p.manifest.id));
    const { catalog } = this.deps.builtIn;
    const lines = catalog.packs.map((p) => {
      const questions = catalog.questions.filter((q) => q.packId === p.manifest.id).length;
      return `• ${p.manifest.id}: ${p.manifest.title} (built-in), ${plural(p.lessons.length, "lesson")}, ${plural(questions, "question")}, ${offSet.has(p.manifest.id) ? "off" : "on"}`;
    });
    for (const p of own) {
      const state = offSet.has(p.packId) ? "off" : inUse.has(p.packId) ? "on" : "on but left out: it no longer fits beside the course (upload it again to see why)";
      const back = p.previous.length ? `; /content rollback goes back to version ${p.previous[0]}` : "";
      lines.push(`• ${p.packId}: ${p.title} (this workspace's, version ${p.version}), ${plural(p.lessons, "lesson")}, ${plural(p.questions, "question")}, ${state}; uploaded by ${p.uploadedBy} on ${p.uploadedAt.slice(0, 10)} from ${p.fileName}${back}`);
    }
    const tail = isAdmin
      ? "Admins: /content enable|disable <pack>, /content upload <file>, /content export <pack>, /content rollback <pack>, /content remove <pack>. Quiz on a pack with /quiz <pack>; drill a channel on it with /drill channel 09:00 <zone> weekdays topic <pack>."
      : "Quiz on a pack with /quiz <pack>.";
    return [notice("info", `Content packs in this workspace:\n${lines.join("\n")}\n${tail}`)];
  }

  private async switchPack(ws: string, pack: string, on: boolean): Promise<Reply[]> {
    const known = await this.knownIds(ws);
    if (!known.includes(pack)) return [this.unknownPack(pack, known)];
    const off = new Set(await this.deps.packs.disabled(ws));
    if (on !== off.has(pack)) return [notice("info", `${pack} is already ${on ? "on" : "off"} in this workspace.`)];
    if (!on && known.filter((id) => !off.has(id) && id !== pack).length === 0) {
      return [notice("warning", `${pack} is the only pack on; switching it off would leave nothing to study. Switch another pack on first (/content enable <pack>) or upload one.`)];
    }
    await this.deps.packs.setEnabled(ws, pack, on);
    this.deps.catalogs.invalidate(ws);
    return [
      notice(
        "info",
        on
          ? `${pack} is on: its lessons and questions are back in quizzes, reviews and drills here.`
          : `${pack} is off in this workspace: its questions leave quizzes, reviews and drills (learners' cards are kept, so switching it back on resumes where they were). Channel drills that named it take questions from the whole course.`,
      ),
    ];
  }

  private unknownPack(pack: string, known: string[]): Reply {
    return notice("warning", `No pack ${quoteInput(pack)} in this workspace. Packs: ${known.join(", ")} (/content packs).`, "unknown-topic");
  }

  private async rollback(ws: string, pack: string): Promise<Reply[]> {
    if (this.builtInIds().includes(pack)) return [notice("warning", `${pack} is built in: it has no uploaded versions to go back to. /content disable ${pack} switches it off here.`)];
    const own = await this.deps.packs.packs(ws);
    const before = own.find((p) => p.packId === pack);
    if (!before) return [this.unknownPack(pack, await this.knownIds(ws, own))];
    if (before.previous.length === 0) return [notice("warning", `${pack} has only version ${before.version}; there is nothing earlier to go back to.`)];
    const now = await this.deps.packs.rollback(ws, pack);
    if (!now) return [notice("warning", `${pack} has no earlier version to go back to.`)];
    this.deps.catalogs.invalidate(ws);
    const catalog = await this.deps.catalogs.forWorkspace(ws);
    const fits = catalog.packs.some((p) => p.manifest.id === pack);
    return [
      notice(
        fits ? "info" : "warning",
        `${pack} is back at version ${now.version} (${plural(now.lessons, "lesson")}, ${plural(now.questions, "question")}, uploaded by ${now.uploadedBy} on ${now.uploadedAt.slice(0, 10)} from ${now.fileName}); version ${before.version} is discarded (upload its file again to return to it). ` +
          (fits ? "Learners keep their progress on questions whose ids are in both versions." : "This version no longer fits beside the course (an id it uses is now taken), so it is left out; upload a fixed version."),
      ),
    ];
  }

  private async exportPack(ws: string, pack: string): Promise<Reply[]> {
    const own = await this.deps.packs.packs(ws);
    const info = own.find((p) => p.packId === pack);
    let source: ImportedPack;
    let comment: string | undefined;
    if (info) {
      const text = await this.deps.packs.text(ws, pack);
      const stored = text === null ? null : readStoredPack(text);
      if (!stored) return [notice("error", `${pack} is stored in a form this drillbot cannot read, so it cannot be exported; upload it again.`)];
      source = stored;
    } else {
      const raw = this.deps.builtIn.raw.find((rp) => rawPackId(rp) === pack);
      if (!raw) return [this.unknownPack(pack, await this.knownIds(ws, own))];
      const normalized = normalizePack({ manifest: raw.manifest.data, lessons: raw.lessons.map((l) => l.data) });
      if (!normalized.ok) return [notice("error", `The built-in pack ${pack} cannot be exported: ${normalized.issues[0]?.message ?? "it does not match the schema"}.`)];
      source = normalized.pack;
      comment = `${pack}: the built-in pack, exported by drillbot. Edit it and upload it under a new id (change the id line) to make it your team's own.`;
    }
    const written = await this.yamlOf(source, pack, comment);
    if ("failed" in written) return [written.failed];
    return [
      {
        type: "file",
        fileName: `${pack}${info ? `-v${info.version}` : ""}.yaml`,
        contentType: "application/yaml",
        content: written.yaml,
        description: `${pack}${info ? ` version ${info.version}` : ""}: ${info ? "this workspace's pack" : "the built-in pack"} as a YAML pack. Edit it and upload it again with /content upload to replace it.`,
      },
    ];
  }

  /** The workspace's packs as stored, by id, read once per upload (checkUpload leaves out the one an upload replaces). */
  private async storedPacks(ws: string): Promise<Map<string, ImportedPack>> {
    const out = new Map<string, ImportedPack>();
    for (const t of await this.deps.packs.currentTexts(ws)) {
      const pack = readStoredPack(t.text);
      if (pack) out.set(t.info.packId, pack);
    }
    return out;
  }

  private async upload(ws: string, uploadedBy: string, file: UploadedFile): Promise<Reply[]> {
    const limits = { ...UPLOAD_LIMITS, ...this.deps.limits };
    const [own, stored] = await Promise.all([this.deps.packs.packs(ws), this.storedPacks(ws)]);
    const others = [...stored].map(([id, pack]) => toRawPacks(pack, `${id} (this workspace's pack)`));
    let check;
    try {
      check = await this.work.check({ fileName: file.fileName, bytes: file.bytes, builtIn: this.deps.builtIn.raw, others, limits });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return [notice("error", `${file.fileName} could not be checked just now (${why}). Nothing was stored; upload it again in a minute.`)];
    }
    if (!check.ok) return this.refusal(file.fileName, check.message, check.problems);
    const { summary } = check;
    const roomLeft = this.room(own, summary.packId, summary.questions);
    if (roomLeft) return [notice("warning", `${file.fileName} is fine, but ${roomLeft} Nothing was stored.`)];
    const before = own.find((p) => p.packId === summary.packId);
    const replaced = before ? stored.get(summary.packId) : undefined;
    const previousIds = replaced ? questionIds(replaced) : null;
    const saved = await this.deps.packs.save(
      ws,
      { packId: summary.packId, title: summary.title, lessons: summary.lessons, questions: summary.questions, fileName: file.fileName, format: check.format, uploadedBy, uploadedAt: this.deps.clock.now().toISOString() },
      storedPackText(check.pack),
    );
    this.deps.catalogs.invalidate(ws);
    const off = (await this.deps.packs.disabled(ws)).includes(summary.packId);
    const lines = [
      `Stored ${summary.packId} version ${saved.version}${before ? ` (replaces version ${before.version})` : ""}: ${summary.title}, ${plural(summary.lessons, "lesson")}, ${plural(summary.questions, "question")} from ${file.fileName} (${check.format}).`,
    ];
    if (previousIds) {
      const now = questionIds(check.pack);
      const kept = [...previousIds].filter((id) => now.has(id)).length;
      const removed = previousIds.size - kept;
      lines.push(`${plural(kept, "question")} kept ${kept === 1 ? "its id" : "their ids"}, so learners' progress on them carries over${removed ? `; ${plural(removed, "removed question")} ${removed === 1 ? "is" : "are"} no longer scheduled` : ""}. /content rollback ${summary.packId} goes back to version ${before!.version}.`);
    }
    lines.push(
      off
        ? `The pack is switched off here: /content enable ${summary.packId} puts it in quizzes and drills.`
        : `Try it: /quiz ${summary.packId}; a channel drill from it: /drill channel 09:00 <zone> weekdays topic ${summary.packId}; a challenge: /challenge post ${summary.packId} 2h.`,
    );
    const replies: Reply[] = [notice("info", lines.join("\n"))];
    const extra = [...check.warnings.map((w) => `Warning: ${w}`), ...check.notes.map((n) => `Note: ${n}`)];
    if (extra.length) replies.push(notice("warning", extra.slice(0, 8).join("\n") + (extra.length > 8 ? `\n... and ${plural(extra.length - 8, "more")} (run content check on the file for all).` : "")));
    return replies;
  }

  /** Why this workspace has no room for the pack (its other packs plus this one), or null. */
  private room(own: { packId: string; questions: number }[], packId: string, questions: number): string | null {
    const limits = { ...WORKSPACE_CONTENT_LIMITS, ...this.deps.workspaceLimits };
    const others = own.filter((p) => p.packId !== packId);
    const how = "Remove a pack you no longer use (/content remove <pack>; it is sent back to you as a file) or replace one with a smaller version.";
    if (others.length >= limits.maxPacks) return `this workspace already has ${plural(others.length, "pack")} of its own, the most it may hold. ${how}`;
    const total = others.reduce((n, p) => n + p.questions, 0) + questions;
    if (total > limits.maxQuestions) return `with it this workspace's own packs would hold ${plural(total, "question")}, over its limit of ${limits.maxQuestions.toLocaleString("en-US")}. ${how}`;
    return null;
  }

  private async remove(ws: string, pack: string): Promise<Reply[]> {
    if (this.builtInIds().includes(pack)) return [notice("warning", `${pack} is built in and cannot be removed; /content disable ${pack} switches it off here.`)];
    // The removed pack goes back to the admin as a file first: nothing is lost.
    const exported = await this.exportPack(ws, pack);
    const file = exported.find((r) => r.type === "file");
    if (!file) return exported;
    const removed = await this.deps.packs.remove(ws, pack);
    if (!removed) return [this.unknownPack(pack, await this.knownIds(ws))];
    this.deps.catalogs.invalidate(ws);
    return [
      notice("info", `Removed ${pack} (version ${removed.version}, ${plural(removed.questions, "question")}) and its earlier versions from this workspace. Learners' cards on its questions are kept but no longer scheduled; uploading the attached file again brings it back, progress included where ids stay.`),
      { ...file, description: `${pack} as it was before removal: upload it with /content upload to restore it.` },
    ];
  }

  private refusal(fileName: string, message: string, problems: ContentProblem[]): Reply[] {
    const shown = problems.slice(0, PROBLEMS_SHOWN).map((p) => `• ${formatProblem(p)}`);
    const more = problems.length - shown.length;
    const replies: Reply[] = [notice("warning", `Upload refused: ${message}.\n${shown.join("\n")}${more > 0 ? `\n... and ${plural(more, "more problem")}: the attached list has them all.` : ""}\nFix the file and upload it again.`)];
    if (more > 0) {
      replies.push({
        type: "file",
        fileName: `${fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "") || "upload"}-problems.txt`,
        contentType: "text/plain",
        content: problems.map(formatProblem).join("\n") + "\n",
        description: `Every problem in ${fileName} (${problems.length}).`,
      });
    }
    return replies;
  }
}

