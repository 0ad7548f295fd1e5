/**
 * Who is asking: the learner key and request context the core needs, built
 * from a Slack payload plus the (cached) profile.
 *
 * Workspace = the team id. Team ids are unique across Slack, so adding the
 * enterprise id would not make keys more unique; it would only split a
 * learner's history if an org later moved the workspace. On an org-wide
 * (Enterprise Grid) install a payload may lack `team`: then the user's own
 * team_id, and last the enterprise id, stand in.
 */
import type { webApi } from "@slack/bolt";
import type { LearnerKey } from "../../core/identity.js";
import type { RequestContext } from "../../core/service/study-service.js";
import type { UserProfiles } from "./user-profiles.js";

export interface SlackUserRef {
  team: string;
  user: string;
  /** The name in the payload (user_name / username), used when the profile has none. */
  payloadName?: string;
  /** The listener's client, which holds this workspace's token (OAuth distribution: each workspace its own). */
  client?: webApi.WebClient;
}

export function teamOf(body: { team?: { id?: string } | null; team_id?: string; user?: { team_id?: string }; enterprise?: { id?: string } | null; enterprise_id?: string }): string {
  return body.team?.id || body.team_id || body.user?.team_id || body.enterprise?.id || body.enterprise_id || "unknown";
}

export function learnerOf(ref: SlackUserRef): LearnerKey {
  return { platform: "slack", workspace: ref.team, user: ref.user };
}

export async function requestContext(profiles: UserProfiles, ref: SlackUserRef, eventId: string): Promise<RequestContext> {
  const profile = await profiles.get(ref.team, ref.user, ref.client);
  return {
    learner: learnerOf(ref),
    displayName: profile.name ?? ref.payloadName ?? ref.user,
    eventId,
    ...(profile.zone ? { fallbackZone: profile.zone } : {}),
  };
}

/**
 * May this person set up channel drills and post challenges? Workspace admins
 * and owners (from the cached users.info), and the ids configured in
 * `adminUsers` (SLACK_ADMIN_USERS), which need no lookup: a member id, or
 * TEAM:USER for one workspace (the only form kept with OAuth distribution,
 * where two workspaces may have the same member id).
 */
export async function isSlackAdmin(profiles: UserProfiles, adminUsers: ReadonlySet<string>, ref: SlackUserRef): Promise<boolean> {
  if (adminUsers.has(ref.user) || adminUsers.has(`${ref.team}:${ref.user}`)) return true;
  return (await profiles.get(ref.team, ref.user, ref.client)).admin === true;
}
