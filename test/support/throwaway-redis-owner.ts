/** A process that starts a throwaway test Redis, prints its pid and waits to be killed (for the orphan test). */
import { startTestRedis } from "./redis.js";

const r = await startTestRedis();
process.stdout.write(`${r.server.process.pid}\n`);
setInterval(() => undefined, 60_000);
