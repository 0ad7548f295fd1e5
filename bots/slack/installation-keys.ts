/**
 * The Redis keys of Slack installations (OAuth distribution), under the same
 * prefix as every other drillbot key. Each carries its workspace's hash tag
 * ("{slack:T123}", as learner and board keys do; "{slack:E123}" for an
 * org-wide install), so a workspace's keys share one slot on a Redis Cluster.
 */
import { workspaceId } from "../../core/identity.js";

/** Slack team and enterprise ids: letters and digits (T0123ABC, E0123ABC). */
export const SLACK_ID = /^[A-Za-z0-9]{1,64}$/;

export class SlackInstallationKeys {
  constructor(readonly prefix: string) {}

  private tag(owner: string): string {
    if (!SLACK_ID.test(owner)) throw new Error(`"${owner.slice(0, 70)}" is not a Slack team or enterprise id`);
    return `{${workspaceId({ platform: "slack", workspace: owner })}}`;
  }

  /** String: the installation of a workspace (T...) or of an org-wide install (E...), encrypted (token-crypto.ts). */
  installation(owner: string): string {
    return `${this.prefix}slack-install:${this.tag(owner)}`;
  }
  /** String: held (SET NX PX) by the one process refreshing that installation's token; the value names the holder. */
  refreshLock(owner: string): string {
    return `${this.prefix}slack-install:${this.tag(owner)}:lock`;
  }
  /** String: the enterprise whose org-wide install covers this workspace (learned from its requests). */
  orgOf(team: string): string {
    return `${this.prefix}slack-org:${this.tag(team)}`;
  }
}
