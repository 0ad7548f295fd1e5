/**
 * Discord's signature on an HTTP interaction: Ed25519 over
 * X-Signature-Timestamp + the raw body, checked with the application's public
 * key (node:crypto). A request signed too long ago (or ahead) is refused as
 * well, so a captured request cannot be replayed later.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** How far X-Signature-Timestamp may be from our clock, either way. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

/** The application's public key (64 hex characters, Developer Portal > General Information > Public Key). */
export function interactionPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("a Discord public key is 64 hex characters");
  const x = Buffer.from(hex, "hex").toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  /** X-Signature-Ed25519: 64 bytes as 128 hex characters. */
  signature: string | undefined;
  /** X-Signature-Timestamp: Unix seconds. */
  timestamp: string | undefined;
  body: Buffer;
}

export function checkSignature(key: KeyObject, req: SignedRequest, nowMs: number, maxAgeMs = MAX_SIGNATURE_AGE_MS): SignatureCheck {
  const { signature, timestamp } = req;
  if (!signature || !timestamp) return { ok: false, reason: "missing signature headers" };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: "malformed signature" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), req.body]);
  if (!verify(null, signed, key, Buffer.from(signature, "hex"))) return { ok: false, reason: "bad signature" };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > maxAgeMs) return { ok: false, reason: "stale timestamp" };
  return { ok: true };
}
