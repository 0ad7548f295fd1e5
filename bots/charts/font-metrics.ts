/**
 * Text widths from the shipped TrueType font itself (its cmap and hmtx
 * tables), so ECharts lays out legends, axis labels and truncation for the
 * glyphs resvg will actually draw, instead of its built-in guess for another
 * font. Reads the font once; no kerning (charts' short labels barely need it).
 */
import { readFileSync } from "node:fs";

export interface FontMetrics {
  /** Advance width of `text` at `fontSize` px. */
  width(text: string, fontSize: number): number;
}

function tableOffsets(buf: Buffer): Map<string, number> {
  const count = buf.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    tables.set(buf.toString("latin1", at, at + 4), buf.readUInt32BE(at + 8));
  }
  return tables;
}

/** Glyph index of a BMP code point from a format 4 cmap subtable at `sub`. */
function format4Lookup(buf: Buffer, sub: number): (code: number) => number {
  const segCount = buf.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  return (code) => {
    for (let i = 0; i < segCount; i++) {
      if (code > buf.readUInt16BE(ends + i * 2)) continue;
      const start = buf.readUInt16BE(starts + i * 2);
      if (code < start) return 0;
      const delta = buf.readInt16BE(deltas + i * 2);
      const ro = buf.readUInt16BE(rangeOffsets + i * 2);
      if (ro === 0) return (code + delta) & 0xffff;
      const glyph = buf.readUInt16BE(rangeOffsets + i * 2 + ro + (code - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

export function loadFontMetrics(file: string): FontMetrics {
  const buf = readFileSync(file);
  const t = tableOffsets(buf);
  const head = t.get("head");
  const hhea = t.get("hhea");
  const hmtx = t.get("hmtx");
  const cmap = t.get("cmap");
  if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) throw new Error(`${file}: not a TrueType font with head, hhea, hmtx and cmap tables`);
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const hMetrics = buf.readUInt16BE(hhea + 34);
  let glyphOf: ((code: number) => number) | null = null;
  const subtables = buf.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables && !glyphOf; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap + buf.readUInt32BE(rec + 4);
    if (platform === 3 && encoding === 1 && buf.readUInt16BE(sub) === 4) glyphOf = format4Lookup(buf, sub);
  }
  if (!glyphOf) throw new Error(`${file}: no Unicode BMP (format 4) character map`);
  const lookup = glyphOf;
  const advance = (glyph: number) => buf.readUInt16BE(hmtx + Math.min(glyph, hMetrics - 1) * 4) / unitsPerEm;
  const em = new Map<number, number>();
  const emWidth = (code: number): number => {
    let w = em.get(code);
    if (w === undefined) {
      w = advance(code > 0xffff ? 0 : lookup(code));
      em.set(code, w);
    }
    return w;
  };
  return {
    width(text, fontSize) {
      let w = 0;
      for (const ch of text) w += emWidth(ch.codePointAt(0)!);
      return w * fontSize;
    },
  };
}

/** The px size in a CSS font shorthand ("bold 14px DejaVu Sans"), or `fallback`. */
export function fontSizeOf(font: string | undefined, fallback = 12): number {
  const m = font ? /(\d+(?:\.\d+)?)px/.exec(font) : null;
  return m ? Number(m[1]) : fallback;
}
