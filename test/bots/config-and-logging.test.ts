import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bots/config.js";
import { createLogger } from "../../bots/logger.js";

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
    expect(c.secrets).toEqual(expect.arrayContaining(["d-token-1", "xoxb-1-2", "sig-secret", "redis://:hunter22@db:6379"]));
  });
});

describe("logging", () => {
  it("never prints a configured secret or anything shaped like a Slack token", () => {
    const lines: string[] = [];
    const log = createLogger("debug", ["d-token-1"], (l) => lines.push(l));
    log.error("login failed with d-token-1", new Error("bad token d-token-1"));
    log.info("slack said xoxb-123-456-abc and xapp-1-A1-2");
    expect(lines.join("\n")).not.toMatch(/d-token-1|xoxb-|xapp-/);
    expect(lines.join("\n")).toContain("[redacted]");
  });

  it("drops messages below the level", () => {
    const lines: string[] = [];
    const log = createLogger("warn", [], (l) => lines.push(l));
    log.info("chatty");
    log.warn("careful");
    expect(lines).toHaveLength(1);
  });
});
