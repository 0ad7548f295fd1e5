/**
 * Runs /content's heavy work (core/ports.ts PackWork: checking an upload,
 * writing a pack as YAML) on one thread at a lower CPU priority, so an upload
 * of 2,000 questions (about a second of CPU) never holds up the event loop
 * that answers learners. The thread starts with the first upload or export
 * and stops after a minute idle. A bounded queue: past it an upload is
 * refused at once ("busy"), not piled up.
 */
import { Piscina } from "piscina";
import type { ImportedPack } from "../../core/content/import/imported-pack.js";
import type { UploadCheck, UploadInput } from "../../core/content/upload/check-upload.js";
import type { PackWork } from "../../core/ports.js";
import type { PackTask } from "./pack-worker.js";

export class PackWorkBusyError extends Error {
  constructor(queued: number) {
    super(`drillbot is checking other uploads (${queued} waiting)`);
  }
}

export interface PackWorkPool extends PackWork {
  close(): Promise<void>;
}

const ENTRY = new URL("./pack-worker-entry.js", import.meta.url).href;

export function packWorkPool(options: { maxQueue?: number; timeoutMs?: number; niceIncrement?: number } = {}): PackWorkPool {
  const maxQueue = Math.max(1, options.maxQueue ?? 8);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let pool: Piscina<PackTask, UploadCheck | string> | null = null;
  let closed = false;
  const get = () => {
    if (closed) throw new Error("the pack work pool is closed");
    return (pool ??= new Piscina<PackTask, UploadCheck | string>({
      filename: ENTRY,
      minThreads: 0,
      maxThreads: 1,
      maxQueue,
      idleTimeout: 60_000,
      niceIncrement: options.niceIncrement ?? 10,
      atomics: "disabled",
    }));
  };
  const run = async (task: PackTask) => {
    const p = get();
    if (p.queueSize >= maxQueue) throw new PackWorkBusyError(p.queueSize);
    return p.run(task, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
      if (err instanceof Error && /queue is at limit/i.test(err.message)) throw new PackWorkBusyError(p.queueSize);
      if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) throw new Error(`the work took longer than ${Math.round(timeoutMs / 1000)} s`);
      throw err;
    });
  };
  return {
    check: async (input: UploadInput) => (await run({ kind: "check", input })) as UploadCheck,
    toYaml: async (pack: ImportedPack, comment?: string) => (await run({ kind: "yaml", pack, ...(comment !== undefined ? { comment } : {}) })) as string,
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
