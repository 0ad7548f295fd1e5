/**
 * Discord's size limits for messages, embeds, components and attachments, and
 * helpers to stay within them (discord.com/developers/docs: Message, Embed
 * limits, Uploading Files).
 */
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
  attachmentsPerMessage: 10,
  /** An attachment's description, its alt text. */
  attachmentDescription: 1024,
  /** The default upload limit per file; an interaction carries its own (attachment_size_limit), often the same. */
  fileBytes: 10 * 1024 * 1024,
  /** The whole request (files and payload_json) when sending a message. */
  requestBytes: 25 * 1024 * 1024,
} as const;

/** Room left in a request for payload_json and the multipart framing around the files. */
export const REQUEST_OVERHEAD_BYTES = 256 * 1024;

/**
 * A file name Discord keeps as it is, so `attachment://name` finds it: Discord
 * rewrites spaces (to underscores) and other characters in uploaded names, and
 * an embed naming the original then shows no image. Letters, digits, dot and
 * hyphen only; at most 64 characters before the extension.
 */
export function attachmentName(name: string, fallback = "file"): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  const ext = m ? m[1]!.toLowerCase() : "";
  const stem = (m ? name.slice(0, m.index) : name)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9.-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/-{2,}/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 64)
    .replace(/[.-]+$/, "");
  const fallbackExt = /\.([A-Za-z0-9]{1,8})$/.exec(fallback);
  if (stem) return `${stem}${ext ? `.${ext}` : ""}`;
  return fallbackExt ? fallback : `${fallback}${ext ? `.${ext}` : ""}`;
}

/** Cuts text to `max` characters, ending with an ellipsis when it was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)).trimEnd() + "…";
}

/** Messages one long text may take (renderMessages splits it); past them it is clipped. */
export const MAX_TEXT_PARTS = 5;

/**
 * Text too long for one message as parts of at most `max` characters, cut at
 * line breaks (else at a space, else anywhere but inside a surrogate pair);
 * at most `maxParts`, the last clipped.
 */
export function splitText(text: string, max: number, maxParts = MAX_TEXT_PARTS): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max && parts.length < maxParts - 1) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf("\n");
    if (cut <= 0) cut = window.lastIndexOf(" ");
    if (cut <= 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]+/, "");
  }
  parts.push(clip(rest, max));
  return parts.filter((p) => p.length > 0);
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
