/**
 * Fetching a content file from Slack: the form is acknowledged before the
 * download, a slow Slack is given up after the timeout, a file larger than
 * its object said is cut off at the byte cap, an HTML page is not taken for
 * the file, the bot token goes only to Slack's hosts, and with OAuth
 * distribution each workspace's own token fetches its files.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { plainLogger } from "../../../bots/logger.js";
import { downloadSharedFile } from "../../../bots/slack/slack-file-download.js";
import { UPLOAD_LIMITS } from "../../../core/content/upload/check-upload.js";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import type { SlackUser } from "../../support/slack-requests.js";

const ADA: SlackUser = { team: "T1", user: "UADMIN", name: "ada" };
const CSV = 'question,options,answer,explanation\n"Who approves a Friday deploy?",The on-call lead|Anyone,a,"The on-call lead owns the weekend risk."\n';

let redis: TestRedis;
let h: SlackHarness | undefined;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  expect(h?.standin.invalidPosts ?? []).toEqual([]);
  await h?.stop();
  h = undefined;
});

async function start(opts: Parameters<typeof startSlackHarness>[1] = {}): Promise<SlackHarness> {
  h = await startSlackHarness(redis.server.url, { users: { UADMIN: { name: "Ada", admin: true }, "T1:UADMIN": { name: "Ada", admin: true } }, content: true, ...opts });
  return h;
}

const dmTexts = (s: SlackHarness, user: string) => s.standin.callsTo("chat.postMessage").filter((c) => c.body.channel === user).map((c) => textOf(c.body.blocks ?? []));
const dmSays = (s: SlackHarness, user: string, text: string) => s.standin.waitFor(() => dmTexts(s, user).find((t) => t.includes(text)), `a DM saying ${text}`);
const stored = async (s: SlackHarness, team = "T1") => (await s.content!.packs.packs(`slack:${team}`)).map((p) => p.packId);

describe("downloading through the app", () => {
  it("the form is acknowledged before the file is fetched; the answer comes when the download ends", async () => {
    const s = await start();
    const release = s.standin.shared.hold();
    try {
      const res = await s.command(ADA, "content upload");
      const open = await s.standin.waitFor(() => s.standin.callsTo("views.open")[0], "views.open");
      const sent = await s.submitFile(ADA, { ...open.body.view, id: "VSLOW" }, { name: "deploys.csv", bytes: CSV });
      expect([sent.status, sent.text]).toEqual([200, ""]);
      await s.standin.waitFor(() => s.standin.shared.arrivals === 1, "the download to start");
      expect(s.standin.responsesTo(res.responseId)).toEqual([]);
      release();
      const [done] = await s.responses(res.responseId);
      expect(textOf(done!.body.blocks)).toContain("Stored deploys version 1");
    } finally {
      release();
    }
  });

  it("a download slower than the timeout is given up: the admin is told, nothing is stored", async () => {
    const s = await start({ content: { downloadTimeoutMs: 300 } });
    const release = s.standin.shared.hold();
    try {
      await s.sendFileInDm(ADA, { name: "deploys.csv", bytes: CSV }, "content upload");
      const said = await dmSays(s, ADA.user, "Could not fetch deploys.csv");
      expect(said).toContain("Slack did not send the file within 300 ms");
      expect(said).toContain("Nothing was stored.");
      expect(await stored(s)).toEqual([]);
    } finally {
      release();
    }
  });

  it("a file larger than its object said: a Content-Length over the limit is refused without reading the body", async () => {
    const s = await start();
    await s.sendFileInDm(ADA, { name: "sneaky.csv", bytes: Buffer.alloc(1_048_577, "a"), claimedSize: 100 }, "content upload");
    const said = await dmSays(s, ADA.user, "Could not fetch sneaky.csv");
    expect(said).toContain("sneaky.csv is 1 MB (1,048,577 bytes)");
    expect(await stored(s)).toEqual([]);
  });

  it("without a Content-Length the reader stops at the byte cap", async () => {
    const s = await start();
    await s.sendFileInDm(ADA, { name: "stream.csv", bytes: Buffer.alloc(1_048_577, "a"), claimedSize: 100, chunked: true }, "content upload");
    const said = await dmSays(s, ADA.user, "Could not fetch stream.csv");
    expect(said).toContain("stream.csv is over 1 MB (1,048,576 bytes); a question table or course JSON may be at most 1 MB (1,048,576 bytes), a YAML pack (.yaml) 4 MB, reading stopped there: split it into smaller packs.");
    expect(await stored(s)).toEqual([]);
  });

  it("with OAuth distribution the file is fetched with its own workspace's token", async () => {
    const s = await start({ distribution: {} });
    expect((await s.install({ team: { id: "T1", name: "Acme" }, installer: "UADMIN" })).status).toBe(200);
    expect((await s.install({ team: { id: "T2", name: "Beta" }, installer: "UOTHER" })).status).toBe(200);
    await s.sendFileInDm(ADA, { name: "deploys.csv", bytes: CSV }, "content upload");
    await dmSays(s, ADA.user, "Stored deploys version 1");
    const [get] = s.standin.shared.gets;
    expect(get!.status).toBe(200);
    expect(s.standin.oauth.identity(get!.token!)?.owner).toBe("T1");
    expect(await stored(s, "T1")).toEqual(["deploys"]);
    expect(await stored(s, "T2")).toEqual([]);
  });
});

describe("downloadSharedFile", () => {
  const log = plainLogger("error", []);
  const noApi = {} as webApi.WebClient;
  let server: http.Server;
  let origin: string;
  const seen: { path: string; authorization: string | undefined }[] = [];
  let answer: (res: http.ServerResponse) => void = (res) => res.end("ok");
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const file = (name: string, size = 10) => ({ id: "F1", name, size, url_private_download: `${origin}/files-pri/T1-F1/download/${name}` });

  it("an HTML page answered with 200 is not taken for the file", async () => {
    answer = (res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><html><body>Sign in</body></html>");
    };
    const out = await downloadSharedFile(noApi, "xoxb-1", file("team.csv"), { limits: UPLOAD_LIMITS, extraOrigins: [origin], log });
    expect(out).toEqual({ ok: false, fileName: "team.csv", why: expect.stringContaining("sign-in page instead of the file") });
  });

  it("the bot token goes only to Slack's hosts and the configured API's origin", async () => {
    seen.length = 0;
    answer = (res) => res.end(CSV);
    const elsewhere = await downloadSharedFile(noApi, "xoxb-1", file("team.csv"), { limits: UPLOAD_LIMITS, log });
    expect(elsewhere).toEqual({ ok: false, fileName: "team.csv", why: expect.stringContaining("not on Slack") });
    expect(seen).toEqual([]);
    const allowed = await downloadSharedFile(noApi, "xoxb-1", file("team.csv"), { limits: UPLOAD_LIMITS, extraOrigins: [origin], log });
    expect(allowed.ok && new TextDecoder().decode(allowed.bytes)).toBe(CSV);
    expect(seen).toEqual([{ path: "/files-pri/T1-F1/download/team.csv", authorization: "Bearer xoxb-1" }]);
  });

  it("a YAML pack has its own, larger limit", async () => {
    const tooBig = await downloadSharedFile(noApi, "xoxb-1", file("pack.yaml", UPLOAD_LIMITS.maxPackBytes + 1), { limits: UPLOAD_LIMITS, extraOrigins: [origin], log });
    expect(tooBig).toEqual({ ok: false, fileName: "pack.yaml", why: expect.stringContaining("so it was not downloaded") });
    answer = (res) => res.end("id: p\n");
    const fits = await downloadSharedFile(noApi, "xoxb-1", file("pack.yaml", UPLOAD_LIMITS.maxBytes + 1), { limits: UPLOAD_LIMITS, extraOrigins: [origin], log });
    expect(fits.ok).toBe(true);
  });
});
