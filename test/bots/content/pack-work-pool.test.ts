/**
 * /content's heavy work on its own thread: the same answers as in place,
 * the event loop free while a 2,000-question upload is checked, and a full
 * queue refused at once.
 */
import { describe, expect, it } from "vitest";
import { loadCourse } from "../../../bots/content/load-packs.js";
import { PackWorkBusyError, packWorkPool } from "../../../bots/content/pack-work-pool.js";
import { checkUpload } from "../../../core/content/upload/check-upload.js";
import { packToYaml } from "../../../core/content/upload/pack-yaml.js";

function bigCsv(rows: number): Uint8Array {
  const lines = ["id,question,options,answer,explanation,topic"];
  for (let i = 0; i < rows; i++) lines.push(`q-${i},Which setting ${i} controls component ${i % 50} under load?,one ${i}|two ${i}|three ${i}|four ${i},${"abcd"[i % 4]},Setting ${i} is the one documented for component ${i % 50}.,Topic ${i % 40}`);
  return new TextEncoder().encode(lines.join("\n"));
}

describe("the pack work thread", () => {
  it("checks an upload and writes YAML exactly as in place, while the event loop keeps ticking", async () => {
    const { raw } = await loadCourse("content");
    const pool = packWorkPool({ niceIncrement: 0 });
    try {
      const input = { fileName: "big.csv", bytes: bigCsv(2_000), builtIn: raw, others: [] };
      // Warm the thread (tsx and the modules load on first use).
      await pool.check({ ...input, bytes: bigCsv(2) });
      let ticks = 0;
      let worstGapMs = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        worstGapMs = Math.max(worstGapMs, now - last);
        last = now;
        ticks++;
      }, 10);
      const started = performance.now();
      const threaded = await pool.check(input);
      const tookMs = performance.now() - started;
      clearInterval(timer);
      if (!threaded.ok) throw new Error(threaded.message);
      expect(threaded.summary.questions).toBe(2_000);
      // The main thread ran its timer throughout: no gap near the check's own length.
      expect(ticks).toBeGreaterThan(tookMs / 10 / 4);
      expect(worstGapMs).toBeLessThan(Math.max(150, tookMs / 3));
      const inPlace = checkUpload(input);
      expect(inPlace).toEqual(threaded);
      expect(await pool.toYaml(threaded.pack, "exported")).toBe(packToYaml(threaded.pack, "exported"));
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("refuses work past its queue at once, with a reason the admin can act on", async () => {
    const pool = packWorkPool({ maxQueue: 1, niceIncrement: 0 });
    try {
      const input = { fileName: "big.csv", bytes: bigCsv(400), builtIn: [], others: [] };
      const results = await Promise.allSettled([pool.check(input), pool.check(input), pool.check(input), pool.check(input)]);
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PackWorkBusyError);
      expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
