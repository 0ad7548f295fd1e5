/**
 * The first response to an interaction that came over HTTP. Discord documents
 * two ways (docs: Receiving and Responding > Interaction Callback): the
 * interaction response as the body of the HTTP answer (200), or a POST to
 * /interactions/{id}/{token}/callback followed by a 202 with no body. Both
 * must happen within 3 s of Discord sending the interaction.
 *
 * The handlers are discord.js's (reply, deferReply, showModal, respond), which
 * POST to the callback route. Hooked into the REST client's makeRequest, a
 * callback for an interaction whose HTTP request is still open becomes the
 * HTTP answer instead (a JSON body; discord.js is told 204, as Discord would);
 * a callback with files (multipart) still goes to Discord and the request is
 * then answered 202. Edits and follow-ups go to Discord's webhook routes as on
 * the gateway.
 */
import type { ServerResponse } from "node:http";
import type { REST, ResponseLike } from "discord.js";

/** Discord drops an interaction that has no response 3 s after sending it. */
export const ANSWER_DEADLINE_MS = 3_000;

const CALLBACK_PATH = /\/interactions\/(\d+)\/([^/?]+)\/callback$/;

interface Pending {
  token: string;
  res: ServerResponse;
  /** waiting: nothing sent yet; sending: a callback is on its way to Discord; done: answered or given up. */
  state: "waiting" | "sending" | "done";
  timer: NodeJS.Timeout;
  answered: boolean;
}

function flush(res: ServerResponse, status: number, body?: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) return resolve(false);
    res.once("finish", () => resolve(true));
    res.once("close", () => resolve(res.writableFinished));
    if (body === undefined) res.writeHead(status).end();
    else res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
  });
}

export class HttpAnswers {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deadlineMs = ANSWER_DEADLINE_MS) {}

  /** Holds `res` for interaction `id` until its first response, or until the deadline (then 500: Discord gave up already). */
  open(id: string, token: string, res: ServerResponse): void {
    const entry: Pending = {
      token,
      res,
      state: "waiting",
      answered: false,
      timer: setTimeout(() => {
        if (entry.state !== "waiting") return;
        entry.state = "done";
        void flush(res, 500, JSON.stringify({ message: `no response within ${this.deadlineMs} ms` }));
      }, this.deadlineMs),
    };
    res.once("close", () => {
      if (entry.state === "waiting") entry.state = "done";
    });
    this.pending.set(id, entry);
  }

  /** The handler finished: forget the interaction. False when it was never answered (its request got a 500). */
  settle(id: string): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (entry.state === "waiting") void flush(entry.res, 500, JSON.stringify({ message: "the interaction was not answered" }));
    entry.state = "done";
    return entry.answered;
  }

  /** Routes the REST client's interaction callbacks for held requests into their HTTP answers. */
  install(rest: REST): void {
    const options = rest.options as { makeRequest: (url: string, init: RequestInit) => Promise<ResponseLike> };
    const send = options.makeRequest;
    options.makeRequest = async (url, init) => {
      const entry = this.heldFor(url);
      if (!entry) return send(url, init);
      const withResponse = new URL(url).searchParams.get("with_response") === "true";
      if (typeof init.body === "string" && !withResponse) {
        entry.state = "done";
        clearTimeout(entry.timer);
        // Written and flushed: Discord has it. A closed request (Discord gave up) goes to the callback route instead.
        if (await flush(entry.res, 200, init.body)) {
          entry.answered = true;
          return new Response(null, { status: 204 }) as unknown as ResponseLike;
        }
        return send(url, init);
      }
      entry.state = "sending";
      const res = await send(url, init);
      if (res.ok) {
        entry.state = "done";
        clearTimeout(entry.timer);
        entry.answered = await flush(entry.res, 202);
      } else if (entry.state === "sending") {
        // Refused: the handler may still answer (e.g. with a notice), inline.
        entry.state = entry.res.destroyed ? "done" : "waiting";
      }
      return res;
    };
  }

  private heldFor(url: string): Pending | null {
    const m = CALLBACK_PATH.exec(new URL(url).pathname);
    if (!m) return null;
    const entry = this.pending.get(m[1]!);
    return entry && entry.token === decodeURIComponent(m[2]!) && entry.state === "waiting" ? entry : null;
  }
}
