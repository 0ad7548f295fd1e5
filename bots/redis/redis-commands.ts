/**
 * The two questions the lifecycle asks a local redis-server, over a plain
 * socket (no client library, so the guardian starts in milliseconds and a
 * half-dead server cannot leave a client reconnecting): which folder do you
 * serve (CONFIG GET dir), and SHUTDOWN (flushes the append-only file, exits).
 */
import net from "node:net";

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/** The strings of an array-of-bulk-strings reply, or null while it is incomplete. */
function parseBulkArray(buf: Buffer): string[] | null {
  const line = (from: number): { text: string; next: number } | null => {
    const end = buf.indexOf("\r\n", from);
    return end < 0 ? null : { text: buf.subarray(from, end).toString("utf8"), next: end + 2 };
  };
  const head = line(0);
  if (!head || !head.text.startsWith("*")) return null;
  const out: string[] = [];
  let at = head.next;
  for (let i = 0; i < Number(head.text.slice(1)); i++) {
    const len = line(at);
    if (!len || !len.text.startsWith("$")) return null;
    const n = Number(len.text.slice(1));
    at = len.next;
    if (n < 0) continue;
    if (buf.length < at + n + 2) return null;
    out.push(buf.subarray(at, at + n).toString("utf8"));
    at += n + 2;
  }
  return out;
}

/** The folder the server on this port serves, or null if nothing answers there like a Redis. */
export function servedDir(port: number, timeoutMs = 1_000): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    let buf = Buffer.alloc(0);
    const done = (v: string | null) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(null));
    sock.on("error", () => done(null));
    sock.on("connect", () => sock.write(encode(["CONFIG", "GET", "dir"])));
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf[0] !== 42 /* "*" */) return done(null);
      const reply = parseBulkArray(buf);
      if (reply) done(reply[1] ?? null);
    });
  });
}

/** Asks the server to shut down; resolves once it has closed the connection (true) or on failure (false). */
export function shutdown(port: number, timeoutMs = 5_000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1" });
    let connected = false;
    let replied = "";
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on("error", () => done(connected && replied === ""));
    sock.on("connect", () => {
      connected = true;
      sock.write(encode(["SHUTDOWN"]));
    });
    sock.on("data", (d: Buffer) => (replied += d.toString())); // only an error is ever replied
    sock.on("close", () => done(connected && replied === ""));
  });
}
