/**
 * /settings admin-role [role] [clear]: a Manage Server member chooses the one
 * role whose members may also set up channel drills and post challenges in
 * this server (or clears it, or sees it). Only the asker sees the answer.
 */
import { MessageFlags, type ChatInputCommandInteraction } from "discord.js";
import type { AdminRoleStore } from "./admin-roles.js";
import { OPTION } from "./command-definitions.js";
import { isAdminOf } from "./interaction-context.js";
import type { OutMessage } from "./render-message.js";
import { replyDeferred, replyNow } from "./send-replies.js";

const note = (content: string): OutMessage[] => [{ content, embeds: [], components: [] }];
/** A role tag shows the role's name; mentions are never parsed, so nobody is pinged. */
const tag = (roleId: string) => `<@&${roleId}>`;

export const ADMIN_ROLE_TEXT = {
  dm: "ℹ️ Admin roles belong to a server: run /settings admin-role there.",
  notManager: "❔ Only members with the Manage Server permission can choose drillbot's admin role.",
  noStore: "ℹ️ This drillbot keeps no admin roles, so only members with Manage Server can set up channel drills and challenges.",
  both: "❔ Give a role, or clear: true, not both.",
  everyone: "❔ @everyone cannot be the admin role: that would let every member set up drills and challenges. Pick a role.",
  set: (roleId: string) => `✅ Members with ${tag(roleId)} can now set up channel drills and post challenges here, as can everyone with Manage Server.`,
  cleared: "✅ Admin role removed: only members with Manage Server can set up channel drills and challenges here.",
  noneToClear: "ℹ️ There was no admin role; only members with Manage Server are admins here.",
  current: (roleId: string | null) =>
    roleId
      ? `ℹ️ Members with ${tag(roleId)} and everyone with Manage Server can set up channel drills and challenges here. Change it with /settings admin-role <role>, or remove it with clear: true.`
      : "ℹ️ No admin role is set: only members with Manage Server can set up channel drills and challenges here. Choose one with /settings admin-role <role>.",
} as const;

export async function handleAdminRole(interaction: ChatInputCommandInteraction, store: AdminRoleStore | undefined): Promise<void> {
  const now = (text: string) => replyNow(interaction, note(text), true);
  if (!interaction.inGuild()) return now(ADMIN_ROLE_TEXT.dm);
  if (!isAdminOf(interaction)) return now(ADMIN_ROLE_TEXT.notManager);
  if (!store) return now(ADMIN_ROLE_TEXT.noStore);
  const role = interaction.options.getRole(OPTION.role, false);
  const clear = interaction.options.getBoolean(OPTION.clear, false) ?? false;
  if (role && clear) return now(ADMIN_ROLE_TEXT.both);
  if (role && role.id === interaction.guildId) return now(ADMIN_ROLE_TEXT.everyone);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let text: string;
  if (role) {
    await store.set(interaction.guildId, role.id);
    text = ADMIN_ROLE_TEXT.set(role.id);
  } else if (clear) {
    text = (await store.clear(interaction.guildId)) ? ADMIN_ROLE_TEXT.cleared : ADMIN_ROLE_TEXT.noneToClear;
  } else {
    text = ADMIN_ROLE_TEXT.current(await store.get(interaction.guildId));
  }
  await replyDeferred(interaction, note(text), true);
}
