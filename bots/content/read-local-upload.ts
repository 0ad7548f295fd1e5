/**
 * "/content upload <path>" in the shell and `drillbot content upload <path>`: reads the named local file into the
 * upload command, as the chat adapters fetch an attachment. A file larger
 * than any upload may be is refused from its size, without reading it.
 */
import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ContentCommand } from "../../core/commands.js";
import { UPLOAD_LIMITS } from "../../core/content/upload/check-upload.js";

export async function readUpload(cmd: Extract<ContentCommand, { action: "upload" }>, cwd = process.cwd()): Promise<ContentCommand> {
  if (!cmd.path || cmd.file) return cmd;
  const typed = cmd.path.replace(/^["']|["']$/g, "");
  const full = path.resolve(cwd, typed.startsWith("~/") ? path.join(os.homedir(), typed.slice(2)) : typed);
  const fileName = path.basename(full);
  try {
    const info = await stat(full);
    if (!info.isFile()) return { kind: "content", action: "upload", fetchProblem: `${typed} is not a file: give the path of a .yaml, .json, .csv or .tsv file.` };
    const cap = Math.max(UPLOAD_LIMITS.maxBytes, UPLOAD_LIMITS.maxPackBytes);
    if (info.size > cap) return { kind: "content", action: "upload", fetchProblem: `${fileName} is ${info.size.toLocaleString("en-US")} bytes, more than any upload may be (${cap.toLocaleString("en-US")} bytes for a YAML pack, ${UPLOAD_LIMITS.maxBytes.toLocaleString("en-US")} for other files): split it into smaller packs.` };
    return { kind: "content", action: "upload", file: { fileName, bytes: new Uint8Array(await readFile(full)) } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "there is no such file" : code === "EACCES" ? "it cannot be read (permission denied)" : "it cannot be read";
    return { kind: "content", action: "upload", fetchProblem: `Could not upload ${typed}: ${why} (looked at ${full}).` };
  }
}
