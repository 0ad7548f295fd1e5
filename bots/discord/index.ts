/** The Discord adapter: start the bot (gateway or HTTP interactions), deploy its slash commands, send scheduled messages, keep admin roles. */
export { DiscordStartError, startDiscord, type DiscordBot, type DiscordOptions } from "./start-discord.js";
export { discordModeConfig, DiscordModeError, type DiscordModeConfig } from "./discord-mode-config.js";
export { INTERACTIONS_PATH } from "./interactions-endpoint.js";
export { deployCommands, type DeployOptions, type DeployResult } from "./deploy-commands.js";
export { discordCommands } from "./command-definitions.js";
export { createDiscordMessenger, DiscordRateLimitedError, type DiscordMessenger, type DiscordMessengerOptions } from "./discord-messenger.js";
export { DiscordAdminRoles, type AdminRoleStore } from "./admin-roles.js";
export type { PackIdSource } from "./handle-autocomplete.js";
