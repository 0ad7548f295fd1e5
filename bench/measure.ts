/** Measurement helpers for the benchmarks: percentiles and Redis INFO commandstats. */
import { Redis } from "ioredis";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface CommandStats {
  /** Every command Redis executed, including those run inside scripts (INFO itself excluded). */
  total: number;
  /** EVAL/EVALSHA calls: the client's script round trips. */
  scripts: number;
}

export async function commandStats(url: string): Promise<CommandStats> {
  const r = new Redis(url);
  try {
    const text = await r.info("commandstats");
    let total = 0;
    let scripts = 0;
    for (const m of text.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) {
      const name = m[1]!;
      const calls = Number(m[2]);
      if (name === "info" || name === "client|setinfo" || name === "client|setname" || name === "hello" || name === "select") continue;
      total += calls;
      if (name === "evalsha" || name === "eval") scripts += calls;
    }
    return { total, scripts };
  } finally {
    r.disconnect();
  }
}

export async function usedMemory(url: string): Promise<number> {
  const r = new Redis(url);
  try {
    const text = await r.info("memory");
    return Number(/used_memory:(\d+)/.exec(text)?.[1] ?? 0);
  } finally {
    r.disconnect();
  }
}
