/** A person using Discord against the stand-in: runs slash commands, presses buttons, picks menus, fills modals. */
import { buttonsOf, componentsOf, Conversation, type JsonObject, type SeenMessage } from "./discord-conversation.js";
import { autocomplete, buttonPress, modalSubmit, OPT, roleJson, selectMenu, slashCommand, type Actor, type OptionValue, type ResolvedAttachment } from "./discord-interactions.js";
import type { DiscordStandin } from "./discord-standin.js";

export type Until = (c: Conversation) => boolean;

/** An option value as a user picks it: text, a number, true/false, a role, or a file (hosted by the stand-in). */
export type PickedValue = string | number | boolean | { role: { id: string; name: string } } | { attachment: ResolvedAttachment };

/** Answered, with at least `n` visible messages. */
export const atLeast =
  (n: number): Until =>
  (c) =>
    c.answered && c.messages.length >= n;

export class DiscordUser {
  constructor(
    private readonly standin: DiscordStandin,
    readonly actor: Actor,
  ) {}

  private get appId(): string {
    return this.standin.options.appId;
  }

  /** `/name` with string/integer/boolean options given as a record (subcommand: pass `sub`). */
  run(name: string, options: Record<string, string | number | boolean> = {}, until: Until = atLeast(1), sub?: string): Promise<Conversation> {
    const opts = plainOptions(options);
    const payload = slashCommand(this.actor, this.appId, name, sub ? [{ name: sub, type: OPT.subcommand, options: opts }] : opts);
    return this.standin.interact(payload, until);
  }

  /** `/name group sub` (a subcommand inside a subcommand group) with plain options. */
  runInGroup(name: string, group: string, sub: string, options: Record<string, string | number | boolean> = {}, until: Until = atLeast(1)): Promise<Conversation> {
    const inner: OptionValue = { name: sub, type: OPT.subcommand, options: plainOptions(options) };
    return this.standin.interact(slashCommand(this.actor, this.appId, name, [{ name: group, type: OPT.group, options: [inner] }]), until);
  }

  /** `/name sub` with typed options (booleans, roles and files too); roles and files are sent resolved, as Discord does. */
  runSub(name: string, sub: string, options: Record<string, PickedValue> = {}, until: Until = atLeast(1)): Promise<Conversation> {
    const roles: JsonObject = {};
    const attachments: JsonObject = {};
    const opts: OptionValue[] = Object.entries(options).map(([k, v]) => {
      if (typeof v === "object" && "attachment" in v) {
        attachments[v.attachment.id] = { ...v.attachment };
        return { name: k, type: OPT.attachment, value: v.attachment.id };
      }
      if (typeof v === "object") {
        roles[v.role.id] = roleJson(this.actor.guild?.id ?? "0", v.role);
        return { name: k, type: OPT.role, value: v.role.id };
      }
      return { name: k, type: typeof v === "number" ? OPT.integer : typeof v === "boolean" ? OPT.boolean : OPT.string, value: v };
    });
    const resolved: JsonObject = { ...(Object.keys(roles).length ? { roles } : {}), ...(Object.keys(attachments).length ? { attachments } : {}) };
    const payload = slashCommand(this.actor, this.appId, name, [{ name: sub, type: OPT.subcommand, options: opts }], Object.keys(resolved).length ? resolved : undefined);
    return this.standin.interact(payload, until);
  }

  /** Attaches `content` as `filename` to `/name sub` (option `file`), as Discord does: the stand-in hosts it, the option names it. */
  attach(name: string, sub: string, filename: string, content: Buffer | string, opts: { size?: number; chunked?: boolean; option?: string } = {}, until: Until = atLeast(1)): Promise<Conversation> {
    const attachment = this.standin.hostAttachment(filename, content, opts);
    return this.runSub(name, sub, { [opts.option ?? "file"]: { attachment } }, until);
  }

  /** Fills in and submits a modal the bot opened (fields by their custom_id). */
  submitModal(modal: JsonObject, fields: Record<string, string>, until: Until = atLeast(1)): Promise<Conversation> {
    return this.standin.interact(modalSubmit(this.actor, this.appId, String(modal.custom_id), fields), until);
  }

  /** Autocomplete while typing `typed` into option `focus` of `/name` (inside subcommand `sub`). */
  async suggest(name: string, focus: string, typed: string, sub?: string): Promise<{ name: string; value: string }[]> {
    const focused: OptionValue = { name: focus, type: OPT.string, value: typed, focused: true };
    const payload = autocomplete(this.actor, this.appId, name, sub ? [{ name: sub, type: OPT.subcommand, options: [focused] }] : [focused]);
    const conv = await this.standin.interact(payload, (c) => c.choices !== null);
    return conv.choices ?? [];
  }

  /** Presses the button whose label contains `label` (exactly `label` for True/False style buttons). */
  press(message: SeenMessage, label: string, until: Until = atLeast(1)): Promise<Conversation> {
    const buttons = buttonsOf(message);
    const button = buttons.find((b) => b.label === label) ?? buttons.find((b) => b.label.includes(label));
    if (!button) throw new Error(`no button "${label}" among ${JSON.stringify(buttons.map((b) => b.label))}`);
    return this.pressId(message, button.custom_id, until);
  }

  pressId(message: SeenMessage, customId: string, until: Until = atLeast(1)): Promise<Conversation> {
    return this.standin.interact(buttonPress(this.actor, this.appId, message, customId), until);
  }

  /** Picks the select-menu options whose labels contain each of `labels`. */
  select(message: SeenMessage, labels: string[], until: Until = atLeast(1)): Promise<Conversation> {
    const menu = componentsOf(message).find((c) => c.type === 3);
    if (!menu) throw new Error("the message has no select menu");
    const options = menu.options as { label: string; value: string }[];
    const values = labels.map((l) => {
      const o = options.find((opt) => opt.label.includes(l));
      if (!o) throw new Error(`no option "${l}" among ${JSON.stringify(options.map((x) => x.label))}`);
      return o.value;
    });
    return this.standin.interact(selectMenu(this.actor, this.appId, message, String(menu.custom_id), values), until);
  }

  /** Presses "Answer", then types `value` into the modal it opens and submits it. */
  async answerInModal(message: SeenMessage, value: string, until: Until = atLeast(1)): Promise<{ modal: Record<string, unknown>; result: Conversation }> {
    const opened = await this.press(message, "Answer", (c) => c.modal !== null);
    const modal = opened.modal!;
    const result = await this.standin.interact(modalSubmit(this.actor, this.appId, String(modal.custom_id), { answer: value }, message), until);
    return { modal, result };
  }
}

function plainOptions(options: Record<string, string | number | boolean>): OptionValue[] {
  return Object.entries(options).map(([k, v]) => ({ name: k, type: typeof v === "number" ? OPT.integer : typeof v === "boolean" ? OPT.boolean : OPT.string, value: v }));
}

/** The numbered choice lines of a question embed ("**2.** Alpha" → ["Gamma", "Alpha", ...]). */
export function listedChoices(message: SeenMessage): string[] {
  const description = message.embeds[0]?.description ?? "";
  return [...description.matchAll(/^\*\*(\d+)\.\*\* (.+)$/gm)].map((m) => m[2]!);
}

export { Conversation };
