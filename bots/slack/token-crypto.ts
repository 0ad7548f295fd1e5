/**
 * Secrets at rest (Slack installations): AES-256-GCM from node:crypto with
 * DRILLBOT_SECRET_KEY, a random 12-byte IV per value and the 16-byte auth tag
 * checked on the way back. The caller names what the value belongs to (its
 * Redis key) and that name is authenticated with it, so a value copied under
 * another workspace's key does not decrypt either.
 * Stored form: "v1:" + base64url(iv | tag | ciphertext).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

export const SECRET_KEY_HOWTO = "make one with `openssl rand -base64 32`";

/** A wrong key or a changed value: nothing is returned, and the message says which setting to check. */
export class SecretDecryptError extends Error {
  override name = "SecretDecryptError";
}

/** DRILLBOT_SECRET_KEY as 32 bytes: 64 hex characters or base64 (standard or URL-safe) of 32 bytes. */
export function parseSecretKey(text: string | undefined): { ok: true; key: Buffer } | { ok: false; reason: string } {
  const t = (text ?? "").trim();
  if (!t) return { ok: false, reason: `DRILLBOT_SECRET_KEY is not set: it encrypts the Slack tokens kept in Redis; ${SECRET_KEY_HOWTO}.` };
  if (/^[0-9a-fA-F]{64}$/.test(t)) return { ok: true, key: Buffer.from(t, "hex") };
  if (/^[0-9a-fA-F]+$/.test(t)) return { ok: false, reason: `DRILLBOT_SECRET_KEY is ${t.length} hex characters, not 64 (32 bytes): ${SECRET_KEY_HOWTO} (or \`openssl rand -hex 32\`).` };
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    // Buffer's decoder skips what it cannot read: the key must encode back to what was given.
    const same = key.toString("base64").replace(/=+$/, "") === t.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    if (same && key.length === SECRET_KEY_BYTES) return { ok: true, key };
    if (same) return { ok: false, reason: `DRILLBOT_SECRET_KEY is ${key.length} bytes, not ${SECRET_KEY_BYTES}: ${SECRET_KEY_HOWTO} (or 64 hex characters).` };
  }
  return { ok: false, reason: `DRILLBOT_SECRET_KEY must be ${SECRET_KEY_BYTES} bytes as base64 or as 64 hex characters: ${SECRET_KEY_HOWTO}.` };
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`the secret key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
    this.key = Buffer.from(key);
  }

  /** Encrypts `plain` for the place named `context` (e.g. its Redis key). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The plain text, or a SecretDecryptError: wrong key, a changed value, or a value from another place. */
  open(sealed: string, context: string): string {
    if (!sealed.startsWith(VERSION)) throw new SecretDecryptError(`the value at ${context} is not in drillbot's encrypted form`);
    const raw = Buffer.from(sealed.slice(VERSION.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptError(`the value at ${context} is cut short`);
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretDecryptError(
        `cannot decrypt the value at ${context}: DRILLBOT_SECRET_KEY is not the key it was stored with, or the value was changed. Set the key it was stored with, or reinstall drillbot in that workspace.`,
      );
    }
  }
}
