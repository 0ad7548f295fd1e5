/**
 * The study service: takes a command for a learner and returns neutral
 * replies. Talks to the world only through its ports (store, clock, ids).
 */
import type { Command, SettingsCommand } from "../commands.js";
import { DEFAULT_QUIZ_COUNT, MAX_BREAK_DAYS, USAGE } from "../commands.js";
import { cardStanding } from "../charts/mastery-data.js";
import { DEFAULT_RETENTION } from "../srs.js";
import { teamExportCsv } from "../team-export.js";
import { learnerCharts, teamChartWeeks, teamCharts } from "./progress-charts.js";
import type { Catalog } from "../content/catalog.js";
import { ANONYMOUS, learnerId, workspaceId, type LearnerKey, type Platform } from "../identity.js";
import type { CatalogSource, Clock, LearnerSnapshot, ProgressStore, QuizSession } from "../ports.js";
import type { Reply } from "../replies.js";
import { endBreak, onBreak, startBreak, viewStreak } from "../streak.js";
import { addDays, DEFAULT_ZONE, fromNow, isoWeek, localDate, checkZone } from "../time.js";
import { decideAnswer, openQuestionReply, replayFeedback, slotIdOf } from "./answer-decision.js";
import type { DrillService } from "./drill-service.js";
import type { ContentService } from "./content-service.js";
import type { ChannelRef } from "../schedule/model.js";
import { boundQuotes, plural, quoteInput } from "../input-limits.js";
import { describeQuiet } from "../quiet-hours.js";
import { boundCommand } from "./bound-command.js";
import { helpReply } from "./help.js";
import { openSessionReplies, waitingReply } from "./open-sessions.js";
import { teamReply } from "./team-view.js";
import { lessonReply, questionReply } from "./present.js";
import { planQuiz, planReview } from "./quiz-planner.js";
import { resolveTopic, suggestTopics } from "./topics.js";

export interface ServiceDeps {
  /** The built-in course (and every workspace's, without `catalogs`). */
  catalog: Catalog;
  /** Each workspace's catalog (the built-in packs it keeps on, plus its own packs); without it every workspace sees `catalog`. */
  catalogs?: CatalogSource;
  store: ProgressStore;
  clock: Clock;
  /** New unique ids for sessions (short, URL-safe; must not start with "c-" or "d-", which mark shared sessions). */
  newId: () => string;
  /** Told about unexpected failures (storage down, bugs); the learner gets a short notice. */
  onError?: (err: unknown, cmd: Command) => void;
  /** Drills and challenges; without it those commands say they are not enabled. */
  drills?: DrillService;
  /** Workspace content (/content); without it those commands say uploads are not enabled. */
  content?: ContentService;
}

export interface RequestContext {
  learner: LearnerKey;
  displayName: string;
  /** The platform's id for this event (interaction id, action ts, shell line number). */
  eventId: string;
  /** Zone to use until the learner sets one (e.g. the Slack profile's). */
  fallbackZone?: string;
  /** May this person set up channel drills and challenges here? (The adapter decides.) */
  isAdmin?: boolean;
  /** The channel the command came from, for channel drills and challenges. */
  channel?: ChannelRef | null;
}

/** The settings a learner sees with /settings: their own and their workspace's. */
function describeSettings(snap: LearnerSnapshot, zone: string): string {
  const ws = snap.workspace;
  const retention = snap.settings.retention ?? ws.retention ?? DEFAULT_RETENTION;
  const whose = snap.settings.retention !== null ? "yours" : ws.retention !== null ? "the team's" : "the default";
  const fitted = ws.fsrs ? `tuned on ${ws.fsrs.reviews.toLocaleString("en-US")} of the team's reviews (${ws.fsrs.fittedAt.slice(0, 10)})` : "FSRS's defaults (tuned once the team has enough reviews)";
  const quiet = ws.quiet ? describeQuiet(ws.quiet) : "none";
  return [
    `Time zone: ${zone} (/settings tz <zone>).`,
    `Private: ${snap.settings.private ? "on" : "off"} (/settings private on|off).`,
    `Desired retention: ${retention}, ${whose} (/settings retention 0.85-0.97|default).`,
    `Scheduling: ${fitted}.`,
    `Team quiet hours: ${quiet}.`,
  ].join(" ");
}

/** A notice quotes at most a short, clean stretch of what was typed, whoever wrote its text. */
const boundNotice = (r: Reply): Reply => (r.type === "notice" ? { ...r, text: boundQuotes(r.text) } : r);

export class StudyService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The built-in course. What a workspace sees: catalogFor. */
  get catalog(): Catalog {
    return this.deps.catalog;
  }

  /**
   * The catalog a workspace sees (its packs and switches), e.g. for topic
   * suggestions and question lookups in adapters. Takes the platform and the
   * platform's own id (a guild or team id), so no caller can pass a raw id
   * where the "platform:id" workspace key is meant.
   */
  async catalogFor(where: { platform: Platform; workspace: string }): Promise<Catalog> {
    return this.deps.catalogs ? this.deps.catalogs.forWorkspace(workspaceId(where)) : this.deps.catalog;
  }

  /** This service as the workspace sees it: its catalog, and drills with the same one. */
  private async forWorkspace(workspace: string): Promise<StudyService> {
    const source = this.deps.catalogs;
    if (!source) return this;
    const catalog = await source.forWorkspace(workspace);
    if (catalog === this.deps.catalog) return this;
    const { catalogs: _, ...deps } = this.deps;
    return new StudyService({ ...deps, catalog, ...(deps.drills ? { drills: await deps.drills.forWorkspace(workspace) } : {}) });
  }

  async handle(ctx: RequestContext, cmd: Command): Promise<Reply[]> {
    try {
      const self = await this.forWorkspace(workspaceId(ctx.learner));
      return (await self.dispatch(ctx, boundCommand(cmd))).map(boundNotice);
    } catch (err) {
      this.deps.onError?.(err, cmd);
      return [
        {
          type: "notice",
          level: "error",
          code: "unavailable",
          text: "drillbot is temporarily unavailable (its storage did not answer). Nothing was recorded; please try again in a moment.",
        },
      ];
    }
  }

  private async dispatch(ctx: RequestContext, cmd: Command): Promise<Reply[]> {
    switch (cmd.kind) {
      case "help":
        return [helpReply(this.deps.catalog)];
      case "invalid":
        return [{ type: "notice", level: "warning", code: "bad-option", text: `${cmd.reason} Usage: ${cmd.usage}` }];
      case "learn":
        return this.learn(ctx, cmd.topic);
      case "quiz":
        if (cmd.topic === undefined && cmd.count === undefined) {
          const open = await this.whereQuizStands(ctx);
          if (open) return open;
        }
        return this.quiz(ctx, cmd.topic, cmd.count ?? DEFAULT_QUIZ_COUNT);
      case "review":
        return this.review(ctx);
      case "answer":
        return this.answer(ctx, cmd);
      case "streak":
        return this.streak(ctx);
      case "leaderboard":
        return this.leaderboard(ctx, cmd.period);
      case "stats":
        return this.stats(ctx);
      case "team":
        return cmd.export ? this.teamExport(ctx) : this.team(ctx);
      case "tz":
        return this.setZone(ctx, cmd.zone);
      case "settings":
        return this.settings(ctx, cmd);
      case "break":
        return this.breakCommand(ctx, cmd.days);
      case "content": {
        const content = this.deps.content;
        if (!content) return [{ type: "notice", level: "info", code: "info", text: "Workspace content packs are not enabled on this bot; it teaches its built-in course." }];
        return content.handle({ learner: ctx.learner, displayName: ctx.displayName, isAdmin: ctx.isAdmin ?? false }, cmd);
      }
      case "drill":
      case "challenge": {
        const drills = this.deps.drills;
        if (!drills) return [{ type: "notice", level: "info", code: "info", text: "Drills and challenges are not enabled on this bot." }];
        return drills.handle(
          {
            learner: ctx.learner,
            displayName: ctx.displayName,
            isAdmin: ctx.isAdmin ?? false,
            channel: ctx.channel ?? null,
            ...(ctx.fallbackZone ? { fallbackZone: ctx.fallbackZone } : {}),
          },
          cmd,
        );
      }
    }
  }

  private unknownTopic(topic: string): Reply[] {
    return [
      {
        type: "notice",
        level: "warning",
        code: "unknown-topic",
        text: `No lesson or question matches ${quoteInput(topic)}. Try one of: ${suggestTopics(this.deps.catalog).join(", ")}.`,
      },
    ];
  }

  private async learn(ctx: RequestContext, topic?: string): Promise<Reply[]> {
    const { catalog, store } = this.deps;
    let lesson = undefined;
    if (topic) {
      const match = resolveTopic(catalog, topic);
      lesson = match?.lessons[0];
      if (!lesson) return this.unknownTopic(topic);
    } else {
      const read = new Set(await store.lessonsRead(ctx.learner));
      lesson = catalog.lessons.find((l) => !read.has(l.id)) ?? catalog.lessons[0];
      if (!lesson) return [{ type: "notice", level: "info", code: "info", text: "No lessons are installed yet." }];
    }
    await store.markLessonRead(ctx.learner, lesson.id);
    return [lessonReply(catalog, lesson), { type: "text", text: `Quiz yourself on it with /quiz ${lesson.topics[0] ?? lesson.id}.` }];
  }

  private async start(ctx: RequestContext, kind: QuizSession["kind"], title: string, ids: string[]): Promise<Reply[]> {
    const session: QuizSession = {
      id: this.deps.newId(),
      kind,
      title,
      questionIds: ids,
      index: 0,
      correct: 0,
      points: 0,
      startedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.store.startSession(ctx.learner, session);
    return [questionReply(this.deps.catalog, { sessionId: session.id, index: 0, questionId: ids[0]! }, ids.length)];
  }

  private async quiz(ctx: RequestContext, topic: string | undefined, count: number): Promise<Reply[]> {
    const { catalog, store, clock } = this.deps;
    let pool = catalog.questions;
    let title = "Quiz";
    if (topic) {
      const match = resolveTopic(catalog, topic);
      if (!match || match.questions.length === 0) return this.unknownTopic(topic);
      pool = match.questions;
      title = `Quiz: ${match.lessons[0]?.title ?? topic}`;
    }
    if (pool.length === 0) return [{ type: "notice", level: "info", code: "info", text: "No questions are installed yet." }];
    const ids = planQuiz(pool, await store.cards(ctx.learner), clock.now(), count);
    return this.start(ctx, "quiz", title, ids);
  }

  /** The learner's open questions with where each quiz stands (null when none is open), for /quiz alone or an answer typed with no question on screen. */
  async openQuestions(ctx: RequestContext): Promise<Reply[] | null> {
    try {
      return await (await this.forWorkspace(workspaceId(ctx.learner))).whereQuizStands(ctx);
    } catch (err) {
      this.deps.onError?.(err, { kind: "quiz" });
      return null;
    }
  }

  /** /quiz with nothing after it, while a quiz is unfinished: where it stands, and its open question (a drill open beside it too). */
  private async whereQuizStands(ctx: RequestContext): Promise<Reply[] | null> {
    return openSessionReplies(this.deps.catalog, await this.deps.store.snapshot(ctx.learner));
  }

  /**
   * What is waiting for the learner, for a start screen: an unfinished quiz
   * (question k of n), reviews due now, and whether today's streak is done.
   */
  async waiting(ctx: RequestContext): Promise<Reply[]> {
    try {
      const self = await this.forWorkspace(workspaceId(ctx.learner));
      const { store, clock, catalog } = self.deps;
      const [snap, cards] = await Promise.all([store.snapshot(ctx.learner), store.cards(ctx.learner)]);
      // Cards of questions the workspace no longer has are kept, not counted.
      return [waitingReply(snap, cards.filter((c) => catalog.question(c.questionId)), clock.now(), this.zoneOf(snap.timezone, ctx))];
    } catch (err) {
      this.deps.onError?.(err, { kind: "help" });
      return [];
    }
  }

  private async review(ctx: RequestContext): Promise<Reply[]> {
    const { catalog, store, clock } = this.deps;
    const cards = await store.cards(ctx.learner);
    const now = clock.now();
    const ids = planReview(cards, now, 10, (id) => catalog.question(id) !== undefined);
    if (ids.length === 0) {
      const next = cards.filter((c) => catalog.question(c.questionId)).map((c) => c.dueMs).filter((ms) => ms > now.getTime()).sort((a, b) => a - b)[0];
      const when = next ? ` Your next card comes back ${fromNow(new Date(next).toISOString(), now.getTime())}.` : "";
      return [{ type: "notice", level: "info", code: "nothing-due", text: `Nothing is due for review.${when} Try /quiz to learn something new.` }];
    }
    return this.start(ctx, "review", "Review", ids);
  }

  private async answer(ctx: RequestContext, cmd: Extract<Command, { kind: "answer" }>): Promise<Reply[]> {
    const { catalog, store, clock } = this.deps;
    const now = clock.now();
    const request = cmd.ref
      ? { eventId: ctx.eventId, slotId: slotIdOf(cmd.ref), questionId: cmd.ref.questionId }
      : { eventId: ctx.eventId };
    const answerCtx = {
      catalog,
      learner: ctx.learner,
      displayName: ctx.displayName,
      eventId: ctx.eventId,
      now,
      ...(ctx.fallbackZone ? { fallbackZone: ctx.fallbackZone } : {}),
    };
    const shared = cmd.ref && this.deps.drills ? await this.deps.drills.sharedQuestion(cmd.ref.sessionId, cmd.ref.questionId) : null;
    if (shared === "closed") return [{ type: "notice", level: "info", code: "closed", text: "That challenge is over; its results are in the channel." }];
    const outcome = await store.answer(ctx.learner, request, (snap) => decideAnswer(answerCtx, snap, cmd, shared ?? undefined));
    if (outcome.status === "recorded" || outcome.status === "rejected") return outcome.replies;
    const feedback = replayFeedback(catalog, outcome.record);
    if (outcome.status === "already-answered") {
      const lead = { type: "notice" as const, level: "info" as const, code: "already-answered" as const, text: "You already answered this question; your first answer counts." };
      // A question of the learner's own quiz: show where the quiz is now, so the next answer goes to a question on screen.
      if (!cmd.onlyIfOpen || shared) return [lead, ...feedback];
      const snap = outcome.snapshot ?? (await store.snapshot(ctx.learner));
      const now = [snap.session, snap.parked].flatMap((s) => (s && s.index < s.questionIds.length ? [openQuestionReply(catalog, s)] : [])).filter((r): r is Reply => r !== null);
      return [lead, ...feedback, ...(now.length ? [{ type: "text" as const, text: "Here is where you are now:" }, ...now] : [])];
    }
    // The same event delivered again: the same feedback, and the question now open, if any.
    const session = outcome.snapshot?.session;
    const open =
      session && session.id === outcome.record.ref.sessionId && session.index < session.questionIds.length
        ? [questionReply(catalog, { sessionId: session.id, index: session.index, questionId: session.questionIds[session.index]! }, session.questionIds.length)]
        : [];
    return [...feedback, ...open];
  }

  private zoneOf(snapZone: string | null, ctx: RequestContext): string {
    return snapZone ?? ctx.fallbackZone ?? DEFAULT_ZONE;
  }

  private async streak(ctx: RequestContext): Promise<Reply[]> {
    const snap = await this.deps.store.snapshot(ctx.learner);
    const zone = this.zoneOf(snap.timezone, ctx);
    const today = localDate(this.deps.clock.now(), zone);
    const dates = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6));
    const active = await this.deps.store.activeDays(ctx.learner, dates);
    return [{ type: "streak", view: viewStreak(snap.streak, today), zone, lastDays: dates.map((date, i) => ({ date, active: active[i] ?? false })) }];
  }

  private async leaderboard(ctx: RequestContext, period: "week" | "all"): Promise<Reply[]> {
    const snap = await this.deps.store.snapshot(ctx.learner);
    const week = isoWeek(localDate(this.deps.clock.now(), this.zoneOf(snap.timezone, ctx)));
    const board = await this.deps.store.leaderboard(
      workspaceId(ctx.learner),
      period === "week" ? { kind: "week", weekKey: week } : { kind: "all" },
      10,
      ctx.learner,
    );
    const me = learnerId(ctx.learner);
    const row = (e: { learnerId: string; name: string; points: number; rank: number }) => ({ rank: e.rank, name: e.name, points: e.points, isYou: e.learnerId === me });
    return [
      {
        type: "leaderboard",
        period,
        label: period === "week" ? `This week (${week})` : "All time",
        rows: board.top.map(row),
        you: board.you ? row(board.you) : null,
      },
    ];
  }

  private async team(ctx: RequestContext): Promise<Reply[]> {
    const { store, clock, catalog } = this.deps;
    const workspace = workspaceId(ctx.learner);
    const snap = await store.snapshot(ctx.learner);
    const now = clock.now();
    const zone = this.zoneOf(snap.timezone, ctx);
    const week = isoWeek(localDate(now, zone));
    const [weeks, members] = await Promise.all([store.teamWeeks(workspace, teamChartWeeks(now, zone)), store.teamMembers(workspace)]);
    const thisWeek = weeks[week] ?? { learners: 0, answered: 0, correct: 0, bySet: {} };
    return [teamReply(catalog, `This week (${week})`, thisWeek), ...teamCharts(catalog, { weeks, members: members.map((m) => m.cards), now, zone })];
  }

  /** /team export: a CSV for admins, one row per learner (private ones as "anonymous"), lesson and concept. */
  private async teamExport(ctx: RequestContext): Promise<Reply[]> {
    if (!ctx.isAdmin) return [{ type: "notice", level: "warning", code: "not-admin", text: "Only workspace admins can export the team's figures. /team shows the team's week to everyone." }];
    const { store, clock, catalog } = this.deps;
    const workspace = workspaceId(ctx.learner);
    const [snap, members, totals] = await Promise.all([store.snapshot(ctx.learner), store.teamMembers(workspace), store.teamTotals(workspace)]);
    const out = teamExportCsv({ catalog, members, totals, now: clock.now(), zone: this.zoneOf(snap.timezone, ctx), workspaceLabel: workspace });
    return [{ type: "file", fileName: out.fileName, contentType: "text/csv", content: out.csv, description: out.description }];
  }

  private async stats(ctx: RequestContext): Promise<Reply[]> {
    const { store, clock, catalog } = this.deps;
    const [snap, cardMap, read, answersByDay] = await Promise.all([
      store.snapshot(ctx.learner),
      store.cardStates(ctx.learner),
      store.lessonsRead(ctx.learner),
      store.answersByDay(ctx.learner),
    ]);
    const now = clock.now();
    const zone = this.zoneOf(snap.timezone, ctx);
    // Cards of questions no longer in the workspace's course (a pack switched off or replaced) are kept but not counted.
    const cards = Object.entries(cardMap).flatMap(([id, card]) => (catalog.question(id) ? [card] : []));
    const dueNow = cards.filter((c) => Date.parse(c.due) <= now.getTime()).length;
    const mastered = cards.filter((c) => cardStanding(c, now) === "mastered").length;
    return [
      {
        type: "stats",
        points: snap.points,
        answered: snap.answered,
        correct: snap.correct,
        streak: viewStreak(snap.streak, localDate(now, zone)),
        cardsKnown: cards.length,
        dueNow,
        mastered,
        lessonsRead: read.filter((id) => catalog.lesson(id)).length,
        lessonsTotal: catalog.lessons.length,
        zone,
      },
      ...learnerCharts(catalog, { answersByDay, cards: cardMap, now, zone }),
    ];
  }

  private async settings(ctx: RequestContext, cmd: SettingsCommand): Promise<Reply[]> {
    const { store } = this.deps;
    const workspace = workspaceId(ctx.learner);
    const ok = (text: string): Reply[] => [{ type: "notice", level: "info", code: "info", text }];
    const adminOnly = (what: string): Reply[] => [{ type: "notice", level: "warning", code: "not-admin", text: `Only workspace admins can set ${what}. Your own: /settings retention, /settings private.` }];
    switch (cmd.action) {
      case "show": {
        const snap = await store.snapshot(ctx.learner);
        return ok(describeSettings(snap, this.zoneOf(snap.timezone, ctx)));
      }
      case "private":
        await store.saveLearnerSettings(ctx.learner, { private: cmd.on });
        return ok(
          cmd.on
            ? `Private on: you appear as "${ANONYMOUS}" in team exports, team charts and leaderboards (channel results too). Your own /stats still shows everything. /settings private off undoes it.`
            : "Private off: your display name shows again in team exports and leaderboards.",
        );
      case "retention": {
        await store.saveLearnerSettings(ctx.learner, { retention: cmd.value });
        if (cmd.value === null) return ok("Desired retention back to your workspace's. It applies from your next answer.");
        return ok(`Desired retention set to ${cmd.value}: cards come back when you would recall about ${Math.round(cmd.value * 100)} in 100. Higher means more reviews. It applies to each card from its next answer.`);
      }
      case "team-retention": {
        if (!ctx.isAdmin) return adminOnly("the team's retention");
        await store.saveWorkspaceSettings(workspace, { retention: cmd.value });
        return ok(`The team's desired retention is now ${cmd.value ?? `${DEFAULT_RETENTION} (the default)`}, for everyone who has not set their own. It applies from each learner's next answer.`);
      }
      case "quiet-hours": {
        if (!ctx.isAdmin) return adminOnly("quiet hours");
        if (!cmd.quiet) {
          await store.saveWorkspaceSettings(workspace, { quiet: null });
          return ok("Quiet hours are off: drills and reminders arrive at their set times.");
        }
        const snap = await store.snapshot(ctx.learner);
        const quiet = { start: cmd.quiet.start, end: cmd.quiet.end, zone: cmd.quiet.zone ?? this.zoneOf(snap.timezone, ctx) };
        await store.saveWorkspaceSettings(workspace, { quiet });
        return ok(`Quiet hours set: no DMs from ${quiet.start} to ${quiet.end} (${quiet.zone}). Daily drills that fall due then arrive at ${quiet.end}; a streak reminder that would arrive after its day is skipped. Channel posts are not held.`);
      }
    }
  }

  /** /break: days = start (or replace) a break, null = end it, undefined = where it stands. */
  private async breakCommand(ctx: RequestContext, days: number | null | undefined): Promise<Reply[]> {
    const { store, clock } = this.deps;
    const info = (text: string): Reply[] => [{ type: "notice", level: "info", code: "info", text }];
    for (let attempt = 0; attempt < 3; attempt++) {
      const snap = await store.snapshot(ctx.learner);
      const today = localDate(clock.now(), this.zoneOf(snap.timezone, ctx));
      const streak = snap.streak;
      const on = onBreak(streak, today);
      if (days === undefined) {
        return info(
          on && streak.pause
            ? `You are on a break through ${streak.pause.until}: your ${viewStreak(streak, today).current}-day streak is held and daily drills and reminders are paused. Studying ends it early; /break off ends it now.`
            : `You are not on a break. ${USAGE.break}: pause drills and reminders and hold your streak for 1 to ${MAX_BREAK_DAYS} days, without spending freezes.`,
        );
      }
      if (days === null && !on) return info("You are not on a break, so there is nothing to end.");
      const next = days === null ? endBreak(streak, today) : startBreak(streak, today, days);
      if (!(await store.saveStreak(ctx.learner, snap.version, next))) continue;
      if (days === null) return info("Break over: daily drills and reminders resume, and from today your streak counts days again.");
      const held = viewStreak(next, today).current;
      const spent = streak.freezes - next.freezes;
      const settled = spent > 0 ? ` (${plural(spent, "banked freeze")} covered the days you missed before it)` : "";
      return info(
        `Break set through ${next.pause?.until ?? today}. ${held ? `Your ${held}-day streak is held${settled} and the break spends no freezes` : "No streak is lost and the break spends no freezes"}; daily drills and reminders pause. Studying ends the break early; /break off ends it now.`,
      );
    }
    throw new Error("the break kept conflicting with answers being recorded");
  }

  private async setZone(ctx: RequestContext, input?: string): Promise<Reply[]> {
    if (!input) {
      const snap = await this.deps.store.snapshot(ctx.learner);
      return [{ type: "notice", level: "info", code: "info", text: `Your time zone is ${this.zoneOf(snap.timezone, ctx)}. Change it with /tz <zone>, e.g. /tz Europe/Berlin.` }];
    }
    const checked = checkZone(input);
    if (!checked.ok) return [{ type: "notice", level: "warning", code: "bad-timezone", text: checked.reason }];
    const zone = checked.zone;
    await this.deps.store.setTimezone(ctx.learner, zone);
    const today = localDate(this.deps.clock.now(), zone);
    return [{ type: "notice", level: "info", code: "info", text: `Time zone set to ${zone}. Your streak days now follow that calendar (today there is ${today}).` }];
  }
}
