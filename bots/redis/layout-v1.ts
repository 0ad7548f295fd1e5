/**
 * The key layout before Redis Cluster support (version 1, no hash tags) and
 * where each of its keys goes in version 2 (keys.ts). Keys whose name did not
 * change (posted drills, challenges, sent-markers, channel picks, admin roles)
 * are not listed: they stay where they are.
 */
import type { RedisKeys } from "./keys.js";

export type V1Move =
  /** The same value under a new name (RENAMENX). */
  | { kind: "rename"; group: string; from: string; to: string }
  /** A schedule set or hash whose entries are spread over the bucket keys (by scheduleBucket of each entry). */
  | { kind: "split"; group: string; from: string; type: "zset" | "hash"; to: (bucket: number) => string }
  /** A tally, which moves under its channel's workspace (looked up from the posted drill or challenge). */
  | { kind: "tally"; group: string; from: string; sessionId: string };

/** "a:b:rest" -> "{a:b}:rest" (the workspace id a:b as the hash tag), or null when there are fewer than two parts. */
function tagWorkspace(rest: string, minParts: number): string | null {
  const parts = rest.split(":");
  if (parts.length < minParts || !parts[0] || !parts[1]) return null;
  const tail = parts.slice(2).join(":");
  return `{${parts[0]}:${parts[1]}}${parts.length > 2 ? `:${tail}` : ""}`;
}

/** Where a version 1 key goes, or null for a key that is not version 1 (already moved, unchanged, or not drillbot's). */
export function v1Move(key: string, keys: RedisKeys): V1Move | null {
  const p = keys.prefix;
  if (!key.startsWith(p)) return null;
  const rest = key.slice(p.length);
  const colon = rest.indexOf(":");
  if (colon < 0) return null;
  const type = rest.slice(0, colon);
  const after = rest.slice(colon + 1);
  if (after.startsWith("{")) return null;
  const rename = (group: string, minParts: number): V1Move | null => {
    const tagged = tagWorkspace(after, minParts);
    return tagged ? { kind: "rename", group, from: key, to: `${p}${type}:${tagged}` } : null;
  };
  switch (type) {
    case "learner":
      return rename("learner", 3);
    case "lb":
      return rename("leaderboard", 3);
    case "team":
      return rename("team figures", 3);
    case "ws":
      return rename("workspace settings", 3);
    case "names":
      return after.split(":").length === 2 ? rename("names", 2) : null;
    case "log":
      return after.split(":").length === 2 ? rename("review log", 2) : null;
    case "tally":
      return after ? { kind: "tally", group: "tally", from: key, sessionId: after } : null;
    case "sched": {
      const m = /^(personal|remind|channel):(due|data)$/.exec(after);
      if (!m || (m[1] === "remind" && m[2] === "data")) return null;
      const kind = m[1] as "personal" | "remind" | "channel";
      if (m[2] === "due") return { kind: "split", group: "schedule", from: key, type: "zset", to: (b) => keys.scheduleDue(kind, b) };
      return { kind: "split", group: "schedule", from: key, type: "hash", to: (b) => keys.scheduleData(kind as "personal" | "channel", b) };
    }
    case "bull":
      return { kind: "rename", group: "BullMQ", from: key, to: `${keys.bullPrefix()}:${after}` };
    default:
      return null;
  }
}
