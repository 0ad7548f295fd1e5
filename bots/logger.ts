/** A small leveled logger to stderr that masks every configured secret. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
  // Tokens that look like Slack or Discord credentials, even when not configured here.
  return out.replace(/xox[abposr]-[A-Za-z0-9-]+/g, "[redacted]").replace(/xapp-[A-Za-z0-9-]+/g, "[redacted]");
}

function describe(extra: unknown): string {
  if (extra === undefined) return "";
  if (extra instanceof Error) return ` ${extra.name}: ${extra.message}`;
  try {
    return ` ${JSON.stringify(extra)}`;
  } catch {
    return ` ${String(extra)}`;
  }
}

export function createLogger(level: LogLevel, secrets: readonly string[], write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
  const at = (l: LogLevel) => (msg: string, extra?: unknown) => {
    if (ORDER[l] < ORDER[level]) return;
    write(redact(`${new Date().toISOString()} ${l.toUpperCase()} ${msg}${describe(extra)}`, secrets));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
