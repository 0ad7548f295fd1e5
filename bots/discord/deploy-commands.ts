/**
 * Registers drillbot's slash commands with Discord: in one server (instant,
 * for trying it out) or globally (every server the bot is in).
 */
import { REST, Routes } from "discord.js";
import { discordCommands } from "./command-definitions.js";

export interface DeployOptions {
  token: string;
  appId: string;
  /** Base of the REST API, e.g. a stand-in's "http://127.0.0.1:8080/api". Default: Discord's. */
  apiUrl?: string;
  /** Register in this server only; without it the commands are global. */
  guildId?: string;
}

export interface DeployResult {
  names: string[];
  scope: string;
}

export async function deployCommands(opts: DeployOptions): Promise<DeployResult> {
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl } : {}).setToken(opts.token);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.appId, opts.guildId) : Routes.applicationCommands(opts.appId);
  const registered = (await rest.put(route, { body: discordCommands })) as { name: string }[];
  return {
    names: registered.map((c) => c.name),
    scope: opts.guildId ? `server ${opts.guildId}` : "global (may take up to an hour to appear everywhere)",
  };
}
