/**
 * Gateway payloads the Discord stand-in sends: GUILD_CREATE for a server and
 * INTERACTION_CREATE bodies for slash commands, autocomplete, button presses,
 * select menus and modal submits, shaped like Discord's (API v10).
 */
import { randomBytes } from "node:crypto";
import type { JsonObject, SeenMessage } from "./discord-conversation.js";

export interface StandinGuild {
  id: string;
  name: string;
  channelId: string;
  /** Roles besides @everyone (sent in GUILD_CREATE). */
  roles?: { id: string; name: string }[];
}

export interface Actor {
  user: { id: string; username: string; global_name?: string | null };
  /** Server nickname. */
  nick?: string | null;
  /** The server and channel it happens in; null: the bot's DM with the user. */
  guild: StandinGuild | null;
  /** The DM channel id when guild is null. */
  dmChannelId?: string;
  /** The member's permissions in the channel (default: all of them, so Manage Server too). */
  permissions?: string;
  /** Role ids the member has. */
  roles?: string[];
}

const ALL_PERMISSIONS = "2251799813685247";
/** Everything but Administrator (8) and Manage Server (32): an ordinary member. */
export const MEMBER_PERMISSIONS = String(BigInt(ALL_PERMISSIONS) & ~(8n | 32n));

export function roleJson(guildId: string, role: { id: string; name: string }, position = 1): JsonObject {
  return { id: role.id, name: role.name, permissions: "0", position, color: 0, hoist: false, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null, guild_id: guildId };
}
let counter = 0n;

/** Unique snowflake-looking ids (interaction ids are event ids: never reuse one by accident). */
export function snowflake(): string {
  counter += 1n;
  return String(1_300_000_000_000_000_000n + BigInt(Date.now()) * 1000n + counter);
}

function userJson(u: Actor["user"]): JsonObject {
  return { id: u.id, username: u.username, global_name: u.global_name ?? null, discriminator: "0", avatar: null, public_flags: 0 };
}

export function guildCreatePayload(g: StandinGuild, bot: { id: string }): JsonObject {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: "100000000000000001",
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      { id: g.id, name: "@everyone", permissions: "2248473465835073", position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      ...(g.roles ?? []).map((r, i) => roleJson(g.id, r, i + 1)),
    ],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    premium_tier: 0,
    preferred_locale: "en-US",
    nsfw_level: 0,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [{ user: { id: bot.id, username: "drillbot", discriminator: "0000", bot: true, avatar: null }, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 }],
    channels: [{ id: g.channelId, type: 0, guild_id: g.id, name: "study", position: 0, permission_overwrites: [], parent_id: null, nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0, flags: 0 }],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function base(actor: Actor, appId: string, type: number, data: JsonObject, extra: JsonObject = {}): JsonObject {
  const id = snowflake();
  const where: JsonObject = actor.guild
    ? {
        guild_id: actor.guild.id,
        guild_locale: "en-US",
        channel_id: actor.guild.channelId,
        channel: { id: actor.guild.channelId, type: 0, guild_id: actor.guild.id, name: "study", permissions: ALL_PERMISSIONS, position: 0, parent_id: null, nsfw: false, flags: 0 },
        member: {
          user: userJson(actor.user),
          nick: actor.nick ?? null,
          roles: actor.roles ?? [],
          joined_at: new Date(0).toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
          pending: false,
          avatar: null,
          premium_since: null,
          permissions: actor.permissions ?? ALL_PERMISSIONS,
        },
        authorizing_integration_owners: { "0": actor.guild.id },
        context: 0,
      }
    : {
        channel_id: actor.dmChannelId ?? "600000000000000001",
        channel: { id: actor.dmChannelId ?? "600000000000000001", type: 1, flags: 0, last_message_id: null, recipients: [userJson(actor.user)] },
        user: userJson(actor.user),
        authorizing_integration_owners: { "0": "0" },
        context: 1,
      };
  return {
    id,
    application_id: appId,
    type,
    data,
    token: `itok-${id}-${randomBytes(12).toString("base64url")}`,
    version: 1,
    app_permissions: ALL_PERMISSIONS,
    locale: "en-US",
    entitlements: [],
    attachment_size_limit: 10_485_760,
    ...where,
    ...extra,
  };
}

export interface OptionValue {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: OptionValue[];
}

/** Option type numbers (Discord API). */
export const OPT = { subcommand: 1, group: 2, string: 3, integer: 4, boolean: 5, role: 8, attachment: 11 } as const;

/**
 * A file a user attached to a slash command, as Discord resolves it in
 * `data.resolved.attachments[id]` (the option's value is the id). Discord
 * serves it from its CDN (cdn.discordapp.com/ephemeral-attachments/...); the
 * stand-in serves it itself (DiscordStandin.hostAttachment).
 */
export interface ResolvedAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  ephemeral: boolean;
}

/** `resolved`: the objects option values name, e.g. { roles: { [id]: role } }. */
export function slashCommand(actor: Actor, appId: string, name: string, options: OptionValue[] = [], resolved?: JsonObject): JsonObject {
  return base(actor, appId, 2, { id: snowflake(), name, type: 1, options, ...(actor.guild ? { guild_id: actor.guild.id } : {}), ...(resolved ? { resolved } : {}) });
}

export function autocomplete(actor: Actor, appId: string, name: string, options: OptionValue[]): JsonObject {
  return base(actor, appId, 4, { id: snowflake(), name, type: 1, options });
}

export function buttonPress(actor: Actor, appId: string, message: SeenMessage, customId: string): JsonObject {
  return base(actor, appId, 3, { custom_id: customId, component_type: 2 }, { message: message.raw });
}

export function selectMenu(actor: Actor, appId: string, message: SeenMessage, customId: string, values: string[]): JsonObject {
  return base(actor, appId, 3, { custom_id: customId, component_type: 3, values }, { message: message.raw });
}

export function modalSubmit(actor: Actor, appId: string, customId: string, fields: Record<string, string>, message?: SeenMessage): JsonObject {
  const components = Object.entries(fields).map(([fieldId, value], i) => ({ type: 18, id: i * 2 + 1, component: { type: 4, id: i * 2 + 2, custom_id: fieldId, value } }));
  return base(actor, appId, 5, { custom_id: customId, components }, message ? { message: message.raw } : {});
}
