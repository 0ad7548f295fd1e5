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
import { createSlackMessenger } from "../../../bots/slack/slack-messenger.js";
import { parsePackYaml } from "../../../core/content/upload/pack-yaml.js";
import { eventually } from "../../support/drill-harness.js";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, BOB, BOT_TOKEN, CAROL, buttonsOf, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { fileShareDmEvent, type SlackUser } from "../../support/slack-requests.js";

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
const TEAM_OPS_V2 = [TEAM_OPS, '"Where do incident notes go?",The incident doc|A DM|Nowhere,a,"One place everyone can read.",Incidents'].join("\n");
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

/** The messages drillbot posted in this person's DM with it (chat.postMessage to the user id), as text. */
function dmTexts(user: string): string[] {
  return h.standin.callsTo("chat.postMessage").filter((c) => c.body.channel === user).map((c) => textOf(c.body.blocks ?? []) || String(c.body.text));
}

async function dmSays(user: string, text: string): Promise<string> {
  return h.standin.waitFor(() => dmTexts(user).find((t) => t.includes(text)), `a DM to ${user} saying ${text}`);
}

describe("/study content upload: late answers", () => {
  it("a form submitted after the command's response_url expired: the answer comes in the admin's DM", async () => {
    await start();
    const { responseId, view } = await openForm();
    h.standin.advanceClock(31 * 60_000);
    await h.submitFile(ADA, view, { name: "team-ops.csv", bytes: TEAM_OPS });
    const said = await dmSays(ADA.user, "Stored team-ops version 1");
    expect(said).toContain("2 questions from team-ops.csv");
    expect(h.standin.responsesTo(responseId)).toEqual([]);
    expect(h.standin.refusedResponses.map((r) => r.error)).toContain("expired_url");
    expect(await packIds()).toEqual(["team-ops@1"]);
  });
});

describe("a file sent to drillbot in its DM", () => {
  it("with the comment content upload: stored, and the admin is answered in the DM; quiz and packs see it", async () => {
    await start();
    const sent = await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    expect(sent.status).toBe(200);
    const said = await dmSays(ADA.user, "Stored team-ops version 1");
    expect(said).toContain("Team ops, 2 lessons, 2 questions from team-ops.csv (question table)");
    expect(h.standin.shared.gets).toEqual([{ fileId: sent.file.id, status: 200, token: BOT_TOKEN }]);
    expect(await packIds()).toEqual(["team-ops@1"]);
    const [q] = await say(ALICE, "quiz team-ops");
    expect(STEMS.some((s) => textOf(q!.blocks).includes(s))).toBe(true);
    const [packs] = await say(ALICE, "content packs");
    expect(textOf(packs!.blocks)).toContain("team-ops: Team ops (this workspace's, version 1)");
  });

  it("accepts /study content upload in any case as the comment, and completes a partial file object with files.info", async () => {
    await start();
    const sent = await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "  /Study CONTENT Upload ", { partial: true });
    await dmSays(ADA.user, "Stored team-ops version 1");
    expect(h.standin.callsTo("files.info").map((c) => c.body.file)).toEqual([sent.file.id]);
    expect(h.standin.shared.gets.map((g) => g.status)).toEqual([200]);
  });

  it("ignores a file with another comment, and Slack's retry of a delivery already taken does nothing", async () => {
    await start();
    await h.sendFileInDm(ADA, { name: "holiday.csv", bytes: "question,options,answer\nQ?,a|b,a\n" }, "photos from the offsite");
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload", { eventId: "EvTwice" });
    await dmSays(ADA.user, "Stored team-ops version 1");
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS_V2 }, "content upload", { eventId: "EvTwice", retryNum: 1 });
    // A later upload proves the app has handled everything before it.
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS_V2 }, "content upload");
    await dmSays(ADA.user, "Stored team-ops version 2");
    expect(h.standin.shared.gets).toHaveLength(2);
    expect(dmTexts(ADA.user).filter((t) => t.includes("Stored team-ops"))).toHaveLength(2);
    expect(await packIds()).toEqual(["team-ops@2"]);
  });

  it("two files in one message: one at a time, please; neither is fetched", async () => {
    await start();
    const files = ["a.csv", "b.csv"].map((name) => h.standin.shared.object(h.standin.shared.add({ team: "T1", user: ADA.user, name, bytes: TEAM_OPS })));
    await h.event(fileShareDmEvent(ADA, { eventId: "EvTwoFiles", channel: h.standin.userDm(ADA.user), text: "content upload", files }));
    await dmSays(ADA.user, "Send one file at a time with the comment content upload");
    expect(h.standin.shared.gets).toEqual([]);
    expect(await packIds()).toEqual([]);
  });

  it("a non-admin is refused, the file is never fetched and nothing is stored", async () => {
    await start();
    await h.sendFileInDm(BOB, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    const said = await dmSays(BOB.user, "Only admins can upload content");
    expect(said).toContain("/study content packs");
    expect(h.standin.shared.gets).toEqual([]);
    expect(await packIds()).toEqual([]);
  });

  it("without files:read Slack sends its sign-in page instead of the file: the admin is told what to fix and nothing is stored", async () => {
    await start();
    h.standin.scopes.delete("files:read");
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    const said = await dmSays(ADA.user, "Could not fetch team-ops.csv");
    expect(said).toContain("sign-in page instead of the file");
    expect(said).toContain("files:read");
    expect(said).toContain("Nothing was stored.");
    expect(h.standin.shared.gets.map((g) => g.status)).toEqual([302]);
    expect(await packIds()).toEqual([]);
    expect(h.logLines.join("\n")).not.toContain(BOT_TOKEN);
  });

  it("a file over the size limit is refused before it is downloaded", async () => {
    await start();
    const big = Buffer.alloc(1_048_577, "a");
    await h.sendFileInDm(ADA, { name: "huge.csv", bytes: big }, "content upload");
    const said = await dmSays(ADA.user, "Could not fetch huge.csv");
    expect(said).toContain("1,048,577 bytes");
    expect(said).toContain("so it was not downloaded");
    expect(h.standin.shared.gets).toEqual([]);
    expect(await packIds()).toEqual([]);
  });
});

describe("refusals in the form", () => {
  it("a bad CSV: a private refusal naming the file, row and column; nothing is stored", async () => {
    await start();
    const { responseId, view } = await openForm();
    const bad = TEAM_OPS.replace("Find what grows|Delete logs by hand|Reboot,a,", "Find what grows|Delete logs by hand|Reboot,d,");
    await h.submitFile(ADA, view, { name: "team-ops.csv", bytes: bad });
    const [r] = await h.responses(responseId);
    expect(r!.body.response_type).toBe("ephemeral");
    const said = textOf(r!.body.blocks);
    expect(said).toContain("Upload refused: 1 problem in team-ops.csv: nothing was stored.");
    expect(said).toContain('team-ops.csv: row 2, column "answer": answer "d" matches no option');
    expect(await packIds()).toEqual([]);
  });

  it("many problems: the first ones in the reply and the whole list as a file in the admin's DM", async () => {
    await start();
    const rows = Array.from({ length: 15 }, (_, i) => `"Question ${i + 1}?",Yes|No,z`);
    const { responseId, view } = await openForm();
    await h.submitFile(ADA, view, { name: "many.csv", bytes: ["question,options,answer", ...rows].join("\n") });
    const [r] = await h.responses(responseId);
    const said = textOf(r!.body.blocks);
    expect(said).toContain("Upload refused: 15 problems in many.csv");
    expect(said).toContain("... and 3 more problems: the attached list has them all.");
    const list = await h.standin.waitFor(() => h.standin.uploadsTo(h.standin.dmOf(ADA.user) ?? "-")[0], "the problem list in the DM");
    expect(list.filename).toBe("many-problems.txt");
    expect(list.bytes.toString("utf8").trim().split("\n")).toHaveLength(15);
    expect(await packIds()).toEqual([]);
  });

  it("a file over the size limit: the form stays open with the reason next to the field, and the file is never fetched", async () => {
    await start();
    const { responseId, view } = await openForm();
    const sent = await h.submitFile(ADA, view, { name: "huge.csv", bytes: Buffer.alloc(1_048_577, "a") });
    expect(sent.status).toBe(200);
    const ack = JSON.parse(sent.text) as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe("errors");
    expect(ack.errors[CONTENT_FILE_BLOCK]).toContain("huge.csv is 1 MB (1,048,577 bytes)");
    expect(h.standin.shared.gets).toEqual([]);
    expect(h.standin.responsesTo(responseId)).toEqual([]);
    expect(await packIds()).toEqual([]);
  });

  it("a submission without a file keeps the form open and asks for one", async () => {
    await start();
    const { view } = await openForm();
    const sent = await h.submitView(ADA, view, { [CONTENT_FILE_BLOCK]: { [CONTENT_FILE_ACTION]: { type: "file_input", files: [] } } });
    expect(JSON.parse(sent.text)).toEqual({ response_action: "errors", errors: { [CONTENT_FILE_BLOCK]: expect.stringContaining("Choose a file to upload") } });
  });

  it("a non-admin gets no form: a private refusal, and nothing is stored", async () => {
    await start();
    const [r] = await say(BOB, "content upload");
    expect(r!.response_type).toBe("ephemeral");
    expect(textOf(r!.blocks)).toContain("Only admins can upload content");
    expect(h.standin.callsTo("views.open")).toEqual([]);
    const [enable] = await say(BOB, "content disable mini");
    expect(textOf(enable!.blocks)).toContain("Only admins can disable packs");
    expect(await h.content!.packs.disabled("slack:T1")).toEqual([]);
  });
});

describe("managing packs", () => {
  it("replace, then rollback; export sends the pack as YAML to the admin's DM, and its bytes parse back", async () => {
    await start();
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    await dmSays(ADA.user, "Stored team-ops version 1");
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS_V2 }, "content upload");
    const replaced = await dmSays(ADA.user, "Stored team-ops version 2 (replaces version 1)");
    expect(replaced).toContain("2 questions kept their ids");
    expect(replaced).toContain("/study content rollback team-ops");

    const [back] = await say(ADA, "content rollback team-ops");
    expect(back!.response_type).toBe("ephemeral");
    // (The counts in this reply come from the store's info, which rollback-pack.lua keeps from version 2: reported to the lead.)
    expect(textOf(back!.blocks)).toContain("team-ops is back at version 1");
    expect(await packIds()).toEqual(["team-ops@1"]);
    // The workspace studies version 1's questions again.
    const catalog = await h.content!.catalogs.forWorkspace("slack:T1");
    expect(catalog.questions.filter((q) => q.packId === "team-ops").map((q) => q.question.stem).sort()).toEqual(STEMS.slice(0, 2).sort());

    const [exported] = await say(ADA, "content export team-ops");
    expect(exported!.response_type).toBe("ephemeral");
    const file = await h.standin.waitFor(() => h.standin.uploadsTo(h.standin.dmOf(ADA.user) ?? "-").find((u) => u.filename.endsWith(".yaml")), "the exported YAML");
    expect(file.filename).toBe("team-ops-v1.yaml");
    expect(file.initialComment).toContain("team-ops version 1");
    expect(file.initialComment).toContain("upload it again with /study content upload");
    expect(textOf(exported!.blocks)).toMatch(/`team-ops-v1\.yaml` (sent to|on the way to) your DM with drillbot/);
    const parsed = parsePackYaml(file.bytes.toString("utf8"), file.filename);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.pack.lessons.flatMap((l) => (l.data.questions ?? []).map((q) => q.stem)).sort()).toEqual(STEMS.slice(0, 2).sort());
  });

  it("disable and enable change what /study quiz team-ops answers", async () => {
    await start();
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    await dmSays(ADA.user, "Stored team-ops version 1");
    const [off] = await say(ADA, "content disable team-ops");
    expect(textOf(off!.blocks)).toContain("team-ops is off in this workspace");
    const [none] = await say(BOB, "quiz team-ops");
    expect(none!.response_type).toBe("ephemeral");
    expect(STEMS.some((s) => textOf(none!.blocks).includes(s))).toBe(false);
    expect(buttonsOf(none!.blocks)).toEqual([]);
    const [on] = await say(ADA, "content enable team-ops");
    expect(textOf(on!.blocks)).toContain("team-ops is on");
    const [q] = await say(BOB, "quiz team-ops");
    expect(STEMS.some((s) => textOf(q!.blocks).includes(s))).toBe(true);
  });

  it("another workspace does not see the pack", async () => {
    await start();
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    await dmSays(ADA.user, "Stored team-ops version 1");
    const [packs] = await say(CAROL, "content packs");
    expect(textOf(packs!.blocks)).toContain("mini: Mini course for tests (built-in)");
    expect(textOf(packs!.blocks)).not.toContain("team-ops");
    const [q] = await say(CAROL, "quiz team-ops");
    expect(STEMS.some((s) => textOf(q!.blocks).includes(s))).toBe(false);
    const [ex] = await say(CAROL, "content export team-ops");
    expect(textOf(ex!.blocks)).toContain(`No pack "team-ops" in this workspace`);
    expect(await packIds("T2")).toEqual([]);
  });

  it("a channel drill on the pack posts a question from it", async () => {
    await start({ drills: true, clockIso: "2026-03-02T07:00:00Z" });
    await h.sendFileInDm(ADA, { name: "team-ops.csv", bytes: TEAM_OPS }, "content upload");
    await dmSays(ADA.user, "Stored team-ops version 1");
    const [set] = await say(ADA, "drill channel 09:00 Europe/Berlin daily topic team-ops");
    expect(textOf(set!.blocks)).toContain("Channel drill set");
    h.jobs!.startDeliveryWorkers(h.drills!, { slack: createSlackMessenger({ botToken: BOT_TOKEN, apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } }) });
    h.clock.set("2026-03-02T08:01:00Z");
    expect(await h.jobs!.tick()).toMatchObject({ channel: 1 });
    const posted = () => h.standin.callsTo("chat.postMessage").filter((p) => p.body.channel === "C1" && buttonsOf(p.body.blocks ?? []).length > 0);
    await eventually(() => posted().length === 1);
    expect(STEMS.slice(0, 2).some((s) => textOf(posted()[0]!.body.blocks).includes(s))).toBe(true);
  });
});

describe("answering an uploaded pack's questions on Slack", () => {
  it("buttons of an uploaded true/false question are graded in the workspace's own catalog", async () => {
    await start();
    const yaml = [
      "id: team-pack",
      "title: Team deploys",
      "concepts:",
      "  - { id: deploys, title: Deploys }",
      "lessons:",
      "  - id: team-deploys",
      "    order: 1",
      "    title: Deploying safely",
      "    concepts: [deploys]",
      "    cards:",
      "      - body: Deploys stop on Friday afternoons, when weekend cover is thin.",
      "    takeaways: [No Friday deploys.]",
      "    sources: [{ file: Runbook, section: Deploys }]",
      "    questions:",
      "      - id: team-freeze",
      "        type: truefalse",
      "        difficulty: intro",
      "        concepts: [deploys]",
      "        source: { file: Runbook, section: Freezes }",
      "        stem: Deploys are frozen on Fridays after 3 pm.",
      "        answer: true",
      "        explanation: The runbook freezes deploys before the weekend.",
      "        wrongExplanation: The freeze exists because weekend cover is thin.",
      "",
    ].join("\n");
    const { view } = await openForm();
    await h.submitFile(ADA, view, { name: "team-pack.yaml", bytes: yaml });
    await eventually(async () => (await packIds()).length === 1);
    const [q] = await say(BOB, "quiz team-pack");
    expect(textOf(q!.blocks)).toContain("Deploys are frozen on Fridays after 3 pm.");
    const click = await h.click(BOB, buttonsOf(q!.blocks).find((b) => /true/i.test(b.text.text))!);
    expect(click.status).toBe(200);
    const [feedback] = await h.responses(click.responseId, 1);
    expect(feedback!.body.text).toContain("Correct!");
    expect(textOf(feedback!.body.blocks)).toContain("The runbook freezes deploys before the weekend.");
  });
});
