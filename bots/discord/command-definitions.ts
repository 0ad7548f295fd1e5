/**
 * The slash commands drillbot registers with Discord (deploy-commands sends
 * this list as is). One entry a command; /drill and /challenge join this list
 * when their core commands exist.
 */
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { MAX_QUIZ_COUNT } from "../../core/commands.js";

/** Option names, shared by the definitions and the code that reads them. */
export const OPTION = { topic: "topic", count: "count", period: "period", zone: "zone" } as const;
export const SUBCOMMAND_TZ = "tz";

/** Usable in servers and in the bot's DMs. */
const everywhere = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

const topicOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.topic,
  description,
  required: false,
  autocomplete: true,
  max_length: 100,
});

export const discordCommands: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  { name: "help", description: "What drillbot can do and the topics it teaches", ...everywhere },
  {
    name: "learn",
    description: "Read the next lesson, or the lesson on a topic",
    options: [topicOption("A topic, e.g. indexes (default: your next unread lesson)")],
    ...everywhere,
  },
  {
    name: "quiz",
    description: "Answer questions; cards due for review come first",
    options: [
      topicOption("Only questions on this topic"),
      {
        type: ApplicationCommandOptionType.Integer,
        name: OPTION.count,
        description: `How many questions (1-${MAX_QUIZ_COUNT}, default 5)`,
        required: false,
        min_value: 1,
        max_value: MAX_QUIZ_COUNT,
      },
    ],
    ...everywhere,
  },
  { name: "review", description: "Review the cards that are due now", ...everywhere },
  { name: "streak", description: "Your daily streak and streak freezes", ...everywhere },
  {
    name: "leaderboard",
    description: "Points in this server, this week or all time",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: OPTION.period,
        description: "week (default) or all",
        required: false,
        choices: [
          { name: "this week", value: "week" },
          { name: "all time", value: "all" },
        ],
      },
    ],
    ...everywhere,
  },
  { name: "stats", description: "Your points, accuracy, cards and lessons", ...everywhere },
  {
    name: "settings",
    description: "Your drillbot settings",
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: SUBCOMMAND_TZ,
        description: "Set your time zone so streak days follow your calendar",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: OPTION.zone,
            description: "An IANA zone, e.g. Europe/Berlin",
            required: true,
            autocomplete: true,
            max_length: 64,
          },
        ],
      },
    ],
    ...everywhere,
  },
];
