/**
 * discord.js without the gateway: a Client that never logs in, with the bot
 * token on its REST client, turning raw interaction payloads (as Discord POSTs
 * them) into discord.js interactions through discord.js's own InteractionCreate
 * action, so the handlers get the same ChatInputCommandInteraction,
 * ButtonInteraction, ... objects as on the gateway.
 */
import { Client, ClientApplication, Events, Options, Routes, type APIInteraction, type Interaction } from "discord.js";

/** Users seen in interactions are kept in discord.js's cache; nothing reads them back, so only a few. */
const USER_CACHE = 1_000;

export function createHttpClient(token: string, apiUrl?: string): Client {
  const client = new Client({
    intents: [],
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, UserManager: USER_CACHE }),
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
  client.rest.setToken(token);
  return client;
}

export interface AppInfo {
  id: string;
  /** The public key interactions are signed for (hex). */
  verifyKey: string;
}

/** GET /applications/@me with the bot token: checks the token and tells the application's id and public key. */
export async function fetchApplication(client: Client, signal: AbortSignal): Promise<AppInfo> {
  const app = (await client.rest.get(Routes.currentApplication(), { signal })) as { id: string; verify_key: string; flags?: number };
  // What READY would have set: discord.js reads client.application for entitlements.
  const make = ClientApplication as unknown as new (c: Client, data: unknown) => ClientApplication;
  (client as { application: ClientApplication | null }).application = new make(client, app);
  return { id: app.id, verifyKey: app.verify_key };
}

interface InteractionAction {
  handle(data: APIInteraction): void;
}

/** The discord.js interaction for a payload, or null when discord.js has no class for its type. */
export function interactionFactory(client: Client): (data: APIInteraction) => Interaction | null {
  const action = (client as unknown as { actions: { InteractionCreate: InteractionAction } }).actions.InteractionCreate;
  return (data) => {
    let made: Interaction | null = null;
    const take = (i: Interaction) => void (made = i);
    // The action builds the object and emits it synchronously.
    client.on(Events.InteractionCreate, take);
    try {
      action.handle(data);
    } finally {
      client.off(Events.InteractionCreate, take);
    }
    return made;
  };
}
