/**
 * Workspace content on Slack (issue 15), end to end: the real Bolt app
 * against the Slack stand-in and a real Redis. An admin uploads a pack in the
 * /study content upload form (a file_input) or sends the file to drillbot in
 * its DM; drillbot fetches it with the bot token from url_private_download
 * and the core checks and stores it; replies are private; the export and the
 * problem list arrive as files in the admin's DM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_FILE_ACTION, CONTENT_FILE_BLOCK, CONTENT_UPLOAD_CALLBACK } from "../../../bots/slack/content-upload-form.js";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, BOB, BOT_TOKEN, CAROL, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import type { SlackUser } from "../../support/slack-requests.js";

const USERS = {
  UADMIN: { name: "Ada Admin", admin: true },
  [BOB.user]: { name: "bob" },
  [ALICE.user]: { name: "alice" },
  [CAROL.user]: { name: "carol", admin: true },
};
const ADA: SlackUser = { team: "T1", user: "UADMIN", name: "ada" };

/** A question table as an admin would export it from a spreadsheet. */
const TEAM_OPS = [
  "question,options,answer,explanation,topic",
  '"Which runbook step comes first when a disk is 95% full?",Find what grows|Delete logs by hand|Reboot,a,"Know the cause before removing anything.",Disks',
  '"Who approves a Friday deploy?",The on-call lead|Anyone|Nobody,a,"The on-call lead owns the weekend risk.",Deploys',
].join("\n");
const STEMS = ["Which runbook step comes first when a disk is 95% full?", "Who approves a Friday deploy?", "Where do incident notes go?"];

let redis: TestRedis;
let h: SlackHarness;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  // Every payload drillbot sent kept to Slack's published limits.
  expect(h.standin.invalidPosts).toEqual([]);
  await h?.stop();
});

async function start(opts: Parameters<typeof startSlackHarness>[1] = {}) {
  h = await startSlackHarness(redis.server.url, { users: USERS, content: true, ...opts });
  return h;
}

/** /study <text>: the texts of its first `n` replies (all ephemeral unless a quiz question). */
async function say(who: SlackUser, text: string, n = 1) {
  const res = await h.command(who, text);
  expect(res.status).toBe(200);
  return (await h.responses(res.responseId, n)).map((r) => r.body);
}

/** Runs /study content upload and returns the modal it opened. */
async function openForm(who: SlackUser = ADA) {
  const before = h.standin.callsTo("views.open").length;
  const res = await h.command(who, "content upload");
  expect(res.status).toBe(200);
  const open = await h.standin.waitFor(() => h.standin.callsTo("views.open")[before], "views.open");
  return { responseId: res.responseId, view: { ...open.body.view, id: `V-${res.responseId}` } as { id: string; callback_id: string; private_metadata: string; blocks: any[] } };
}

async function packIds(team = "T1") {
  return (await h.content!.packs.packs(`slack:${team}`)).map((p) => `${p.packId}@${p.version}`);
}

describe("/study content upload: the form", () => {
  it("an admin's form has one file_input; a good CSV is stored and the admin is told privately; quiz and packs then see it", async () => {
    await start();
    const { responseId, view } = await openForm();
    expect(view.callback_id).toBe(CONTENT_UPLOAD_CALLBACK);
    const input = view.blocks.find((b) => b.type === "input");
    expect(input).toMatchObject({ block_id: CONTENT_FILE_BLOCK, element: { type: "file_input", action_id: CONTENT_FILE_ACTION, max_files: 1 } });
    expect(input.element.filetypes).toEqual(expect.arrayContaining(["csv", "tsv", "yaml", "json"]));
    expect(JSON.parse(view.private_metadata)).toMatchObject({ team: "T1", channel: "C1" });

    const sent = await h.submitFile(ADA, view, { name: "team-ops.csv", bytes: TEAM_OPS });
    expect(sent.status).toBe(200);
    expect(sent.text).toBe(""); // acked: the form closes
    const [done] = await h.responses(responseId);
    expect(done!.body.response_type).toBe("ephemeral");
    const said = textOf(done!.body.blocks);
    expect(said).toContain("Stored team-ops version 1: Team ops, 2 lessons, 2 questions from team-ops.csv (question table).");
    expect(said).toContain("/study quiz team-ops");
    // Fetched once, with the bot token.
    expect(h.standin.shared.gets).toEqual([{ fileId: sent.file.id, status: 200, token: BOT_TOKEN }]);
    expect(await packIds()).toEqual(["team-ops@1"]);

    const [q] = await say(BOB, "quiz team-ops");
    expect(q!.response_type).toBe("in_channel");
    expect(STEMS.some((s) => textOf(q!.blocks).includes(s))).toBe(true);
    const [packs] = await say(BOB, "content packs");
    expect(packs!.response_type).toBe("ephemeral");
    expect(textOf(packs!.blocks)).toMatch(/team-ops: Team ops \(this workspace's, version 1\), 2 lessons, 2 questions, on; uploaded by Ada Admin/);
    expect(textOf(packs!.blocks)).toContain("/study quiz &lt;pack&gt;");
  });
});
