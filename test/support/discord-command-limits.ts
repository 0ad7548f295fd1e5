/**
 * Discord's rules for registering slash commands
 * (discord.com/developers/docs/interactions/application-commands): names
 * match ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ and are lowercase;
 * descriptions 1-100 characters; at most 25 options and 25 choices, choice
 * names 1-100 and string values up to 100; names unique among siblings;
 * required options before optional ones; autocomplete never with choices;
 * subcommand groups hold only subcommands, subcommands only plain options
 * (one level of nesting); at most 8000 characters of names, descriptions and
 * choice values per command; at most 100 chat-input commands. The Discord
 * stand-in refuses a registration breaking one with 400/50035.
 */
type Json = Record<string, any>;

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OPT = { subcommand: 1, group: 2, string: 3, integer: 4, number: 10 } as const;

export const COMMAND_LIMITS = { commands: 100, options: 25, choices: 25, description: 100, choiceName: 100, choiceValue: 100, totalChars: 8000 } as const;

const L = COMMAND_LIMITS;
const len = (v: unknown) => (typeof v === "string" ? v.length : 0);

function nameProblem(name: unknown, where: string): string | null {
  if (typeof name !== "string" || !NAME.test(name)) return `${where}.name ${JSON.stringify(name)} does not match Discord's command name pattern`;
  if (name !== name.toLowerCase()) return `${where}.name ${JSON.stringify(name)} must be lowercase`;
  return null;
}

function describedProblem(o: Json, where: string): string | null {
  return nameProblem(o.name, where) ?? (len(o.description) < 1 || len(o.description) > L.description ? `${where}.description must be 1-${L.description} characters` : null);
}

/** Characters counted toward the 8000 per command: names, descriptions, choice names and values. */
function chars(o: Json): number {
  const choices: Json[] = Array.isArray(o.choices) ? o.choices : [];
  const options: Json[] = Array.isArray(o.options) ? o.options : [];
  return len(o.name) + len(o.description) + choices.reduce((n, c) => n + len(c.name) + String(c.value ?? "").length, 0) + options.reduce((n, c) => n + chars(c), 0);
}

function optionsProblem(options: unknown, where: string, depth: 0 | 1 | 2): string | null {
  if (options === undefined) return null;
  if (!Array.isArray(options)) return `${where}.options is not an array`;
  if (options.length > L.options) return `${where} has more than ${L.options} options`;
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [i, o] of (options as Json[]).entries()) {
    const at = `${where}.options[${i}]`;
    const p = describedProblem(o, at);
    if (p) return p;
    if (names.has(o.name)) return `${at}.name "${o.name}" is used twice`;
    names.add(o.name);
    const type = Number(o.type);
    const nested = type === OPT.subcommand || type === OPT.group;
    if (nested) {
      if (depth === 2 || (type === OPT.group && depth !== 0)) return `${at}: ${type === OPT.group ? "a subcommand group" : "a subcommand"} cannot be nested here`;
      if (o.required !== undefined) return `${at}: a subcommand or group takes no required`;
      if (type === OPT.group && (!Array.isArray(o.options) || o.options.some((c: Json) => Number(c.type) !== OPT.subcommand))) return `${at}: a subcommand group holds only subcommands`;
      const inner = optionsProblem(o.options, at, type === OPT.group ? 1 : 2);
      if (inner) return inner;
      continue;
    }
    if (depth === 1) return `${at}: a subcommand group holds only subcommands`;
    if (o.required === true && optionalSeen) return `${at}: required options must be listed before optional ones`;
    if (o.required !== true) optionalSeen = true;
    const choices: unknown = o.choices;
    if (choices !== undefined) {
      if (type !== OPT.string && type !== OPT.integer && type !== OPT.number) return `${at}: only string, integer and number options take choices`;
      if (!Array.isArray(choices) || choices.length > L.choices) return `${at} has more than ${L.choices} choices`;
      if (o.autocomplete === true) return `${at}: autocomplete may not be set with choices`;
      for (const [k, c] of (choices as Json[]).entries()) {
        if (len(c.name) < 1 || len(c.name) > L.choiceName) return `${at}.choices[${k}].name must be 1-${L.choiceName} characters`;
        if (type === OPT.string ? typeof c.value !== "string" || c.value.length > L.choiceValue : typeof c.value !== "number") return `${at}.choices[${k}].value is not a valid ${type === OPT.string ? "string" : "number"}`;
      }
    }
    if (o.max_length !== undefined && (o.max_length < 1 || o.max_length > 6000)) return `${at}.max_length must be 1-6000`;
    if (o.min_length !== undefined && (o.min_length < 0 || o.min_length > 6000)) return `${at}.min_length must be 0-6000`;
  }
  const kinds = new Set((options as Json[]).map((o) => (Number(o.type) === OPT.subcommand || Number(o.type) === OPT.group ? "sub" : "plain")));
  if (kinds.size > 1) return `${where} mixes subcommands with plain options`;
  return null;
}

/** Why Discord would refuse this list of commands (a bulk overwrite), or null. */
export function commandsProblem(commands: Json[]): string | null {
  const chatInput = commands.filter((c) => c.type === undefined || Number(c.type) === 1);
  if (chatInput.length > L.commands) return `more than ${L.commands} chat input commands`;
  const names = new Set<string>();
  for (const [i, c] of chatInput.entries()) {
    const where = `${i}`;
    const p = describedProblem(c, where) ?? optionsProblem(c.options, where, 0);
    if (p) return p;
    if (names.has(c.name)) return `${where}.name "${c.name}" is registered twice`;
    names.add(c.name);
    if (chars(c) > L.totalChars) return `${where}: more than ${L.totalChars} characters of names, descriptions and choices`;
  }
  return null;
}
