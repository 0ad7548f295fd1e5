/**
 * Charts and the team export on Slack, end to end: the real Bolt app and the
 * real chart renderer (worker thread) against the Slack stand-in and a real
 * Redis. The figures come back as an ephemeral reply; the PNGs and the CSV
 * are uploaded (files.getUploadURLExternal, the bytes, files.completeUploadExternal)
 * to the DM of the person who asked.
 */
import { PNG } from "pngjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEAM_EXPORT_COLUMNS } from "../../../core/team-export.js";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, BOB, BOT_TOKEN, button, startSlackHarness, textOf, type SlackHarness, type SlackHarnessOptions } from "../../support/slack-harness.js";
import type { CompletedUpload } from "../../support/slack-file-uploads.js";
import { FILE_UPLOAD_LIMITS } from "../../support/slack-limits.js";
import type { SlackUser } from "../../support/slack-requests.js";
import { fixtureCatalog } from "../../support/study-harness.js";
import { useChartRenderer } from "../../support/chart-renderer.js";

const USERS = {
  UALICE: { name: "Alice Liddell", displayName: "alice.l", tz: "Europe/Berlin", admin: true },
  UBOB: { name: "Bob Stone", displayName: "bob.s", tz: "America/New_York" },
};

let redis: TestRedis;
const renderer = useChartRenderer();
let h: SlackHarness;
/** Mastery charts grow 26 px a lesson (bots/charts/mastery-option.ts; 19 lessons = 618 px). */
let masteryHeight: number;

beforeAll(async () => {
  redis = await startTestRedis();
  masteryHeight = 618 - 19 * 26 + (await fixtureCatalog()).lessons.length * 26;
}, 60_000);
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  expect(h.standin.invalidPosts).toEqual([]);
  await h?.stop();
});

function start(opts: SlackHarnessOptions = {}) {
  return startSlackHarness(redis.server.url, { users: USERS, charts: renderer, ...opts });
}

/** /study <text>: the HTTP answer (the ack) with how long it took, and the id of its response_url. */
async function command(who: SlackUser, text: string) {
  const started = Date.now();
  const res = await h.command(who, text);
  return { ...res, ackMs: Date.now() - started };
}

async function answerFirstRight(who: SlackUser) {
  const res = await h.command(who, "quiz alpha 3");
  const [q] = await h.responses(res.responseId);
  const click = await h.click(who, button(q!.body.blocks, "Alpha"));
  await h.responses(click.responseId, 2);
}

function expectPicture(u: CompletedUpload, size: { width: number; height: number }, title: RegExp): void {
  expect(u.filename).toMatch(/\.png$/);
  expect(u.title).toMatch(title);
  const png = PNG.sync.read(u.bytes);
  expect({ width: png.width, height: png.height }).toEqual(size);
  const colours = new Set<number>();
  let white = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const rgb = (png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!;
    colours.add(rgb);
    if (rgb === 0xffffff) white += 1;
  }
  expect(colours.size, "not a blank picture").toBeGreaterThan(20);
  expect(white).toBeLessThan(png.width * png.height * 0.95);
  expect(u.altText?.length ?? 0).toBeGreaterThan(20);
  expect([...u.altText!].length).toBeLessThanOrEqual(FILE_UPLOAD_LIMITS.altText);
}

describe("charts and files on Slack", () => {
  it("/study stats: a quick ack, the figures in an ephemeral reply, and two PNGs in one message in the learner's DM", async () => {
    h = await start();
    await answerFirstRight(ALICE);
    const res = await command(ALICE, "stats");
    expect(res.status).toBe(200);
    expect(res.ackMs).toBeLessThan(3000);
    const [reply] = await h.responses(res.responseId);
    expect(reply!.body.response_type).toBe("ephemeral");
    const text = textOf(reply!.body.blocks);
    expect(text).toMatch(/\*Answered\*\n1 \(100% correct\)/);
    expect(text).toContain("2 charts sent to your DM with drillbot.");
    const dm = h.standin.dmOf(ALICE.user)!;
    expect(dm).toBeDefined();
    const uploads = h.standin.uploadsTo(dm);
    expect(uploads).toHaveLength(2);
    expect(h.standin.callsTo("files.completeUploadExternal")).toHaveLength(1);
    expect(uploads.every((u) => u.initialComment === "Charts for `/study stats`")).toBe(true);
    expectPicture(uploads[0]!, { width: 867, height: 239 }, /Answers per day/);
    expect(uploads[0]!.altText).toMatch(/1 answer on 1 day/);
    expectPicture(uploads[1]!, { width: 900, height: masteryHeight }, /Mastery by lesson/);
    // Only Alice's DM got anything.
    expect(h.standin.files.completed).toHaveLength(2);
  });

  it("/study team: the team's figures for everyone, and the team's two charts in the asker's DM", async () => {
    h = await start();
    await answerFirstRight(ALICE);
    await answerFirstRight(BOB);
    const res = await command(BOB, "team");
    expect(res.ackMs).toBeLessThan(3000);
    const [reply] = await h.responses(res.responseId);
    const text = textOf(reply!.body.blocks);
    expect(text).toContain("2 learners answered 2 questions, 100% right.");
    expect(text).toContain("2 charts sent to your DM with drillbot.");
    const uploads = h.standin.uploadsTo(h.standin.dmOf(BOB.user)!);
    expect(uploads.map((u) => u.initialComment)).toEqual(["Charts for `/study team`", "Charts for `/study team`"]);
    expectPicture(uploads[0]!, { width: 900, height: 460 }, /Team activity, last 8 weeks/);
    expectPicture(uploads[1]!, { width: 900, height: masteryHeight }, /Team mastery by lesson/);
    expect(h.standin.dmOf(ALICE.user)).toBeUndefined();
  });

  it("/study team export: an admin gets the CSV in their DM, described; anyone else is refused and nothing is uploaded", async () => {
    h = await start();
    await answerFirstRight(ALICE);
    await answerFirstRight(BOB);
    const refused = await command(BOB, "team export");
    const [no] = await h.responses(refused.responseId);
    expect(textOf(no!.body.blocks)).toContain("Only workspace admins can export");
    expect(h.standin.callsTo("conversations.open")).toHaveLength(0);
    expect(h.standin.callsTo("files.getUploadURLExternal")).toHaveLength(0);

    const res = await command(ALICE, "team export");
    const [reply] = await h.responses(res.responseId);
    const [csv] = h.standin.uploadsTo(h.standin.dmOf(ALICE.user)!);
    expect(csv).toBeDefined();
    expect(csv!.filename).toMatch(/^drillbot-team-.*\.csv$/);
    expect(textOf(reply!.body.blocks)).toContain(`\`${csv!.filename}\` sent to your DM with drillbot.`);
    expect(csv!.initialComment).toMatch(/2 learners/);
    const lines = csv!.bytes.toString("utf8").replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(TEAM_EXPORT_COLUMNS.join(","));
    expect(lines.filter((l) => l.startsWith("learner,")).map((l) => l.split(",")[2]).sort()).toEqual(["alice.l", "bob.s"]);
    expect(h.standin.files.completed).toHaveLength(1);
  });

  it("without files:write the learner still gets the figures, and one line saying what an admin must do", async () => {
    h = await start();
    h.standin.scopes.delete("files:write");
    await answerFirstRight(ALICE);
    const res = await command(ALICE, "stats");
    const [reply] = await h.responses(res.responseId);
    const text = textOf(reply!.body.blocks);
    expect(text).toMatch(/\*Answered\*\n1 \(100% correct\)/);
    expect(text).toContain("Could not send 2 charts to your DM with drillbot: drillbot's Slack app lacks the files:write permission");
    expect(text).toContain("The figures above say the same.");
    expect(h.standin.files.completed).toHaveLength(0);
    expect(h.logLines.filter((l) => l.includes("could not send"))).toHaveLength(1);
    expect(h.logLines.join("\n")).not.toContain(BOT_TOKEN);
  });

  it("a Slack refusal at completion is named to the learner; a 429 there is waited out and the charts arrive", async () => {
    h = await start();
    h.standin.fail("files.completeUploadExternal", { body: { ok: false, error: "file_uploads_disabled" } });
    const first = await command(ALICE, "stats");
    const [refused] = await h.responses(first.responseId);
    expect(textOf(refused!.body.blocks)).toContain("Could not send 2 charts to your DM with drillbot: this workspace does not allow file uploads.");
    expect(h.standin.files.completed).toHaveLength(0);

    h.standin.rateLimit("files.completeUploadExternal", 1);
    const second = await command(ALICE, "stats");
    const [sent] = await h.responses(second.responseId);
    expect(textOf(sent!.body.blocks)).toContain("2 charts sent to your DM with drillbot.");
    expect(h.standin.files.completed).toHaveLength(2);
  });

  it("a slow upload holds neither the ack nor the figures; it says 'on the way' and the charts land later", async () => {
    h = await start({ uploads: { waitMs: 200 } });
    h.standin.fail("conversations.open", { body: { ok: true, channel: { id: "DALICE" } }, delayMs: 3500 });
    h.standin.ims.set("DALICE", ALICE.user);
    const res = await command(ALICE, "stats");
    expect(res.ackMs).toBeLessThan(3000);
    const [reply] = await h.responses(res.responseId);
    expect(textOf(reply!.body.blocks)).toContain("2 charts on the way to your DM with drillbot.");
    expect(h.standin.files.completed).toHaveLength(0);
    await h.standin.waitFor(() => h.standin.uploadsTo("DALICE").length === 2, "the charts in Alice's DM", 10_000);
    // Nothing more to say when it worked.
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standin.responsesTo(res.responseId)).toHaveLength(1);
  });

  it("a slow upload that then fails adds a second ephemeral line saying why", async () => {
    h = await start({ uploads: { waitMs: 200 } });
    h.standin.fail("conversations.open", { body: { ok: false, error: "missing_scope", needed: "im:write" }, delayMs: 800 });
    const res = await command(ALICE, "stats");
    const [first, second] = await h.responses(res.responseId, 2);
    expect(textOf(first!.body.blocks)).toContain("2 charts on the way to your DM with drillbot.");
    expect(second!.body.response_type).toBe("ephemeral");
    expect(textOf(second!.body.blocks)).toContain("Could not send 2 charts to your DM with drillbot: drillbot's Slack app lacks the im:write permission");
  });
});
