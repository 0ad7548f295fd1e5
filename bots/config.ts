/**
 * Configuration: the one place that reads process.env. Validated once with a
 * schema; a bad value stops start-up with a message naming the variable.
 */
import path from "node:path";
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional().catch(undefined);
const optionalUrl = z
  .string()
  .trim()
  .url("must be a URL such as http://127.0.0.1:8080/api")
  .optional()
  .or(z.literal("").transform(() => undefined));

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379")
    .refine((v) => URL.canParse(v), "is not a valid URL (the port must be a number from 1 to 65535), e.g. redis://127.0.0.1:6379")
    .refine((v) => !URL.canParse(v) || new URL(v).port !== "0", "port 0 is not a port Redis can listen on, e.g. redis://127.0.0.1:6379")
    .optional()
    .or(z.literal("").transform(() => undefined)),
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
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export interface Config {
  redisUrl: string | undefined;
  redisServerBin: string | undefined;
  redisPrefix: string;
  dataDir: string;
  contentDir: string;
  discord: { token: string; appId: string; apiUrl: string | undefined } | undefined;
  slack:
    | { botToken: string; appToken: string | undefined; signingSecret: string | undefined; apiUrl: string | undefined; adminUsers: string[]; port: number }
    | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Where /metrics, /healthz and /readyz are served (unset: no operator port). */
  metricsPort: number | undefined;
  /** Values that must never appear in logs. */
  secrets: string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv, projectRoot: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(lines.length === 1 ? `bad configuration: ${lines[0]}` : `bad configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  if (e.DISCORD_TOKEN && !e.DISCORD_APP_ID) throw new ConfigError("DISCORD_TOKEN is set but DISCORD_APP_ID is missing: set it to your application's id (Developer Portal > General Information).");
  if (!e.DISCORD_TOKEN && e.DISCORD_APP_ID) throw new ConfigError("DISCORD_APP_ID is set but DISCORD_TOKEN is missing: set the bot token (Developer Portal > Bot > Reset Token).");
  return {
    redisUrl: e.REDIS_URL,
    redisServerBin: e.REDIS_SERVER_BIN,
    redisPrefix: e.DRILLBOT_REDIS_PREFIX,
    dataDir: path.resolve(projectRoot, e.DRILLBOT_DATA_DIR ?? ".data"),
    contentDir: path.resolve(projectRoot, e.DRILLBOT_CONTENT_DIR ?? "content"),
    discord: e.DISCORD_TOKEN && e.DISCORD_APP_ID ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, apiUrl: e.DISCORD_API_URL } : undefined,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL,
          adminUsers: (e.SLACK_ADMIN_USERS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
          port: e.PORT,
        }
      : undefined,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT,
    secrets: [e.DISCORD_TOKEN, e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN, e.SLACK_SIGNING_SECRET, e.REDIS_URL && /:[^/@]+@/.test(e.REDIS_URL) ? e.REDIS_URL : undefined].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    ),
  };
}
