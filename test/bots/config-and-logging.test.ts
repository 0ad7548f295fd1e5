import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bots/config.js";
import { createLogger, plainLogger } from "../../bots/logger.js";

describe("configuration", () => {
  it("with no tokens, nothing but defaults: the shell on an embedded Redis", () => {
    const c = loadConfig({}, "/srv/drillbot");
    expect(c).toMatchObject({ redisUrl: undefined, redisPrefix: "drillbot:", dataDir: "/srv/drillbot/.data", discord: undefined, slack: undefined });
  });

  it("a bad REDIS_URL is named with an example", () => {
    expect(() => loadConfig({ REDIS_URL: "localhost:6379" }, "/x")).toThrow(/REDIS_URL: must start with redis:\/\//);
  });

  it("a Discord token without its application id says what to set", () => {
    expect(() => loadConfig({ DISCORD_TOKEN: "abc.def" }, "/x")).toThrow(ConfigError);
    expect(() => loadConfig({ DISCORD_TOKEN: "abc.def" }, "/x")).toThrow(/DISCORD_APP_ID is missing/);
  });

  it("a bad port is refused", () => {
    expect(() => loadConfig({ PORT: "99999" }, "/x")).toThrow(/PORT/);
  });

  it("every token and password is listed as a secret", () => {
    const c = loadConfig({ DISCORD_TOKEN: "d-token-1", DISCORD_APP_ID: "123456", SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_SIGNING_SECRET: "sig-secret", REDIS_URL: "redis://:hunter22@db:6379" }, "/x");
    expect(c.secrets).toEqual(expect.arrayContaining(["d-token-1", "xoxb-1-2", "sig-secret", "redis://:hunter22@db:6379", "hunter22"]));
  });

  it("Slack OAuth distribution: the three SLACK_CLIENT_* settings, a signing secret and DRILLBOT_SECRET_KEY give a Slack app without a bot token; its secrets stay out of logs; half of it is refused in one line", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const env = { SLACK_CLIENT_ID: "111.222", SLACK_CLIENT_SECRET: "client-secret-1", SLACK_STATE_SECRET: "state-secret-0123456789", SLACK_SIGNING_SECRET: "sig-secret", DRILLBOT_SECRET_KEY: key };
    const c = loadConfig(env, "/x");
    expect(c.slack?.botToken).toBeUndefined();
    expect(c.slack?.distribution).toMatchObject({ clientId: "111.222", clientSecret: "client-secret-1", stateSecret: "state-secret-0123456789" });
    expect(c.secrets).toEqual(expect.arrayContaining(["client-secret-1", "state-secret-0123456789", key, "sig-secret"]));
    expect(() => loadConfig({ ...env, SLACK_CLIENT_SECRET: "" }, "/x")).toThrow(/SLACK_CLIENT_SECRET is not set/);
    expect(() => loadConfig({ ...env, SLACK_BOT_TOKEN: "xoxb-1-2" }, "/x")).toThrow(/SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID/);
    expect(() => loadConfig({ ...env, DRILLBOT_SECRET_KEY: "short" }, "/x")).toThrow(/DRILLBOT_SECRET_KEY/);
  });

  it("operations settings: log format by terminal, shutdown grace, job lock, and their defaults", () => {
    expect(loadConfig({}, "/x", true)).toMatchObject({ logFormat: "pretty", logLevel: undefined, shutdownGraceMs: 20_000, jobLockMs: 30_000, admin: undefined });
    expect(loadConfig({}, "/x", false).logFormat).toBe("json");
    expect(loadConfig({}, "/x").replicaAcks).toBeUndefined();
    expect(loadConfig({ DISCORD_TOKEN: "t.o.k", DISCORD_APP_ID: "123456" }, "/x").discord?.requestsPerSecond).toBe(47);
    expect(loadConfig({ DISCORD_TOKEN: "t.o.k", DISCORD_APP_ID: "123456", DISCORD_REQUESTS_PER_SECOND: "200" }, "/x").discord?.requestsPerSecond).toBe(200);
    expect(loadConfig({ DRILLBOT_REPLICA_ACKS: "1" }, "/x").replicaAcks).toEqual({ replicas: 1, timeoutMs: 500 });
    expect(loadConfig({ LOG_FORMAT: "json", DRILLBOT_SHUTDOWN_GRACE_S: "45", DRILLBOT_JOB_LOCK_S: "60", LOG_LEVEL: "debug" }, "/x", true)).toMatchObject({
      logFormat: "json",
      logLevel: "debug",
      shutdownGraceMs: 45_000,
      jobLockMs: 60_000,
    });
  });

  it.each([
    [{ LOG_FORMAT: "xml" }, /LOG_FORMAT: must be json or pretty/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL: must be debug, info, warn or error/],
    [{ DRILLBOT_SHUTDOWN_GRACE_S: "soon" }, /DRILLBOT_SHUTDOWN_GRACE_S: must be a number of seconds, e\.g\. 20/],
    [{ DRILLBOT_SHUTDOWN_GRACE_S: "0" }, /DRILLBOT_SHUTDOWN_GRACE_S: must be at least 1 second/],
    [{ DRILLBOT_JOB_LOCK_S: "2" }, /DRILLBOT_JOB_LOCK_S: must be at least 5 seconds/],
    [{ DRILLBOT_REPLICA_ACKS: "one" }, /DRILLBOT_REPLICA_ACKS: must be a whole number of replicas, e\.g\. 1/],
    [{ DRILLBOT_ADMIN_USER: "ops" }, /needs both DRILLBOT_ADMIN_USER and DRILLBOT_ADMIN_PASSWORD/],
    [{ DRILLBOT_ADMIN_USER: "ops", DRILLBOT_ADMIN_PASSWORD: "short", METRICS_PORT: "9464" }, /DRILLBOT_ADMIN_PASSWORD is too short: use at least 12/],
    [{ DRILLBOT_ADMIN_USER: "o:ps", DRILLBOT_ADMIN_PASSWORD: "long-enough-pass", METRICS_PORT: "9464" }, /DRILLBOT_ADMIN_USER: must not contain ':'/],
    [{ DRILLBOT_ADMIN_USER: "ops", DRILLBOT_ADMIN_PASSWORD: "long-enough-pass" }, /METRICS_PORT is not/],
  ])("a bad operations setting %o is refused with what to do", (env, message) => {
    expect(() => loadConfig(env, "/x")).toThrow(message);
  });

  it("the dashboard password is a secret; blank settings count as unset", () => {
    const c = loadConfig({ DRILLBOT_ADMIN_USER: "ops", DRILLBOT_ADMIN_PASSWORD: "long-enough-pass", METRICS_PORT: "9464", LOG_FORMAT: " " }, "/x", true);
    expect(c.admin).toEqual({ user: "ops", password: "long-enough-pass" });
    expect(c.secrets).toContain("long-enough-pass");
    expect(c.logFormat).toBe("pretty");
  });
});

describe("logging", () => {
  it("never prints a configured secret or anything shaped like a Slack token", () => {
    const lines: string[] = [];
    const log = plainLogger("debug", ["d-token-1"], (l) => lines.push(l));
    log.error("login failed with d-token-1", new Error("bad token d-token-1"));
    log.info("slack said xoxb-123-456-abc and xapp-1-A1-2, refresh xoxe-1-My0xLTEtMg");
    expect(lines.join("\n")).not.toMatch(/d-token-1|xoxb-|xapp-|xoxe-/);
    expect(lines.join("\n")).toContain("[redacted]");
  });

  it("JSON lines parse, carry level, time, role and the event's fields, and no secret wherever it hid", () => {
    const lines: string[] = [];
    const secret = 'tok"en\\with-quotes';
    const log = createLogger({ level: "info", secrets: ["d-token-1", secret], format: "json", write: (l) => lines.push(l), bindings: { role: "worker" } });
    log.info("interaction", { platform: "discord", workspace: "g1", kind: "command", command: "quiz", outcome: "ok", ms: 12 });
    log.warn("delivery", { platform: "slack", outcome: "failed", error: new Error(`refused ${secret} and d-token-1`) });
    log.error("login failed with d-token-1", new Error("bad token d-token-1"));
    log.info("nested", { deep: { list: ["d-token-1", secret, "xoxb-9-9-abc"] } });
    expect(lines).toHaveLength(4);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ level: "info", role: "worker", msg: "interaction", platform: "discord", workspace: "g1", command: "quiz", outcome: "ok", ms: 12 });
    expect(new Date(parsed[0]!.time as string).toISOString()).toBe(parsed[0]!.time);
    expect(parsed[1]).toMatchObject({ level: "warn", error: { type: "Error" } });
    expect(parsed[2]).toMatchObject({ level: "error", msg: "login failed with [redacted]", error: { message: "bad token [redacted]" } });
    for (const [i, l] of lines.entries()) {
      expect(l).not.toContain("d-token-1");
      expect(l).not.toContain("xoxb-");
      expect(JSON.stringify(parsed[i])).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(lines.join("\n")).not.toMatch(/\n\s+at /); // no stack traces outside debug
  });

  it("pretty lines are one readable line per event, with the level and the fields", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", secrets: ["d-token-1"], format: "pretty", write: (l) => lines.push(l) });
    log.warn("interaction", { platform: "slack", outcome: "error", error: new Error("d-token-1 refused") });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN: interaction \{.*"platform":"slack".*\}$/);
    expect(lines[0]).toContain("[redacted] refused");
  });

  it("drops messages below the level", () => {
    const lines: string[] = [];
    const log = plainLogger("warn", [], (l) => lines.push(l));
    log.info("chatty");
    log.warn("careful");
    expect(lines).toHaveLength(1);
  });
});
