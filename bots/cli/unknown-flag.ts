/** Finds a command-line flag a command does not know ("--bogus"), so it is refused with usage rather than ignored. */

/** The first argument that looks like a flag and is not one of `known` (flags in `known` take a value, which is skipped). */
export function unknownFlag(args: readonly string[], known: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (known.includes(a)) {
      i += 1;
      continue;
    }
    if (/^-/.test(a)) return a;
  }
  return null;
}
