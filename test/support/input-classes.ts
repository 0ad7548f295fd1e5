/**
 * Which commands may legitimately write to storage, so a fuzz test can check
 * that everything else writes nothing. Errs on the side of "may write".
 */
import fc from "fast-check";
import type { Command } from "../../core/commands.js";
import type { Catalog } from "../../core/content/catalog.js";
import { resolveTopic } from "../../core/service/topics.js";
import { checkZone } from "../../core/time.js";

export function mayWrite(cmd: Command | null, catalog: Catalog, opts: { questionOpen: boolean }): boolean {
  if (!cmd) return false;
  switch (cmd.kind) {
    case "learn":
    case "quiz":
      return cmd.topic === undefined || resolveTopic(catalog, cmd.topic) !== null;
    case "review":
    case "challenge":
      return true;
    case "drill":
      return cmd.action !== "list";
    case "tz":
      return cmd.zone !== undefined && checkZone(cmd.zone).ok;
    case "answer":
      return opts.questionOpen;
    default:
      return false;
  }
}

/** Text a fuzzer types: any unicode, control characters, long runs, flags, numbers, near-commands. */
const WORDS = ["/quiz", "/learn", "/tz", "/drill", "/challenge", "/leaderboard", "/settings", "/streak", "/answer", "/help", "/review", "quiz", "/", "//", "/next"];
const NOISE = ["--bogus", "-1", "-x", "0", "99", "2.5", "EST", "PST", "CET", "*a", "|", "| *x | *y |", "write", "post", "me", "channel", "25:99", "\u0000", "\u001b[31m", "\u202e", "\u200b", "😀", "🏳️‍🌈", "\r", "\t"];

export const fuzzLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.array(fc.oneof(fc.constantFrom(...WORDS, ...NOISE), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 8 }).map((w) => w.join(" ")),
  fc.tuple(fc.constantFrom(...WORDS, ""), fc.integer({ min: 2001, max: 4000 }), fc.constantFrom("a", "é", "😀 ", "1 ")).map(([w, n, c]) => `${w} ${c.repeat(Math.ceil(n / c.length))}`),
);
