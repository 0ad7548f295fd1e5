/**
 * Drills, reminders and challenges: the /drill and /challenge commands, and
 * what the scheduled jobs deliver. Decides only; storage, queues and sending
 * are ports.
 */
import { randomPick } from "./random-pick.js";
import { plural, quoteInput } from "../input-limits.js";
import type { ChallengeCommand, DrillCommand } from "../commands.js";
import type { Catalog } from "../content/catalog.js";
import type { Question } from "../content/schema.js";
import { correctAnswerText } from "../grading.js";
import { workspaceId, type LearnerKey } from "../identity.js";
import type { CatalogSource, Clock, DueCard, JobPlanner, ProgressStore, QuizSession, ScheduleStore } from "../ports.js";
import type { Reply } from "../replies.js";
import {
  challengeIdOf,
  challengeSessionId,
  channelKey,
  DEFAULT_DRILL_COUNT,
  DRILL_SESSION_PREFIX,
  REMINDER_TIME,
  summarize,
  type Challenge,
  type ChannelDrill,
  type ChannelRef,
  type PersonalDrill,
  type PostedDrill,
} from "../schedule/model.js";
import { describeDays, EVERY_DAY, nextRun } from "../schedule/recurrence.js";
import { quietUntil, type QuietHours } from "../quiet-hours.js";
import { onBreak, viewStreak, type StreakState } from "../streak.js";
import { DEFAULT_ZONE, localDate } from "../time.js";
import type { SharedQuestion } from "./answer-decision.js";
import { questionReply } from "./present.js";
import { planQuiz } from "./quiz-planner.js";
import { resolveTopic } from "./topics.js";

export interface DrillDeps {
  /** The built-in course (and every workspace's, without `catalogs`). */
  catalog: Catalog;
  /** Each workspace's catalog; without it every workspace sees `catalog`. */
  catalogs?: CatalogSource;
  store: ProgressStore;
  schedules: ScheduleStore;
  planner: JobPlanner;
  clock: Clock;
  newId: () => string;
}

export interface DrillContext {
  learner: LearnerKey;
  displayName: string;
  isAdmin: boolean;
  /** Where the command was typed (the channel a channel drill or challenge goes to). */
  channel: ChannelRef | null;
  fallbackZone?: string;
}

/** Whether a DM due now goes out, is dropped (and why), or waits for the workspace's quiet hours to end. */
export type DmTiming = { send: true } | { send: false; reason: "on-break" | "too-late" } | { send: false; holdUntil: Date };

const info = (text: string): Reply[] => [{ type: "notice", level: "info", code: "info", text }];
const refuse = (text: string): Reply[] => [{ type: "notice", level: "warning", code: "not-admin", text }];

/** A short stable hash (FNV-1a, base 36) for ids that must fit in button ids. */
function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** Short, stable id of a channel drill occurrence: fits in a button id. */
export function drillSessionId(channel: ChannelRef, localDay: string): string {
  return `${DRILL_SESSION_PREFIX}${shortHash(channelKey(channel))}-${localDay.replace(/-/g, "")}`;
}

/** Questions fit for a shared channel post: answerable with one click. */
function buttonFriendly(q: Question): boolean {
  return q.type === "single" || q.type === "truefalse";
}

/** The one-click questions a channel drill on `topic` draws from, or null when none match. */
function channelPool(catalog: Catalog, topic: string): Question[] | null {
  const pool = (resolveTopic(catalog, topic)?.questions ?? []).map((q) => q.question).filter(buttonFriendly);
  return pool.length ? pool : null;
}

export class DrillService {
  constructor(
    private readonly deps: DrillDeps,
    private readonly challengeCache = new Map<string, Challenge>(),
  ) {}

  /** This service with the workspace's catalog (itself without per-workspace catalogs, or when it is the built-in one). */
  async forWorkspace(workspace: string): Promise<DrillService> {
    const source = this.deps.catalogs;
    if (!source) return this;
    const catalog = await source.forWorkspace(workspace);
    if (catalog === this.deps.catalog) return this;
    const { catalogs: _, ...deps } = this.deps;
    return new DrillService({ ...deps, catalog }, this.challengeCache);
  }

  async handle(ctx: DrillContext, cmd: DrillCommand | ChallengeCommand): Promise<Reply[]> {
    const self = await this.forWorkspace(workspaceId(ctx.learner));
    if (self !== this) return self.handle(ctx, cmd);
    if (cmd.kind === "challenge") return this.challenge(ctx, cmd);
    const { schedules, clock } = this.deps;
    const now = clock.now();
    switch (cmd.action) {
      case "me-on": {
        const snap = await this.deps.store.snapshot(ctx.learner);
        const zone = cmd.zone ?? snap.timezone ?? ctx.fallbackZone ?? DEFAULT_ZONE;
        const previous = await schedules.personalDrill(ctx.learner);
        const sub: PersonalDrill = {
          learner: ctx.learner,
          displayName: ctx.displayName,
          recurrence: { time: cmd.time, zone, days: EVERY_DAY },
          count: cmd.count ?? previous?.count ?? DEFAULT_DRILL_COUNT,
          remind: previous?.remind ?? true,
        };
        const next = nextRun(sub.recurrence, now);
        await schedules.savePersonalDrill(sub, next.at.getTime(), sub.remind ? this.nextReminder(zone, now) : null);
        return info(
          `Daily drill set: ${plural(sub.count, "question")} at ${cmd.time} ${zone}, due reviews first. The first arrives ${next.localDate} at ${cmd.time}.` +
            (sub.remind ? " I'll also nudge you at 20:00 on days you haven't studied while you have a streak (/drill remind off to stop)." : ""),
        );
      }
      case "me-off":
        return info((await schedules.removePersonalDrill(ctx.learner)) ? "Your daily drill and reminders are off." : "You had no daily drill. Start one with /drill me 08:30.");
      case "remind": {
        const sub = await schedules.personalDrill(ctx.learner);
        if (!sub) return info("Reminders come with a daily drill: set one first with /drill me 08:30 [zone].");
        const updated = { ...sub, remind: cmd.on };
        await schedules.savePersonalDrill(updated, nextRun(sub.recurrence, now).at.getTime(), cmd.on ? this.nextReminder(sub.recurrence.zone, now) : null);
        return info(cmd.on ? "Streak reminders are on." : "Streak reminders are off.");
      }
      case "channel-on": {
        if (!ctx.isAdmin) return refuse("Only admins can set up channel drills. Ask an admin, or use /drill me for your own daily drill.");
        if (!ctx.channel) return info("Run /drill channel in the channel that should get the drill.");
        if (cmd.topic !== undefined && channelPool(this.deps.catalog, cmd.topic) === null) {
          return [{ type: "notice", level: "warning", code: "unknown-topic", text: `No pack, lesson or topic ${quoteInput(cmd.topic)} has questions a channel can answer with one click (single choice or true/false). /content packs lists the packs here; /help lists topics.` }];
        }
        const sub: ChannelDrill = {
          channel: ctx.channel,
          recurrence: { time: cmd.time, zone: cmd.zone, days: cmd.days },
          windowMinutes: cmd.windowMinutes,
          createdBy: ctx.displayName,
          ...(cmd.topic !== undefined ? { topic: cmd.topic } : {}),
        };
        const next = nextRun(sub.recurrence, now);
        await schedules.saveChannelDrill(sub, next.at.getTime());
        const closes = cmd.windowMinutes ? `results ${Math.round(cmd.windowMinutes / 60 * 10) / 10} h after each post` : "results when the next drill posts";
        const from = cmd.topic !== undefined ? ` from ${cmd.topic}` : "";
        return info(`Channel drill set: one question${from} at ${cmd.time} ${cmd.zone}, ${describeDays(cmd.days)}; ${closes}. First post: ${next.localDate}.`);
      }
      case "channel-off": {
        if (!ctx.isAdmin) return refuse("Only admins can turn channel drills off.");
        if (!ctx.channel) return info("Run /drill channel off in the channel whose drill should stop.");
        return info((await schedules.removeChannelDrill(ctx.channel)) ? "This channel's drill is off." : "This channel has no drill.");
      }
      case "list": {
        const mine = await schedules.personalDrill(ctx.learner);
        const channels = await schedules.channelDrills(ctx.learner.platform, ctx.learner.workspace);
        const lines = [
          mine ? `Your drill: ${plural(mine.count, "question")} at ${mine.recurrence.time} ${mine.recurrence.zone}, reminders ${mine.remind ? "on" : "off"}.` : "You have no daily drill (/drill me 08:30 to start one).",
          ...channels.map((c) => `Channel ${c.channel.channel}: ${c.recurrence.time} ${c.recurrence.zone}, ${describeDays(c.recurrence.days)}${c.topic ? `, from ${c.topic}` : ""} (set by ${c.createdBy}).`),
        ];
        if (channels.length === 0) lines.push("No channel drills in this workspace.");
        return info(lines.join("\n"));
      }
    }
  }

  private nextReminder(zone: string, now: Date): number {
    return nextRun({ time: REMINDER_TIME, zone, days: EVERY_DAY }, now).at.getTime();
  }

  private async challenge(ctx: DrillContext, cmd: ChallengeCommand): Promise<Reply[]> {
    if (!ctx.isAdmin) return refuse("Only admins can post challenges. Ask an admin to run /challenge.");
    if (!ctx.channel) return info("Run /challenge in the channel the challenge should go to.");
    const { catalog, clock, schedules, planner, newId } = this.deps;
    let question: Question;
    let fromBank = true;
    if (cmd.action === "post") {
      const byId = catalog.question(cmd.pick)?.question;
      const pool = byId ? [byId] : (resolveTopic(catalog, cmd.pick)?.questions.map((q) => q.question).filter(buttonFriendly) ?? []);
      if (pool.length === 0) return [{ type: "notice", level: "warning", code: "unknown-topic", text: `No question matches "${cmd.pick}". Give a topic (e.g. indexes) or a question id.` }];
      question = pool[randomPick(newId(), pool.length)]!;
    } else {
      const id = newId();
      fromBank = false;
      question = {
        id: `custom-${id.toLowerCase().replace(/[^a-z0-9]/g, "")}`,
        type: "single",
        difficulty: "advanced",
        concepts: ["custom"],
        source: { file: "challenge", section: ctx.displayName },
        stem: cmd.question.stem,
        options: cmd.question.options.map((text, i) => ({
          id: "abcde"[i]!,
          text,
          explanation: i === cmd.question.correct ? cmd.question.explanation : `Not this one. ${cmd.question.explanation}`,
        })),
        answer: "abcde"[cmd.question.correct]!,
        explanation: cmd.question.explanation,
      };
    }
    const now = clock.now();
    const challenge: Challenge = {
      id: newId(),
      channel: ctx.channel,
      question,
      fromBank,
      postedAt: now.toISOString(),
      deadline: new Date(now.getTime() + cmd.minutes * 60_000).toISOString(),
      createdBy: ctx.displayName,
    };
    await schedules.saveChallenge(challenge);
    await planner.closeChallengeAt(challenge.id, new Date(challenge.deadline));
    this.challengeCache.set(challenge.id, challenge);
    return [
      { type: "text", text: `Challenge from ${ctx.displayName}: answer before ${challenge.deadline.slice(0, 16).replace("T", " ")} UTC. Answers are private and final; earlier right answers earn more.` },
      this.sharedQuestionReply(challengeSessionId(challenge.id), question, "Challenge"),
    ];
  }

  private sharedQuestionReply(sessionId: string, q: Question, title: string): Reply {
    const local: Catalog = {
      ...this.deps.catalog,
      question: (id) => (id === q.id ? { question: q, packId: "", setId: "", setOrder: 0, topics: [] } : this.deps.catalog.question(id)),
    };
    return questionReply(local, { sessionId, index: 0, questionId: q.id }, 1, title);
  }

  /** The shared question behind a channel drill or challenge ref, for the answer path. */
  async sharedQuestion(sessionId: string, questionId: string): Promise<SharedQuestion | "closed" | null> {
    const challengeId = challengeIdOf(sessionId);
    if (challengeId) {
      let ch = this.challengeCache.get(challengeId);
      if (!ch) {
        ch = (await this.deps.schedules.challenge(challengeId)) ?? undefined;
        if (!ch) return "closed";
        this.challengeCache.set(challengeId, ch);
      }
      return { question: ch.question, tallyId: sessionId, window: { postedAtMs: Date.parse(ch.postedAt), deadlineMs: Date.parse(ch.deadline) } };
    }
    if (sessionId.startsWith(DRILL_SESSION_PREFIX)) {
      const q = this.deps.catalog.question(questionId)?.question;
      return q ? { question: q, tallyId: sessionId } : null;
    }
    return null;
  }

  // ---- what the scheduled jobs deliver ----

  /**
   * A learner's personal drill: opens a quiz of due cards first, then new
   * questions. `deliveryKey` (the job's idempotency key) fixes the session id,
   * so a retried delivery reopens the same session the first attempt's
   * message (if the platform kept it) points at.
   */
  async personalDrill(sub: PersonalDrill, knownCards?: DueCard[], deliveryKey?: string): Promise<Reply[]> {
    const self = await this.forWorkspace(workspaceId(sub.learner));
    if (self !== this) return self.personalDrill(sub, knownCards, deliveryKey);
    const { catalog, store, clock, newId } = this.deps;
    const now = clock.now();
    const cards = knownCards ?? (await store.cards(sub.learner));
    const ids = planQuiz(catalog.questions, cards, now, sub.count);
    if (ids.length === 0) return [];
    const due = cards.filter((c) => c.dueMs <= now.getTime() && catalog.question(c.questionId)).length;
    const session: QuizSession = { id: deliveryKey ? `p${shortHash(deliveryKey)}` : newId(), kind: "drill", title: "Daily drill", questionIds: ids, index: 0, correct: 0, points: 0, startedAt: now.toISOString() };
    await store.openSession(sub.learner, session);
    return [
      { type: "text", text: `Your daily drill: ${plural(ids.length, "question")}${due ? `, ${Math.min(due, ids.length)} of them due for review` : ""}.` },
      questionReply(catalog, { sessionId: session.id, index: 0, questionId: ids[0]! }, ids.length, "Daily drill"),
    ];
  }

  /** Picks and presents today's channel question; the caller posts it and closes the previous one. */
  async channelDrill(sub: ChannelDrill, localDay: string): Promise<{ posted: PostedDrill; replies: Reply[] }> {
    const self = await this.forWorkspace(workspaceId(sub.channel));
    if (self !== this) return self.channelDrill(sub, localDay);
    const { catalog, schedules, clock } = this.deps;
    // The drill's topic while it still matches (a pack switched off or replaced may no longer), else the whole course.
    const pool = (sub.topic !== undefined ? channelPool(catalog, sub.topic) : null) ?? catalog.questions.map((q) => q.question).filter(buttonFriendly);
    const pick = await schedules.nextChannelPick(sub.channel);
    const q = pool[pick % pool.length]!;
    const posted: PostedDrill = {
      sessionId: drillSessionId(sub.channel, localDay),
      channel: sub.channel,
      questionId: q.id,
      localDate: localDay,
      postedAt: clock.now().toISOString(),
    };
    await schedules.savePostedDrill(posted);
    return { posted, replies: [{ type: "text", text: "Daily drill: answers are private; results come when the drill closes." }, this.sharedQuestionReply(posted.sessionId, q, "Daily drill")] };
  }

  async drillResults(sessionId: string): Promise<{ channel: ChannelRef; replies: Reply[] } | null> {
    const posted = await this.deps.schedules.postedDrill(sessionId);
    const catalog = posted ? (await this.forWorkspace(workspaceId(posted.channel))).deps.catalog : this.deps.catalog;
    const q = posted ? catalog.question(posted.questionId)?.question : undefined;
    if (!posted || !q) return null;
    return { channel: posted.channel, replies: [await this.results("drill", "Daily drill", sessionId, q)] };
  }

  async challengeResults(challengeId: string): Promise<{ channel: ChannelRef; replies: Reply[] } | null> {
    const ch = await this.deps.schedules.challenge(challengeId);
    if (!ch) return null;
    return { channel: ch.channel, replies: [await this.results("challenge", `Challenge by ${ch.createdBy}`, challengeSessionId(ch.id), ch.question)] };
  }

  private async results(kind: "drill" | "challenge", title: string, sessionId: string, q: Question): Promise<Reply> {
    const summary = summarize(await this.deps.schedules.tally(sessionId));
    return {
      type: "results",
      kind,
      title,
      stem: q.stem,
      correctAnswer: { text: correctAnswerText(q), explanation: q.explanation },
      answered: summary.answered,
      correct: summary.correct,
      firstCorrect: summary.firstCorrect.map((e) => e.name),
    };
  }

  /**
   * When a personal drill or streak reminder due now may go out. None goes
   * out on the learner's break days (the subscription stays; they resume
   * after). Inside the workspace's quiet hours it waits until they end; a
   * reminder that could only go out after its day is over is dropped.
   * `zone` is the subscription's; the learner's own zone wins, as for streaks.
   */
  dmTiming(kind: "drill" | "reminder", learner: { streak: StreakState; timezone: string | null }, zone: string, quiet: QuietHours | null): DmTiming {
    const now = this.deps.clock.now();
    const local = learner.timezone ?? zone;
    const today = localDate(now, local);
    if (onBreak(learner.streak, today)) return { send: false, reason: "on-break" };
    const until = quiet ? quietUntil(quiet, now) : null;
    if (!until) return { send: true };
    if (kind === "reminder" && localDate(until, local) !== today) return { send: false, reason: "too-late" };
    return { send: false, holdUntil: until };
  }

  /** A streak reminder, or nothing when the learner has no streak, already studied today, or is on a break. */
  async reminder(learner: LearnerKey, zone: string): Promise<Reply[]> {
    const snap = await this.deps.store.snapshot(learner);
    const today = localDate(this.deps.clock.now(), snap.timezone ?? zone);
    const view = viewStreak(snap.streak, today);
    if (view.current === 0 || view.studiedToday || view.breakUntil) return [];
    return [
      {
        type: "notice",
        level: "info",
        code: "info",
        text: `Your ${view.current}-day streak ends at midnight unless you study today: /review or /quiz takes two minutes.${view.freezesAtRisk ? "" : view.freezes ? ` (${view.freezes} freeze${view.freezes === 1 ? "" : "s"} banked.)` : ""}`,
      },
    ];
  }
}
