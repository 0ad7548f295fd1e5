/**
 * Every Redis key drillbot uses, built here and nowhere else, under one
 * configurable prefix (e.g. "drillbot:"). Learner ids come from core/identity.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: version, tz, name, streak (JSON), points, answered, correct. */
  learner(id: string): string {
    return `${this.prefix}learner:${id}`;
  }
  /** Hash: question id -> FSRS card JSON. */
  cards(id: string): string {
    return `${this.prefix}learner:${id}:cards`;
  }
  /** Sorted set: question id scored by due time (ms). */
  due(id: string): string {
    return `${this.prefix}learner:${id}:due`;
  }
  /** Hash: local date -> answers that day (history of active days). */
  days(id: string): string {
    return `${this.prefix}learner:${id}:days`;
  }
  /** Set: lesson ids read. */
  lessons(id: string): string {
    return `${this.prefix}learner:${id}:lessons`;
  }
  /** String: the open quiz session JSON, with a TTL. */
  session(id: string): string {
    return `${this.prefix}learner:${id}:session`;
  }
  /** String: an unfinished quiz set aside while a drill is open (JSON), with a TTL. */
  parked(id: string): string {
    return `${this.prefix}learner:${id}:parked`;
  }
  /** String: the answer record of one question slot (session:index), with a TTL. */
  slot(id: string, slotId: string): string {
    return `${this.prefix}learner:${id}:slot:${slotId}`;
  }
  /** String: the answer record of one platform event, with a TTL. */
  event(id: string, eventId: string): string {
    return `${this.prefix}learner:${id}:event:${eventId}`;
  }
  leaderboardAll(workspace: string): string {
    return `${this.prefix}lb:${workspace}:all`;
  }
  leaderboardWeek(workspace: string, week: string): string {
    return `${this.prefix}lb:${workspace}:week:${week}`;
  }
  /** Hash: learner id -> "correct|answered-at ms|name" for one channel drill or challenge. */
  tally(sessionId: string): string {
    return `${this.prefix}tally:${sessionId}`;
  }
  /** Hash: a workspace's week: a:<lesson> answers and c:<lesson> right answers per lesson. */
  teamWeek(workspace: string, week: string): string {
    return `${this.prefix}team:${workspace}:week:${week}`;
  }
  /** HyperLogLog: the distinct learners who answered in a workspace that week. */
  teamWeekLearners(workspace: string, week: string): string {
    return `${this.prefix}team:${workspace}:week:${week}:learners`;
  }
  /** Hash: a workspace's all-time figures: a:<set> / c:<set> per lesson, a:k:<concept> / c:k:<concept> per concept. */
  teamTotals(workspace: string): string {
    return `${this.prefix}team:${workspace}:totals`;
  }
  /**
   * Stream: the workspace's review log, one entry per graded answer, capped by
   * length and age. Fields: l learner id, q question id, r FSRS rating (1 Again,
   * 3 Good), d the learner's local date; the entry id's milliseconds are its time.
   */
  reviewLog(workspace: string): string {
    return `${this.prefix}log:${workspace}`;
  }
  /** Hash: version, retention, fsrs (FittedParameters JSON), quiet (QuietHours JSON). */
  workspaceSettings(workspace: string): string {
    return `${this.prefix}ws:${workspace}:settings`;
  }
  /** Hash: learner id -> display name, per workspace. */
  names(workspace: string): string {
    return `${this.prefix}names:${workspace}`;
  }

  /** Sorted set: subscription id -> next run (ms); kind = personal | remind | channel. */
  scheduleDue(kind: "personal" | "remind" | "channel"): string {
    return `${this.prefix}sched:${kind}:due`;
  }
  /** Hash: subscription id -> subscription JSON; kind = personal | channel. */
  scheduleData(kind: "personal" | "channel"): string {
    return `${this.prefix}sched:${kind}:data`;
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
  /** BullMQ's own prefix for drillbot queues (BullMQ adds ":<queue>:..." after it). */
  bullPrefix(): string {
    return `${this.prefix}bull`;
  }
}
