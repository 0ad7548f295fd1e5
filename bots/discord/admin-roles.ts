/**
 * Who may set up channel drills and post challenges in a server: members with
 * Manage Server, and members of the one role a Manage Server member chose with
 * /settings admin-role (kept per server in Redis). Nobody is an admin in DMs.
 */
import type { BaseInteraction, GuildMember, APIInteractionGuildMember } from "discord.js";
import type { Cluster, Redis } from "ioredis";
import { RedisKeys } from "../redis/keys.js";
import { isAdminOf } from "./interaction-context.js";

/** The admin role of each server. */
export interface AdminRoleStore {
  get(guildId: string): Promise<string | null>;
  set(guildId: string, roleId: string): Promise<void>;
  /** True when a role was set. */
  clear(guildId: string): Promise<boolean>;
}

/** The admin roles in Redis: one string key per server, shared by every bot process. */
export class DiscordAdminRoles implements AdminRoleStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  async get(guildId: string): Promise<string | null> {
    return this.redis.get(this.keys.discordAdminRole(guildId));
  }

  async set(guildId: string, roleId: string): Promise<void> {
    await this.redis.set(this.keys.discordAdminRole(guildId), roleId);
  }

  async clear(guildId: string): Promise<boolean> {
    return (await this.redis.del(this.keys.discordAdminRole(guildId))) > 0;
  }
}

export class AdminLookupTimeoutError extends Error {
  override name = "AdminLookupTimeoutError";
}

/** Discord wants an answer within 3 s: a lookup slower than this fails the command rather than the interaction. */
const LOOKUP_TIMEOUT_MS = 2_000;

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdminLookupTimeoutError(`the admin role lookup took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

function hasRole(member: GuildMember | APIInteractionGuildMember | null, roleId: string): boolean {
  if (!member) return false;
  const roles = member.roles;
  return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
}

/**
 * Manage Server (no lookup), else the server's admin role when a store is
 * given. A failing store throws: the caller reports a failure rather than
 * telling a real admin they are not one.
 */
export async function isDrillAdmin(interaction: BaseInteraction, roles?: AdminRoleStore, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<boolean> {
  if (!interaction.inGuild()) return false;
  if (isAdminOf(interaction)) return true;
  if (!roles) return false;
  const roleId = await withTimeout(roles.get(interaction.guildId), timeoutMs);
  return roleId !== null && hasRole(interaction.member, roleId);
}
