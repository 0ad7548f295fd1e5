/** What starting the Discord adapter shares in both modes: its error, its wait limit, failures as one-line messages. */

/** Start-up may wait this long without progress (login, each shard's READY, the HTTP mode's check) before giving up. */
export const READY_TIMEOUT_MS = 25_000;

/** Why the Discord adapter could not start, as one line saying what to check. */
export class DiscordStartError extends Error {
  override name = "DiscordStartError";
}

/** The network error under discord.js's wrapping (undici puts it in cause), as a short code. */
export function networkReason(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return e.code;
  }
  const message = err instanceof Error ? err.message : String(err);
  return /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up|aborted/i.test(message) ? message.slice(0, 80) : null;
}

/** A start-up failure as a DiscordStartError when it is a bad token or an unreachable Discord; anything else unchanged. */
export function startFailure(err: unknown, where: string, apiUrlSet: boolean): unknown {
  if (err instanceof DiscordStartError) return err;
  if ((err as { code?: unknown }).code === "TokenInvalid" || (err as { status?: unknown }).status === 401) {
    return new DiscordStartError("Discord rejected the bot token: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token).");
  }
  const network = networkReason(err);
  if (network) return new DiscordStartError(`cannot reach Discord at ${where} (${network}): check the network${apiUrlSet ? " and DISCORD_API_URL" : ""}, then start again.`);
  return err;
}
