/** Autocomplete for the topic, time-zone and drill-days options. Lookups (the catalog is cached): answered at once. */
import type { AutocompleteInteraction } from "discord.js";
import type { StudyService } from "../../core/service/study-service.js";
import { daySuggestions, topicSuggestions, zoneSuggestions } from "./autocomplete.js";
import { OPTION } from "./command-definitions.js";
import { learnerOf } from "./interaction-context.js";

export async function handleAutocomplete(interaction: AutocompleteInteraction, service: StudyService): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value ?? "");
  // The topics of the server's own catalog (its packs and switches); cached, so the 3 seconds are not at risk.
  if (focused.name === OPTION.topic) return interaction.respond(topicSuggestions((await service.catalogFor(learnerOf(interaction).workspace)).topics(), typed));
  if (focused.name === OPTION.zone) return interaction.respond(zoneSuggestions(typed));
  if (focused.name === OPTION.days) return interaction.respond(daySuggestions(typed));
  return interaction.respond([]);
}
