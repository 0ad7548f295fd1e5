/**
 * Charts and files on Discord: /stats and /team through the real discord.js
 * client, the real chart renderer and a real Redis, against the stand-in that
 * reads multipart uploads as Discord does. Images arrive as attachments shown
 * by their embeds, with alt text; a team export arrives as a CSV to the admin
 * only; a busy or broken renderer still lets the reply out, in words.
 */
import { PNG } from "pngjs";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { ChartRendererBusyError, createChartRenderer, type ChartRenderer, type RenderedChart } from "../../../bots/charts/chart-renderer.js";
import { TEAM_EXPORT_COLUMNS } from "../../../core/team-export.js";
import { embedImages, type SeenFile, type SeenMessage } from "../../support/discord-conversation.js";
import { GUILD_A, startBot, useStandin, type BotUnderTest } from "../../support/discord-harness.js";
import { MEMBER_PERMISSIONS } from "../../support/discord-interactions.js";
import { atLeast, DiscordUser } from "../../support/discord-user.js";
import { useTestRedis } from "../../support/redis.js";
import { useChartRenderer } from "../../support/chart-renderer.js";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 60_000 });

const redis = useTestRedis();
const standin = useStandin();

/** The real renderer, keeping what it drew so the test can compare. */
function recording(inner: ChartRenderer): ChartRenderer & { drawn: RenderedChart[] } {
  const drawn: RenderedChart[] = [];
  return {
    drawn,
    async renderChart(spec) {
      const out = await inner.renderChart(spec);
      drawn.push(out);
      return out;
    },
    warmUp: () => inner.warmUp(),
    get queued() {
      return inner.queued;
    },
    close: () => inner.close(),
  };
}

const renderer = useChartRenderer();

let bot: BotUnderTest | undefined;
let firstRequest = 0;
beforeEach(() => {
  firstRequest = standin.requests.length;
  standin.unresolvedImages.length = 0;
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  expect(standin.unresolvedImages, "every attachment:// reference names an image of its message").toEqual([]);
  const refused = standin.requests.slice(firstRequest).filter((r) => r.status >= 400);
  expect(refused.map((r) => `${r.status} ${r.method} ${r.path}`), "the stand-in refused nothing the bot sent").toEqual([]);
});

const member = (id: string, username: string, admin = false) =>
  new DiscordUser(standin, { user: { id, username }, guild: GUILD_A, ...(admin ? {} : { permissions: MEMBER_PERMISSIONS }) });

async function answerOne(u: DiscordUser): Promise<void> {
  const quiz = await u.run("quiz", { topic: "alpha", count: 1 });
  await u.press(quiz.messages[0]!, "Alpha", atLeast(1));
}

function colours(png: Buffer): { distinct: number; whiteShare: number } {
  const img = PNG.sync.read(png);
  const seen = new Set<number>();
  let white = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const rgb = (img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!;
    seen.add(rgb);
    if (rgb === 0xffffff) white++;
  }
  return { distinct: seen.size, whiteShare: white / (img.width * img.height) };
}

/** An attached chart as a reader gets it: a PNG of the drawn size, not blank, with alt text. */
function expectChart(file: SeenFile, drawn: RenderedChart): void {
  expect(file.contentType).toBe("image/png");
  expect(file.uploadedType).toBe("image/png");
  expect(file.bytes.equals(drawn.png)).toBe(true);
  const img = PNG.sync.read(file.bytes);
  expect({ width: img.width, height: img.height }).toEqual({ width: drawn.width, height: drawn.height });
  expect({ width: file.width, height: file.height }).toEqual({ width: drawn.width, height: drawn.height });
  const { distinct, whiteShare } = colours(file.bytes);
  expect(distinct).toBeGreaterThan(10);
  expect(whiteShare).toBeLessThan(0.97);
  expect(file.description).toBeTruthy();
  expect(file.description!.length).toBeLessThanOrEqual(1024);
  expect(file.description).toBe(drawn.alt.slice(0, 1024));
}

const only = (messages: SeenMessage[]): SeenMessage => {
  expect(messages).toHaveLength(1);
  return messages[0]!;
};

test("/stats: the figures, then the heatmap and mastery charts attached as PNGs shown in embeds, with alt text, privately", async () => {
  const charts = recording(renderer);
  bot = await startBot(standin, redis.server.url, { charts });
  const ann = member("310000000000000001", "ann");
  await answerOne(ann);
  const stats = await ann.run("stats");
  const m = only(stats.messages);
  expect(m.ephemeral).toBe(true);
  expect(stats.text).toContain("1 (1 correct, 100%)"); // the words stay for screen readers
  expect(m.files.map((f) => f.filename)).toEqual(["drillbot-activity.png", "drillbot-mastery.png"]);
  const shown = embedImages(m);
  expect(shown.map((s) => s.embed.title)).toEqual(["Answers per day, last 12 months", "Mastery by lesson"]);
  expect(charts.drawn).toHaveLength(2);
  for (const [i, { file, embed }] of shown.entries()) {
    expectChart(file, charts.drawn.find((d) => d.png.equals(file.bytes)) ?? charts.drawn[i]!);
    expect(embed.image?.url).toBe(file.url);
  }
  // Sent as multipart: payload_json with the attachments list, and files[0], files[1].
  const edit = standin.requests.find((r) => r.method === "PATCH" && r.path.includes(stats.token))!;
  expect(edit.files.map((f) => f.index)).toEqual([0, 1]);
  expect((edit.body as { attachments: { id: string; description: string }[] }).attachments.map((a) => String(a.id))).toEqual(["0", "1"]);
});

test("/team: the week for the channel, with the team's weeks and mastery charts attached", async () => {
  const charts = recording(renderer);
  bot = await startBot(standin, redis.server.url, { charts });
  const ann = member("320000000000000001", "ann");
  await answerOne(ann);
  const team = await member("320000000000000002", "bob").run("team");
  const m = only(team.messages);
  expect(m.ephemeral).toBe(false);
  expect(team.text).toContain("1 learner answered 1 question, 100% right.");
  const shown = embedImages(m);
  expect(shown.map((s) => s.file.filename)).toEqual(["drillbot-team-weeks.png", "drillbot-team-mastery.png"]);
  expect(shown[0]!.embed.title).toMatch(/^Team activity, last 8 weeks/);
  for (const { file } of shown) expectChart(file, charts.drawn.find((d) => d.png.equals(file.bytes))!);
});

test("/team export by an admin: a CSV attachment with the export's header row, to the admin only", async () => {
  bot = await startBot(standin, redis.server.url, { charts: renderer });
  await answerOne(member("330000000000000001", "ann"));
  const lead = member("330000000000000002", "lead", true);
  const exp = await lead.run("team", { export: true });
  const m = only(exp.messages);
  expect(m.ephemeral).toBe(true);
  expect(m.files).toHaveLength(1);
  const csv = m.files[0]!;
  expect(csv.filename).toMatch(/^[A-Za-z0-9.-]+\.csv$/);
  expect(csv.contentType).toBe("text/csv; charset=utf-8");
  const text = csv.bytes.toString("utf8").replace(/^\uFEFF/, "");
  expect(text.split(/\r?\n/)[0]).toBe(TEAM_EXPORT_COLUMNS.join(","));
  expect(text).toContain("learner,");
  expect(m.content).toMatch(/^📎 /);
  // Never to the channel: the deferred reply was private from the start.
  expect(exp.callbacks[0]!.data?.flags).toBe(64);
});

test("/team export by a member without admin rights is refused, privately, with no file", async () => {
  bot = await startBot(standin, redis.server.url, { charts: renderer });
  const exp = await member("340000000000000001", "bob").run("team", { export: true });
  const m = only(exp.messages);
  expect(m.ephemeral).toBe(true);
  expect(m.files).toEqual([]);
  expect(exp.text).toContain("Only workspace admins can export");
});

test("a busy renderer: /stats still answers with the figures and each chart's alt text, and says so once in the log", async () => {
  const busy = createChartRenderer({ maxQueue: 1, timeoutMs: 60_000 });
  await busy.warmUp();
  // Keep one chart drawing and one waiting, so the queue is full whenever the bot asks.
  let keepBusy = true;
  const { heatmapChart } = await import("../../../core/charts/chart-spec.js");
  const { heatmapData } = await import("../../../core/charts/heatmap-data.js");
  const filler = heatmapChart(heatmapData({ answersByDate: {}, now: new Date("2025-03-10T12:00:00Z"), zone: "UTC" }));
  const refill = (): void => {
    if (keepBusy) void busy.renderChart(filler).then(refill, (err: unknown) => (err instanceof ChartRendererBusyError ? undefined : refill()));
  };
  refill();
  refill();
  try {
    bot = await startBot(standin, redis.server.url, { charts: busy });
    const ann = member("350000000000000001", "ann");
    await answerOne(ann);
    const stats = await ann.run("stats");
    const m = only(stats.messages);
    expect(m.files).toEqual([]);
    expect(stats.text).toContain("1 (1 correct, 100%)");
    expect(m.embeds.map((e) => e.title)).toEqual(["Your stats", "Answers per day, last 12 months", "Mastery by lesson"]);
    expect(m.embeds[1]!.description).toMatch(/answer/i);
    const lines = bot.logs.filter((l) => l.includes("not drawn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("2 of 2 chart(s)");
    expect(lines[0]).toContain("renderer busy");
  } finally {
    keepBusy = false;
    await busy.close();
  }
});

test("a broken renderer: /team still goes to the channel, charts in words", async () => {
  const closed = createChartRenderer();
  await closed.close();
  bot = await startBot(standin, redis.server.url, { charts: closed });
  const team = await member("360000000000000001", "bob").run("team");
  const m = only(team.messages);
  expect(m.ephemeral).toBe(false);
  expect(m.files).toEqual([]);
  expect(m.embeds).toHaveLength(3);
  expect(bot.logs.filter((l) => l.includes("not drawn"))).toHaveLength(1);
});
