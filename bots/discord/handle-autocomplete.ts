/**
 * Autocomplete for the topic, pack, time-zone and drill-days options. Lookups
 * (the catalog is cached; the pack list is one Redis read): answered at once.
 */
import type { AutocompleteInteraction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import { daySuggestions, topicSuggestions, zoneSuggestions } from "./autocomplete.js";
import { CONTENT_SUB, OPTION } from "./command-definitions.js";
import { placeOf, workspaceOf } from "./interaction-context.js";

/** Every pack id of a workspace (built-in and its own, switched off or not), by workspace id ("discord:<guild>"). */
export type PackIdSource = (workspace: string) => Promise<string[]>;

const unique = (values: string[]): string[] => [...new Set(values)];

export async function handleAutocomplete(interaction: AutocompleteInteraction, service: StudyService, packIds?: PackIdSource): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value ?? "");
  const workspace = workspaceOf(interaction);
  // The server's own catalog (its packs and switches); cached, so the 3 seconds are not at risk. Its pack ids first: /quiz takes them too.
  if (focused.name === OPTION.topic) {
    const catalog = await service.catalogFor(placeOf(interaction));
    return interaction.respond(topicSuggestions(unique([...catalog.packs.map((p) => p.manifest.id), ...catalog.topics()]), typed));
  }
  if (focused.name === OPTION.pack) {
    // A switched-off pack is not in the catalog; enable needs it, and the others may name it too.
    const seen = (await service.catalogFor(placeOf(interaction))).packs.map((p) => p.manifest.id);
    const all = packIds ? unique([...(await packIds(workspace)), ...seen]) : seen;
    const sub = interaction.options.getSubcommand(false);
    const offFirst = sub === CONTENT_SUB.enable ? [...all.filter((id) => !seen.includes(id)), ...all.filter((id) => seen.includes(id))] : all;
    return interaction.respond(topicSuggestions(offFirst, typed));
  }
  if (focused.name === OPTION.zone) return interaction.respond(zoneSuggestions(typed));
  if (focused.name === OPTION.days) return interaction.respond(daySuggestions(typed));
  return interaction.respond([]);
}
