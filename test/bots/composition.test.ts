/**
 * The composition root as an operator runs it: `npm start` with Discord and
 * Slack settings in the environment starts both adapters and the workers in
 * one process (against the local stand-ins), answers on both, keeps tokens out
 * of its logs, and stops cleanly on SIGTERM. Also `discord deploy-commands`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bots/redis/embedded-redis.js";
import { APP_ID, startStandin, TOKEN } from "../support/discord-harness.js";
import type { DiscordStandin } from "../support/discord-standin.js";
import { eventually } from "../support/drill-harness.js";
import { useTestRedis } from "../support/redis.js";
import { ALICE, BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET } from "../support/slack-harness.js";
import { GUILD_A } from "../support/discord-harness.js";
import { DiscordUser } from "../support/discord-user.js";
import { installThroughSlack } from "../support/slack-install.js";
import { commandFields, FORM, formBody, postToApp } from "../support/slack-requests.js";
import { SlackStandin } from "../support/slack-standin.js";

const root = path.resolve(import.meta.dirname, "../..");
const redis = useTestRedis();
let discord: DiscordStandin;
let slack: SlackStandin;

beforeAll(async () => {
  discord = await startStandin();
  slack = await SlackStandin.start();
});
afterAll(async () => {
  await discord?.close();
  await slack?.close();
});

function env(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    REDIS_URL: redis.server.url,
    DRILLBOT_REDIS_PREFIX: `composition-${port}:`,
    DISCORD_TOKEN: TOKEN,
    DISCORD_APP_ID: APP_ID,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    LOG_LEVEL: "info",
  };
}

describe("npm start with platform tokens", () => {
  it("runs Discord, Slack and the workers in one process, and stops cleanly", async () => {
    const port = await freePort();
    let logs = "";
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "bots/main.ts")], { cwd: root, env: env(port), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await eventually(() => logs.includes("drillbot is running"), 30_000);
      expect(logs).toContain("discord: logged in as drillbot");
      expect(logs).toContain(`slack: listening on port ${port} at /slack/events`);
      expect(discord.identifies).toHaveLength(1);
      expect(discord.identifies[0]).toMatchObject({ intents: 1 }); // Guilds only

      const res = await postToApp(port, formBody(commandFields(ALICE, "stats", slack.responseUrl("composition"), "trig-composition")), FORM, { secret: SIGNING_SECRET });
      expect(res.status).toBe(200);
      await eventually(() => slack.responsesTo("composition").length > 0, 10_000);
      expect(JSON.stringify(slack.responsesTo("composition")[0]!.body)).toContain("Your stats");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    for (const secret of [TOKEN, BOT_TOKEN, SIGNING_SECRET]) expect(logs).not.toContain(secret);
  }, 60_000);

  it("Discord over HTTP interactions and Slack as a distributed app share PORT in one process: Discord's endpoint check and a command, a Slack install and a command from it", async () => {
    const port = await freePort();
    const secretKey = Buffer.alloc(32, 9).toString("base64");
    const stateSecret = "state-secret-composition-0123";
    const { SLACK_BOT_TOKEN: _, ...base } = env(port);
    let logs = "";
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "bots/main.ts")], {
      cwd: root,
      env: {
        ...base,
        DRILLBOT_REDIS_PREFIX: `composition-http-${port}:`,
        DISCORD_MODE: "http",
        DISCORD_PUBLIC_KEY: discord.publicKeyHex,
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: stateSecret,
        DRILLBOT_SECRET_KEY: secretKey,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const gatewayBefore = discord.identifies.length;
    try {
      await eventually(() => logs.includes("drillbot is running"), 30_000);
      expect(logs).toContain(`slack: listening on port ${port} at /slack/events, installs at /slack/install, Discord interactions at /discord/interactions`);
      // Discord: the portal's PING and forged-signature checks pass on the shared port; no gateway is opened.
      await discord.setInteractionsEndpoint(`http://127.0.0.1:${port}/discord/interactions`);
      expect(discord.identifies.length).toBe(gatewayBefore);
      const ann = new DiscordUser(discord, { user: { id: "200000000000000077", username: "ann", global_name: "Ann" }, guild: GUILD_A });
      const streak = await ann.run("streak", {});
      expect(streak.overHttp).toBe(true);
      expect(JSON.stringify(streak.messages)).toMatch(/streak/i);
      // Slack: an install through the real flow on the same port, then a command from that workspace answered with its token.
      slack.oauth.app = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, appId: "A1" };
      const installed = await installThroughSlack(port, slack, { team: { id: "T0COMPOSE", name: "Compose" }, installer: "U1" });
      expect(installed.status, `${installed.text}\n${logs}`).toBe(200);
      expect(installed.authorizeUrl.searchParams.get("client_id")).toBe(CLIENT_ID);
      const res = await postToApp(port, formBody({ ...commandFields(ALICE, "stats", slack.responseUrl("composition-http"), "trig-composition-http"), team_id: "T0COMPOSE" }), FORM, { secret: SIGNING_SECRET });
      expect(res.status).toBe(200);
      await eventually(() => slack.responsesTo("composition-http").length > 0, 10_000);
      expect(JSON.stringify(slack.responsesTo("composition-http")[0]!.body)).toContain("Your stats");
    } finally {
      child.kill("SIGTERM");
      discord.interactionsEndpoint = null;
    }
    expect(await exited).toBe(0);
    for (const secret of [TOKEN, SIGNING_SECRET, CLIENT_SECRET, stateSecret, secretKey]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/xox[abe]-/);
  }, 60_000);

  it("discord deploy-commands registers the slash commands in one server", async () => {
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", path.join(root, "bots/main.ts"), "discord", "deploy-commands", "--guild", "100000000000000001"], { cwd: root, env: env(3000) }, (err, stdout) =>
        resolve({ code: err ? 1 : 0, stdout }),
      );
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^registered \d+ commands \(.*quiz.*\)/m);
    expect([...discord.registeredCommands.values()].flat().map((c) => c.name)).toEqual(expect.arrayContaining(["quiz", "drill", "challenge", "settings"]));
  }, 30_000);
});
