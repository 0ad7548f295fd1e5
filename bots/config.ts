/**
 * Configuration: the one place that reads process.env. Validated once with a
 * schema; a bad value stops start-up with a message naming the variable.
 */
import path from "node:path";
import { z } from "zod";
import { discordModeConfig, type DiscordModeConfig } from "./discord/discord-mode-config.js";
import { slackDistributionConfig, type SlackDistributionSettings } from "./slack/distribution-config.js";

const optionalText = z.string().trim().min(1).optional().catch(undefined);
const optionalUrl = z
  .string()
  .trim()
  .url("must be a URL such as http://127.0.0.1:8080/api")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** A variable set to nothing (or spaces) counts as unset; otherwise its trimmed value is checked by `schema`. */
function blankIsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.trim() || undefined : v), schema);
}

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379")
    .refine((v) => URL.canParse(v), "is not a valid URL (the port must be a number from 1 to 65535), e.g. redis://127.0.0.1:6379")
    .refine((v) => !URL.canParse(v) || new URL(v).port !== "0", "port 0 is not a port Redis can listen on, e.g. redis://127.0.0.1:6379")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_CLUSTER_NODES: optionalText,
  REDIS_PASSWORD: optionalText,
  REDIS_SERVER_BIN: optionalText,
  DRILLBOT_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]*$/, "letters, digits, : _ . - only").default("drillbot:"),
  DRILLBOT_DATA_DIR: optionalText,
  DRILLBOT_CONTENT_DIR: optionalText,
  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText,
  DISCORD_API_URL: optionalUrl,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: optionalUrl,
  SLACK_ADMIN_USERS: optionalText,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: blankIsUnset(z.enum(["debug", "info", "warn", "error"], "must be debug, info, warn or error").optional()),
  LOG_FORMAT: blankIsUnset(z.enum(["json", "pretty"], "must be json or pretty").optional()),
  DRILLBOT_SHUTDOWN_GRACE_S: z.coerce.number("must be a number of seconds, e.g. 20").int("must be a whole number of seconds, e.g. 20").min(1, "must be at least 1 second").max(600, "must be at most 600 seconds").default(20),
  DRILLBOT_ADMIN_USER: blankIsUnset(z.string().regex(/^[^:]*$/, "must not contain ':' (basic auth splits the user from the password there)").optional()),
  DRILLBOT_REPLICA_ACKS: z.coerce.number("must be a whole number of replicas, e.g. 1").int("must be a whole number of replicas, e.g. 1").min(0, "must be 0 or more").max(5, "must be at most 5").default(0),
  DRILLBOT_REPLICA_ACK_TIMEOUT_MS: z.coerce.number("must be a number of milliseconds, e.g. 500").int("must be a whole number of milliseconds, e.g. 500").min(10, "must be at least 10 ms").max(10_000, "must be at most 10000 ms").default(500),
  DISCORD_REQUESTS_PER_SECOND: z.coerce.number("must be a whole number of requests, e.g. 47").int("must be a whole number of requests, e.g. 47").min(1, "must be at least 1").max(10_000, "must be at most 10000").default(47),
  DRILLBOT_JOB_LOCK_S: z.coerce.number("must be a number of seconds, e.g. 30").int("must be a whole number of seconds, e.g. 30").min(5, "must be at least 5 seconds").max(600, "must be at most 600 seconds").default(30),
  DRILLBOT_ADMIN_PASSWORD: optionalText,
});

/** A Redis Cluster to connect to instead of one Redis (REDIS_CLUSTER_NODES). */
export interface RedisClusterConfig {
  /** The nodes to start from; the client learns the rest of the cluster from them. */
  nodes: { host: string; port: number }[];
  password: string | undefined;
}

export interface Config {
  redisUrl: string | undefined;
  /** Set when REDIS_CLUSTER_NODES is: then REDIS_URL is unset and no embedded Redis is started. */
  redisCluster: RedisClusterConfig | undefined;
  redisServerBin: string | undefined;
  redisPrefix: string;
  dataDir: string;
  contentDir: string;
  /** requestsPerSecond: the bot token's shared REST budget, at most this many requests in any second across every process (keep it under Discord's global limit, 50 unless Discord raised it). */
  /** connection: the gateway (shards) or HTTP interactions at /discord/interactions on `port` (PORT, shared with Slack's HTTP mode). */
  discord: { token: string; appId: string; apiUrl: string | undefined; requestsPerSecond: number; connection: DiscordModeConfig; port: number } | undefined;
  /** botToken: one workspace (SLACK_BOT_TOKEN); distribution: OAuth installs, a token per workspace (SLACK_CLIENT_ID...). Exactly one is set. */
  slack:
    | {
        botToken: string | undefined;
        distribution: SlackDistributionSettings | undefined;
        appToken: string | undefined;
        signingSecret: string | undefined;
        apiUrl: string | undefined;
        adminUsers: string[];
        port: number;
      }
    | undefined;
  /** LOG_LEVEL; unset: info, or warn in the terminal shell (whose chat shares the terminal). */
  logLevel: "debug" | "info" | "warn" | "error" | undefined;
  /** Where /metrics, /healthz and /readyz are served (unset: no operator port). */
  metricsPort: number | undefined;
  /** json: one JSON object a line (production); pretty: readable lines. Default: pretty on a terminal, json otherwise. */
  logFormat: "json" | "pretty";
  /** How long in-flight events and jobs may take to finish once shutdown begins. */
  shutdownGraceMs: number;
  /** Acknowledge an answer only once this many replicas hold it (WAIT, same round trip), or the timeout passed; unset: no wait. */
  replicaAcks: { replicas: number; timeoutMs: number } | undefined;
  /** How long a job a worker holds stays locked if that worker dies or is cut off; then another worker retries it. */
  jobLockMs: number;
  /** Basic-auth credentials for the read-only queue dashboard at /admin/queues (unset: no dashboard). */
  admin: { user: string; password: string } | undefined;
  /** Values that must never appear in logs. */
  secrets: string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The shortest dashboard password accepted: it guards a page reachable on the operator port. */
export const MIN_ADMIN_PASSWORD = 12;

/** The password of a redis:// URL, if it has one (masked in logs on its own as well as inside the URL). */
function redisPassword(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const p = decodeURIComponent(new URL(url).password);
  return p || undefined;
}

const CLUSTER_EXAMPLE = "e.g. REDIS_CLUSTER_NODES=10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379";

/** REDIS_CLUSTER_NODES as host:port pairs, or a ConfigError naming the entry that is wrong. */
export function parseClusterNodes(text: string): { host: string; port: number }[] {
  const entries = text.split(",").map((e) => e.trim());
  if (entries.some((e) => e === "")) throw new ConfigError(`REDIS_CLUSTER_NODES has an empty entry: list host:port pairs separated by commas, ${CLUSTER_EXAMPLE}.`);
  return entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES: "${entry.slice(0, 60)}" is not host:port (a port from 1 to 65535): list the cluster's nodes separated by commas, ${CLUSTER_EXAMPLE}.`);
    }
    return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
  });
}

/** `stderrIsTTY` picks the default log format (pretty on a terminal, json otherwise). */
export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string, stderrIsTTY = false): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(lines.length === 1 ? `bad configuration: ${lines[0]}` : `bad configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  if (e.REDIS_CLUSTER_NODES && e.REDIS_URL) {
    throw new ConfigError("REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one Redis, or REDIS_CLUSTER_NODES for a Redis Cluster, not both.");
  }
  if (e.REDIS_PASSWORD && !e.REDIS_CLUSTER_NODES) {
    throw new ConfigError("REDIS_PASSWORD is set without REDIS_CLUSTER_NODES: it is the cluster nodes' password; for one Redis put the password in REDIS_URL (redis://:PASSWORD@host:6379).");
  }
  const redisCluster = e.REDIS_CLUSTER_NODES ? { nodes: parseClusterNodes(e.REDIS_CLUSTER_NODES), password: e.REDIS_PASSWORD } : undefined;
  const dist = slackDistributionConfig(env);
  if (!dist.ok) throw new ConfigError(dist.message);
  const connection = discordModeConfig(env, (m) => new ConfigError(m));
  if (e.DISCORD_TOKEN && !e.DISCORD_APP_ID) throw new ConfigError("DISCORD_TOKEN is set but DISCORD_APP_ID is missing: set it to your application's id (Developer Portal > General Information).");
  if (!e.DISCORD_TOKEN && e.DISCORD_APP_ID) throw new ConfigError("DISCORD_APP_ID is set but DISCORD_TOKEN is missing: set the bot token (Developer Portal > Bot > Reset Token).");
  if (Boolean(e.DRILLBOT_ADMIN_USER) !== Boolean(e.DRILLBOT_ADMIN_PASSWORD)) {
    throw new ConfigError("the queue dashboard needs both DRILLBOT_ADMIN_USER and DRILLBOT_ADMIN_PASSWORD: set both to turn it on, or neither to leave it off.");
  }
  if (e.DRILLBOT_ADMIN_PASSWORD && e.DRILLBOT_ADMIN_PASSWORD.length < MIN_ADMIN_PASSWORD) {
    throw new ConfigError(`DRILLBOT_ADMIN_PASSWORD is too short: use at least ${MIN_ADMIN_PASSWORD} characters (e.g. from \`openssl rand -base64 18\`).`);
  }
  if (e.DRILLBOT_ADMIN_USER && e.METRICS_PORT === undefined) {
    throw new ConfigError("DRILLBOT_ADMIN_USER is set but METRICS_PORT is not: the queue dashboard is served on the metrics port, so set METRICS_PORT too.");
  }
  return {
    redisUrl: e.REDIS_URL,
    redisCluster,
    redisServerBin: e.REDIS_SERVER_BIN,
    redisPrefix: e.DRILLBOT_REDIS_PREFIX,
    dataDir: path.resolve(projectRoot, e.DRILLBOT_DATA_DIR ?? ".data"),
    contentDir: path.resolve(projectRoot, e.DRILLBOT_CONTENT_DIR ?? "content"),
    discord: e.DISCORD_TOKEN && e.DISCORD_APP_ID ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, apiUrl: e.DISCORD_API_URL, requestsPerSecond: e.DISCORD_REQUESTS_PER_SECOND, connection, port: e.PORT } : undefined,
    slack:
      e.SLACK_BOT_TOKEN || dist.distribution
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          distribution: dist.distribution,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
          adminUsers: (e.SLACK_ADMIN_USERS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
          port: e.PORT,
        }
      : undefined,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT,
    logFormat: e.LOG_FORMAT ?? (stderrIsTTY ? "pretty" : "json"),
    shutdownGraceMs: e.DRILLBOT_SHUTDOWN_GRACE_S * 1000,
    jobLockMs: e.DRILLBOT_JOB_LOCK_S * 1000,
    replicaAcks: e.DRILLBOT_REPLICA_ACKS > 0 ? { replicas: e.DRILLBOT_REPLICA_ACKS, timeoutMs: e.DRILLBOT_REPLICA_ACK_TIMEOUT_MS } : undefined,
    admin: e.DRILLBOT_ADMIN_USER && e.DRILLBOT_ADMIN_PASSWORD ? { user: e.DRILLBOT_ADMIN_USER, password: e.DRILLBOT_ADMIN_PASSWORD } : undefined,
    secrets: [
      e.DISCORD_TOKEN,
      e.SLACK_BOT_TOKEN,
      e.SLACK_APP_TOKEN,
      e.SLACK_SIGNING_SECRET,
      e.DRILLBOT_ADMIN_PASSWORD,
      e.REDIS_URL && /:[^/@]+@/.test(e.REDIS_URL) ? e.REDIS_URL : undefined,
      redisPassword(e.REDIS_URL),
      e.REDIS_PASSWORD,
      ...(dist.distribution?.secrets ?? []),
    ].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    ),
  };
}
