/** DISCORD_MODE, DISCORD_PUBLIC_KEY and DISCORD_SHARDS: what each setting gives, and the one-line refusals. */
import { expect, test } from "vitest";
import { discordModeConfig, DiscordModeError } from "../../../bots/discord/discord-mode-config.js";

const KEY = "a".repeat(32) + "0123456789ABCDEF".repeat(2);

test("nothing set is the gateway with the shard count Discord recommends", () => {
  expect(discordModeConfig({})).toEqual({ mode: "gateway", shards: "auto" });
  expect(discordModeConfig({ DISCORD_MODE: " Gateway ", DISCORD_SHARDS: "AUTO" })).toEqual({ mode: "gateway", shards: "auto" });
});

test("DISCORD_SHARDS fixes the count", () => {
  expect(discordModeConfig({ DISCORD_SHARDS: "4" })).toEqual({ mode: "gateway", shards: 4 });
});

test("http mode takes the public key (lower-cased)", () => {
  expect(discordModeConfig({ DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: KEY })).toEqual({ mode: "http", publicKey: KEY.toLowerCase() });
});

test.each([
  [{ DISCORD_MODE: "websocket" }, /DISCORD_MODE "websocket" is not a mode: set it to gateway \(the default\) or http/],
  [{ DISCORD_MODE: "http" }, /needs DISCORD_PUBLIC_KEY: copy Public Key/],
  [{ DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: "abc" }, /64 hex characters \(it has 3\)/],
  [{ DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: "g".repeat(64) }, /64 hex characters \(it has 64, not all hex\)/],
  [{ DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: KEY, DISCORD_SHARDS: "2" }, /unset DISCORD_SHARDS, or set DISCORD_MODE=gateway/],
  [{ DISCORD_SHARDS: "0" }, /DISCORD_SHARDS "0" is not a shard count/],
  [{ DISCORD_SHARDS: "-2" }, /is not a shard count/],
  [{ DISCORD_SHARDS: "2.5" }, /is not a shard count/],
  [{ DISCORD_SHARDS: "lots" }, /set it to auto \(Discord's recommendation\) or a whole number from 1/],
])("%o is refused with one line saying what to set", (env, message) => {
  expect(() => discordModeConfig(env)).toThrow(DiscordModeError);
  expect(() => discordModeConfig(env)).toThrow(message);
  const thrown = (() => {
    try {
      discordModeConfig(env);
    } catch (e) {
      return (e as Error).message;
    }
  })();
  expect(thrown).not.toContain("\n");
});

test("the caller can choose its error type (config.ts's ConfigError)", () => {
  class ConfigError extends Error {}
  expect(() => discordModeConfig({ DISCORD_MODE: "x" }, (m) => new ConfigError(m))).toThrow(ConfigError);
});
