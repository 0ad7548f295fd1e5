/**
 * The pack-work thread's task handler (loaded by piscina through
 * pack-worker-entry.js): checks an upload or writes a pack as YAML.
 */
import { checkUpload, type UploadCheck, type UploadInput } from "../../core/content/upload/check-upload.js";
import type { ImportedPack } from "../../core/content/import/imported-pack.js";
import { packToYaml } from "../../core/content/upload/pack-yaml.js";

export type PackTask = { kind: "check"; input: UploadInput } | { kind: "yaml"; pack: ImportedPack; comment?: string };

export default function packTask(task: PackTask): UploadCheck | string {
  return task.kind === "check" ? checkUpload(task.input) : packToYaml(task.pack, task.comment);
}
