/**
 * How a lesson's source is named to learners: by its title (sources.yaml),
 * or by its document name ("PostgreSQL documentation"), never by an internal
 * file name such as "001_48243fd5ffae3432.txt". Pure.
 */

/** Internal seed file names: "001_48243fd5ffae3432.txt", "004_5c52f43196d6c572.readme.md". */
const SEED_FILE = /^\d{3}_[0-9a-f]{16}(\.[a-z]+)+$/i;

export function isSeedFileName(file: string): boolean {
  return SEED_FILE.test(file.trim());
}

/** Shown for an internal file that has no title yet (content check warns about it). */
export const UNTITLED_SOURCE = "Course source notes";

export function sourceDisplayName(file: string, title: string | undefined): string {
  if (title) return title;
  return isSeedFileName(file) ? UNTITLED_SOURCE : file;
}
