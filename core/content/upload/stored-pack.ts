/**
 * How a workspace's pack is stored: its normalized form as JSON. Reading it
 * back costs milliseconds where parsing the same pack as YAML takes over a
 * second at the 2,000-question limit, and every process rebuilds a
 * workspace's catalog from it when the workspace's content changes. Export
 * renders it as YAML (pack-yaml.ts). Pure.
 */
import type { ImportedPack } from "../import/imported-pack.js";

export function storedPackText(pack: ImportedPack): string {
  return JSON.stringify(pack);
}

/** The stored pack, or null when the text is not one (the catalog then leaves it out and logs it). */
export function readStoredPack(text: string): ImportedPack | null {
  try {
    const o = JSON.parse(text) as Partial<ImportedPack> | null;
    if (!o || typeof o !== "object" || typeof o.manifest !== "object" || o.manifest === null || !Array.isArray(o.lessons)) return null;
    if (!o.lessons.every((l) => l && typeof l === "object" && typeof l.fileName === "string" && typeof l.data === "object" && l.data !== null)) return null;
    return o as ImportedPack;
  } catch {
    return null;
  }
}
