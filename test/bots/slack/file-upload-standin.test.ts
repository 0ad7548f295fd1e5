/**
 * The Slack stand-in refuses file uploads the way Slack documents it would,
 * so a test that passes against it could not pass with an upload Slack refuses.
 * Calls go through the real @slack/web-api client; the bytes through fetch.
 */
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { FILE_UPLOAD_LIMITS } from "../../support/slack-limits.js";
import { slackErrorOf, useStandinClient } from "../../support/slack-standin-client.js";

const TOKEN = "xoxb-test-files";
const fixture = useStandinClient(TOKEN);
const errorOf = slackErrorOf;

async function ticket(length: number, extra: Record<string, unknown> = {}) {
  const res = await fixture.client.files.getUploadURLExternal({ filename: "a.txt", length, ...extra });
  return { id: res.file_id!, url: res.upload_url! };
}

describe("the Slack stand-in's file uploads", () => {
  it("asking for an upload URL without a filename, with length 0 or with alt text past 1000 characters is refused", async () => {
    const noName = fixture.client.apiCall("files.getUploadURLExternal", { length: 3 });
    await expect(noName).rejects.toMatchObject({ data: { error: "invalid_arguments", response_metadata: { messages: ["[ERROR] missing required field: filename"] } } });
    expect(await errorOf(fixture.client.files.getUploadURLExternal({ filename: "a.txt", length: 0 }))).toBe("missing_argument");
    const long = "x".repeat(FILE_UPLOAD_LIMITS.altText + 1);
    expect(await errorOf(fixture.client.files.getUploadURLExternal({ filename: "a.png", length: 3, alt_text: long }))).toBe("alt_txt_too_large");
    expect(await errorOf(fixture.client.apiCall("files.getUploadURLExternal", { filename: "a.png", length: 3, alt_txt: long }))).toBe("alt_txt_too_large");
    expect(await errorOf(fixture.client.files.getUploadURLExternal({ filename: "a.png", length: 3, alt_text: "x".repeat(FILE_UPLOAD_LIMITS.altText) }))).toBeUndefined();
    expect(await errorOf(fixture.client.files.getUploadURLExternal({ filename: "a.txt", length: 3, snippet_type: "klingon" }))).toBe("unknown_snippet_type");
  });

  it("a token without files:write gets missing_scope naming it; no token is not_authed; another token is invalid_auth", async () => {
    fixture.standin.scopes.delete("files:write");
    await expect(fixture.client.files.getUploadURLExternal({ filename: "a.txt", length: 3 })).rejects.toMatchObject({ data: { error: "missing_scope", needed: "files:write" } });
    fixture.standin.scopes.add("files:write");
    const bare = await fetch(`${fixture.standin.apiUrl}files.getUploadURLExternal`, { method: "POST", body: new URLSearchParams({ filename: "a.txt", length: "3" }) });
    expect(await bare.json()).toEqual({ ok: false, error: "not_authed" });
    const other = new webApi.WebClient("xoxb-someone-else", { slackApiUrl: fixture.standin.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    expect(await errorOf(other.files.getUploadURLExternal({ filename: "a.txt", length: 3 }))).toBe("invalid_auth");
  });

  it("the upload URL takes exactly the announced bytes, raw or multipart, once", async () => {
    const short = await ticket(5);
    const refused = await fetch(short.url, { method: "POST", body: "abc" });
    expect(refused.status).toBe(400);
    const raw = await ticket(3);
    const ok = await fetch(raw.url, { method: "POST", body: "abc" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("OK - 3");
    expect((await fetch(raw.url, { method: "POST", body: "abc" })).status).toBe(400);
    const multi = await ticket(4);
    const form = new FormData();
    form.append("file", new Blob(["wxyz"]), "a.txt");
    expect((await fetch(multi.url, { method: "POST", body: form })).status).toBe(200);
    expect((await fetch(`${fixture.standin.apiUrl.replace("/api/", "")}/upload/v1/nope`, { method: "POST", body: "abc" })).status).toBe(404);
    expect(fixture.standin.files.refusedUploads.map((r) => r.why)).toEqual([
      "got 3 bytes where 5 were announced",
      "this upload URL was already used",
      "unknown upload URL",
    ]);
  });

  it("completing a file that was never uploaded, or twice, is file_not_found; an unknown channel is channel_not_found", async () => {
    const never = await ticket(3);
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: [{ id: never.id }], channel_id: "C1" }))).toBe("file_not_found");
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: [{ id: "F404" }], channel_id: "C1" }))).toBe("file_not_found");
    const done = await ticket(3);
    await fetch(done.url, { method: "POST", body: "abc" });
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: [{ id: done.id }], channel_id: "C-nowhere" }))).toBe("channel_not_found");
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: [{ id: done.id, title: "A" }], channel_id: "C1", initial_comment: "hi" }))).toBeUndefined();
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: [{ id: done.id }], channel_id: "C1" }))).toBe("file_not_found");
    expect(fixture.standin.uploadsTo("C1")).toMatchObject([{ fileId: done.id, title: "A", initialComment: "hi", encoding: "raw" }]);
    expect(fixture.standin.uploadsTo("C1")[0]!.bytes.toString()).toBe("abc");
  });

  it(`more than ${FILE_UPLOAD_LIMITS.filesPerComplete} files in one completion is refused`, async () => {
    const tickets = [];
    for (let i = 0; i <= FILE_UPLOAD_LIMITS.filesPerComplete; i++) {
      const t = await ticket(1);
      await fetch(t.url, { method: "POST", body: "a" });
      tickets.push(t);
    }
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: tickets.map((t) => ({ id: t.id })) as [{ id: string }], channel_id: "C1" }))).toBe("internal_error");
    expect(await errorOf(fixture.client.files.completeUploadExternal({ files: tickets.slice(1).map((t) => ({ id: t.id })) as [{ id: string }], channel_id: "C1" }))).toBeUndefined();
    expect(fixture.standin.uploadsTo("C1")).toHaveLength(FILE_UPLOAD_LIMITS.filesPerComplete);
  });

  it("conversations.open gives each user one DM and needs im:write", async () => {
    const first = await fixture.client.conversations.open({ users: "UALICE" });
    const again = await fixture.client.conversations.open({ users: "UALICE" });
    expect(first.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(first.channel?.id);
    expect(fixture.standin.dmOf("UALICE")).toBe(first.channel?.id);
    fixture.standin.scopes.delete("im:write");
    await expect(fixture.client.conversations.open({ users: "UBOB" })).rejects.toMatchObject({ data: { error: "missing_scope", needed: "im:write" } });
  });

  it("a rate-limited method answers HTTP 429 with Retry-After", async () => {
    fixture.standin.rateLimit("files.completeUploadExternal", 7);
    const res = await fetch(`${fixture.standin.apiUrl}files.completeUploadExternal`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: new URLSearchParams({ files: "[]" }) });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
  });
});
