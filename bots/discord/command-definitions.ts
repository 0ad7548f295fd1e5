/**
 * The slash commands drillbot registers with Discord (deploy-commands sends
 * this list as is). One entry a command; /drill, /challenge and /settings
 * map to the core's drill, challenge and settings commands (see
 * drill-slash.ts, settings-slash.ts) or are handled here (admin-role).
 * Discord's rules: names lowercase, 1-32 characters; descriptions 1-100;
 * at most 25 options and 25 choices; required options first; subcommands
 * only inside groups, one level deep.
 */
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { MAX_BREAK_DAYS, MAX_QUIZ_COUNT } from "../../core/commands.js";
import { MAX_RETENTION, MIN_RETENTION } from "../../core/srs.js";

/** Option names, shared by the definitions and the code that reads them. */
export const OPTION = {
  topic: "topic",
  count: "count",
  period: "period",
  zone: "zone",
  time: "time",
  days: "days",
  window: "window",
  duration: "duration",
  on: "on",
  role: "role",
  clear: "clear",
  state: "state",
  value: "value",
  off: "off",
  export: "export",
  pack: "pack",
  file: "file",
} as const;
export const SUBCOMMAND_TZ = "tz";
export const SUBCOMMAND_ADMIN_ROLE = "admin-role";
export const SETTINGS_SUB = { show: "show", private: "private", retention: "retention", team: "team", quiet: "quiet" } as const;
export const DRILL_SUB = { me: "me", meOff: "me-off", remind: "remind", channel: "channel", channelOff: "channel-off", list: "list" } as const;
export const CHALLENGE_SUB = { post: "post", write: "write" } as const;
export const CONTENT_SUB = { packs: "packs", enable: "enable", disable: "disable", rollback: "rollback", export: "export", remove: "remove", upload: "upload" } as const;

/** Usable in servers and in the bot's DMs. */
const everywhere = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

/** Only in servers (channel features). */
const inServers = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
};

const topicOption = (description: string, required = false) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.topic,
  description,
  required,
  autocomplete: true,
  max_length: 100,
});

const timeOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.time,
  description,
  required: true,
  min_length: 4,
  max_length: 5,
});

const zoneOption = (required: boolean, description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.zone,
  description,
  required,
  autocomplete: true,
  max_length: 64,
});

const durationOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.duration,
  description,
  required: true,
  max_length: 10,
});

const retentionOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.value,
  description,
  required: true,
  max_length: 10,
});

const packOption = (description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name: OPTION.pack,
  description,
  required: true,
  autocomplete: true,
  max_length: 64,
});

const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption => ({
  type: ApplicationCommandOptionType.Subcommand,
  name,
  description,
  ...(options.length ? { options } : {}),
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
    name: "team",
    description: "The whole server: this week, the last 8 weeks and mastery by lesson",
    options: [
      { type: ApplicationCommandOptionType.Boolean, name: OPTION.export, description: "Admins: the team's figures as a CSV file, sent to you only", required: false },
    ],
    ...everywhere,
  },
  {
    name: "break",
    description: "Pause drills and reminders; your streak is held while you are away",
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: OPTION.days,
        description: `How many days (1-${MAX_BREAK_DAYS}); leave out to see your break`,
        required: false,
        min_value: 1,
        max_value: MAX_BREAK_DAYS,
      },
      { type: ApplicationCommandOptionType.Boolean, name: OPTION.off, description: "True: end your break now", required: false },
    ],
    ...everywhere,
  },
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
      sub(SETTINGS_SUB.show, "Show your settings: time zone, privacy, retention, break"),
      sub(SETTINGS_SUB.private, "Appear as anonymous in team exports, team charts and leaderboards", [
        {
          type: ApplicationCommandOptionType.String,
          name: OPTION.state,
          description: "on: anonymous; off: your name shows",
          required: true,
          choices: [
            { name: "on", value: "on" },
            { name: "off", value: "off" },
          ],
        },
      ]),
      sub(SETTINGS_SUB.retention, "How much you want to recall when a card comes back (higher: more reviews)", [
        retentionOption(`${MIN_RETENTION} to ${MAX_RETENTION}, e.g. 0.9; or default (the server's)`),
      ]),
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: SETTINGS_SUB.team,
        description: "Admins: settings for the whole server",
        options: [
          sub(SETTINGS_SUB.retention, "Admins: the server's desired retention, for learners without their own", [
            retentionOption(`${MIN_RETENTION} to ${MAX_RETENTION}, e.g. 0.9; or default (0.9)`),
          ]),
          sub(SETTINGS_SUB.quiet, "Admins: no DMs in this daily window; they arrive when it ends", [
            {
              type: ApplicationCommandOptionType.String,
              name: OPTION.window,
              description: "HH:MM-HH:MM, e.g. 22:00-07:00; or off",
              required: true,
              max_length: 20,
            },
            zoneOption(false, "The IANA time zone of the window, e.g. Europe/Berlin (default: yours)"),
          ]),
        ],
      },
      sub(SUBCOMMAND_ADMIN_ROLE, "Server: the role whose members may set up channel drills and challenges (Manage Server only)", [
        { type: ApplicationCommandOptionType.Role, name: OPTION.role, description: "The admin role (leave out to see the current one)", required: false },
        { type: ApplicationCommandOptionType.Boolean, name: OPTION.clear, description: "Remove the admin role: only Manage Server members stay admins", required: false },
      ]),
    ],
    ...everywhere,
  },
  {
    name: "drill",
    description: "Daily drills: your own by DM, or one question a day in this channel",
    options: [
      sub(DRILL_SUB.me, "A daily drill for you, sent by DM (due reviews first)", [
        timeOption("Local time, 24-hour HH:MM, e.g. 08:30"),
        zoneOption(false, "Your IANA time zone, e.g. Europe/Berlin (default: your /settings tz)"),
        {
          type: ApplicationCommandOptionType.Integer,
          name: OPTION.count,
          description: `Questions per drill (1-${MAX_QUIZ_COUNT}, default 5)`,
          required: false,
          min_value: 1,
          max_value: MAX_QUIZ_COUNT,
        },
      ]),
      sub(DRILL_SUB.meOff, "Stop your daily drill and streak reminders"),
      sub(DRILL_SUB.remind, "Streak reminders at 20:00 on days you have not studied", [
        { type: ApplicationCommandOptionType.Boolean, name: OPTION.on, description: "True: remind me; false: stop reminding", required: true },
      ]),
      sub(DRILL_SUB.channel, "Admins: post one question a day in this channel", [
        timeOption("Local time, 24-hour HH:MM, e.g. 09:00"),
        zoneOption(true, "The IANA time zone of that time, e.g. Europe/Berlin"),
        {
          type: ApplicationCommandOptionType.String,
          name: OPTION.days,
          description: "every day (default), weekdays, weekends, or days like mon,wed,fri",
          required: false,
          autocomplete: true,
          max_length: 60,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: OPTION.window,
          description: "Post the results this long after each question, e.g. 2h (default: at the next drill)",
          required: false,
          max_length: 10,
        },
        topicOption("Only questions from this pack or topic, e.g. an uploaded pack (default: the whole course)"),
      ]),
      sub(DRILL_SUB.channelOff, "Admins: stop this channel's drill"),
      sub(DRILL_SUB.list, "Your drill and this server's channel drills"),
    ],
    ...everywhere,
  },
  {
    name: "challenge",
    description: "Admins: a timed question for this channel; earlier right answers earn more",
    options: [
      sub(CHALLENGE_SUB.post, "Post a question from the course", [
        topicOption("A topic (e.g. indexes) or a question id", true),
        durationOption("How long answers count, e.g. 30m, 2h or 1d"),
      ]),
      sub(CHALLENGE_SUB.write, "Write your own question in a form", [durationOption("How long answers count, e.g. 30m, 2h or 1d")]),
    ],
    ...inServers,
  },
  {
    // Not hidden with default_member_permissions: that applies to the whole command (never to one subcommand),
    // and learners use /content packs; the admin role of /settings admin-role would be hidden too. The core refuses non-admins.
    name: "content",
    description: "The server's content packs: list them; admins upload, switch, roll back and export",
    options: [
      sub(CONTENT_SUB.packs, "The packs this server studies: built-in and uploaded, on or off"),
      sub(CONTENT_SUB.upload, "Admins: upload a pack (.yaml), a course .json or a .csv/.tsv question table", [
        { type: ApplicationCommandOptionType.Attachment, name: OPTION.file, description: "The file; a pack with the same id replaces the stored one", required: true },
      ]),
      sub(CONTENT_SUB.enable, "Admins: switch a pack on in this server", [packOption("The pack id (/content packs lists them)")]),
      sub(CONTENT_SUB.disable, "Admins: switch a pack off in this server (learners' progress is kept)", [packOption("The pack id (/content packs lists them)")]),
      sub(CONTENT_SUB.rollback, "Admins: go back to an uploaded pack's previous version", [packOption("The uploaded pack's id")]),
      sub(CONTENT_SUB.export, "Admins: a pack as a YAML file, sent to you only", [packOption("The pack id (/content packs lists them)")]),
      sub(CONTENT_SUB.remove, "Admins: remove an uploaded pack (it is sent back to you as a file)", [packOption("The uploaded pack's id")]),
    ],
    ...inServers,
  },
];
