/**
 * Discord's published message limits (discord.com/developers/docs: Message,
 * Embed limits, Message Components), in one place, and the check the Discord
 * stand-in applies to every message the bot sends: a body Discord would
 * refuse gets Discord's 400 "Invalid Form Body" (code 50035).
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  actionRows: 5,
  componentsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
} as const;

type Json = Record<string, any>;

const L = DISCORD_LIMITS;
const len = (v: unknown) => (typeof v === "string" ? v.length : 0);

function embedProblem(e: Json, i: number): string | null {
  if (len(e.title) > L.title) return `embeds[${i}].title is longer than ${L.title}`;
  if (len(e.description) > L.description) return `embeds[${i}].description is longer than ${L.description}`;
  const fields: Json[] = Array.isArray(e.fields) ? e.fields : [];
  if (fields.length > L.fields) return `embeds[${i}] has more than ${L.fields} fields`;
  for (const [j, f] of fields.entries()) {
    if (len(f.name) > L.fieldName || len(f.value) > L.fieldValue) return `embeds[${i}].fields[${j}] is too long`;
    if (!len(f.name) || !len(f.value)) return `embeds[${i}].fields[${j}] has an empty name or value`;
  }
  if (len(e.footer?.text) > L.footer) return `embeds[${i}].footer is longer than ${L.footer}`;
  if (len(e.author?.name) > L.authorName) return `embeds[${i}].author.name is longer than ${L.authorName}`;
  for (const key of ["image", "thumbnail"] as const) {
    const url: unknown = e[key]?.url;
    if (e[key] !== undefined && (typeof url !== "string" || !/^(https?|attachment):\/\/\S+$/.test(url))) {
      return `embeds[${i}].${key}.url: scheme must be one of http, https, attachment`;
    }
  }
  return null;
}

function componentProblem(c: Json, where: string): string | null {
  if (len(c.custom_id) > L.customId) return `${where}.custom_id is longer than ${L.customId}`;
  if (c.type === 2 && len(c.label) > L.buttonLabel) return `${where}.label is longer than ${L.buttonLabel}`;
  if (c.type === 3) {
    const options: Json[] = Array.isArray(c.options) ? c.options : [];
    if (options.length > L.selectOptions) return `${where} has more than ${L.selectOptions} options`;
    if (options.some((o) => len(o.label) > L.selectOptionLabel || len(o.value) > L.selectOptionValue)) return `${where} has an option that is too long`;
  }
  return null;
}

/** Why Discord would refuse this message body, or null. */
export function messageProblem(body: Json | undefined): string | null {
  if (!body) return null;
  if (len(body.content) > L.content) return `content is longer than ${L.content}`;
  const embeds: Json[] = Array.isArray(body.embeds) ? body.embeds : [];
  if (embeds.length > L.embedsPerMessage) return `more than ${L.embedsPerMessage} embeds`;
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const p = embedProblem(e, i);
    if (p) return p;
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
    for (const f of Array.isArray(e.fields) ? (e.fields as Json[]) : []) total += len(f.name) + len(f.value);
  }
  if (total > L.embedTotal) return `embeds total more than ${L.embedTotal} characters`;
  const rows: Json[] = Array.isArray(body.components) ? body.components : [];
  if (rows.length > L.actionRows) return `more than ${L.actionRows} action rows`;
  for (const [r, row] of rows.entries()) {
    const inner: Json[] = Array.isArray(row.components) ? row.components : [];
    if (inner.length > L.componentsPerRow) return `components[${r}] has more than ${L.componentsPerRow} components`;
    for (const [k, c] of inner.entries()) {
      const p = componentProblem(c, `components[${r}].components[${k}]`);
      if (p) return p;
    }
  }
  return null;
}

export const INVALID_FORM_BODY = (problem: string): [number, unknown] => [400, { message: `Invalid Form Body (${problem})`, code: 50035 }];
