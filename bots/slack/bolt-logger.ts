/**
 * Bolt, its Web API client and its Socket Mode client log through this
 * adapter, so their lines go to drillbot's logger (which masks secrets).
 */
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../logger.js";

function split(parts: unknown[]): [string, unknown] {
  const [first, ...rest] = parts;
  const head = typeof first === "string" ? first : first instanceof Error ? `${first.name}: ${first.message}` : JSON.stringify(first);
  const tail = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest;
  return [`slack: ${head}`, tail];
}

/** `level` is what Bolt asks before building expensive debug text; our own logger filters anyway. */
export function boltLogger(log: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let current = level;
  return {
    debug: (...m: unknown[]) => log.debug(...split(m)),
    info: (...m: unknown[]) => log.info(...split(m)),
    warn: (...m: unknown[]) => log.warn(...split(m)),
    error: (...m: unknown[]) => log.error(...split(m)),
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => {},
  };
}

/** `log` without its debug lines: for Web API clients whose debug output holds OAuth answers (tokens, refresh tokens). */
export function withoutDebug(log: Logger): Logger {
  return { debug: () => {}, info: (m, e) => log.info(m, e), warn: (m, e) => log.warn(m, e), error: (m, e) => log.error(m, e) };
}
