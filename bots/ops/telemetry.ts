/**
 * The process's event metrics: counters and histograms that the adapters,
 * the answer path and the delivery workers move as things happen. They live
 * in one registry per process (like prom-client's default registry), which
 * createMetrics merges with the scrape-time gauges. Labels are bounded sets
 * (platform, kind, outcome, status class): never a user, a server or a channel.
 */
import { Counter, Histogram, Registry } from "prom-client";

/** The registry every event metric below registers in. */
export const eventRegistry = new Registry();

/**
 * Interaction latency buckets, seconds: dense around the 3-second
 * acknowledgement deadline of Discord and Slack, so "acknowledged late" is a
 * bucket boundary (le="3") an alert can use.
 */
export const INTERACTION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 10];

/** Drill lateness buckets, seconds: from on time to an hour late. */
export const LATENESS_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const registers = [eventRegistry];

/** Slash commands, buttons, menus, modals and shell lines handled, by how they ended. */
export const interactions = new Counter({
  name: "drillbot_interactions_total",
  help: "Interactions handled, by platform, kind (command, answer, button, autocomplete, modal, message) and outcome (ok, refused, error)",
  labelNames: ["platform", "kind", "outcome"] as const,
  registers,
});

export const interactionSeconds = new Histogram({
  name: "drillbot_interaction_duration_seconds",
  help: "Time from an interaction's arrival to its handling being done, by platform and kind; the 3 s bucket is the platforms' acknowledgement deadline",
  labelNames: ["platform", "kind"] as const,
  buckets: INTERACTION_BUCKETS,
  registers,
});

export const answers = new Counter({
  name: "drillbot_answers_total",
  help: "Answers received, by platform and result: correct or wrong (recorded), rejected (not an answer to an open question; nothing recorded), duplicate (the same event again), already-answered (the question was answered before)",
  labelNames: ["platform", "result"] as const,
  registers,
});

export const answerRetries = new Counter({
  name: "drillbot_answer_retries_total",
  help: "Answers that took a second pass, by reason: stale (the learner changed between read and write, so the answer was decided again) or duplicate (the platform delivered the same event again; the first result was replayed)",
  labelNames: ["reason"] as const,
  registers,
});

export const platformRequests = new Counter({
  name: "drillbot_platform_requests_total",
  help: "HTTP requests to Discord's and Slack's APIs, by platform and response status (a number, or 'error' when no response came)",
  labelNames: ["platform", "status"] as const,
  registers,
});

export const rateLimitWaits = new Counter({
  name: "drillbot_rate_limit_waits_total",
  help: "Times a request waited because of a platform rate limit, by platform and scope (e.g. global, route, retry-after)",
  labelNames: ["platform", "scope"] as const,
  registers,
});

export const rateLimitWaitSeconds = new Counter({
  name: "drillbot_rate_limit_wait_seconds_total",
  help: "Seconds spent waiting on platform rate limits, by platform",
  labelNames: ["platform"] as const,
  registers,
});

export const deliveries = new Counter({
  name: "drillbot_deliveries_total",
  help: "Scheduled sends handled, by platform, kind (personal-drill, reminder, channel-drill, close-drill, close-challenge) and outcome (sent, held, already-sent, nothing-to-send, gone, on-break, too-late, failed, rate-limited)",
  labelNames: ["platform", "kind", "outcome"] as const,
  registers,
});

export const drillLateness = new Histogram({
  name: "drillbot_drill_lateness_seconds",
  help: "Delivered time minus scheduled time of drills and reminders that were sent, by platform and kind",
  labelNames: ["platform", "kind"] as const,
  buckets: LATENESS_BUCKETS,
  registers,
});
