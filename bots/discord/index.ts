/** The Discord adapter: start the bot, deploy its slash commands, send scheduled messages, keep admin roles. */
export { DiscordStartError, startDiscord, type DiscordBot, type DiscordOptions } from "./start-discord.js";
export { deployCommands, type DeployOptions, type DeployResult } from "./deploy-commands.js";
export { discordCommands } from "./command-definitions.js";
export { createDiscordMessenger, DiscordRateLimitedError, type DiscordMessenger, type DiscordMessengerOptions } from "./discord-messenger.js";
export { DiscordAdminRoles, type AdminRoleStore } from "./admin-roles.js";
