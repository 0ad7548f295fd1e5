/**
 * `drillbot charts sample [--out DIR]`: draws one chart of each kind from a
 * seeded, plausible year of study (the README's pictures), so an operator can
 * see what the bot will send without any learner data.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Catalog } from "../../core/content/catalog.js";
import { lessonQuestions } from "../../core/service/progress-charts.js";
import { createChartRenderer } from "../charts/chart-renderer.js";
import { sampleCharts } from "../charts/sample-charts.js";

export async function sampleChartsCli(catalog: Catalog, outDir: string, now: Date, print: (line: string) => void): Promise<number> {
  const samples = sampleCharts({ now, zone: "Europe/Berlin", lessons: lessonQuestions(catalog), teamSize: 25 });
  const renderer = createChartRenderer({ niceIncrement: 0 });
  try {
    await mkdir(outDir, { recursive: true });
    for (const [name, spec] of Object.entries(samples)) {
      const drawn = await renderer.renderChart(spec);
      const file = path.join(outDir, `sample-${name}.png`);
      await writeFile(file, drawn.png);
      print(`${file}  ${drawn.width}x${drawn.height}  ${drawn.renderMs.toFixed(0)} ms  alt: ${drawn.alt}`);
    }
    return 0;
  } finally {
    await renderer.close();
  }
}
