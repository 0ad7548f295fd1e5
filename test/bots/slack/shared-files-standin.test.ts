/**
 * The Slack stand-in refuses what Slack refuses around files people share
 * with the app, so a content upload that passes against it could pass against
 * Slack: a file_input only in a modal's input block (max_files 1-10, a list
 * of extensions, files:read), the file's bytes only with a bot token of its
 * workspace that holds files:read (otherwise Slack's redirect to its sign-in
 * page, not an error code), 404 for an unknown file, files.info by scope.
 * Calls go through the real @slack/web-api client; downloads
 * through fetch.
 */
import { describe, expect, it } from "vitest";
import { contentUploadModal } from "../../../bots/slack/content-upload-form.js";
import { slackErrorOf, useStandinClient } from "../../support/slack-standin-client.js";

const TOKEN = "xoxb-test-shared";
const fixture = useStandinClient(TOKEN);
const errorOf = slackErrorOf;

const MODAL = contentUploadModal({ team: "T1", channel: "C1" });
const fileInput = (extra: Record<string, unknown> = {}) => ({ type: "file_input", action_id: "file", ...extra });
const withInput = (element: Record<string, unknown>, view: Record<string, unknown> = {}) => ({
  ...MODAL,
  ...view,
  blocks: [{ type: "input", block_id: "f", label: { type: "plain_text", text: "File" }, element }],
});
const open = (view: unknown) => errorOf(fixture.client.views.open({ trigger_id: "t1", view: view as never }));

describe("file_input in views", () => {
  it("the upload form drillbot opens is accepted", async () => {
    expect(await open(MODAL)).toBeUndefined();
    expect(fixture.standin.invalidPosts).toEqual([]);
  });

  it("is refused outside an input block, outside a modal, or in a message", async () => {
    expect(await open({ ...MODAL, blocks: [{ type: "actions", elements: [fileInput()] }] })).toBe("invalid_arguments");
    expect(await open({ ...MODAL, blocks: [{ type: "section", text: { type: "mrkdwn", text: "x" }, accessory: fileInput() }] })).toBe("invalid_arguments");
    const home = { type: "home", blocks: withInput(fileInput()).blocks };
    expect(await errorOf(fixture.client.views.publish({ user_id: "U1", view: home as never }))).toBe("invalid_arguments");
    expect(await errorOf(fixture.client.chat.postMessage({ channel: "C1", text: "x", blocks: [{ type: "input", label: { type: "plain_text", text: "F" }, element: fileInput() }] as never }))).toBe("invalid_blocks");
    expect(fixture.standin.invalidPosts.map((p) => p.problem)).toEqual([
      "blocks[0] holds a file_input outside an input block",
      "blocks[0] holds a file_input outside an input block",
      "blocks[0] holds a file_input outside a modal",
      "blocks[0] holds a file_input outside a modal",
    ]);
  });

  it("max_files must be 1 to 10 and filetypes a list of extensions", async () => {
    expect(await open(withInput(fileInput({ max_files: 0 })))).toBe("invalid_arguments");
    expect(await open(withInput(fileInput({ max_files: 11 })))).toBe("invalid_arguments");
    expect(await open(withInput(fileInput({ max_files: 10, filetypes: ["csv", "yaml"] })))).toBeUndefined();
    expect(await open(withInput(fileInput({ filetypes: ".csv" })))).toBe("invalid_arguments");
    expect(await open(withInput(fileInput({ filetypes: [".csv"] })))).toBe("invalid_arguments");
  });

  it("a modal with an input needs a submit button, a label, and short submit/close texts", async () => {
    const { submit: _submit, ...noSubmit } = withInput(fileInput());
    expect(await open(noSubmit)).toBe("invalid_arguments");
    expect(await open(withInput(fileInput(), { submit: { type: "plain_text", text: "x".repeat(25) } }))).toBe("invalid_arguments");
    expect(await open({ ...MODAL, blocks: [{ type: "input", element: fileInput() }] })).toBe("invalid_arguments");
    expect(await open({ ...MODAL, blocks: [{ type: "input", label: { type: "plain_text", text: "x".repeat(2001) }, element: fileInput() }] })).toBe("invalid_arguments");
  });

  it("needs the files:read scope", async () => {
    fixture.standin.scopes.delete("files:read");
    expect(await open(MODAL)).toBe("missing_scope");
  });
});

describe("downloading a shared file", () => {
  const add = () => fixture.standin.shared.add({ team: "T1", user: "U1", name: "team.csv", bytes: "question,options,answer\nQ?,a|b,a\n" });
  const get = (url: string, token?: string) => fetch(url, { redirect: "manual", ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });

  it("gives the bytes to the bot token, with the file's type and length", async () => {
    const f = add();
    const url = String(fixture.standin.shared.object(f).url_private_download);
    const res = await get(url, TOKEN);
    expect([res.status, res.headers.get("content-type"), res.headers.get("content-length")]).toEqual([200, "text/csv", String(f.bytes.length)]);
    expect(await res.text()).toBe(f.bytes.toString("utf8"));
    const priv = await get(String(fixture.standin.shared.object(f).url_private), TOKEN);
    expect(priv.status).toBe(200);
  });

  it("without a token, with another token or without files:read: a redirect to the sign-in page, which is HTML", async () => {
    const url = String(fixture.standin.shared.object(add()).url_private_download);
    for (const res of [await get(url), await get(url, "xoxb-someone-else")]) {
      expect(res.status).toBe(302);
      const page = await fetch(new URL(res.headers.get("location")!, url));
      expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
      expect(await page.text()).toMatch(/^<!DOCTYPE html>/);
    }
    fixture.standin.scopes.delete("files:read");
    expect((await get(url, TOKEN)).status).toBe(302);
    expect(fixture.standin.shared.gets.map((g) => g.status)).toEqual([302, 302, 302]);
  });

  it("an unknown file, or a known id under another name, is 404", async () => {
    const f = add();
    const url = String(fixture.standin.shared.object(f).url_private_download);
    expect((await get(url.replace(f.id, "F99999999"), TOKEN)).status).toBe(404);
    expect((await get(url.replace("team.csv", "other.csv"), TOKEN)).status).toBe(404);
  });

  it("files.info gives the whole file object, answers file_not_found for an unknown id, and needs files:read", async () => {
    const f = add();
    const res = await fixture.client.files.info({ file: f.id });
    expect(res.file).toMatchObject({ id: f.id, name: "team.csv", size: f.bytes.length, url_private_download: fixture.standin.shared.object(f).url_private_download });
    expect(await errorOf(fixture.client.files.info({ file: "F404" }))).toBe("file_not_found");
    fixture.standin.scopes.delete("files:read");
    expect(await errorOf(fixture.client.files.info({ file: f.id }))).toBe("missing_scope");
  });

  it("Slack's file_input takes nothing over 10 MB", () => {
    expect(() => fixture.standin.shared.add({ team: "T1", user: "U1", name: "big.csv", bytes: Buffer.alloc(10 * 1024 * 1024 + 1) })).toThrow(/10485760/);
  });
});
