/**
 * Composition root and command line. Reads config once, connects Redis
 * (starting an embedded one when REDIS_URL is unset), loads the course,
 * builds the store and the study service, and starts the role asked for:
 *   drillbot [shell] [--user NAME] [--tz ZONE]   the terminal chat (default without tokens)
 *   drillbot content check [--json]             validate every course pack
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { formatProblem } from "../core/content/catalog.js";
import { StudyService } from "../core/service/study-service.js";
import { normalizeZone } from "../core/time.js";
import { contentCheck } from "./cli/content-check.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { loadCatalog } from "./content/load-packs.js";
import { createLogger, type Logger } from "./logger.js";
import { RedisBinaryMissingError, startEmbeddedRedis, type EmbeddedRedis } from "./redis/embedded-redis.js";
import { RedisProgressStore } from "./redis/progress-store.js";
import { runShell } from "./shell/run-shell.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

class UsageError extends Error {}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${name} needs a value, e.g. ${name === "--tz" ? "--tz Europe/Berlin" : `${name} alice`}`);
  return value;
}

interface Runtime {
  redis: Redis;
  embedded: EmbeddedRedis | null;
  service: StudyService;
  store: RedisProgressStore;
  close(): Promise<void>;
}

async function buildRuntime(config: Config, log: Logger): Promise<Runtime> {
  const catalogResult = await loadCatalog(config.contentDir, path.relative(projectRoot, config.contentDir) || "content");
  if (!catalogResult.ok) {
    throw new UsageError(
      `the course content has problems, so drillbot will not start:\n  ${catalogResult.problems.slice(0, 10).map(formatProblem).join("\n  ")}`,
    );
  }
  let embedded: EmbeddedRedis | null = null;
  let url = config.redisUrl;
  if (!url) {
    embedded = await startEmbeddedRedis({ binary: config.redisServerBin, dataDir: path.join(config.dataDir, "redis"), persist: true });
    url = embedded.url;
    log.debug(`started embedded redis-server on port ${embedded.port}`);
  }
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true, retryStrategy: (times) => Math.min(times * 200, 2000) });
  redis.on("error", (err) => log.warn("redis connection problem", err));
  const store = new RedisProgressStore(redis, { prefix: config.redisPrefix });
  const service = new StudyService({
    catalog: catalogResult.catalog,
    store,
    clock: { now: () => new Date() },
    newId: () => randomBytes(6).toString("base64url"),
    onError: (err, cmd) => log.error(`command ${cmd.kind} failed`, err),
  });
  return {
    redis,
    embedded,
    service,
    store,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      if (embedded) await embedded.stop();
    },
  };
}

async function shell(config: Config, log: Logger, args: string[]): Promise<number> {
  const user = flag(args, "--user") ?? os.userInfo().username;
  const tzArg = flag(args, "--tz");
  const zone = tzArg === undefined ? undefined : normalizeZone(tzArg);
  if (zone === null) throw new UsageError(`"${tzArg}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.`);
  const rt = await buildRuntime(config, log);
  const learner = { platform: "shell" as const, workspace: "local", user };
  try {
    if (zone) await rt.store.setTimezone(learner, zone);
    await runShell({ service: rt.service, learner, displayName: user, input: process.stdin, output: (t) => console.log(t), interactive: Boolean(process.stdin.isTTY) });
  } finally {
    await rt.close();
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const config = loadConfig(process.env, projectRoot);
  const log = createLogger(config.logLevel, config.secrets);
  if (cmd === "content" && sub === "check") return contentCheck(config.contentDir, rest.includes("--json"), (l) => console.log(l));
  if (cmd === undefined || cmd === "shell" || cmd.startsWith("--")) {
    const args = cmd === "shell" ? argv.slice(1) : argv;
    if (cmd === undefined && (config.discord || config.slack)) {
      throw new UsageError("Discord/Slack tokens are set, but their adapters are not part of this build yet. Unset the tokens to use the shell.");
    }
    return shell(config, log, args);
  }
  throw new UsageError(`unknown command "${argv.join(" ")}". Commands: shell [--user NAME] [--tz ZONE] | content check [--json]`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof RedisBinaryMissingError) {
      console.error(`drillbot: ${err.message}`);
      process.exit(2);
    }
    console.error(`drillbot failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
