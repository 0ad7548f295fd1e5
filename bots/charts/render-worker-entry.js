// Entry of each chart render thread (piscina loads it by file name). A worker
// thread starts without the parent's loaders when the parent got them from
// tsx's API (bin/drillbot.js) or from vitest, so it registers tsx's loader
// itself, then hands over the TypeScript task handler.
import { register } from "tsx/esm/api";

register();
const { default: renderTask } = await import("./render-worker.ts");

export default renderTask;
