import { describe, expect, it } from "vitest";
import { tablesToLists } from "../../bots/render/tables-to-lists.js";

describe("lesson tables in chat", () => {
  it("turns each row into a bullet led by its first cell, with the other cells labelled", () => {
    const md = ["Before.", "", "| Symptom | Confirm with | First fix |", "|---|---|---|", "| CPU at 90% | top queries | fix plans |", "| p99 up | hit ratio | more RAM |", "", "After."].join("\n");
    expect(tablesToLists(md)).toBe(
      ["Before.", "", "• **CPU at 90%** — Confirm with: top queries; First fix: fix plans", "• **p99 up** — Confirm with: hit ratio; First fix: more RAM", "", "After."].join("\n"),
    );
  });

  it("leaves code blocks and lone pipes alone", () => {
    const md = ["```", "| a | b |", "|---|---|", "| 1 | 2 |", "```", "x | y"].join("\n");
    expect(tablesToLists(md)).toBe(md);
  });

  it("uses the platform's bold and keeps escaped pipes inside cells", () => {
    const md = ["| key | value |", "|:--|--:|", "| a \\| b | 1 |"].join("\n");
    expect(tablesToLists(md, (t) => `*${t}*`)).toBe("• *a | b* — value: 1");
  });

  it("every table in the shipped course becomes a list", async () => {
    const { loadCatalog } = await import("../../bots/content/load-packs.js");
    const r = await loadCatalog("content");
    if (!r.ok) throw new Error("content does not load");
    for (const lesson of r.catalog.lessons) {
      for (const card of lesson.cards) expect(tablesToLists(card.body), lesson.id).not.toMatch(/^\s*\|.*\|\s*$\n^\s*\|\s*:?-{2,}/m);
    }
  });
});
