/**
 * Draws the chart replies of an answer to PNGs before it is laid out: all at
 * once, in the chart renderer's threads (the event loop only waits). A chart
 * that cannot be drawn (renderer busy, failed, or none configured) is left out
 * of the map, and the reply goes out with its alt text instead; each answer
 * logs its failures in one line.
 */
import type { Reply } from "../../core/replies.js";
import type { ChartRenderer } from "../charts/chart-renderer.js";
import type { Logger } from "../logger.js";
import { renderMessages, type OutMessage, type RenderOptions } from "./render-message.js";

/** The PNG of each chart reply that was drawn. */
export type ChartDrawer = (replies: readonly Reply[]) => Promise<ReadonlyMap<Reply, Buffer>>;

const NOTHING: ReadonlyMap<Reply, Buffer> = new Map();

const reasonOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "chart-renderer-busy") return "renderer busy";
  return err instanceof Error ? err.message.slice(0, 120) : String(err).slice(0, 120);
};

export function createChartDrawer(renderer: ChartRenderer | undefined, log: Logger): ChartDrawer {
  return async (replies) => {
    const charts = replies.filter((r): r is Extract<Reply, { type: "chart" }> => r.type === "chart");
    if (!renderer || charts.length === 0) return NOTHING;
    const results = await Promise.allSettled(charts.map((c) => renderer.renderChart(c.spec)));
    const drawn = new Map<Reply, Buffer>();
    const failed: string[] = [];
    results.forEach((result, i) => {
      if (result.status === "fulfilled") drawn.set(charts[i]!, result.value.png);
      else failed.push(`${charts[i]!.spec.kind}: ${reasonOf(result.reason)}`);
    });
    if (failed.length) log.warn(`discord: ${failed.length} of ${charts.length} chart(s) not drawn, sent as alt text (${[...new Set(failed)].join("; ")})`);
    return drawn;
  };
}

/** Draws the replies' charts (when a drawer is given), then lays the replies out as messages. */
export async function renderWithCharts(replies: Reply[], draw: ChartDrawer | undefined, opts: RenderOptions = {}): Promise<OutMessage[]> {
  const images = draw ? await draw(replies) : NOTHING;
  return renderMessages(replies, images.size ? { ...opts, images } : opts);
}
