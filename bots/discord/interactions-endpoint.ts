/**
 * POST /discord/interactions: Discord's outgoing webhook for interactions.
 * Every request is checked before anything runs: size, Ed25519 signature and
 * its age (401 otherwise, as Discord requires), JSON. A PING gets PONG; an
 * interaction id already taken is not run again; anything else goes to the
 * same router as gateway interactions, its first response becoming the HTTP
 * answer (http-answers.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KeyObject } from "node:crypto";
import { InteractionType, type APIInteraction, type Interaction } from "discord.js";
import type { Logger } from "../logger.js";
import type { HttpAnswers } from "./http-answers.js";
import { checkSignature } from "./interaction-signature.js";
import type { SeenInteractions } from "./seen-interactions.js";

export const INTERACTIONS_PATH = "/discord/interactions";

/** Larger than any interaction Discord sends (a component's whole message, five 4,000-character form inputs). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface EndpointOptions {
  publicKey: KeyObject;
  toInteraction(data: APIInteraction): Interaction | null;
  route(interaction: Interaction): Promise<void>;
  answers: HttpAnswers;
  seen: SeenInteractions;
  log: Logger;
  now?: () => number;
  maxBodyBytes?: number;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers }).end(text);
}

/** The body, or null once it passed `limit` (the request is then answered 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData).pause();
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function isInteraction(v: unknown): v is APIInteraction {
  const o = v as { id?: unknown; type?: unknown; token?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.type === "number" && (o.type === InteractionType.Ping || (typeof o.id === "string" && typeof o.token === "string"));
}

export function interactionsListener(opts: EndpointOptions): RequestListener {
  const { log, answers } = opts;
  const now = opts.now ?? Date.now;
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== INTERACTIONS_PATH) return send(res, 404, { message: `not found: Discord interactions go to POST ${INTERACTIONS_PATH}` });
    if (req.method !== "POST") return send(res, 405, { message: "use POST" }, { allow: "POST" });
    if (Number(header(req, "content-length") ?? 0) > limit) return send(res, 413, { message: `body over ${limit} bytes` }, { connection: "close" });
    const body = await readBody(req, limit);
    if (body === null) return send(res, 413, { message: `body over ${limit} bytes` }, { connection: "close" });
    const check = checkSignature(opts.publicKey, { signature: header(req, "x-signature-ed25519"), timestamp: header(req, "x-signature-timestamp"), body }, now());
    if (!check.ok) {
      log.info(`discord interactions: refused a request (${check.reason})`);
      return send(res, 401, { message: "invalid request signature" });
    }
    let data: unknown;
    try {
      data = JSON.parse(body.toString("utf8"));
    } catch {
      return send(res, 400, { message: "the body is not JSON" });
    }
    if (!isInteraction(data)) return send(res, 400, { message: "the body is not an interaction" });
    if (data.type === InteractionType.Ping) return send(res, 200, { type: 1 });
    if (!opts.seen.firstTime(data.id, now())) {
      log.warn(`discord interactions: interaction ${data.id} arrived again; not run twice`);
      return send(res, 409, { message: "this interaction was already received" });
    }
    const interaction = opts.toInteraction(data);
    if (!interaction) {
      log.debug(`discord interactions: no handler for interaction type ${data.type}`);
      return send(res, 400, { message: `interaction type ${data.type} is not handled` });
    }
    answers.open(data.id, data.token, res);
    try {
      await opts.route(interaction);
    } finally {
      if (!answers.settle(data.id)) log.warn(`discord interactions: interaction ${data.id} got no response`);
    }
  };

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error("discord interactions: request failed", err);
      if (!res.headersSent) send(res, 500, { message: "internal error" });
      else res.destroy();
    });
  };
}
