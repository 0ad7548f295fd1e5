/**
 * Composition root and command line. Reads config once, connects Redis
 * (starting an embedded one when REDIS_URL is unset), loads the course,
 * builds the stores, services and job runtime, and starts the roles asked for:
 *   drillbot                                   Discord/Slack when their tokens are set, else the shell
 *   drillbot bot                               Discord/Slack only: refuses to start without a token (containers, services)
 *   drillbot shell [--user NAME] [--tz ZONE]   the terminal chat
 *   drillbot worker                            scheduled jobs only (run as many as you like)
 *   drillbot content check [--json]            validate every course pack
 *   drillbot content import <file> [--out DIR] [--force]
 *   drillbot content packs|enable|disable|rollback|export|remove|upload ... --workspace <platform:id>
 *                                             a workspace's own packs, as /content in chat
 *   drillbot discord deploy-commands [--guild ID]
 *   drillbot charts sample [--out DIR]         one chart of each kind from sample data
 *   drillbot team export --workspace <platform:id> [--out FILE|DIR] [--tz ZONE]
 *   drillbot fsrs optimize --workspace <platform:id>   fit FSRS on that workspace's review log now
 *   drillbot migrate                           move an older database's keys to the current layout (once, drillbot stopped)
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Cluster, Redis } from "ioredis";
import { formatProblem } from "../core/content/catalog.js";
import type { Platform } from "../core/identity.js";
import type { Messenger } from "../core/ports.js";
import { DrillService } from "../core/service/drill-service.js";
import { StudyService } from "../core/service/study-service.js";
import { checkZone } from "../core/time.js";
import { charCount, quoteInput, stripControl } from "../core/input-limits.js";
import { contentCheck } from "./cli/content-check.js";
import { unknownFlag } from "./cli/unknown-flag.js";
import { contentImport } from "./cli/content-import.js";
import { parseWorkspaceContentArgs, runWorkspaceContent } from "./cli/workspace-content.js";
import { sampleChartsCli } from "./cli/sample-charts.js";
import { parseTeamExportArgs, runTeamExport } from "./cli/team-export.js";
import { fsrsOptimize, parseFsrsOptimizeArgs } from "./cli/fsrs-optimize.js";
import type { Catalog } from "../core/content/catalog.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { loadCatalog, loadCourse } from "./content/load-packs.js";
import { createWorkspaceContent, type WorkspaceContent } from "./content/workspace-content.js";
import { packWorkPool } from "./content/pack-work-pool.js";
import { DiscordAdminRoles } from "./discord/admin-roles.js";
import { deployCommands } from "./discord/deploy-commands.js";
import { createDiscordMessenger } from "./discord/discord-messenger.js";
import { DiscordStartError, startDiscord } from "./discord/start-discord.js";
import { INTERACTIONS_PATH } from "./discord/interactions-endpoint.js";
import type { CustomRoute } from "@slack/bolt";
import { JobRuntime } from "./jobs/job-runtime.js";
import { createLogger, type Logger } from "./logger.js";
import { Lifecycle } from "./ops/lifecycle.js";
import { isConnectionError, OutageMonitor } from "./ops/outage-monitor.js";
import { DataDirBusyError } from "./redis/data-dir-lock.js";
import { RedisBinaryMissingError, RedisServerStartError } from "./redis/embedded-redis.js";
import { RedisUnreachableError } from "./redis/probe-redis.js";
import { appClient, bullConnection, probeTarget, targetAddress, type RedisTarget } from "./redis/connect-redis.js";
import { RedisKeys } from "./redis/keys.js";
import { KeyLayoutError, requireCurrentLayout } from "./redis/schema.js";
import { migrate } from "./cli/migrate.js";
import { RedisProgressStore } from "./redis/progress-store.js";
import { RedisScheduleStore } from "./redis/schedule-store.js";
import { runShell } from "./shell/run-shell.js";
import { createMetrics } from "./ops/metrics.js";
import { startOpsServer, type ReadinessCheck } from "./ops/ops-server.js";
import type { QueueDashboard } from "./ops/queue-dashboard.js";
import { shellAttachments } from "./shell/save-attachments.js";
import { lazyChartRenderer, type ChartRenderer } from "./charts/chart-renderer.js";
import { OpenQuestion } from "./shell/open-question.js";
import { ShellMessenger } from "./shell/shell-messenger.js";
import { startSupervisedRedis } from "./redis/supervised-redis.js";
import { createSlackMessenger } from "./slack/slack-messenger.js";
import { SlackConfigError, startSlack } from "./slack/start-slack.js";
import { SlackInstallationStore } from "./slack/installation-store.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

class UsageError extends Error {}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${name} needs a value, e.g. ${name === "--tz" ? "--tz Europe/Berlin" : `${name} VALUE`}`);
  return value;
}

interface Runtime {
  catalog: Catalog;
  /** What /readyz checks; adapters add theirs when they start. */
  readiness: ReadinessCheck[];
  redis: Redis | Cluster;
  charts: ChartRenderer;
  service: StudyService;
  store: RedisProgressStore;
  drills: DrillService;
  /** Each workspace's content packs (/content). */
  workspaces: WorkspaceContent;
  jobs: JobRuntime;
  /** Slack OAuth distribution's installations (one per process, shared by the adapter and the messenger). */
  slackInstallations?: SlackInstallationStore;
}

/** The installation store when Slack runs as a distributed app (OAuth), else undefined. */
function slackInstallations(config: Config, log: Logger, rt: Runtime): SlackInstallationStore | undefined {
  const d = config.slack?.distribution;
  if (!d) return undefined;
  return (rt.slackInstallations ??= new SlackInstallationStore({
    redis: rt.redis,
    prefix: config.redisPrefix,
    secretKey: d.secretKey,
    clientId: d.clientId,
    clientSecret: d.clientSecret,
    ...(config.slack?.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    log,
  }));
}

/** Quits a connection that is up; cuts one that is not (quit would wait for Redis to come back). */
async function closeClient(redis: Redis | Cluster): Promise<void> {
  if (redis.status !== "ready") return void redis.disconnect();
  const timer = setTimeout(() => redis.disconnect(), 1_000);
  await redis.quit().catch(() => redis.disconnect());
  clearTimeout(timer);
}

/**
 * Connects Redis: a Redis Cluster (REDIS_CLUSTER_NODES), the Redis at REDIS_URL,
 * or the embedded one started here (registered with the lifecycle).
 */
async function connectRedis(config: Config, log: Logger, life: Lifecycle): Promise<{ redis: Redis | Cluster; target: RedisTarget; what: string }> {
  let target: RedisTarget;
  if (config.redisCluster) target = { cluster: config.redisCluster };
  else if (config.redisUrl) target = { url: config.redisUrl };
  else {
    const embedded = await startSupervisedRedis({ ...(config.redisServerBin ? { binary: config.redisServerBin } : {}), dataDir: path.join(config.dataDir, "redis"), log });
    life.add("the embedded Redis", () => embedded.stop());
    life.onExit(() => embedded.stopNow());
    log.debug(`started embedded redis-server on port ${embedded.port}`);
    target = { url: embedded.url };
  }
  if (config.redisCluster || config.redisUrl) await probeTarget(target);
  const what = config.redisCluster
    ? `the Redis Cluster at REDIS_CLUSTER_NODES (${targetAddress(target)})`
    : config.redisUrl
      ? `the Redis at REDIS_URL (${targetAddress(target)})`
      : "the embedded Redis";
  return { redis: appClient(target), target, what };
}

/**
 * Connects Redis (starting the embedded one when REDIS_URL is unset), loads
 * the course and builds the services. Everything it starts is registered with
 * the lifecycle, which stops it on every way out.
 */
async function buildRuntime(config: Config, log: Logger, life: Lifecycle): Promise<Runtime> {
  if (!existsSync(config.contentDir)) {
    throw new UsageError(`the course content folder ${config.contentDir} does not exist: set DRILLBOT_CONTENT_DIR to a folder with course packs (the default is content/ in the project).`);
  }
  const course = await loadCourse(config.contentDir, path.relative(projectRoot, config.contentDir) || "content");
  const catalogResult = course.result;
  if (!catalogResult.ok) {
    throw new UsageError(`the course content has problems, so drillbot will not start:\n  ${catalogResult.problems.slice(0, 10).map(formatProblem).join("\n  ")}`);
  }
  const { redis, target, what } = await connectRedis(config, log, life);
  const monitor = new OutageMonitor({ log, what, healthy: () => redis.status === "ready" });
  monitor.watchMain(redis);
  await requireCurrentLayout(redis, new RedisKeys(config.redisPrefix));
  const clock = { now: () => new Date() };
  // Hex ids: never "c-" or "d-", the prefixes that mark shared challenge and channel-drill sessions.
  const newId = () => randomBytes(6).toString("hex");
  const store = new RedisProgressStore(redis, { prefix: config.redisPrefix, ...(config.replicaAcks ? { replicaAcks: config.replicaAcks } : {}) });
  // Cards are stored under short question codes: give the course's questions theirs now, so no answer waits for one.
  // Only the built-in course's: workspaces' uploaded questions keep their ids, so the shared code table does not grow with uploads.
  await store.useQuestions(catalogResult.catalog.questions.map((q) => q.question.id), { onlyThese: true });
  const schedules = new RedisScheduleStore(redis, config.redisPrefix);
  const jobs = new JobRuntime({
    connection: bullConnection(target),
    redis,
    keys: schedules.keys,
    schedules,
    clock,
    log,
    onError: (err, source) => monitor.report(err, source),
    settings: store,
    lockDurationMs: config.jobLockMs,
  });
  // The workers stop taking jobs at once and share the shutdown grace with the adapters' events in flight...
  life.addDrain("scheduled jobs", (deadline) => (redis.status === "ready" ? jobs.drain(deadline) : Promise.resolve()));
  // ...then the queues and connections close (anything still running was cut off by the drain).
  life.add("Redis connections", async () => {
    monitor.silence();
    await jobs.close({ graceMs: 1_000, forceMs: 1_000, redisDown: redis.status !== "ready" });
    await closeClient(redis);
  });
  // Charts are drawn on a worker thread (started with the first chart), so a /stats never holds up answers.
  const charts = lazyChartRenderer();
  life.add("the chart renderer", () => charts.close());
  // Each workspace studies the built-in packs it keeps on plus the packs its admins uploaded (/content).
  // Upload checks and YAML exports run on a thread of their own (started by the first), so they never hold up answers.
  const packWork = packWorkPool();
  life.add("the content pack thread", () => packWork.close());
  const workspaces = createWorkspaceContent({ redis, prefix: config.redisPrefix, builtIn: { catalog: catalogResult.catalog, raw: course.raw }, clock, log, work: packWork });
  const drills = new DrillService({ catalog: catalogResult.catalog, catalogs: workspaces.catalogs, store, schedules, planner: jobs.planner, clock, newId });
  const service = new StudyService({
    catalog: catalogResult.catalog,
    catalogs: workspaces.catalogs,
    content: workspaces.content,
    store,
    clock,
    newId,
    drills,
    // While Redis is unreachable the outage monitor has said so once; each failed command need not.
    onError: (err, cmd) => (isConnectionError(err) ? log.debug(`command ${cmd.kind} failed: Redis unreachable`) : log.error(`command ${cmd.kind} failed`, err)),
  });
  const readiness: ReadinessCheck[] = [{ name: "redis", ready: () => redis.status === "ready" }];
  return { catalog: catalogResult.catalog, readiness, redis, charts, service, store, drills, jobs, workspaces };
}

/**
 * The operator's port (METRICS_PORT) of a long-running role: /metrics, /healthz,
 * /readyz, and the read-only queue dashboard when DRILLBOT_ADMIN_USER is set.
 * Returns the dashboard, so queues made later (the FSRS job's) can be added.
 */
async function startOps(config: Config, log: Logger, life: Lifecycle, rt: Runtime): Promise<QueueDashboard | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const redis = rt.redis;
  // Bull Board (about 200 ms to load) is loaded only when the dashboard is on.
  const dashboard = config.admin
    ? (await import("./ops/queue-dashboard.js")).createQueueDashboard({
        queues: rt.jobs.allQueues(),
        user: config.admin.user,
        password: config.admin.password,
        onError: (err) => log.warn("queue dashboard failed", err),
      })
    : undefined;
  const ops = await startOpsServer({
    port: config.metricsPort,
    registry: createMetrics({ redisUp: () => redis.status === "ready", queues: () => rt.jobs.allQueues(), checks: () => rt.readiness }),
    checks: () => rt.readiness,
    stopping: () => life.stopping,
    ...(dashboard ? { dashboard } : {}),
  });
  life.addFinal("the metrics and health port", () => ops.close());
  log.info(`metrics and health checks on port ${ops.port} (/metrics, /healthz, /readyz${dashboard ? `; read-only queue dashboard at ${dashboard.basePath}` : ""})`);
  return dashboard;
}

/**
 * Messengers for the platforms whose tokens are set (REST/Web API only: no gateway or socket
 * needed). They share one request budget per bot token (Discord) and per-channel and
 * per-workspace pacing (Slack) with every other process through Redis, and keep Discord DM
 * channel ids there, so a learner's later DMs cost one request.
 */
function platformMessengers(config: Config, log: Logger, rt: Runtime): Partial<Record<Platform, Messenger>> {
  const out: Partial<Record<Platform, Messenger>> = {};
  const shared = { redis: rt.redis, keys: rt.store.keys };
  if (config.discord) out.discord = createDiscordMessenger({ token: config.discord.token, ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}), log, shared: { ...shared, requestsPerSecond: config.discord.requestsPerSecond } });
  if (config.slack) {
    const installations = slackInstallations(config, log, rt);
    out.slack = createSlackMessenger({ ...(installations ? { tokens: installations } : { botToken: config.slack.botToken! }), ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}), log, shared });
  }
  return out;
}

/** Starts the tick and the delivery workers for the platforms this process can send to. */
async function startJobs(rt: Runtime, messengers: Partial<Record<Platform, Messenger>>, dashboard?: QueueDashboard): Promise<void> {
  await rt.jobs.ensureTickScheduler();
  rt.jobs.startTickWorker();
  rt.jobs.startDeliveryWorkers(rt.drills, messengers);
  const shown = new Set(rt.jobs.allQueues());
  await rt.jobs.startFsrsJob();
  // The weekly FSRS queue exists only now: the dashboard learns of it here.
  for (const q of rt.jobs.allQueues()) if (!shown.has(q)) dashboard?.addQueue(q);
}

async function shell(config: Config, log: Logger, life: Lifecycle, args: string[]): Promise<number> {
  const bogus = unknownFlag(args, ["--user", "--tz"]);
  if (bogus) throw new UsageError(`${quoteInput(bogus, 40)} is not an option of the shell. Usage: drillbot [shell] [--user NAME] [--tz ZONE]`);
  const user = flag(args, "--user") ?? os.userInfo().username;
  if (stripControl(user) !== user || charCount(user) > 64 || !user.trim()) {
    throw new UsageError(`--user: ${quoteInput(user, 40)} is not a usable name: use 1-64 visible characters, e.g. --user ann`);
  }
  const tzArg = flag(args, "--tz");
  const checked = tzArg === undefined ? undefined : checkZone(tzArg);
  if (checked && !checked.ok) throw new UsageError(`--tz: ${checked.reason}`);
  const zone = checked?.zone;
  const rt = await buildRuntime(config, log, life);
  const learner = { platform: "shell" as const, workspace: "local", user };
  const output = (t: string) => console.log(t);
  if (zone) await rt.store.setTimezone(learner, zone);
  const open = new OpenQuestion();
  await startJobs(rt, { shell: new ShellMessenger(output, open) });
  // /quit and the end of input (Ctrl-D, a closed pipe) end the shell; a signal ends it even mid-command.
  await Promise.race([
    runShell({
      service: rt.service,
      learner,
      displayName: user,
      input: process.stdin,
      output,
      interactive: Boolean(process.stdin.isTTY),
      open,
      saveAttachment: shellAttachments(config.dataDir, user, rt.charts),
    }),
    life.stopRequested,
  ]);
  return 0;
}

async function adapters(config: Config, log: Logger, life: Lifecycle): Promise<number> {
  const rt = await buildRuntime(config, log, life);
  const dashboard = await startOps(config, log, life, rt);
  // Discord's HTTP interactions and Slack's HTTP mode share PORT: Slack's server then serves /discord/interactions too.
  const slackHttp = Boolean(config.slack && !config.slack.appToken);
  let discordRoute: CustomRoute[] = [];
  if (config.discord) {
    const c = config.discord.connection;
    const bot = await startDiscord({
      ...(c.mode === "http" ? { mode: "http" as const, publicKey: c.publicKey, ...(slackHttp ? {} : { port: config.discord.port }) } : { shards: c.shards }),
      token: config.discord.token,
      appId: config.discord.appId,
      ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
      service: rt.service,
      log,
      adminRoles: new DiscordAdminRoles(rt.redis, config.redisPrefix),
      charts: rt.charts,
      packIds: (ws) => rt.workspaces.packIds(ws),
    });
    life.addDrain("Discord interactions", (deadline) => bot.drain(deadline));
    life.add("the Discord adapter", () => bot.stop());
    rt.readiness.push({ name: "discord", ready: () => bot.ready() });
    if (bot.http && slackHttp) discordRoute = [{ path: INTERACTIONS_PATH, method: ["POST"], handler: bot.http.listener }];
  }
  if (config.slack) {
    const s = config.slack;
    const installations = slackInstallations(config, log, rt);
    if (!s.distribution && !s.appToken && !s.signingSecret) {
      throw new UsageError("SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP at /slack/events) is: set one of them.");
    }
    const app = await startSlack({
      ...(installations && s.distribution
        ? {
            distribution: {
              clientId: s.distribution.clientId,
              clientSecret: s.distribution.clientSecret,
              stateSecret: s.distribution.stateSecret,
              installations,
              ...(s.distribution.redirectUri ? { redirectUri: s.distribution.redirectUri } : {}),
            },
          }
        : { botToken: s.botToken! }),
      ...(s.appToken ? { appToken: s.appToken } : {}),
      ...(s.signingSecret ? { signingSecret: s.signingSecret } : {}),
      ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
      port: s.port,
      ...(discordRoute.length ? { customRoutes: discordRoute } : {}),
      service: rt.service,
      log,
      adminUsers: s.adminUsers,
      charts: rt.charts,
    });
    life.addDrain("Slack requests", (deadline) => app.drain(deadline));
    life.add("the Slack adapter", () => app.stop());
    rt.readiness.push({ name: "slack", ready: () => app.ready() });
    log.info(s.appToken ? "slack: connected in Socket Mode" : `slack: listening on port ${app.port} at /slack/events${s.distribution ? ", installs at /slack/install" : ""}${discordRoute.length ? `, Discord interactions at ${INTERACTIONS_PATH}` : ""}`);
  }
  await startJobs(rt, platformMessengers(config, log, rt), dashboard);
  log.info("drillbot is running; Ctrl+C to stop");
  await life.stopRequested;
  return 0;
}

async function worker(config: Config, log: Logger, life: Lifecycle): Promise<number> {
  const rt = await buildRuntime(config, log, life);
  const dashboard = await startOps(config, log, life, rt);
  const messengers = platformMessengers(config, log, rt);
  if (Object.keys(messengers).length === 0) log.warn("no Discord or Slack tokens are set: this worker will fan out schedules but deliver nothing");
  await startJobs(rt, messengers, dashboard);
  log.info("drillbot worker is running; Ctrl+C to stop");
  await life.stopRequested;
  return 0;
}

/** `team export`: arguments checked before Redis is started; the CSV to --out or stdout, messages to stderr. */
async function teamExport(config: Config, log: Logger, life: Lifecycle, args: string[]): Promise<number> {
  const parsed = parseTeamExportArgs(args);
  if (!parsed.ok) throw new UsageError(parsed.reason);
  const rt = await buildRuntime(config, log, life);
  return runTeamExport(parsed.value, {
    store: rt.store,
    catalog: rt.catalog,
    now: new Date(),
    write: (text) => new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve()))),
    say: (line) => console.error(line),
  });
}

let life: Lifecycle | null = null;

/** The role on every log line: bot (Discord/Slack), worker, shell, or the CLI command's name. */
function roleOf(cmd: string | undefined, config: Config): string {
  if (cmd === undefined || cmd.startsWith("--")) return config.discord || config.slack ? "bot" : "shell";
  if (cmd === "bot") return "bot";
  return cmd;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const config = loadConfig(process.env, projectRoot, Boolean(process.stderr.isTTY));
  const role = roleOf(cmd, config);
  const log = createLogger({
    level: config.logLevel ?? (role === "shell" ? "warn" : "info"),
    secrets: config.secrets,
    format: config.logFormat,
    colorize: Boolean(process.stderr.isTTY),
    bindings: { role },
  });
  life = new Lifecycle({ log, graceMs: config.shutdownGraceMs }).install();
  const print = (l: string) => console.log(l);
  if (cmd === "content" && sub === "check") return contentCheck(config.contentDir, rest.includes("--json"), print);
  if (cmd === "content" && sub === "import") {
    const file = rest.find((a, i) => !a.startsWith("--") && rest[i - 1] !== "--out");
    return contentImport(file ?? "", flag(rest, "--out"), config.contentDir, print, { force: rest.includes("--force") });
  }
  if (cmd === "charts" && sub === "sample") {
    const bogus = unknownFlag(rest, ["--out"]);
    if (bogus) throw new UsageError(`${quoteInput(bogus, 40)} is not an option of charts sample. Usage: drillbot charts sample [--out DIR]`);
    const catalog = await loadCatalog(config.contentDir);
    if (!catalog.ok) throw new UsageError(`the course content has problems: run drillbot content check.`);
    return sampleChartsCli(catalog.catalog, path.resolve(flag(rest, "--out") ?? path.join(config.dataDir, "charts")), new Date(), print);
  }
  if (cmd === "discord" && sub === "deploy-commands") {
    if (!config.discord) throw new UsageError("set DISCORD_TOKEN and DISCORD_APP_ID first (see the README's Discord section).");
    const guildId = flag(rest, "--guild");
    const result = await deployCommands({ token: config.discord.token, appId: config.discord.appId, ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}), ...(guildId ? { guildId } : {}) });
    print(`registered ${result.names.length} commands (${result.names.join(", ")}) ${result.scope}`);
    return 0;
  }
  if (cmd === "team" && sub === "export") return teamExport(config, log, life, rest);
  if (cmd === "content" && sub !== undefined && ["packs", "enable", "disable", "rollback", "export", "remove", "upload"].includes(sub)) {
    const parsed = parseWorkspaceContentArgs(sub, rest);
    if (!parsed.ok) throw new UsageError(parsed.reason);
    const rt = await buildRuntime(config, log, life);
    return runWorkspaceContent(parsed.value, {
      handle: (ctx, c) => rt.service.handle(ctx, c),
      write: (text) => new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve()))),
      say: (line) => console.error(line),
    });
  }
  if (cmd === "fsrs" && sub === "optimize") {
    const parsed = parseFsrsOptimizeArgs(rest);
    if (!parsed.ok) throw new UsageError(parsed.reason);
    const rt = await buildRuntime(config, log, life);
    return fsrsOptimize(rt.redis, config.redisPrefix, parsed.value, print);
  }
  if (cmd === "migrate") return connectRedis(config, log, life).then(({ redis }) => migrate(redis, config.redisPrefix, print).finally(() => closeClient(redis)));
  if (cmd === "worker") return worker(config, log, life);
  if (cmd === "bot") {
    if (!config.discord && !config.slack) {
      throw new UsageError("drillbot bot runs the Discord and Slack adapters, but neither DISCORD_TOKEN nor SLACK_BOT_TOKEN (or SLACK_CLIENT_ID with its secrets, for a Slack app installed in many workspaces) is set: set one (see the README's Discord and Slack sections), or run plain `drillbot` for the terminal shell.");
    }
    return adapters(config, log, life);
  }
  if (cmd === "shell") return shell(config, log, life, argv.slice(1));
  if (cmd === undefined || cmd.startsWith("--")) {
    if (config.discord || config.slack) return adapters(config, log, life);
    return shell(config, log, life, argv);
  }
  throw new UsageError(
    `unknown command "${argv.join(" ")}". Commands: shell [--user NAME] [--tz ZONE] | bot | worker | content check [--json] | content import <file> [--out DIR] [--force] | content packs|enable|disable|rollback|export|remove|upload ... --workspace <platform:id> | discord deploy-commands [--guild ID] | team export --workspace <platform:id> [--out FILE|DIR] [--tz ZONE] | fsrs optimize --workspace <platform:id> | charts sample [--out DIR] | migrate`,
  );
}

/** Stops whatever was started (bounded), then exits. */
function finish(code: number): void {
  if (life) void life.shutdown(code);
  else process.exit(code);
}

const STARTUP_ERRORS = [UsageError, ConfigError, RedisBinaryMissingError, RedisServerStartError, RedisUnreachableError, KeyLayoutError, DataDirBusyError, DiscordStartError, SlackConfigError];

main(process.argv.slice(2)).then(finish, (err: unknown) => {
  if (STARTUP_ERRORS.some((E) => err instanceof E)) {
    console.error(`drillbot: ${(err as Error).message}`);
    return finish(2);
  }
  console.error(`drillbot failed: ${err instanceof Error ? err.message : String(err)}`);
  finish(1);
});
