/**
 * How the Discord adapter takes interactions, from the environment:
 * DISCORD_MODE (gateway, the default, or http), DISCORD_PUBLIC_KEY (http:
 * the application's public key) and DISCORD_SHARDS (gateway: auto, the
 * default, or a shard count). Bad values fail with one line saying what to set.
 */
export type DiscordModeConfig = { mode: "gateway"; shards: "auto" | number } | { mode: "http"; publicKey: string };

export class DiscordModeError extends Error {
  override name = "DiscordModeError";
}

const MAX_SHARDS = 65_535;

export function discordModeConfig(env: Record<string, string | undefined>, fail: (message: string) => Error = (m) => new DiscordModeError(m)): DiscordModeConfig {
  const mode = (env.DISCORD_MODE ?? "").trim().toLowerCase() || "gateway";
  const shards = (env.DISCORD_SHARDS ?? "").trim();
  if (mode === "http") {
    if (shards) throw fail("DISCORD_SHARDS is set but DISCORD_MODE is http, which opens no gateway and needs no shards: unset DISCORD_SHARDS, or set DISCORD_MODE=gateway.");
    const key = (env.DISCORD_PUBLIC_KEY ?? "").trim();
    if (!key) throw fail("DISCORD_MODE=http needs DISCORD_PUBLIC_KEY: copy Public Key from Developer Portal > General Information.");
    if (!/^[0-9a-fA-F]{64}$/.test(key)) throw fail(`DISCORD_PUBLIC_KEY must be 64 hex characters (it has ${key.length}${/[^0-9a-fA-F]/.test(key) ? ", not all hex" : ""}): copy Public Key from Developer Portal > General Information.`);
    return { mode: "http", publicKey: key.toLowerCase() };
  }
  if (mode !== "gateway") throw fail(`DISCORD_MODE "${mode.slice(0, 30)}" is not a mode: set it to gateway (the default) or http.`);
  if (!shards || shards.toLowerCase() === "auto") return { mode: "gateway", shards: "auto" };
  const n = /^\d{1,6}$/.test(shards) ? Number(shards) : NaN;
  if (!(n >= 1 && n <= MAX_SHARDS)) throw fail(`DISCORD_SHARDS "${shards.slice(0, 30)}" is not a shard count: set it to auto (Discord's recommendation) or a whole number from 1 to ${MAX_SHARDS}.`);
  return { mode: "gateway", shards: n };
}
