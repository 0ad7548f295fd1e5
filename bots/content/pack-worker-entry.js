// Entry of the pack-work thread (piscina loads it by file name). Like the
// chart threads, it registers tsx's loader itself (a worker thread does not
// inherit the parent's), then hands over the TypeScript task handler.
import { register } from "tsx/esm/api";

register();
const { default: packTask } = await import("./pack-worker.ts");

export default packTask;
