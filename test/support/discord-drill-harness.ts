/**
 * drillbot on Discord with drills and challenges: the drill harness (study
 * and drill services on a real Redis, a real BullMQ JobRuntime, a fixed
 * clock) behind the real discord.js client logged in to the stand-in (or,
 * mode "http", serving the stand-in's HTTP interactions), with
 * admin roles kept in the same Redis, and the REST-only messenger the
 * delivery workers send with. With `content`, the services see each
 * server's own catalog and answer /content (createWorkspaceContent on the
 * same Redis, the fixture course as the built-in one), as bots/main.ts
 * composes them.
 */
import { loadCourse } from "../../bots/content/load-packs.js";
import { createWorkspaceContent, type WorkspaceContent } from "../../bots/content/workspace-content.js";
import { createDiscordMessenger, DiscordAdminRoles, startDiscord, type AdminRoleStore, type DiscordBot, type DiscordMessenger } from "../../bots/discord/index.js";
import { plainLogger, type Logger } from "../../bots/logger.js";
import { parseCommandText } from "../../core/commands.js";
import type { UploadLimits } from "../../core/content/upload/check-upload.js";
import type { LearnerKey } from "../../core/identity.js";
import { DrillService } from "../../core/service/drill-service.js";
import { StudyService } from "../../core/service/study-service.js";
import { drillHarness, type DrillHarness } from "./drill-harness.js";
import { sayWith } from "./study-harness.js";
import { APP_ID, TOKEN } from "./discord-harness.js";
import type { StandinGuild } from "./discord-interactions.js";
import type { DiscordStandin } from "./discord-standin.js";
import { uniquePrefix } from "./redis.js";

export interface DrillBotUnderTest {
  h: DrillHarness;
  bot: DiscordBot | null;
  adminRoles: DiscordAdminRoles;
  logs: string[];
  log: Logger;
  /** With `content`: the pack store, catalogs and content service the bot uses. */
  workspaces: WorkspaceContent | null;
  /** A messenger on the stand-in's REST API (fresh per call: rate-limit buckets are per client). */
  messenger(opts?: { maxWaitMs?: number }): DiscordMessenger;
  stop(): Promise<void>;
}

export interface DrillBotOptions {
  /** Start the gateway bot too (default true); false for messenger-only tests. */
  bot?: boolean;
  /** Give the bot the admin-role store (default true), or this one instead. */
  adminRoles?: boolean | AdminRoleStore;
  /** "http": interactions over HTTP (the stand-in's endpoint is set to this bot); default the gateway. */
  mode?: "gateway" | "http";
  /** Workspace content (/content, each server's catalog), optionally with other upload limits. */
  content?: boolean | { limits?: Partial<UploadLimits> };
}

let ids = 0;

/** The harness's services rebuilt as bots/main.ts composes them with workspace content. */
async function withContent(h: DrillHarness, prefix: string, log: Logger, limits?: Partial<UploadLimits>): Promise<{ h: DrillHarness; workspaces: WorkspaceContent }> {
  const course = await loadCourse("test/fixtures/content", "test/fixtures/content");
  if (!course.result.ok) throw new Error("the fixture course does not load");
  const catalog = course.result.catalog;
  const workspaces = createWorkspaceContent({ redis: h.redis, prefix, builtIn: { catalog, raw: course.raw }, clock: h.clock, log, ...(limits ? { limits } : {}) });
  const newId = () => `c${(++ids).toString(36)}`;
  const drills = new DrillService({ catalog, catalogs: workspaces.catalogs, store: h.store, schedules: h.schedules, planner: h.jobs.planner, clock: h.clock, newId });
  const service = new StudyService({ catalog, catalogs: workspaces.catalogs, content: workspaces.content, store: h.store, clock: h.clock, newId, drills });
  return {
    workspaces,
    h: {
      ...h,
      service,
      drills,
      say: sayWith(service),
      async as(learner, line, opts = {}) {
        const cmd = parseCommandText(line);
        if (!cmd) throw new Error(`bad line ${line}`);
        return service.handle({ learner, displayName: learner.user, eventId: `e${newId()}`, isAdmin: opts.admin ?? false, channel: opts.channel ?? null }, cmd);
      },
    },
  };
}

export async function startDrillBot(standin: DiscordStandin, redisUrl: string, startIso: string, opts: DrillBotOptions = {}): Promise<DrillBotUnderTest> {
  const prefix = uniquePrefix();
  const base = await drillHarness(redisUrl, prefix, startIso);
  const logs: string[] = [];
  const log = plainLogger("info", [TOKEN], (line) => logs.push(line));
  const composed = opts.content ? await withContent(base, prefix, log, typeof opts.content === "object" ? opts.content.limits : undefined) : null;
  const h = composed?.h ?? base;
  const workspaces = composed?.workspaces ?? null;
  const builtInIds = h.service.catalog.packs.map((p) => p.manifest.id);
  const adminRoles = new DiscordAdminRoles(h.redis, prefix);
  const bot =
    opts.bot === false
      ? null
      : await startDiscord({
          token: TOKEN,
          appId: APP_ID,
          apiUrl: standin.apiUrl,
          service: h.service,
          log,
          ...(opts.adminRoles === false ? {} : { adminRoles: typeof opts.adminRoles === "object" ? opts.adminRoles : adminRoles }),
          ...(opts.mode === "http" ? { mode: "http" as const, publicKey: standin.publicKeyHex, port: 0, host: "127.0.0.1" } : {}),
          ...(workspaces
            ? {
                packIds: async (ws: string) => [...builtInIds, ...(await workspaces.packs.packs(ws)).map((p) => p.packId)],
                ...(typeof opts.content === "object" && opts.content.limits ? { uploadLimits: opts.content.limits } : {}),
              }
            : {}),
        });
  if (bot?.http?.url) await standin.setInteractionsEndpoint(bot.http.url);
  const messengers: DiscordMessenger[] = [];
  return {
    h,
    bot,
    adminRoles,
    workspaces,
    logs,
    log,
    messenger(o = {}) {
      const m = createDiscordMessenger({ token: TOKEN, apiUrl: standin.apiUrl, log, ...o });
      messengers.push(m);
      return m;
    },
    async stop() {
      if (bot?.http?.url && standin.interactionsEndpoint === bot.http.url) standin.interactionsEndpoint = null;
      await bot?.stop();
      for (const m of messengers) m.close();
      await h.shutdown();
    },
  };
}

export function discordLearner(guild: StandinGuild | null, userId: string): LearnerKey {
  return { platform: "discord", workspace: guild?.id ?? "dm", user: userId };
}
