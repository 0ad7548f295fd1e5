/**
 * /content and /drill channel topic options as core commands (pure), and the
 * attachment fetch on its own against a loopback server: only Discord's CDN
 * (or the origin it is told), a time limit, a byte cap, HTTP failures said
 * in words.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { contentToCommand, DISCORD_USAGE_CONTENT } from "../../../bots/discord/content-slash.js";
import { fetchAttachment, uploadByteLimit } from "../../../bots/discord/content-upload.js";
import { drillToCommand } from "../../../bots/discord/drill-slash.js";
import { slashToCommand } from "../../../bots/discord/slash-to-command.js";

describe("/content options", () => {
  test("packs and upload need nothing; enable, disable, rollback and export take one pack id, lower-cased", () => {
    expect(contentToCommand("packs", {})).toEqual({ kind: "content", action: "packs" });
    expect(contentToCommand("upload", { file: "1400000000000000001" })).toEqual({ kind: "content", action: "upload" });
    for (const action of ["enable", "disable", "rollback", "export", "remove"] as const) {
      expect(contentToCommand(action, { pack: " Team-Ops " })).toEqual({ kind: "content", action, pack: "team-ops" });
    }
    expect(slashToCommand({ name: "content", subcommand: "export", options: { pack: "mini" } })).toEqual({ kind: "content", action: "export", pack: "mini" });
  });

  test("a pack id that is not one, a missing one and an unknown subcommand are explained with the Discord usage", () => {
    const cases: [ReturnType<typeof contentToCommand>, string][] = [
      [contentToCommand("enable", { pack: "team ops" }), '"team ops" is not a pack id'],
      [contentToCommand("export", { pack: "Ops_2!" }), "is not a pack id"],
      [contentToCommand("disable", {}), "name a pack, e.g. /content disable pack:team-onboarding"],
      [contentToCommand("delete", { pack: "mini" }), 'unknown content option "delete"'],
    ];
    for (const [cmd, reason] of cases) {
      expect(cmd).toMatchObject({ kind: "invalid", usage: DISCORD_USAGE_CONTENT });
      expect((cmd as { reason: string }).reason).toContain(reason);
    }
  });

  test("/drill channel passes its topic (lower-cased, spaces kept) to the core; none when left out", () => {
    expect(drillToCommand("channel", { time: "09:00", zone: "Europe/Berlin", topic: "Team-Ops" })).toEqual({
      kind: "drill",
      action: "channel-on",
      time: "09:00",
      zone: "Europe/Berlin",
      days: [1, 2, 3, 4, 5, 6, 7],
      windowMinutes: null,
      topic: "team-ops",
    });
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC", days: "weekdays", window: "2h", topic: "incident response" })).toMatchObject({ topic: "incident response", windowMinutes: 120, days: [1, 2, 3, 4, 5] });
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC" })).not.toHaveProperty("topic");
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC", topic: "   " })).not.toHaveProperty("topic");
  });
});

describe("the byte limit of an upload, by its kind", () => {
  test("a YAML pack 4 MB, anything else 1 MB, as the content service checks; other limits when the service has them", () => {
    expect(uploadByteLimit("team.yaml").limit).toBe(4_194_304);
    expect(uploadByteLimit("TEAM.YML").limit).toBe(4_194_304);
    expect(uploadByteLimit("team.csv").limit).toBe(1_048_576);
    expect(uploadByteLimit("course.json").limit).toBe(1_048_576);
    expect(uploadByteLimit("team").limit).toBe(1_048_576);
    expect(uploadByteLimit("team.csv", { maxBytes: 500 }).limit).toBe(500);
    expect(uploadByteLimit("team.yaml", { maxPackBytes: 900 }).limit).toBe(900);
  });
});

describe("fetching an attachment", () => {
  let server: http.Server | null = null;
  const seen: string[] = [];
  afterEach(async () => {
    seen.length = 0;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
  });

  /** A loopback "CDN" answering each path with `answer`. */
  async function cdn(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      answer(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  test("the file's bytes come back under its name", async () => {
    const origin = await cdn((_req, res) => res.writeHead(200, { "content-type": "text/csv" }).end("question,options,answer\n"));
    const got = await fetchAttachment({ name: "team.csv", size: 24, url: `${origin}/attachments/1/team.csv?ex=1` }, { extraOrigins: [origin] });
    expect(got).toEqual({ ok: true, file: { fileName: "team.csv", bytes: new Uint8Array(Buffer.from("question,options,answer\n")) } });
    expect(seen).toEqual(["/attachments/1/team.csv?ex=1"]);
  });

  test("a URL not on Discord's CDN over HTTPS is never requested", async () => {
    const origin = await cdn((_req, res) => res.writeHead(200).end("x"));
    for (const url of [`${origin}/attachments/1/team.csv`, "http://cdn.discordapp.com/attachments/1/team.csv", "https://cdn.discordapp.com.evil.example/team.csv", "not a url"]) {
      const got = await fetchAttachment({ name: "team.csv", size: 1, url });
      expect(got).toEqual({ ok: false, problem: "Discord did not hand over team.csv (it is not on Discord's file server); upload it again." });
    }
    expect(seen).toEqual([]);
  });

  test("a reported size over the limit is refused without a request, naming the size, the limit and what to do", async () => {
    const origin = await cdn((_req, res) => res.writeHead(200).end("x"));
    const got = await fetchAttachment({ name: "team.csv", size: 3_500_000, url: `${origin}/a/team.csv` }, { extraOrigins: [origin] });
    expect(got).toEqual({
      ok: false,
      problem: "team.csv is 3.3 MB (3,500,000 bytes); a question table or course JSON may be at most 1 MB (1,048,576 bytes), a YAML pack (.yaml) 4 MB, so it was not downloaded: split it into smaller packs.",
    });
    const yaml = await fetchAttachment({ name: "team.yaml", size: 5_000_000, url: `${origin}/a/team.yaml` }, { extraOrigins: [origin] });
    expect(yaml.ok ? "" : yaml.problem).toContain("a YAML pack may be at most 4 MB (4,194,304 bytes), other files 1 MB");
    expect(seen).toEqual([]);
  });

  test("a Content-Length over the limit stops the download before reading; a body longer than the limit stops reading there", async () => {
    const body = Buffer.alloc(1_200, 0x61);
    const origin = await cdn((req, res) => {
      if (req.url === "/announced") res.writeHead(200, { "content-length": body.length }).end(body);
      else res.writeHead(200).end(body); // chunked: no length given
    });
    const opts = { extraOrigins: [origin], limits: { maxBytes: 1_000 } };
    const announced = await fetchAttachment({ name: "team.csv", size: 10, url: `${origin}/announced` }, opts);
    expect(announced.ok ? "" : announced.problem).toBe("team.csv is 1.2 KB (1,200 bytes); a question table or course JSON may be at most 1,000 bytes, a YAML pack (.yaml) 4 MB, so it was not downloaded: split it into smaller packs.");
    const chunked = await fetchAttachment({ name: "team.csv", size: 10, url: `${origin}/chunked` }, opts);
    expect(chunked.ok ? "" : chunked.problem).toBe("team.csv is over 1,000 bytes; a question table or course JSON may be at most 1,000 bytes, a YAML pack (.yaml) 4 MB, reading stopped there: split it into smaller packs.");
  });

  test("an HTTP error, a refused connection and a CDN that does not answer in time are said in words", async () => {
    const origin = await cdn((req, res) => {
      if (req.url === "/gone") res.writeHead(404).end("This content is no longer available.");
      else if (req.url === "/broken") res.writeHead(500).end();
      // "/slow": never answered
    });
    const at = (path: string, timeoutMs?: number) => fetchAttachment({ name: "team.csv", size: 10, url: `${origin}${path}` }, { extraOrigins: [origin], ...(timeoutMs ? { timeoutMs } : {}) });
    expect(await at("/gone")).toEqual({ ok: false, problem: "Discord did not hand over team.csv (HTTP 404); upload it again." });
    expect(await at("/broken")).toEqual({ ok: false, problem: "Discord did not hand over team.csv (HTTP 500); upload it again." });
    expect(await at("/slow", 300)).toEqual({ ok: false, problem: "Discord did not hand over team.csv within 300 ms; upload it again." });
    // A port nothing listens on: one that was free a moment ago.
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const closed = `http://127.0.0.1:${(spare.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const refused = await fetchAttachment({ name: "team.csv", size: 10, url: `${closed}/x` }, { extraOrigins: [closed] });
    expect(refused).toEqual({ ok: false, problem: "Discord did not hand over team.csv (ECONNREFUSED); upload it again." });
  });
});
