/** Discord's size limits for messages, embeds and components, and helpers to stay within them. */
import type { APIEmbed } from "discord.js";

export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  inputLabel: 45,
  inputPlaceholder: 100,
} as const;

/** Cuts text to `max` characters, ending with an ellipsis when it was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)).trimEnd() + "…";
}

/** The characters an embed counts against the 6000 total (title, description, fields, footer, author). */
export function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Clips every part of an embed to its own limit, then the whole to the 6000 total (description first). */
export function fitEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = clip(out.title, LIMITS.title);
  if (out.description !== undefined) out.description = clip(out.description, LIMITS.description);
  if (out.footer) out.footer = { ...out.footer, text: clip(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: clip(out.author.name, LIMITS.authorName) };
  if (out.fields) {
    out.fields = out.fields.slice(0, LIMITS.fields).map((f) => ({
      ...f,
      name: clip(f.name || "\u200b", LIMITS.fieldName),
      value: clip(f.value || "\u200b", LIMITS.fieldValue),
    }));
  }
  const excess = embedSize(out) - LIMITS.embedTotal;
  if (excess > 0 && out.description) out.description = clip(out.description, Math.max(1, out.description.length - excess));
  while (embedSize(out) > LIMITS.embedTotal && out.fields && out.fields.length > 0) out.fields = out.fields.slice(0, -1);
  return out;
}
