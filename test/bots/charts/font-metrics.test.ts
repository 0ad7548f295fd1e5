import { describe, expect, it } from "vitest";
import { FONT_FILE } from "../../../bots/charts/chart-theme.js";
import { fontSizeOf, loadFontMetrics } from "../../../bots/charts/font-metrics.js";

describe("text widths from the shipped font", () => {
  const metrics = loadFontMetrics(FONT_FILE);

  it("reads each glyph's advance from the font (DejaVu Sans: space 651, W 2025, i 569 of 2048 units)", () => {
    expect(metrics.width(" ", 2048)).toBeCloseTo(651, 6);
    expect(metrics.width("W", 2048)).toBeCloseTo(2025, 6);
    expect(metrics.width("i", 2048)).toBeCloseTo(569, 6);
  });

  it("adds glyphs up and scales with the font size", () => {
    expect(metrics.width("Wi", 12)).toBeCloseTo(metrics.width("W", 12) + metrics.width("i", 12), 9);
    expect(metrics.width("Mastery", 24)).toBeCloseTo(2 * metrics.width("Mastery", 12), 9);
    expect(metrics.width("", 12)).toBe(0);
  });

  it("measures the symbols charts use (≥, …, ·) as real glyphs, not as missing ones", () => {
    const missing = metrics.width("\u{10FFFF}", 12);
    for (const ch of ["≥", "…", "·", "é", "Ж"]) expect(metrics.width(ch, 12), ch).not.toBe(missing);
  });

  it("takes the size from a CSS font shorthand", () => {
    expect(fontSizeOf("bold 18px DejaVu Sans")).toBe(18);
    expect(fontSizeOf("normal normal 11.5px sans-serif")).toBe(11.5);
    expect(fontSizeOf(undefined)).toBe(12);
  });
});
