/**
 * What one interaction looks like to the people in the channel: its
 * callbacks, its original response (after edits or deletion) and follow-ups,
 * as the Discord stand-in recorded them.
 */
import type { APIEmbed } from "discord.js";

export const EPHEMERAL = 64;

/** Interaction callback types (Discord API). */
export const CALLBACK = { pong: 1, message: 4, deferredMessage: 5, deferredUpdate: 6, updateMessage: 7, autocomplete: 8, modal: 9 } as const;

export interface JsonObject {
  [key: string]: unknown;
}

/** A file attached to a message, as uploaded. */
export interface SeenFile {
  id: string;
  /** As Discord keeps it (whitespace becomes underscores). */
  filename: string;
  /** The alt text. */
  description: string | null;
  /** The multipart part's Content-Type. */
  uploadedType: string;
  /** As Discord reports it (from the file name). */
  contentType: string;
  size: number;
  bytes: Buffer;
  /** Decoded from the PNG, when it is one. */
  width: number | null;
  height: number | null;
  url: string;
  /** The message's embeds that show it (through attachment://). */
  shownIn: number[];
}

export interface SeenMessage {
  id: string;
  ephemeral: boolean;
  content: string;
  /** As Discord stores them: an attachment:// image is the attachment's URL. */
  embeds: APIEmbed[];
  /** Every attached file, shown in an embed or not. */
  files: SeenFile[];
  /** Raw action rows as the bot sent them. */
  components: JsonObject[];
  deleted: boolean;
  /** The message object as Discord would deliver it with a component interaction. */
  raw: JsonObject;
}

export class Conversation {
  readonly callbacks: { type: number; data: JsonObject | undefined }[] = [];
  original: SeenMessage | null = null;
  /** Deferred ("thinking…") and not yet edited. */
  pendingDefer = false;
  readonly followUps: SeenMessage[] = [];
  /** Delivered as an HTTP POST (an Interactions Endpoint URL is set), not on the gateway. */
  overHttp = false;
  /** When the interaction was sent to the bot (epoch ms). */
  deliveredAt = 0;
  /** Why Discord counted the interaction as failed ("This interaction failed"), e.g. no answer within 3 s. */
  failure: string | null = null;
  /** Over HTTP: the bot's HTTP answer has come (or the wait for it ended). */
  httpSettled = false;

  constructor(
    readonly interactionId: string,
    readonly token: string,
    readonly channelId: string,
  ) {}

  /** The modal the bot opened, if any. */
  get modal(): JsonObject | null {
    const cb = this.callbacks.find((c) => c.type === CALLBACK.modal);
    return cb?.data ?? null;
  }

  /** Autocomplete choices the bot sent, if any. */
  get choices(): { name: string; value: string }[] | null {
    const cb = this.callbacks.find((c) => c.type === CALLBACK.autocomplete);
    return cb ? ((cb.data?.choices as { name: string; value: string }[]) ?? []) : null;
  }

  /** Answered: a message, a modal, autocomplete choices, or a defer that was filled in or deleted (over HTTP: and the HTTP answer was good). */
  get answered(): boolean {
    return this.callbacks.length > 0 && !this.pendingDefer && this.failure === null && (!this.overHttp || this.httpSettled);
  }

  /** Messages people can see now, in order. */
  get messages(): SeenMessage[] {
    const all = [...(this.original && !this.pendingDefer ? [this.original] : []), ...this.followUps];
    return all.filter((m) => !m.deleted);
  }

  /** Every visible text: content, embed titles, descriptions, field names and values, footers. */
  static textOf(m: SeenMessage): string {
    const parts = [m.content];
    for (const e of m.embeds) {
      parts.push(e.title ?? "", e.description ?? "", e.footer?.text ?? "");
      for (const f of e.fields ?? []) parts.push(f.name, f.value);
    }
    return parts.filter(Boolean).join("\n");
  }

  get text(): string {
    return this.messages.map(Conversation.textOf).join("\n---\n");
  }
}

/** The images the message's embeds show, each with its embed. */
export function embedImages(m: SeenMessage): { embed: APIEmbed; file: SeenFile }[] {
  return m.files.flatMap((file) => file.shownIn.map((i) => ({ embed: m.embeds[i]!, file })));
}

/** Every component (button, select) inside a message's action rows. */
export function componentsOf(m: SeenMessage): JsonObject[] {
  return m.components.flatMap((row) => (Array.isArray(row.components) ? (row.components as JsonObject[]) : []));
}

export function buttonsOf(m: SeenMessage): { label: string; custom_id: string }[] {
  return componentsOf(m)
    .filter((c) => c.type === 2)
    .map((c) => ({ label: String(c.label ?? ""), custom_id: String(c.custom_id ?? "") }));
}
