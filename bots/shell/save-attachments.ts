/**
 * What the terminal cannot show inline: a chart is drawn to a PNG and a file
 * (a CSV export) is written, both under the data folder, and the shell prints
 * where. A chart that cannot be drawn still has its text version on screen.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Reply } from "../../core/replies.js";
import type { ChartRenderer } from "../charts/chart-renderer.js";

export type Attachment = Extract<Reply, { type: "chart" | "file" }>;

/** Saves one attachment and returns its path, or throws saying why it could not. */
export type SaveAttachment = (reply: Attachment) => Promise<string>;

/** A name safe in any file system: letters, digits, dot, dash and underscore. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, 120) || "file";
}

export function shellAttachments(dataDir: string, user: string, charts: ChartRenderer | null): SaveAttachment {
  return async (reply) => {
    const folder = path.join(dataDir, reply.type === "chart" ? "charts" : "exports");
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, safeFileName(`${user}-${reply.fileName}`));
    if (reply.type === "file") {
      await writeFile(file, reply.content, "utf8");
      return file;
    }
    if (!charts) throw new Error("charts are not drawn in this process");
    const drawn = await charts.renderChart(reply.spec);
    await writeFile(file, drawn.png);
    return file;
  };
}
