/**
 * The DM channel id of each Discord user, kept in Redis so that a learner's
 * later DMs cost one request (the post) from any process and after a restart.
 * A DM channel between a bot and a user keeps its id, so the entry lives long
 * and is forgotten only when Discord says the channel is gone.
 */
import type { Cluster, Redis } from "ioredis";
import type { RedisKeys } from "../redis/keys.js";

/** 30 days; refreshed each time the channel is opened again. */
export const DM_CHANNEL_TTL_SECONDS = 30 * 86_400;

export interface DmChannelStore {
  get(userId: string): Promise<string | null>;
  set(userId: string, channelId: string): Promise<void>;
  forget(userId: string): Promise<void>;
}

export function redisDmChannels(redis: Redis | Cluster, keys: RedisKeys): DmChannelStore {
  return {
    get: (userId) => redis.get(keys.discordDmChannel(userId)),
    set: async (userId, channelId) => void (await redis.set(keys.discordDmChannel(userId), channelId, "EX", DM_CHANNEL_TTL_SECONDS)),
    forget: async (userId) => void (await redis.del(keys.discordDmChannel(userId))),
  };
}

/** One process's memory only (no Redis given): what the messenger did before. */
export function memoryDmChannels(): DmChannelStore {
  const map = new Map<string, string>();
  return {
    get: async (userId) => map.get(userId) ?? null,
    set: async (userId, channelId) => void map.set(userId, channelId),
    forget: async (userId) => void map.delete(userId),
  };
}
