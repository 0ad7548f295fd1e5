import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { Redis } from "ioredis";
import { StudyService } from "../../../core/service/study-service.js";
import { plainLogger } from "../../../bots/logger.js";
import { RedisProgressStore } from "../../../bots/redis/progress-store.js";
import { startSlack, type SlackAdapter } from "../../../bots/slack/start-slack.js";
import { fixedClock, startTestRedis, uniquePrefix, type TestRedis } from "../../support/redis.js";
import { commandFields } from "../../support/slack-requests.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { fixtureCatalog } from "../../support/study-harness.js";
import { ALICE, BOT_TOKEN, textOf } from "../../support/slack-harness.js";

const APP_TOKEN = "xapp-1-A1-test-app-token";

let redis: TestRedis;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Slack's Socket Mode server, in small: says hello, sends envelopes, collects acks. */
async function startSocketServer() {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const messages: any[] = [];
  let socket: WebSocket | undefined;
  const connected = new Promise<WebSocket>((resolve) => {
    wss.on("connection", (ws) => {
      socket = ws;
      ws.on("message", (data) => messages.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "standin" }, connection_info: { app_id: "A1" } }));
      resolve(ws);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=t1`,
    messages,
    connected,
    close: async () => {
      socket?.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe("Socket Mode", () => {
  it("a slash_commands envelope is acked over the socket and answered through its response_url", async () => {
    const standin = await SlackStandin.start();
    cleanups.push(() => standin.close());
    const ws = await startSocketServer();
    cleanups.push(() => ws.close());
    standin.socketUrl = ws.url;

    const client = new Redis(redis.server.url, { maxRetriesPerRequest: 2 });
    cleanups.push(() => client.disconnect());
    const logLines: string[] = [];
    const log = plainLogger("debug", [BOT_TOKEN, APP_TOKEN], (l) => logLines.push(l));
    const service = new StudyService({
      catalog: await fixtureCatalog(),
      store: new RedisProgressStore(client, { prefix: uniquePrefix() }),
      clock: fixedClock("2026-03-02T12:00:00Z"),
      newId: () => "sock1",
    });
    const adapter: SlackAdapter = await startSlack({
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      apiUrl: standin.apiUrl.replace(/\/$/, ""),
      port: 0,
      service,
      log,
      retryConfig: { retries: 0 },
    });
    cleanups.push(() => adapter.stop());
    expect(adapter.port).toBe(0);
    const open = standin.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe(`Bearer ${APP_TOKEN}`);

    const socket = await ws.connected;
    socket.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: commandFields(ALICE, "quiz alpha 2", standin.responseUrl("sock-cmd"), "trig-sock-1"),
      }),
    );
    const ack = await standin.waitFor(() => ws.messages.find((m) => m.envelope_id === "env-1"), "the envelope's ack");
    expect(ack).toEqual({ envelope_id: "env-1", payload: {} });
    const post = await standin.waitFor(() => standin.responsesTo("sock-cmd")[0], "the response_url post");
    expect(post.body.response_type).toBe("in_channel");
    expect(textOf(post.body.blocks)).toContain("Which letter comes first?");
    expect(logLines.join("\n")).not.toContain(APP_TOKEN);
  });
});
