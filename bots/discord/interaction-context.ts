/** Who is asking: the learner key, display name and event id of an interaction. */
import { PermissionFlagsBits, type BaseInteraction } from "discord.js";
import { workspaceId, type LearnerKey } from "../../core/identity.js";
import type { RequestContext } from "../../core/service/study-service.js";

export function learnerOf(interaction: BaseInteraction): LearnerKey {
  return { platform: "discord", workspace: interaction.guildId ?? "dm", user: interaction.user.id };
}

/** The server an interaction is about (catalogFor takes it): its own, or for a DM control its home server. */
export function placeOf(interaction: BaseInteraction, home?: string): { platform: "discord"; workspace: string } {
  return { platform: "discord", workspace: home && !interaction.inGuild() ? home : learnerOf(interaction).workspace };
}

/**
 * The workspace id the services key a server's content by ("discord:<guild id>"):
 * what the pack store takes. `home`: a DM control's home server.
 */
export function workspaceOf(interaction: BaseInteraction, home?: string): string {
  return workspaceId(placeOf(interaction, home));
}

/** Server nickname, else global display name, else username. */
export function displayNameOf(interaction: BaseInteraction): string {
  const member = interaction.member;
  const nick = member ? ("nickname" in member ? member.nickname : member.nick) : null;
  return nick || interaction.user.globalName || interaction.user.username;
}

/** Server admins (Manage Server) may set up channel drills and challenges; nobody is an admin in DMs. */
export function isAdminOf(interaction: BaseInteraction): boolean {
  return interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
}

export interface ContextOptions {
  /** Decided by the caller (see admin-roles.ts); default: Manage Server only. */
  isAdmin?: boolean;
  /**
   * The learner's home server named by a control sent in a DM (custom-id.ts).
   * Only honoured in DMs: inside a server the server itself decides.
   */
  home?: string;
}

export function requestContext(interaction: BaseInteraction, opts: ContextOptions = {}): RequestContext {
  const base = learnerOf(interaction);
  const learner = opts.home && !interaction.inGuild() ? { ...base, workspace: opts.home } : base;
  return {
    learner,
    displayName: displayNameOf(interaction),
    eventId: interaction.id,
    isAdmin: opts.isAdmin ?? isAdminOf(interaction),
    channel: interaction.channelId ? { platform: "discord", workspace: base.workspace, channel: interaction.channelId } : null,
  };
}
