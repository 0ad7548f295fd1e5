/** Autocomplete suggestions for topics, time zones and drill days (Discord shows at most 25). Pure. */

export const MAX_SUGGESTIONS = 25;
/** Discord's limit for a choice's name and value. */
const MAX_CHOICE_LENGTH = 100;

export interface Suggestion {
  name: string;
  value: string;
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_]+/g, " ").trim();

/** Values matching what was typed: those starting with it (or a word of it) first, then those containing it. */
export function filterValues(values: readonly string[], typed: string, limit = MAX_SUGGESTIONS): string[] {
  const q = fold(typed);
  const usable = values.filter((v) => v.length > 0 && v.length <= MAX_CHOICE_LENGTH);
  if (!q) return usable.slice(0, limit);
  const starts: string[] = [];
  const wordStarts: string[] = [];
  const contains: string[] = [];
  for (const v of usable) {
    const f = fold(v);
    if (f.startsWith(q)) starts.push(v);
    else if (f.split(/[/ -]/).some((w, i, ws) => i > 0 && ws.slice(i).join(" ").startsWith(q))) wordStarts.push(v);
    else if (f.includes(q)) contains.push(v);
  }
  return [...starts, ...wordStarts, ...contains].slice(0, limit);
}

export function topicSuggestions(topics: readonly string[], typed: string): Suggestion[] {
  return filterValues(topics, typed).map((t) => ({ name: t, value: t }));
}

let zoneCache: string[] | null = null;

/** Every IANA zone the runtime knows, plus UTC. */
export function knownZones(): string[] {
  if (!zoneCache) {
    const zones = Intl.supportedValuesOf("timeZone");
    zoneCache = zones.includes("UTC") ? zones : ["UTC", ...zones];
  }
  return zoneCache;
}

export function zoneSuggestions(typed: string, zones: readonly string[] = knownZones()): Suggestion[] {
  return filterValues(zones, typed).map((z) => ({ name: z.replace(/_/g, " "), value: z }));
}

/** The usual day sets; anything else typed (mon,wed,fri) is offered back as it is. */
const DAY_SETS: Suggestion[] = [
  { name: "every day", value: "daily" },
  { name: "weekdays (Mon-Fri)", value: "weekdays" },
  { name: "weekends (Sat, Sun)", value: "weekends" },
  { name: "Mon, Wed, Fri", value: "mon,wed,fri" },
  { name: "Tue, Thu", value: "tue,thu" },
];

export function daySuggestions(typed: string): Suggestion[] {
  const t = typed.trim().slice(0, MAX_CHOICE_LENGTH);
  const matching = DAY_SETS.filter((d) => fold(d.name).includes(fold(t)) || d.value.startsWith(t.toLowerCase()));
  const own = t && !matching.some((d) => d.value === t.toLowerCase()) ? [{ name: t, value: t }] : [];
  return [...own, ...matching].slice(0, MAX_SUGGESTIONS);
}
