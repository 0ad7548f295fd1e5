import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Messenger } from "../../../core/ports.js";
import type { Reply } from "../../../core/replies.js";
import { questionReply } from "../../../core/service/present.js";
import { plainLogger } from "../../../bots/logger.js";
import { createSlackMessenger } from "../../../bots/slack/slack-messenger.js";
import { eventually } from "../../support/drill-harness.js";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, BOB, BOT_TOKEN, button, buttonsOf, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { SlackStandin } from "../../support/slack-standin.js";
import { fixtureCatalog } from "../../support/study-harness.js";

const bob = { platform: "slack" as const, workspace: "T1", user: "UBOB" };
const general = { platform: "slack" as const, workspace: "T1", channel: "C9" };

async function drillReplies(): Promise<Reply[]> {
  const q = questionReply(await fixtureCatalog(), { sessionId: "d-test", index: 0, questionId: "a-single" }, 1, "Daily drill");
  return [{ type: "text", text: "Daily drill: answers are private; results come when the drill closes." }, q];
}

describe("the Slack messenger (Web API only)", () => {
  let standin: SlackStandin;
  let logLines: string[];
  let messenger: Messenger;

  beforeAll(async () => {
    standin = await SlackStandin.start();
  });
  afterAll(async () => {
    await standin.close();
  });
  const fresh = () => {
    standin.calls.length = 0;
    logLines = [];
    messenger = createSlackMessenger({ botToken: BOT_TOKEN, apiUrl: standin.apiUrl, log: plainLogger("debug", [BOT_TOKEN], (l) => logLines.push(l)), retryConfig: { retries: 0 } });
  };

  it("sends a drill as one DM (intro and question together) with chat.postMessage to the user id, as Block Kit with a plain-text fallback", async () => {
    fresh();
    await messenger.toLearner(bob, await drillReplies(), { idempotencyKey: "k-dm" });
    const posts = standin.callsTo("chat.postMessage");
    expect(posts.map((p) => p.body.channel)).toEqual(["UBOB"]);
    expect(posts[0]!.body.text).toContain("Daily drill");
    expect(posts[0]!.body.text).toContain("Which letter comes first?");
    expect(textOf(posts[0]!.body.blocks)).toMatch(/Daily drill[\s\S]*Which letter comes first\?/);
    expect(buttonsOf(posts[0]!.body.blocks)).toHaveLength(3);
    expect(posts[0]!.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(logLines.join("\n")).not.toContain(BOT_TOKEN);
  });

  it("posts to a channel with chat.postMessage to the channel id", async () => {
    fresh();
    await messenger.toChannel(general, [{ type: "text", text: "Results are in." }], { idempotencyKey: "k-ch" });
    const posts = standin.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe("C9");
    expect(textOf(posts[0]!.body.blocks)).toContain("Results are in.");
  });

  it("turns a 429 with Retry-After into an error with retryAfterMs, at once and without retrying itself", async () => {
    fresh();
    standin.fail("chat.postMessage", { status: 429, headers: { "retry-after": "7" }, body: { ok: false, error: "ratelimited" } });
    const started = Date.now();
    const err = await messenger.toChannel(general, [{ type: "text", text: "hi" }], { idempotencyKey: "k-429" }).then(
      () => null,
      (e: unknown) => e as { retryAfterMs?: unknown },
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.retryAfterMs).toBe(7000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(standin.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("after a 429 halfway through a delivery, the retry sends only what Slack had not accepted", async () => {
    fresh();
    let n = 0;
    standin.override("chat.postMessage", () => (++n === 2 ? { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } } : undefined));
    // Nothing follows a question's buttons in its message: this delivery is two messages.
    const replies: Reply[] = [...(await drillReplies()), { type: "text", text: "Results come at noon." }];
    await expect(messenger.toChannel(general, replies, { idempotencyKey: "k-half" })).rejects.toMatchObject({ retryAfterMs: 1000 });
    await messenger.toChannel(general, replies, { idempotencyKey: "k-half" });
    const texts = standin.callsTo("chat.postMessage").map((p) => String(p.body.text));
    expect(texts.filter((t) => t.includes("Which letter comes first?"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("Results come at noon."))).toHaveLength(2); // the rate-limited try and the retry
  });

  it("treats channel_not_found as delivered-for-good: logged as a warning, resolved, no retry", async () => {
    fresh();
    standin.fail("chat.postMessage", { body: { ok: false, error: "channel_not_found" } });
    await expect(messenger.toChannel(general, await drillReplies(), { idempotencyKey: "k-gone" })).resolves.toBeUndefined();
    expect(standin.callsTo("chat.postMessage")).toHaveLength(1);
    expect(logLines.some((l) => l.includes("WARN") && l.includes("channel_not_found") && l.includes("C9"))).toBe(true);
  });

  it("throws any other failure, so the job is retried with backoff", async () => {
    fresh();
    standin.fail("chat.postMessage", { body: { ok: false, error: "internal_error" } });
    await expect(messenger.toLearner(bob, [{ type: "text", text: "hi" }], { idempotencyKey: "k-err" })).rejects.toMatchObject({ data: { error: "internal_error" } });
    standin.fail("chat.postMessage", { status: 503, body: { ok: false } });
    await expect(messenger.toLearner(bob, [{ type: "text", text: "hi" }], { idempotencyKey: "k-503" })).rejects.toBeInstanceOf(Error);
  });
});

describe("scheduled drills delivered to Slack through BullMQ", () => {
  let redis: TestRedis;
  let h: SlackHarness;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await h?.stop();
  });

  it("a channel drill is posted in the channel and a personal drill in the DM; clicks get private feedback", async () => {
    h = await startSlackHarness(redis.server.url, { drills: true, adminUsers: [ALICE.user], clockIso: "2026-03-02T12:00:00Z" });
    const set = await h.command(ALICE, "drill channel 13:00 UTC");
    expect((await h.responses(set.responseId))[0]!.body.text).toContain("Channel drill set");
    const mine = await h.command(BOB, "drill me 13:00 UTC 2");
    expect((await h.responses(mine.responseId))[0]!.body.text).toContain("Daily drill set");
    h.jobs!.startDeliveryWorkers(h.drills!, { slack: createSlackMessenger({ botToken: BOT_TOKEN, apiUrl: h.standin.apiUrl, log: h.log, retryConfig: { retries: 0 } }) });
    h.clock.set("2026-03-02T13:01:00Z");
    expect(await h.jobs!.tick()).toMatchObject({ personal: 1, channel: 1 });
    const posts = () => h.standin.callsTo("chat.postMessage");
    // One message each: the intro and the question together.
    await eventually(() => posts().filter((p) => p.body.channel === "C1").length === 1 && posts().filter((p) => p.body.channel === "UBOB").length === 1);

    const channelQ = posts().find((p) => p.body.channel === "C1" && buttonsOf(p.body.blocks).length > 0)!.body;
    expect(buttonsOf(channelQ.blocks)[0]!.value).toMatch(/^v1\|d-/);
    const click = await h.click(BOB, buttonsOf(channelQ.blocks)[0]!);
    const [fb] = await h.responses(click.responseId);
    expect(fb!.body.response_type).toBe("ephemeral");
    expect(textOf(fb!.body.blocks)).toMatch(/Correct!|Not quite\./);

    const dmQ = posts().find((p) => p.body.channel === "UBOB" && buttonsOf(p.body.blocks).length > 0)!.body;
    expect(textOf(dmQ.blocks)).toContain("question 1 of 2");
    const first = buttonsOf(dmQ.blocks)[0]!;
    const dmClick = await h.click(BOB, button(dmQ.blocks, first.text.text));
    const [dmFb, next] = await h.responses(dmClick.responseId, 2);
    expect(textOf(dmFb!.body.blocks)).toMatch(/Correct!|Not quite\./);
    expect(textOf(next!.body.blocks)).toContain("question 2 of 2");
  });
});
