/** Who a learner is: (platform, workspace, user). The one place that key is built. */
export type Platform = "discord" | "slack" | "shell";

export interface LearnerKey {
  platform: Platform;
  /** Discord guild id (or "dm"), Slack team id, or "local" for the shell. */
  workspace: string;
  user: string;
}

const enc = (s: string) => encodeURIComponent(s);

/** How a learner who chose privacy (/settings private on) is shown to others. */
export const ANONYMOUS = "anonymous";

/** Stable string id for a learner, safe inside Redis keys: "discord:123:456". */
export function learnerId(k: LearnerKey): string {
  return `${k.platform}:${enc(k.workspace)}:${enc(k.user)}`;
}

/** The leaderboard scope a learner belongs to: one per platform workspace. */
export function workspaceId(k: Pick<LearnerKey, "platform" | "workspace">): string {
  return `${k.platform}:${enc(k.workspace)}`;
}
