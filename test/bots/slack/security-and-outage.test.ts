import { afterEach, describe, expect, it } from "vitest";
import { startTestRedis, type TestRedis } from "../../support/redis.js";
import { ALICE, button, SIGNING_SECRET, startSlackHarness, textOf, type SlackHarness } from "../../support/slack-harness.js";
import { commandFields, formBody, FORM, postToApp } from "../../support/slack-requests.js";

let redis: TestRedis | undefined;
let h: SlackHarness | undefined;

afterEach(async () => {
  await h?.stop();
  await redis?.stop();
  h = undefined;
  redis = undefined;
});

describe("request verification", () => {
  async function expectRejected(opts: { signature?: string; timestamp?: number }) {
    const body = formBody(commandFields(ALICE, "quiz alpha", h!.standin.responseUrl("forged"), "trig-forged"));
    const res = await postToApp(h!.adapter.port, body, FORM, { secret: SIGNING_SECRET, ...opts });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(h!.standin.responses).toHaveLength(0);
    expect(h!.standin.calls.map((c) => c.method)).toEqual(["auth.test"]);
    expect(await h!.redis.keys(`${h!.prefix}*`)).toEqual([]);
  }

  it("a request with a bad signature is rejected with 401 and nothing is recorded", async () => {
    redis = await startTestRedis();
    h = await startSlackHarness(redis.server.url);
    await expectRejected({ signature: "v0=" + "0".repeat(64) });
  });

  it("a request signed with the wrong secret is rejected with 401", async () => {
    redis = await startTestRedis();
    h = await startSlackHarness(redis.server.url);
    const body = formBody(commandFields(ALICE, "stats", h.standin.responseUrl("wrong"), "trig-wrong"));
    const res = await postToApp(h.adapter.port, body, FORM, { secret: "not-the-secret" });
    expect(res.status).toBe(401);
  });

  it("a correctly signed request older than 5 minutes is rejected with 401 (replay)", async () => {
    redis = await startTestRedis();
    h = await startSlackHarness(redis.server.url);
    await expectRejected({ timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
  });
});

describe("Redis outage", () => {
  it("a learner gets a friendly ephemeral message while Redis is down, and it works again once Redis is back", async () => {
    redis = await startTestRedis();
    const port = redis.server.port;
    h = await startSlackHarness(redis.server.url);
    const res = await h.command(ALICE, "quiz alpha 3");
    const [q] = await h.responses(res.responseId);
    await redis.stop();
    redis = undefined;

    const down = await h.command(ALICE, "stats");
    expect(down.status).toBe(200);
    const [notice] = await h.responses(down.responseId);
    expect(notice!.body.response_type).toBe("ephemeral");
    expect(notice!.body.text).toContain("temporarily unavailable");
    expect(textOf(notice!.body.blocks)).toContain("please try again");

    const click = await h.click(ALICE, button(q!.body.blocks, "Alpha"));
    const [clickNotice] = await h.responses(click.responseId);
    expect(clickNotice!.body.response_type).toBe("ephemeral");
    expect(clickNotice!.body.text).toContain("temporarily unavailable");

    redis = await startTestRedis(port);
    // Same app, same Redis client: it reconnects by itself.
    let seen = "";
    for (let i = 0; i < 50 && !seen.includes("Your stats"); i++) {
      const again = await h.command(ALICE, "stats");
      const [r] = await h.responses(again.responseId);
      seen = textOf(r!.body.blocks);
      if (!seen.includes("Your stats")) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain("Your stats");
    const quiz = await h.command(ALICE, "quiz alpha 3");
    const [fresh] = await h.responses(quiz.responseId);
    expect(fresh!.body.response_type).toBe("in_channel");
    expect(textOf(fresh!.body.blocks)).toContain("Which letter comes first?");
    expect(h.logLines.some((l) => l.includes("ERROR: command stats failed"))).toBe(true);
  });
});
