/**
 * Attachments within Discord's limits. The stand-in refuses uploads as
 * Discord does (more than 10 attachments, a file over the upload limit, an
 * attachments list naming no file, alt text over 1024 characters) and records
 * an attachment:// image that names nothing; drillbot's layout never sends
 * one of those: it splits, names files so Discord keeps the name, and says a
 * file too large to attach in words. The messenger (REST only) sends charts
 * and files as multipart too.
 */
import { DiscordAPIError, REST, Routes } from "discord.js";
import { PNG } from "pngjs";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { sampleCharts } from "../../../bots/charts/sample-charts.js";
import { createDiscordMessenger } from "../../../bots/discord/index.js";
import { attachmentName, LIMITS } from "../../../bots/discord/discord-limits.js";
import { renderMessages } from "../../../bots/discord/render-message.js";
import { plainLogger } from "../../../bots/logger.js";
import { chartAlt } from "../../../core/charts/chart-alt.js";
import type { ChartSpec } from "../../../core/charts/chart-spec.js";
import { chartText } from "../../../core/charts/chart-text.js";
import type { Reply } from "../../../core/replies.js";
import { embedImages } from "../../support/discord-conversation.js";
import { GUILD_A, TOKEN, useStandin } from "../../support/discord-harness.js";
import { useChartRenderer } from "../../support/chart-renderer.js";

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const standin = useStandin([GUILD_A]);

const samples = sampleCharts({
  now: new Date("2026-03-10T12:00:00Z"),
  zone: "Europe/Berlin",
  lessons: Array.from({ length: 4 }, (_, i) => ({ id: `l${i}`, title: `Lesson ${i + 1}`, questionIds: Array.from({ length: 6 }, (_, j) => `q${i}-${j}`) })),
  teamSize: 5,
});

const chart = (spec: ChartSpec, fileName: string): Extract<Reply, { type: "chart" }> => ({ type: "chart", spec, fileName, alt: chartAlt(spec), text: chartText(spec) });
const csvFile = (content: string): Extract<Reply, { type: "file" }> => ({ type: "file", fileName: "team export.csv", contentType: "text/csv", content, description: "Team export: 2 learners" });

/** A tiny real PNG. */
function png(width: number, height: number): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < img.data.length; i += 4) img.data.set([(i * 7) & 255, (i * 13) & 255, 200, 255], i);
  return PNG.sync.write(img);
}

let channelSeq = 0;
const freshChannel = () => `54000000000000${String(++channelSeq).padStart(4, "0")}`;

let firstRequest = 0;
beforeEach(() => {
  firstRequest = standin.requests.length;
  standin.unresolvedImages.length = 0;
});

describe("the stand-in refuses uploads as Discord does", () => {
  const rest = () => new REST({ api: standin.apiUrl, retries: 0 }).setToken(TOKEN);
  const post = (channel: string, body: Record<string, unknown>, files: { name: string; data: Buffer }[]) =>
    rest().post(Routes.channelMessages(channel), { body, files });
  const refusal = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiscordAPIError);
    return err as DiscordAPIError;
  };

  test("11 attachments in one message: 400, Invalid Form Body (50035)", async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `c${i}.png`, data: png(4, 4) }));
    const err = await refusal(post(freshChannel(), { attachments: files.map((f, id) => ({ id, filename: f.name })) }, files));
    expect({ status: err.status, code: err.code }).toEqual({ status: 400, code: 50035 });
    const ten = files.slice(0, 10);
    await post(freshChannel(), { attachments: ten.map((f, id) => ({ id, filename: f.name })) }, ten);
  });

  test("a file over the 10 MiB upload limit: 413, Request entity too large (40005)", async () => {
    const big = Buffer.alloc(LIMITS.fileBytes + 1, 0x61);
    const err = await refusal(post(freshChannel(), { content: "big" }, [{ name: "big.csv", data: big }]));
    expect({ status: err.status, code: err.code }).toEqual({ status: 413, code: 40005 });
    const atLimit = Buffer.alloc(LIMITS.fileBytes, 0x61);
    await post(freshChannel(), { content: "fits" }, [{ name: "fits.csv", data: atLimit }]);
  });

  test("an attachments entry naming no files[n], or alt text over 1024 characters: 400 (50035)", async () => {
    const one = [{ name: "a.png", data: png(4, 4) }];
    const wrongId = await refusal(post(freshChannel(), { attachments: [{ id: 1, filename: "a.png" }] }, one));
    expect(wrongId.code).toBe(50035);
    const longAlt = await refusal(post(freshChannel(), { attachments: [{ id: 0, description: "x".repeat(1025) }] }, one));
    expect(longAlt.code).toBe(50035);
    await post(freshChannel(), { attachments: [{ id: 0, description: "x".repeat(1024) }] }, one);
  });

  test("an embed naming an image the message does not carry is taken, shows no image, and is recorded", async () => {
    const channel = freshChannel();
    await post(channel, { embeds: [{ title: "t", image: { url: "attachment://missing.png" } }], attachments: [{ id: 0 }] }, [{ name: "other name.png", data: png(4, 4) }]);
    expect(standin.unresolvedImages).toEqual([{ path: `/channels/${channel}/messages`, embed: 0, url: "attachment://missing.png" }]);
    const [m] = standin.postsIn(channel);
    expect(m!.embeds[0]!.image).toBeUndefined();
    expect(m!.files.map((f) => f.filename)).toEqual(["other_name.png"]); // Discord's own renaming
    standin.unresolvedImages.length = 0;
  });
});

describe("drillbot's layout stays within the limits", () => {
  test("charts and a file share a message while they fit; 12 charts split into messages of at most 10 attachments", () => {
    const images = new Map<Reply, Buffer>();
    const charts = Array.from({ length: 12 }, (_, i) => chart(samples.heatmap, "activity.png"));
    for (const c of charts) images.set(c, png(8, 8));
    const messages = renderMessages([{ type: "text", text: "Here:" }, ...charts, csvFile("a,b\r\n1,2\r\n")], { images });
    expect(messages.map((m) => m.files?.length ?? 0)).toEqual([10, 3]);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
      const names = (m.files ?? []).map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const e of m.embeds) if (e.image) expect(names).toContain(e.image.url.replace("attachment://", ""));
    }
    expect(messages[0]!.files!.slice(0, 3).map((f) => f.name)).toEqual(["activity.png", "activity-2.png", "activity-3.png"]);
    expect(messages[1]!.files!.at(-1)!.name).toBe("team-export.csv");
    expect(messages[1]!.content).toBe("📎 Team export: 2 learners");
    expect(messages[0]!.content).toBe("Here:");
  });

  test("file names are ones Discord keeps; alt text is cut to 1024 characters", () => {
    expect(attachmentName("Team export (Ünïcode) 2026.csv")).toBe("Team-export-Unicode-2026.csv");
    expect(attachmentName("../../etc/passwd")).toBe("etc-passwd");
    expect(attachmentName("💥.png", "chart")).toBe("chart.png");
    const long = chart(samples.mastery, "m.png");
    long.alt = "y".repeat(3000);
    const [m] = renderMessages([long], { images: new Map([[long, png(4, 4)]]) });
    expect(m!.files![0]!.description).toHaveLength(1024);
  });

  test("a chart not drawn is shown by its alt text; a file over the upload limit is said in words, not sent", () => {
    const c = chart(samples.teamWeeks, "weeks.png");
    const [m] = renderMessages([c, csvFile("x".repeat(2048))], { maxFileBytes: 1024 });
    expect(m!.files ?? []).toEqual([]);
    expect(m!.embeds[0]!.description).toBe(c.alt);
    expect(m!.content).toContain("not attached");
    expect(m!.content).toContain("Team export: 2 learners");
  });
});

describe("the messenger sends charts and files as multipart", () => {
  const renderer = useChartRenderer();

  test("a channel post with 12 charts goes as two messages the stand-in takes, every image resolving", async () => {
    const messenger = createDiscordMessenger({ token: TOKEN, apiUrl: standin.apiUrl, log: plainLogger("error", [TOKEN], () => undefined), charts: renderer });
    try {
      const channel = freshChannel();
      const replies: Reply[] = Array.from({ length: 12 }, (_, i) => chart(i % 2 ? samples.mastery : samples.heatmap, `chart ${i}.png`));
      await messenger.toChannel({ platform: "discord", workspace: GUILD_A.id, channel }, replies, { idempotencyKey: `charts-${channel}` });
      const posts = standin.postsIn(channel);
      expect(posts.map((p) => p.files.length)).toEqual([10, 2]);
      expect(posts.flatMap((p) => embedImages(p)).length).toBe(12);
      for (const p of posts) {
        for (const { file } of embedImages(p)) {
          const img = PNG.sync.read(file.bytes);
          expect([img.width, img.height]).toEqual([file.width, file.height]);
          expect(file.description!.length).toBeGreaterThan(20);
        }
      }
      expect(standin.unresolvedImages).toEqual([]);
      expect(standin.requests.slice(firstRequest).filter((r) => r.status >= 400)).toEqual([]);
    } finally {
      messenger.close();
    }
  });

  test("a file reply to a learner arrives in their DM as an attachment with its line of text", async () => {
    const messenger = createDiscordMessenger({ token: TOKEN, apiUrl: standin.apiUrl, log: plainLogger("error", [TOKEN], () => undefined) });
    try {
      const user = "240000000000000077";
      const csv = "\uFEFFsection,name\r\nlearner,ann\r\n";
      await messenger.toLearner({ platform: "discord", workspace: GUILD_A.id, user }, [csvFile(csv)], { idempotencyKey: "export-1" });
      const [m] = standin.postsIn(standin.dmChannelOf(user));
      expect(m!.content).toBe("📎 Team export: 2 learners");
      expect(m!.files.map((f) => [f.filename, f.contentType, f.uploadedType, f.description])).toEqual([["team-export.csv", "text/csv; charset=utf-8", "text/csv", "Team export: 2 learners"]]);
      expect(m!.files[0]!.bytes.toString("utf8")).toBe(csv);
    } finally {
      messenger.close();
    }
  });
});
