/**
 * The Discord rate server (discord-rate-server.ts) as a process of its own,
 * driven over IPC by discord-rate-standin.ts. Env: STANDIN_OPTIONS (JSON
 * RateServerOptions). Sends { port } once listening, then one { record } per
 * request; takes { force: seconds } (the next request gets a global 429) and
 * { close: true }. Exits when its parent goes.
 */
import { DiscordRateServer, type RateServerOptions } from "./discord-rate-server.js";

const send = (m: unknown) => process.send?.(m);
const options = JSON.parse(process.env.STANDIN_OPTIONS ?? "{}") as RateServerOptions;
const server = await DiscordRateServer.start(options, (record) => send({ record }));
process.on("message", (m: { force?: number; close?: boolean }) => {
  if (m.force !== undefined) server.forceGlobal429(m.force);
  if (m.close) void server.close().then(() => process.disconnect());
});
process.on("disconnect", () => process.exit(0));
send({ port: server.port });
