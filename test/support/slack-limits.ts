/**
 * Slack's published limits that the Slack stand-in applies, in one place.
 * response_url: "You can use a response_url up to five times within 30 minutes"
 * (api.slack.com, "Handling user interaction" / slash commands); Slack answers
 * a later use with HTTP 404 and used_url / expired_url.
 */
export const SLACK_LIMITS = {
  responseUrlUses: 5,
  responseUrlTtlMs: 30 * 60_000,
} as const;
