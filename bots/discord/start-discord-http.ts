/**
 * Discord over HTTP interactions: no gateway connection (so no shards at any
 * number of servers). Start-up checks the token with GET /applications/@me
 * and that DISCORD_PUBLIC_KEY is that application's key, then serves
 * POST /discord/interactions (on its own port, or mounted by the caller).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Interaction } from "discord.js";
import { observeDiscordRest } from "../ops/platform-metrics.js";
import type { InteractionGate } from "../ops/interaction-gate.js";
import { DiscordStartError, READY_TIMEOUT_MS, startFailure } from "./discord-start.js";
import { HttpAnswers } from "./http-answers.js";
import { createHttpClient, fetchApplication, interactionFactory } from "./http-client.js";
import { interactionPublicKey } from "./interaction-signature.js";
import { INTERACTIONS_PATH, interactionsListener } from "./interactions-endpoint.js";
import { memorySeenInteractions } from "./seen-interactions.js";
import type { DiscordBot, DiscordOptions } from "./start-discord.js";

const PUBLIC_KEY_HELP = "copy Public Key from Developer Portal > General Information";

export async function startHttpDiscord(opts: DiscordOptions, gate: InteractionGate, route: (i: Interaction) => Promise<void>): Promise<DiscordBot> {
  const { log } = opts;
  if (!opts.publicKey) throw new DiscordStartError(`DISCORD_MODE=http needs DISCORD_PUBLIC_KEY: ${PUBLIC_KEY_HELP}.`);
  let publicKey;
  try {
    publicKey = interactionPublicKey(opts.publicKey);
  } catch {
    throw new DiscordStartError(`DISCORD_PUBLIC_KEY is not 64 hex characters: ${PUBLIC_KEY_HELP}.`);
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65535)) {
    throw new DiscordStartError(`port ${opts.port} is not a port: set PORT to a number from 1 to 65535.`);
  }

  const client = createHttpClient(opts.token, opts.apiUrl);
  observeDiscordRest(client.rest);
  const answers = new HttpAnswers();
  answers.install(client.rest);

  const where = opts.apiUrl ?? "discord.com";
  try {
    const app = await fetchApplication(client, AbortSignal.timeout(READY_TIMEOUT_MS));
    if (app.verifyKey.toLowerCase() !== opts.publicKey.toLowerCase()) {
      throw new DiscordStartError(`DISCORD_PUBLIC_KEY is not the public key of the application this token belongs to (${app.id}): ${PUBLIC_KEY_HELP}.`);
    }
    if (app.id !== opts.appId) log.warn(`DISCORD_APP_ID is ${opts.appId} but the token belongs to application ${app.id}; commands were probably deployed to the wrong application`);
  } catch (err) {
    await client.destroy().catch(() => undefined);
    if ((err as { name?: unknown }).name === "TimeoutError") {
      throw new DiscordStartError(`Discord did not answer within ${READY_TIMEOUT_MS / 1000} s (${where}): check the network${opts.apiUrl ? " and DISCORD_API_URL" : ""}, then start again.`);
    }
    throw startFailure(err, where, opts.apiUrl !== undefined);
  }

  const listener = interactionsListener({ publicKey, toInteraction: interactionFactory(client), route, answers, seen: memorySeenInteractions(), log });
  let server: http.Server | null = null;
  let port: number | undefined;
  if (opts.port !== undefined) {
    const s = http.createServer(listener);
    // Discord drops a request after 3 s; a slow client gets no longer than that to send one.
    s.requestTimeout = 10_000;
    s.headersTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      s.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          err.code === "EADDRINUSE"
            ? new DiscordStartError(`port ${opts.port} is already in use: set PORT to a free one (Discord's interactions endpoint listens there).`)
            : new DiscordStartError(`cannot listen on ${opts.host ?? "*"}:${opts.port} (${err.code ?? err.message}): check PORT.`),
        ),
      );
      s.listen(opts.port, opts.host, () => resolve());
    }).catch(async (err: unknown) => {
      await client.destroy().catch(() => undefined);
      throw err;
    });
    server = s;
    port = (s.address() as AddressInfo).port;
  }
  const shownHost = !opts.host || opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const url = port !== undefined ? `http://${shownHost}:${port}${INTERACTIONS_PATH}` : undefined;
  log.info(`discord: HTTP interactions ${url ? `at ${url}` : `on ${INTERACTIONS_PATH} (mounted by the caller)`}; no gateway connection`);

  let stopped = false;
  return {
    client,
    mode: "http",
    ready: () => !stopped && (server === null || server.listening),
    http: { listener, ...(port !== undefined ? { port } : {}), ...(url ? { url } : {}) },
    drain: async (deadline) => void (await gate.drain(deadline)),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        // Requests still open past the drain are Discord's, already given up on after 3 s.
        setTimeout(() => server?.closeAllConnections(), 3_000).unref();
        await closed;
      }
      client.removeAllListeners();
      await client.destroy();
    },
  };
}
