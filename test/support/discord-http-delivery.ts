/**
 * How Discord delivers an interaction to an Interactions Endpoint URL: a POST
 * with the JSON body, signed with the application's Ed25519 key over
 * X-Signature-Timestamp + body (docs: Interactions Overview > Validating
 * Security Request Headers), and given up on after 3 s. The stand-in signs
 * with its private key; the bot checks with the public one.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface SigningKeys {
  /** What the Developer Portal shows as Public Key: 32 bytes, hex. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function signingKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x!;
  return { publicKeyHex: Buffer.from(x, "base64url").toString("hex"), privateKey };
}

/** Discord's two signature headers for `body` sent at `atMs`. */
export function signatureHeaders(keys: SigningKeys, body: string | Buffer, atMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(atMs / 1000));
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), typeof body === "string" ? Buffer.from(body, "utf8") : body]), keys.privateKey).toString("hex");
  return { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** Discord waits this long for the HTTP answer to an interaction. */
export const HTTP_ANSWER_DEADLINE_MS = 3_000;

export type HttpAnswer =
  | { kind: "answer"; status: number; contentType: string; body: string; ms: number }
  | { kind: "timeout"; ms: number }
  | { kind: "error"; message: string; ms: number };

/** POSTs `body` with `headers` (the signature ones, or anything a test wants to try) and waits at most `timeoutMs`. */
export async function postInteraction(url: string, body: string | Buffer, headers: Record<string, string>, timeoutMs = HTTP_ANSWER_DEADLINE_MS): Promise<HttpAnswer> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Discord-Interactions/1.0 (+https://discord.com)", ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { kind: "answer", status: res.status, contentType: res.headers.get("content-type") ?? "", body: text, ms: Date.now() - started };
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") return { kind: "timeout", ms: Date.now() - started };
    return { kind: "error", message: err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err), ms: Date.now() - started };
  }
}

/** A signed delivery, as Discord makes it. */
export function deliver(url: string, keys: SigningKeys, payload: unknown, timeoutMs = HTTP_ANSWER_DEADLINE_MS): Promise<HttpAnswer> {
  const body = JSON.stringify(payload);
  return postInteraction(url, body, signatureHeaders(keys, body), timeoutMs);
}
