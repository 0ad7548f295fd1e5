/**
 * Sends rendered messages as an interaction's response: the first as the
 * reply (or the edit of a deferred one), the rest as follow-ups with the same
 * visibility. Mentions are never parsed: names and content cannot ping anyone.
 * A message with files goes as multipart/form-data (discord.js builds
 * payload_json, files[n] and the attachments list with each description).
 */
import { MessageFlags, type RepliableInteraction } from "discord.js";
import type { OutMessage } from "./render-message.js";

const NO_MENTIONS = { parse: [] as never[] };

const body = (m: OutMessage) => ({
  ...(m.content ? { content: m.content } : {}),
  embeds: m.embeds,
  components: m.components,
  ...(m.files?.length ? { files: m.files.map((f) => ({ attachment: f.data, name: f.name, ...(f.description ? { description: f.description } : {}) })) } : {}),
  allowedMentions: NO_MENTIONS,
});

/** The interaction's own upload limit per file (attachment_size_limit), when Discord sent one. */
export function uploadLimit(interaction: RepliableInteraction): { maxFileBytes?: number } {
  const limit: unknown = interaction.attachmentSizeLimit;
  return typeof limit === "number" && limit > 0 ? { maxFileBytes: limit } : {};
}

const EMPTY: OutMessage = { content: "Done.", embeds: [], components: [] };

export async function sendFollowUps(interaction: RepliableInteraction, messages: OutMessage[], ephemeral: boolean): Promise<void> {
  for (const m of messages) await interaction.followUp({ ...body(m), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** Answers an interaction that was not deferred (only for work that needs no storage). */
export async function replyNow(interaction: RepliableInteraction, messages: OutMessage[], ephemeral: boolean): Promise<void> {
  const [first = EMPTY, ...rest] = messages;
  await interaction.reply({ ...body(first), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  await sendFollowUps(interaction, rest, ephemeral);
}

/** Fills in a deferred reply; its visibility was fixed when it was deferred. */
export async function replyDeferred(interaction: RepliableInteraction, messages: OutMessage[], ephemeral: boolean): Promise<void> {
  const [first = EMPTY, ...rest] = messages;
  await interaction.editReply(body(first));
  await sendFollowUps(interaction, rest, ephemeral);
}

/** A deferred public reply that turned out private (an error, nothing to share): drop it, answer privately. */
export async function replaceDeferredWithPrivate(interaction: RepliableInteraction, messages: OutMessage[]): Promise<void> {
  await interaction.deleteReply();
  await sendFollowUps(interaction, messages.length ? messages : [EMPTY], true);
}

/** A short private notice, whatever state the interaction is in. */
export async function sendNotice(interaction: RepliableInteraction, text: string): Promise<void> {
  const m: OutMessage = { content: text, embeds: [], components: [] };
  if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) await replyDeferred(interaction, [m], true);
    else await replaceDeferredWithPrivate(interaction, [m]);
  } else if (interaction.deferred || interaction.replied) await sendFollowUps(interaction, [m], true);
  else await replyNow(interaction, [m], true);
}
