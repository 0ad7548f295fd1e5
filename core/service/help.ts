/** The help reply: every command with its usage, the same meaning on every platform. */
import type { Catalog } from "../content/catalog.js";
import { USAGE } from "../commands.js";
import type { Reply } from "../replies.js";
import { suggestTopics } from "./topics.js";

export function helpReply(catalog: Catalog): Reply {
  return {
    type: "help",
    intro: "drillbot teaches in short lessons, quizzes you, and brings questions back just before you would forget them.",
    commands: [
      { command: "learn", usage: USAGE.learn, description: "Read the next lesson, or the one on a topic." },
      { command: "quiz", usage: USAGE.quiz, description: "Answer questions; due reviews come first." },
      { command: "review", usage: USAGE.review, description: "Review the cards that are due now." },
      { command: "streak", usage: USAGE.streak, description: "Your daily streak and freezes." },
      { command: "leaderboard", usage: USAGE.leaderboard, description: "This week's or all-time points in this workspace." },
      { command: "stats", usage: USAGE.stats, description: "Your points and cards, your year of study days and mastery by lesson." },
      { command: "team", usage: USAGE.team, description: "The team's last 8 weeks and mastery by lesson; admins: export a CSV." },
      { command: "tz", usage: USAGE.tz, description: "Set your time zone so streak days match your days." },
      { command: "settings", usage: "/settings [private on|off | retention 0.85-0.97 | tz <zone>]", description: "Your settings; admins: /settings team retention or quiet." },
      { command: "break", usage: "/break <1-30 days> | off", description: "Pause drills and reminders; your streak is held." },
      { command: "drill", usage: "/drill me <HH:MM> [zone] [count] | off | list", description: "A daily drill at your time; admins: /drill channel for a channel." },
      { command: "challenge", usage: "/challenge post <topic> <duration>", description: "Admins: post a timed challenge (or /challenge write your own)." },
      { command: "content", usage: "/content packs | upload <file> | enable|disable|rollback|export|remove <pack>", description: "The packs this workspace studies; admins: upload your own questions (CSV, YAML, course JSON)." },
      { command: "help", usage: USAGE.help, description: "Show this help." },
    ],
    topics: suggestTopics(catalog),
  };
}
