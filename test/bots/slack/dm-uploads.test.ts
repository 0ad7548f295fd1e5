/**
 * The DM uploader on its own: real chart renderer (worker thread), the real
 * @slack/web-api client's files.uploadV2, the Slack stand-in's upload rules.
 */
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chartAlt } from "../../../core/charts/chart-alt.js";
import type { ChartSpec } from "../../../core/charts/chart-spec.js";
import type { LessonQuestions } from "../../../core/charts/mastery-data.js";
import { createChartRenderer, type ChartRenderer } from "../../../bots/charts/chart-renderer.js";
import { sampleCharts } from "../../../bots/charts/sample-charts.js";
import { plainLogger } from "../../../bots/logger.js";
import { ALT_TEXT_MAX, clipAltText, DmUploader, type Attachment } from "../../../bots/slack/dm-uploads.js";
import { FILE_UPLOAD_LIMITS } from "../../support/slack-limits.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { useChartRenderer } from "../../support/chart-renderer.js";

const TOKEN = "xoxb-test-uploads-0000";
const lessons: LessonQuestions[] = Array.from({ length: 5 }, (_, i) => ({ id: `l${i}`, title: `Lesson ${i + 1}`, questionIds: Array.from({ length: 8 }, (_, j) => `q${i}-${j}`) }));
const samples = sampleCharts({ now: new Date("2026-03-02T12:00:00Z"), zone: "Europe/Berlin", lessons });

const chart = (spec: ChartSpec, fileName: string, alt = chartAlt(spec)): Attachment => ({ type: "chart", spec, fileName, alt, text: "" });
const csv = (content: string): Attachment => ({ type: "file", fileName: "team-export.csv", contentType: "text/csv", content, description: "Team export: 2 learners" });

const renderer = useChartRenderer();
let standin: SlackStandin;
let lines: string[];

beforeEach(async () => {
  standin = await SlackStandin.start();
  standin.botToken = TOKEN;
  lines = [];
});
afterEach(async () => {
  await standin.close();
});

function uploader(opts: { charts?: ChartRenderer | null; retries?: number } = {}) {
  return new DmUploader({
    botToken: TOKEN,
    clientOptions: { slackApiUrl: standin.apiUrl },
    charts: opts.charts === undefined ? renderer : opts.charts,
    log: plainLogger("debug", [TOKEN], (l) => lines.push(l)),
    retryConfig: { retries: opts.retries ?? 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
  });
}

describe("uploading charts and files to the learner's DM", () => {
  it("two charts land in one message in the learner's DM, as PNGs of the rendered size with their titles and alt text", async () => {
    const out = await uploader().send("UALICE", [chart(samples.heatmap, "heatmap.png"), chart(samples.mastery, "mastery.png")], "Charts for `/study stats`");
    const dm = standin.dmOf("UALICE");
    expect(out).toEqual({ ok: true, channel: dm });
    expect(standin.callsTo("files.completeUploadExternal")).toHaveLength(1);
    const uploads = standin.uploadsTo(dm!);
    expect(uploads.map((u) => [u.filename, u.title, u.initialComment])).toEqual([
      ["heatmap.png", samples.heatmap.title, "Charts for `/study stats`"],
      ["mastery.png", samples.mastery.title, "Charts for `/study stats`"],
    ]);
    for (const [u, spec] of [[uploads[0]!, samples.heatmap], [uploads[1]!, samples.mastery]] as const) {
      const drawn = await renderer.renderChart(spec);
      const png = PNG.sync.read(u.bytes);
      expect({ width: png.width, height: png.height }).toEqual({ width: drawn.width, height: drawn.height });
      expect(u.bytes.equals(drawn.png)).toBe(true);
      expect(u.altText).toBe(chartAlt(spec));
      expect(u.encoding).toBe("multipart");
    }
  });

  it("a CSV goes up as its own message with its description as the comment, byte for byte", async () => {
    const content = "name,answers\nAlice,12\nZoë,3\n";
    const out = await uploader({ charts: null }).send("UBOB", [csv(content)]);
    expect(out.ok).toBe(true);
    const [u] = standin.uploadsTo(standin.dmOf("UBOB")!);
    expect(u).toMatchObject({ filename: "team-export.csv", initialComment: "Team export: 2 learners", altText: undefined });
    expect(u!.bytes.toString("utf8")).toBe(content);
  });

  it("alt text past Slack's 1000 characters is clipped at a word break, so the upload is not refused", async () => {
    const long = `${"Many answers on many days. ".repeat(60)}end`;
    expect(long.length).toBeGreaterThan(FILE_UPLOAD_LIMITS.altText);
    const out = await uploader().send("UALICE", [chart(samples.heatmap, "heatmap.png", long)]);
    expect(out.ok).toBe(true);
    const [u] = standin.uploadsTo(standin.dmOf("UALICE")!);
    expect([...u!.altText!].length).toBeLessThanOrEqual(FILE_UPLOAD_LIMITS.altText);
    expect(u!.altText).toMatch(/days\.…$/);
    expect(clipAltText("short")).toBe("short");
    expect(clipAltText("x".repeat(ALT_TEXT_MAX + 5)).length).toBe(ALT_TEXT_MAX);
  });

  it("without files:write the learner is told which permission is missing; it is logged once, without the token", async () => {
    standin.scopes.delete("files:write");
    const out = await uploader().send("UALICE", [chart(samples.heatmap, "heatmap.png")]);
    expect(out).toEqual({ ok: false, why: expect.stringContaining("files:write") });
    expect(standin.files.completed).toHaveLength(0);
    const logged = lines.filter((l) => l.includes("could not send"));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("missing_scope (files:write)");
    expect(lines.join("\n")).not.toContain(TOKEN);
  });

  it("a 429 on completion is retried after its Retry-After and the charts still arrive once", async () => {
    standin.rateLimit("files.completeUploadExternal", 1);
    const started = Date.now();
    const out = await uploader().send("UALICE", [chart(samples.heatmap, "heatmap.png")]);
    expect(out.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(standin.callsTo("files.completeUploadExternal")).toHaveLength(2);
    expect(standin.files.completed).toHaveLength(1);
  });

  it("a 429 that outlasts the retries leaves nothing shared and tells the learner to try again", async () => {
    standin.rateLimit("files.completeUploadExternal", 1, 10);
    const out = await uploader({ retries: 1 }).send("UALICE", [chart(samples.heatmap, "heatmap.png")]);
    expect(out).toEqual({ ok: false, why: "Slack is limiting uploads right now; try again in a minute" });
    expect(standin.callsTo("files.completeUploadExternal")).toHaveLength(2);
    expect(standin.files.completed).toHaveLength(0);
    expect(lines.filter((l) => l.includes("could not send"))).toHaveLength(1);
  });

  it("a busy renderer refuses at once; the learner hears why and nothing is uploaded", async () => {
    const small = createChartRenderer({ maxQueue: 1, timeoutMs: 60_000 });
    try {
      await small.warmUp();
      const held = [small.renderChart(samples.mastery), small.renderChart(samples.mastery)];
      const out = await uploader({ charts: small }).send("UALICE", [chart(samples.heatmap, "heatmap.png")]);
      expect(out).toEqual({ ok: false, why: expect.stringContaining("drawing many charts") });
      expect(standin.callsTo("files.getUploadURLExternal")).toHaveLength(0);
      await Promise.all(held);
    } finally {
      await small.close();
    }
  });

  it("a Slack error from completion (an unknown DM) is reported by its code", async () => {
    standin.override("conversations.open", () => ({ body: { ok: true, channel: { id: "DGONE" } } }));
    const out = await uploader().send("UALICE", [csv("a\n")]);
    expect(out).toEqual({ ok: false, why: "Slack refused the upload (channel_not_found)" });
    expect(lines.some((l) => l.includes("channel_not_found"))).toBe(true);
  });
});
