/**
 * The Ed25519 check of HTTP interactions with a fixed clock: Discord's own
 * signatures pass within 5 minutes either way; any change to the body, the
 * timestamp or the signature, another key, or an older request fails.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { checkSignature, interactionPublicKey, MAX_SIGNATURE_AGE_MS } from "../../../bots/discord/interaction-signature.js";
import { memorySeenInteractions } from "../../../bots/discord/seen-interactions.js";
import { signatureHeaders, signingKeys } from "../../support/discord-http-delivery.js";

const keys = signingKeys();
const key = interactionPublicKey(keys.publicKeyHex);
const NOW = Date.parse("2025-03-10T12:00:00Z");

function signed(body: Buffer, atMs: number) {
  const h = signatureHeaders(keys, body, atMs);
  return { signature: h["x-signature-ed25519"], timestamp: h["x-signature-timestamp"], body };
}

test("a body Discord signed passes at any skew within 5 minutes, and is stale beyond", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), fc.integer({ min: -20 * 60_000, max: 20 * 60_000 }), (bytes, skew) => {
      const req = signed(Buffer.from(bytes), NOW + skew);
      const sentMs = Number(req.timestamp) * 1000;
      const result = checkSignature(key, req, NOW);
      expect(result.ok).toBe(Math.abs(NOW - sentMs) <= MAX_SIGNATURE_AGE_MS);
      if (!result.ok) expect(result.reason).toBe("stale timestamp");
    }),
    { numRuns: 200 },
  );
});

test("changing one byte of the body, one digit of the timestamp or one bit of the signature fails the check", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
      const req = signed(Buffer.from(bytes), NOW);
      const body = Buffer.from(req.body);
      body[at % body.length]! ^= 1 << bit;
      expect(checkSignature(key, { ...req, body }, NOW)).toEqual({ ok: false, reason: "bad signature" });
      const ts = String(Number(req.timestamp) + 1 + (at % 100));
      expect(checkSignature(key, { ...req, timestamp: ts }, NOW).ok).toBe(false);
      const sig = Buffer.from(req.signature!, "hex");
      sig[at % 64]! ^= 1 << bit;
      expect(checkSignature(key, { ...req, signature: sig.toString("hex") }, NOW)).toEqual({ ok: false, reason: "bad signature" });
    }),
    { numRuns: 100 },
  );
});

test("another application's key, missing headers and malformed ones are refused with their reason", () => {
  const req = signed(Buffer.from('{"type":1}'), NOW);
  expect(checkSignature(interactionPublicKey(signingKeys().publicKeyHex), req, NOW)).toEqual({ ok: false, reason: "bad signature" });
  expect(checkSignature(key, { ...req, signature: undefined }, NOW)).toEqual({ ok: false, reason: "missing signature headers" });
  expect(checkSignature(key, { ...req, timestamp: undefined }, NOW)).toEqual({ ok: false, reason: "missing signature headers" });
  expect(checkSignature(key, { ...req, signature: "xyz" }, NOW)).toEqual({ ok: false, reason: "malformed signature" });
  expect(checkSignature(key, { ...req, timestamp: "12:00" }, NOW)).toEqual({ ok: false, reason: "malformed timestamp" });
  expect(() => interactionPublicKey("abc")).toThrow(/64 hex characters/);
});

test("an interaction id is taken once while a signed request for it could be accepted, and forgotten after", () => {
  const seen = memorySeenInteractions(10 * 60_000);
  expect(seen.firstTime("1", NOW)).toBe(true);
  expect(seen.firstTime("2", NOW + 1000)).toBe(true);
  expect(seen.firstTime("1", NOW + 9 * 60_000)).toBe(false);
  expect(seen.firstTime("1", NOW + 11 * 60_000)).toBe(true);
  expect(seen.firstTime("2", NOW + 11 * 60_000)).toBe(true);
});
