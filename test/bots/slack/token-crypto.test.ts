import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSecretKey, SecretBox, SecretDecryptError } from "../../../bots/slack/token-crypto.js";

const KEY = "installation:{slack:T1}";

describe("DRILLBOT_SECRET_KEY", () => {
  it("is read as 32 bytes from base64 (standard or URL-safe, as openssl rand -base64 32 writes it) or from 64 hex characters", () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex"), ` ${bytes.toString("base64")}\n`]) {
      const r = parseSecretKey(text);
      expect(r.ok && r.key.equals(bytes)).toBe(true);
    }
  });

  it("refuses a missing, short, long or malformed key with one line saying how to make one", () => {
    for (const [text, says] of [
      [undefined, "is not set"],
      ["", "is not set"],
      [randomBytes(16).toString("base64"), "is 16 bytes, not 32"],
      [randomBytes(48).toString("base64"), "is 48 bytes, not 32"],
      [randomBytes(31).toString("hex") + "zz", "is 48 bytes, not 32"], // not hex, so read as base64
      [randomBytes(16).toString("hex"), "is 32 hex characters, not 64"],
      ["correct horse battery staple", "must be 32 bytes"],
      [randomBytes(32).toString("base64").slice(0, 40) + "!!!!", "must be 32 bytes"],
    ] as const) {
      const r = parseSecretKey(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toContain(says);
        expect(r.reason).toContain("openssl rand -base64 32");
        expect(r.reason).not.toContain("\n");
      }
    }
  });
});

describe("sealed values (AES-256-GCM)", () => {
  it("open what was sealed, for any text", () => {
    const box = new SecretBox(randomBytes(32));
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => box.open(box.seal(text, KEY), KEY) === text));
  });

  it("never show the plain text and differ every time (a fresh 12-byte IV per value)", () => {
    const box = new SecretBox(randomBytes(32));
    const token = "xoxb-1234-5678-abcdefghijkl";
    const a = box.seal(token, KEY);
    const b = box.seal(token, KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain(token);
    expect(Buffer.from(a.slice(3), "base64url").toString("latin1")).not.toContain(token);
    expect(Buffer.from(a.slice(3), "base64url").length).toBe(12 + 16 + Buffer.byteLength(token));
  });

  it("refuse a wrong key with a clear error, never an empty or garbled token", () => {
    const sealed = new SecretBox(randomBytes(32)).seal("xoxb-secret", KEY);
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(sealed, KEY)).toThrow(SecretDecryptError);
    expect(() => other.open(sealed, KEY)).toThrow(/DRILLBOT_SECRET_KEY is not the key it was stored with, or the value was changed/);
  });

  it("refuse any changed byte (the auth tag is checked), a value cut short, and a value moved under another workspace's key", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal("xoxb-secret-token", KEY);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    for (let i = 0; i < raw.length; i++) {
      const bent = Buffer.from(raw);
      bent[i] = bent[i]! ^ 0x01;
      expect(() => box.open(`v1:${bent.toString("base64url")}`, KEY)).toThrow(SecretDecryptError);
    }
    expect(() => box.open(`v1:${raw.subarray(0, 20).toString("base64url")}`, KEY)).toThrow(/cut short/);
    expect(() => box.open("xoxb-plain-text", KEY)).toThrow(/not in drillbot's encrypted form/);
    expect(() => box.open(sealed, "installation:{slack:T2}")).toThrow(SecretDecryptError);
  });
});
