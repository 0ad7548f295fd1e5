/**
 * SVG to PNG with resvg (a Rust rasteriser shipped as a prebuilt npm binary).
 * Only the shipped font is loaded, never the system's, so a chart looks the
 * same on every machine.
 */
import { Resvg } from "@resvg/resvg-js";
import { BACKGROUND, FONT_FAMILY, FONT_FILE } from "./chart-theme.js";

export interface Png {
  png: Buffer;
  width: number;
  height: number;
}

/** @param scale pixel density (1 = the SVG's own size, 2 = twice as many pixels each way). */
export function svgToPng(svg: string, scale = 1): Png {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [FONT_FILE],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
    background: BACKGROUND,
    fitTo: scale === 1 ? { mode: "original" } : { mode: "zoom", value: scale },
    logLevel: "off",
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
