/**
 * Every Redis key drillbot uses, built here and nowhere else, under one
 * configurable prefix (e.g. "drillbot:"). Learner ids come from core/identity.
 *
 * Redis Cluster: keys a script or MULTI touches together share a hash tag
 * (the part in braces), so they live in one slot. A workspace's learners,
 * boards, names, team figures, review log, settings and tallies carry the
 * workspace id as their tag ("{discord:G1}"); schedules are spread over
 * SCHEDULE_BUCKETS bucket tags ("{3}") by a stable hash of the subscription id;
 * BullMQ's queues share "{bull}". Keys only ever used alone (posted drills,
 * challenges, sent-markers, ...) need no tag and spread by their own name.
 * Layout version 2 (SCHEMA_VERSION); bots/cli/migrate.ts moves version 1 data.
 */

/** The key layout this code reads and writes (kept at `<prefix>schema`). */
export const SCHEMA_VERSION = 2;

/** Schedules are spread over this many bucket tags; changing it means moving every schedule key. */
export const SCHEDULE_BUCKETS = 16;

/** The bucket of a subscription id: FNV-1a of its UTF-16 code units, mod SCHEDULE_BUCKETS. Stable across processes and versions. */
export function scheduleBucket(subscriptionId: string): number {
  let h = 2166136261;
  for (let i = 0; i < subscriptionId.length; i++) h = Math.imul(h ^ subscriptionId.charCodeAt(i), 16777619);
  return (h >>> 0) % SCHEDULE_BUCKETS;
}

/**
 * A learner id ("platform:workspace:user", core/identity) split into its
 * workspace id ("platform:workspace") and user part. Both parts are
 * URI-encoded there, so neither holds ":" , "{" or "}" of its own.
 */
export function splitLearnerId(id: string): { workspace: string; user: string } {
  const first = id.indexOf(":");
  const second = first < 0 ? -1 : id.indexOf(":", first + 1);
  if (second < 0) return { workspace: id, user: "" };
  return { workspace: id.slice(0, second), user: id.slice(second + 1) };
}

/** Slack team and enterprise ids: letters and digits (T0123ABC, E0123ABC). */
export const SLACK_ID = /^[A-Za-z0-9]{1,64}$/;

export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** "learner:{platform:workspace}:user": the learner id with its workspace as the hash tag. */
  private learnerBase(id: string): string {
    const { workspace, user } = splitLearnerId(id);
    return `${this.prefix}learner:{${workspace}}:${user}`;
  }

  /** Hash: question id -> its short code in cards hashes, and '#' the number of codes given (question-codes.ts). */
  questionCodes(): string {
    return `${this.prefix}question-codes`;
  }
  /** String: the key layout version of this database (SCHEMA_VERSION). */
  schema(): string {
    return `${this.prefix}schema`;
  }
  /** Hash: version, tz, name, streak (JSON), points, answered, correct. */
  learner(id: string): string {
    return this.learnerBase(id);
  }
  /** Hash: question code (question-codes.ts; an older drillbot: the question id) -> card (core/srs-codec). */
  cards(id: string): string {
    return `${this.learnerBase(id)}:cards`;
  }
  /** Sorted set: question id scored by due time (ms). */
  due(id: string): string {
    return `${this.learnerBase(id)}:due`;
  }
  /** Hash: local date -> answers that day (history of active days). */
  days(id: string): string {
    return `${this.learnerBase(id)}:days`;
  }
  /** Set: lesson ids read. */
  lessons(id: string): string {
    return `${this.learnerBase(id)}:lessons`;
  }
  /** String: the open quiz session JSON, with a TTL. */
  session(id: string): string {
    return `${this.learnerBase(id)}:session`;
  }
  /** String: an unfinished quiz set aside while a drill is open (JSON), with a TTL. */
  parked(id: string): string {
    return `${this.learnerBase(id)}:parked`;
  }
  /**
   * Hash: the learner's recent answer records (answer-records in
   * record-answer.lua): "s<slot>" -> expiry + record, "e<event>" -> expiry +
   * the slot's field, "~" -> when expired ones are next dropped. The key
   * itself lives as long as its longest record.
   */
  answers(id: string): string {
    return `${this.learnerBase(id)}:answers`;
  }
  /** String: the answer record of one question slot (session:index), with a TTL (written until layout 2.1; still read). */
  slot(id: string, slotId: string): string {
    return `${this.learnerBase(id)}:slot:${slotId}`;
  }
  /** String: the answer record of one platform event, with a TTL (written until layout 2.1; still read). */
  event(id: string, eventId: string): string {
    return `${this.learnerBase(id)}:event:${eventId}`;
  }
  leaderboardAll(workspace: string): string {
    return `${this.prefix}lb:{${workspace}}:all`;
  }
  leaderboardWeek(workspace: string, week: string): string {
    return `${this.prefix}lb:{${workspace}}:week:${week}`;
  }
  /**
   * Hash: learner id -> "correct|answered-at ms|name" for one channel drill or
   * challenge, under the workspace of the learners answering it (the answer
   * script writes it with their other keys).
   */
  tally(workspace: string, sessionId: string): string {
    return `${this.prefix}tally:{${workspace}}:${sessionId}`;
  }
  /** Hash: a workspace's week: a:<lesson> answers and c:<lesson> right answers per lesson. */
  teamWeek(workspace: string, week: string): string {
    return `${this.prefix}team:{${workspace}}:week:${week}`;
  }
  /** HyperLogLog: the distinct learners who answered in a workspace that week. */
  teamWeekLearners(workspace: string, week: string): string {
    return `${this.prefix}team:{${workspace}}:week:${week}:learners`;
  }
  /** Hash: a workspace's all-time figures: a:<set> / c:<set> per lesson, a:k:<concept> / c:k:<concept> per concept. */
  teamTotals(workspace: string): string {
    return `${this.prefix}team:{${workspace}}:totals`;
  }
  /**
   * Stream: the workspace's review log, one entry per graded answer, capped by
   * length and age. Fields: l learner id, q question id, r FSRS rating (1 Again,
   * 3 Good), d the learner's local date; the entry id's milliseconds are its time.
   */
  reviewLog(workspace: string): string {
    return `${this.prefix}log:{${workspace}}`;
  }
  /** The workspace id of a review log key built by reviewLog, or null for any other key. */
  workspaceOfReviewLog(key: string): string | null {
    const head = `${this.prefix}log:{`;
    if (!key.startsWith(head) || !key.endsWith("}")) return null;
    const workspace = key.slice(head.length, -1);
    return workspace && !/[{}]/.test(workspace) ? workspace : null;
  }
  /** Hash: version, retention, fsrs (FittedParameters JSON), quiet (QuietHours JSON). */
  workspaceSettings(workspace: string): string {
    return `${this.prefix}ws:{${workspace}}:settings`;
  }
  /** Hash: learner id -> display name, per workspace. */
  names(workspace: string): string {
    return `${this.prefix}names:{${workspace}}`;
  }

  /** Sorted set: subscription id -> next run (ms), for the subscriptions of one bucket (scheduleBucket); kind = personal | remind | channel. */
  scheduleDue(kind: "personal" | "remind" | "channel", bucket: number): string {
    return `${this.prefix}sched:{${bucket}}:${kind}:due`;
  }
  /** Hash: subscription id -> subscription JSON, for one bucket; kind = personal | channel. */
  scheduleData(kind: "personal" | "channel", bucket: number): string {
    return `${this.prefix}sched:{${bucket}}:${kind}:data`;
  }
  /** Hash: channel key -> rotation counter through the question bank. */
  channelPicks(): string {
    return `${this.prefix}sched:channel:pick`;
  }
  /** Hash: channel key -> session id of its last posted drill (closed when the next one posts). */
  channelLastPosted(): string {
    return `${this.prefix}sched:channel:last`;
  }
  /** String: a posted channel drill (JSON), with a TTL. */
  postedDrill(sessionId: string): string {
    return `${this.prefix}posted:${sessionId}`;
  }
  /** String: a challenge (JSON), with a TTL. */
  challenge(id: string): string {
    return `${this.prefix}challenge:${id}`;
  }
  /** String: delivery marker of one scheduled message ("sending" while leased, then "sent"). */
  sent(jobKey: string): string {
    return `${this.prefix}sent:${jobKey}`;
  }
  /** String: the Discord role id whose members are drillbot admins in one server (guild). */
  discordAdminRole(guildId: string): string {
    return `${this.prefix}discord:admin-role:${guildId}`;
  }
  /** String: the DM channel id of a Discord user (opened once, reused by every process), with a TTL. */
  discordDmChannel(userId: string): string {
    return `${this.prefix}discord:dm:${userId}`;
  }
  /** Strings: one per slot of a shared request budget (e.g. "discord:<bot>"), each living a second (bots/jobs/shared-rate-limit.ts). */
  rateBudget(name: string): string {
    return `${this.prefix}rate:${name}`;
  }
  /** String: while it exists, every process holds its requests of that budget (a global 429's Retry-After as its TTL). */
  ratePause(name: string): string {
    return `${this.prefix}rate:${name}:pause`;
  }
  /** Strings: Slack's per-channel pacing (one key per workspace and channel after it), each living a second. */
  slackChannelPace(): string {
    return `${this.prefix}rate:slack:channel`;
  }
  /** BullMQ's own prefix for drillbot queues (BullMQ adds ":<queue>:..." after it); one hash tag, as BullMQ needs on a cluster. */
  /** Hash: a workspace's own content packs, pack id -> JSON info (core/ports.ts WorkspacePackInfo). */
  workspacePacks(workspace: string): string {
    return `${this.prefix}packs:{${workspace}}`;
  }
  /** Hash: the versions of one workspace pack, "v<n>" -> the pack as gzipped JSON, "i<n>" -> that version's info, "n" -> the last number given (the last few kept for rollback). */
  workspacePack(workspace: string, packId: string): string {
    return `${this.prefix}pack:{${workspace}}:${packId}`;
  }
  /** "{slack:T123}": a Slack workspace's (or an org-wide install's E123) hash tag, as its learners and boards carry. */
  private slackTag(owner: string): string {
    if (!SLACK_ID.test(owner)) throw new Error(`"${owner.slice(0, 70)}" is not a Slack team or enterprise id`);
    return `{slack:${owner}}`;
  }
  /** String: a Slack workspace's (T...) or org-wide (E...) installation, encrypted (bots/slack/token-crypto.ts). */
  slackInstallation(owner: string): string {
    return `${this.prefix}slack-install:${this.slackTag(owner)}`;
  }
  /** String: held (SET NX PX) by the one process refreshing that installation's token; the value names the holder. */
  slackRefreshLock(owner: string): string {
    return `${this.prefix}slack-install:${this.slackTag(owner)}:lock`;
  }
  /** String: the enterprise whose org-wide install covers this workspace (learned from its requests). */
  slackOrgOf(team: string): string {
    return `${this.prefix}slack-org:${this.slackTag(team)}`;
  }
  bullPrefix(): string {
    return `${this.prefix}{bull}`;
  }
}
