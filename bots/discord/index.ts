/** The Discord adapter: start the bot, deploy its slash commands. */
export { DiscordStartError, startDiscord, type DiscordBot, type DiscordOptions } from "./start-discord.js";
export { deployCommands, type DeployOptions, type DeployResult } from "./deploy-commands.js";
export { discordCommands } from "./command-definitions.js";
