/**
 * The rules of an HTTP interaction's first response, through the real
 * endpoint and discord.js with handlers written to break them, and the
 * stand-in holding a bare server to the same rules: an answer after 3 s, a
 * response type Discord does not allow, no answer at all and a 202 without a
 * callback each fail the interaction; files go by the callback endpoint and
 * the request is answered 202.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { DiscordAPIError, Routes, type Client, type Interaction } from "discord.js";
import { HttpAnswers } from "../../../bots/discord/http-answers.js";
import { createHttpClient, interactionFactory } from "../../../bots/discord/http-client.js";
import { interactionPublicKey } from "../../../bots/discord/interaction-signature.js";
import { interactionsListener } from "../../../bots/discord/interactions-endpoint.js";
import { memorySeenInteractions } from "../../../bots/discord/seen-interactions.js";
import { plainLogger } from "../../../bots/logger.js";
import { CALLBACK } from "../../support/discord-conversation.js";
import { GUILD_A, TOKEN, useStandin } from "../../support/discord-harness.js";
import { slashCommand } from "../../support/discord-interactions.js";

vi.setConfig({ testTimeout: 15_000 });

const standin = useStandin();
const ANN = { user: { id: "200000000000000001", username: "ann" }, guild: GUILD_A };
let route: (i: Interaction) => Promise<void> = async () => undefined;
let client: Client;
let server: http.Server;
let url: string;
const logs: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  client = createHttpClient(TOKEN, standin.apiUrl);
  const answers = new HttpAnswers();
  answers.install(client.rest);
  const listener = interactionsListener({
    publicKey: interactionPublicKey(standin.publicKeyHex),
    toInteraction: interactionFactory(client),
    route: (i) => route(i),
    answers,
    seen: memorySeenInteractions(),
    log: plainLogger("debug", [TOKEN], (l) => logs.push(l)),
  });
  server = http.createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
});
afterAll(async () => {
  standin.interactionsEndpoint = null;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await client.destroy();
});
beforeEach(async () => {
  await standin.setInteractionsEndpoint(url);
});

const command = () => slashCommand(ANN, standin.options.appId, "streak");
const failed = (c: { failure: string | null }) => c.failure !== null;

test("a handler that answers after 3 s fails the interaction, and its late reply is refused as Discord does (10062)", async () => {
  let late: unknown = null;
  route = async (i) => {
    await sleep(3300);
    if (i.isRepliable()) late = await i.reply({ content: "too late" }).catch((e: unknown) => e);
  };
  const conv = await standin.interact(command(), failed, 6000);
  expect(conv.failure).toMatch(/no answer within 3000 ms|HTTP 500/);
  await sleep(600);
  expect(late).toBeInstanceOf(DiscordAPIError);
  expect((late as DiscordAPIError).code).toBe(10062);
  expect(conv.messages).toHaveLength(0);
});

test("a response type Discord does not allow for the interaction fails it (an update to a slash command)", async () => {
  route = async (i) => {
    await i.client.rest.post(Routes.interactionCallback(i.id, (i as { token: string }).token), { body: { type: CALLBACK.updateMessage, data: { content: "x" } }, auth: false });
  };
  const conv = await standin.interact(command(), failed);
  expect(conv.failure).toContain("response type 7 is not allowed for interaction type 2");
  expect(conv.messages).toHaveLength(0);
});

test("a message over Discord's limits in the HTTP answer fails the interaction", async () => {
  route = async (i) => {
    if (i.isRepliable()) await i.reply({ content: "x".repeat(2001) });
  };
  const conv = await standin.interact(command(), failed);
  expect(conv.failure).toContain("content is longer than 2000");
});

test("an interaction the handler never answers gets a 500, which Discord counts as failed", async () => {
  route = async () => undefined;
  const conv = await standin.interact(command(), failed);
  expect(conv.failure).toContain("HTTP 500");
  expect(logs.some((l) => l.includes(`interaction ${conv.interactionId} got no response`))).toBe(true);
});

test("a first response with files goes to the callback endpoint and the request is answered 202 with no body", async () => {
  route = async (i) => {
    if (i.isRepliable()) await i.reply({ content: "your file", files: [{ attachment: Buffer.from("a,b\n1,2\n"), name: "export.csv" }] });
  };
  const conv = await standin.interact(command());
  expect(conv.failure).toBeNull();
  expect(conv.original?.files.map((f) => f.filename)).toEqual(["export.csv"]);
  const delivery = standin.httpDeliveries.find((d) => d.interactionId === conv.interactionId)!;
  expect(delivery.answer.kind === "answer" && [delivery.answer.status, delivery.answer.body]).toEqual([202, ""]);
  expect(standin.requests.some((r) => r.path.endsWith(`/${conv.token}/callback`) && r.status === 204 && r.files.length === 1)).toBe(true);
});

test("the stand-in holds any endpoint to Discord's rules: a late valid answer and a 202 without a callback both fail", async () => {
  let behaviour: "late" | "202" = "late";
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (behaviour === "202") return void res.writeHead(202).end();
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ type: 4, data: { content: "hi" } })), 3300);
    });
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
  standin.interactionsEndpoint = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  try {
    const slow = await standin.interact(command(), failed, 6000);
    expect(slow.failure).toBe("no answer within 3000 ms");
    behaviour = "202";
    const empty = await standin.interact(command(), failed);
    expect(empty.failure).toBe("202 without a response on the callback endpoint");
  } finally {
    bare.closeAllConnections();
    await new Promise((r) => bare.close(r));
  }
});
