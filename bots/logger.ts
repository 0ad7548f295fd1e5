/**
 * drillbot's logger: pino, writing JSON lines (production) or readable lines
 * (a terminal) to stderr. Every line passes through one masking destination,
 * so a configured secret (or anything shaped like a Slack token) never leaves
 * the process, whatever field or message it hid in.
 */
import { pino, type DestinationStream } from "pino";
import { prettyFactory } from "pino-pretty";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never be written (tokens, passwords). */
  secrets: readonly string[];
  /** json: one JSON object a line; pretty: one readable line. Default pretty. */
  format?: LogFormat;
  /** Where each finished line goes (without its newline); default stderr, synchronously. */
  write?: (line: string) => void;
  /** Fields on every line, e.g. { role: "worker" }. */
  bindings?: Record<string, string>;
  /** Colours in pretty lines; default off. */
  colorize?: boolean;
}

const SLACK_TOKEN = /xox[abeposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

/** Masks each secret (as written, and as it looks inside a JSON string) and anything shaped like a Slack token. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join("[redacted]");
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join("[redacted]");
  }
  return out.replace(SLACK_TOKEN, "[redacted]");
}

/** An error as fields: its name, message and code (the stack only when debugging: one line per event otherwise). */
function errorFields(err: Error, withStack: boolean): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  return { type: err.name, message: err.message, ...(code !== undefined ? { code } : {}), ...(withStack && err.stack ? { stack: err.stack } : {}) };
}

/** The second argument of a log call as pino's merge object. */
function fields(extra: unknown, withStack: boolean): Record<string, unknown> | undefined {
  if (extra === undefined) return undefined;
  if (extra instanceof Error) return { error: errorFields(extra, withStack) };
  if (extra !== null && typeof extra === "object" && !Array.isArray(extra)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(extra)) out[k] = v instanceof Error ? errorFields(v, withStack) : v;
    return out;
  }
  return { detail: extra };
}

/** A destination that formats (when `format` is given) and masks every line before it is written. */
function maskingDestination(secrets: readonly string[], write: (line: string) => void, format?: (json: string) => string): DestinationStream {
  let pending = "";
  return {
    write(chunk: string) {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        write(redact(format ? format(line).replace(/\n$/, "") : line, secrets));
      }
    },
  };
}

const toStderr = (line: string) => void process.stderr.write(`${line}\n`);

export function createLogger(opts: LoggerOptions): Logger {
  const pretty =
    opts.format === "json"
      ? undefined
      : prettyFactory({ colorize: opts.colorize ?? false, singleLine: true, translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l", ignore: "pid,hostname,role", errorLikeObjectKeys: [] });
  const stream = maskingDestination(opts.secrets, opts.write ?? toStderr, pretty);
  const base = pino(
    {
      level: opts.level,
      base: { pid: process.pid, ...(opts.bindings ?? {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const withStack = opts.level === "debug";
  const at = (level: LogLevel) => (msg: string, extra?: unknown) => {
    const merge = fields(extra, withStack);
    if (merge) base[level](merge, msg);
    else base[level](msg);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A logger for tests and one-off tools: readable lines to `write` (default stderr). */
export function plainLogger(level: LogLevel, secrets: readonly string[] = [], write?: (line: string) => void): Logger {
  return createLogger({ level, secrets, ...(write ? { write } : {}) });
}
