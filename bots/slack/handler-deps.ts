/**
 * What every Slack listener needs, and the one wrapper that runs a delivery
 * at most once per process (see DeliveryGuard) and never lets an error escape.
 */
import type { Reply } from "../../core/replies.js";
import type { StudyService } from "../../core/service/study-service.js";
import type { Logger } from "../logger.js";
import type { DeliveryGuard } from "./delivery-guard.js";
import type { DmUploader } from "./dm-uploads.js";
import { isUnavailable } from "./reply-sender.js";
import type { UserProfiles } from "./user-profiles.js";

export interface HandlerDeps {
  service: StudyService;
  log: Logger;
  profiles: UserProfiles;
  guard: DeliveryGuard;
  /** Slack user ids allowed to run admin subcommands (challenge, channel drills), besides workspace admins and owners. */
  adminUsers: ReadonlySet<string>;
  /** Uploads charts and files (stats, team, team export) to the person's DM. */
  uploads: DmUploader;
}

export const GENERIC_FAILURE = "Something went wrong on drillbot's side; nothing was recorded. Please try again in a moment.";

/**
 * Runs `work` for one delivery. A retry of a delivery taken here is skipped;
 * a failure (exception, or storage unavailable) lets a later retry do the work.
 * `onCrash` tells the user when `work` threw.
 */
export async function handleOnce(
  deps: HandlerDeps,
  delivery: { eventId: string; retryNum: number | undefined; label: string },
  work: () => Promise<Reply[] | void>,
  onCrash?: () => Promise<unknown>,
): Promise<void> {
  const { guard, log } = deps;
  if (!guard.begin(delivery.eventId, delivery.retryNum)) {
    log.info(`slack: retry ${delivery.retryNum} of ${delivery.label} acked without work: the original delivery is handled here`);
    return;
  }
  try {
    const replies = await work();
    if (replies && isUnavailable(replies)) guard.fail(delivery.eventId);
  } catch (err) {
    guard.fail(delivery.eventId);
    log.error(`slack: ${delivery.label} failed`, err);
    if (onCrash) await onCrash().catch((e: unknown) => log.warn("slack: could not tell the user about the failure", e));
  }
}
