/**
 * Counts every HTTP request drillbot makes to Discord's and Slack's APIs
 * (drillbot_platform_requests_total{platform,status}) and every wait a rate
 * limit imposes in the client (drillbot_rate_limit_waits_total{platform,scope},
 * drillbot_rate_limit_wait_seconds_total{platform}). Each hook is installed
 * once where a client is built; labels are bounded sets, never a route, a
 * channel or a user.
 *
 * Discord (@discordjs/rest): every network attempt goes through the REST's
 * `makeRequest` option, wrapped here (a status, or "error" when no response
 * came). Waits: the REST asks `rejectOnRateLimit` before each wait (after
 * emitting RESTEvents.RateLimited for a bucket known to be empty, and without
 * an event after a 429 on an interaction callback or a sublimit), so the
 * wrapped filter counts each wait once, when it is not turned into an error.
 *
 * Slack (@slack/web-api): every call, the upload POST to a file's upload URL
 * included, goes through the client's axios instance, whose `adapter` option is
 * wrapped here. A 429 with a Retry-After is waited out in the client unless it
 * was built with rejectRateLimitedCalls (then the caller decides).
 */
import axios, { type AxiosAdapter, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from "axios";
import { RESTEvents, type RateLimitData, type REST, type RESTOptions } from "discord.js";
import type { webApi } from "@slack/bolt";
import { platformRequests, rateLimitWaits, rateLimitWaitSeconds } from "./telemetry.js";

export type Platform = "discord" | "slack";

/**
 * Where a wait came from. Discord: "global" (the bot's global limit), "user"
 * or "shared" (a 429's X-RateLimit-Scope), "route" (a route's bucket was known
 * to be empty, so the REST waited without asking). Slack: "method" (Slack
 * limits each Web API method per workspace; a 429 says only Retry-After).
 * Either: "retry-after" (a 429 handed to the job runtime, which pauses the
 * platform's delivery queue for that long instead of waiting in the client).
 */
export type WaitScope = "global" | "user" | "shared" | "route" | "method" | "retry-after";

export function countRequest(platform: Platform, status: number | "error"): void {
  platformRequests.inc({ platform, status: String(status) });
}

export function countWait(platform: Platform, scope: WaitScope, seconds: number): void {
  rateLimitWaits.inc({ platform, scope });
  rateLimitWaitSeconds.inc({ platform }, Math.max(0, seconds));
}

const observedRests = new WeakSet<REST>();

/** Most buckets remembered between a 429 and the wait it leads to (the wait normally follows at once). */
const PENDING_LIMIT = 100;

async function rejects(filter: RESTOptions["rejectOnRateLimit"], data: RateLimitData): Promise<boolean> {
  if (!filter) return false;
  if (typeof filter === "function") return filter(data);
  return filter.some((route) => data.route.startsWith(route.toLowerCase()));
}

const scopeOf429 = (d: RateLimitData): WaitScope => (d.global || d.scope === "global" ? "global" : d.scope === "shared" ? "shared" : "user");

/**
 * Counts a discord.js REST's requests and rate-limit waits: the gateway
 * client's `client.rest` or a REST of our own. Safe to call twice.
 */
export function observeDiscordRest<T extends REST>(rest: T): T {
  if (observedRests.has(rest)) return rest;
  observedRests.add(rest);
  const options = rest.options;

  const send = options.makeRequest;
  options.makeRequest = async function (this: unknown, url, init) {
    try {
      const res = await send.call(this, url, init);
      countRequest("discord", res.status);
      return res;
    } catch (err) {
      countRequest("discord", "error");
      throw err;
    }
  };

  // A bucket the REST knows is empty: it emits RateLimited, then asks the filter, then waits.
  const announced = new WeakSet<RateLimitData>();
  rest.on(RESTEvents.RateLimited, (data) => void announced.add(data));
  // A 429 that emptied its bucket is waited out by the announced wait that follows it: keep the 429's scope for it.
  const pendingScope = new Map<string, WaitScope>();
  const filter = options.rejectOnRateLimit;
  options.rejectOnRateLimit = async (data) => {
    const key = `${data.hash}:${data.majorParameter}`;
    if (await rejects(filter, data)) {
      pendingScope.delete(key);
      return true;
    }
    if (announced.has(data)) {
      const scope = data.global ? "global" : (pendingScope.get(key) ?? "route");
      pendingScope.delete(key);
      countWait("discord", scope, data.timeToReset / 1000);
    } else if (data.majorParameter === "burst") {
      // Interaction callbacks and webhooks with a token: the REST sleeps Retry-After, then sends again.
      countWait("discord", scopeOf429(data), data.retryAfter / 1000);
    } else if (data.sublimitTimeout > 0) {
      countWait("discord", scopeOf429(data), data.sublimitTimeout / 1000);
    } else {
      pendingScope.delete(key);
      pendingScope.set(key, scopeOf429(data));
      if (pendingScope.size > PENDING_LIMIT) pendingScope.delete(pendingScope.keys().next().value!);
    }
    return false;
  };
  return rest;
}

/** Slack's Retry-After as @slack/web-api reads it (whole seconds), or undefined when it would not wait. */
function retryAfterOf(res: AxiosResponse): number | undefined {
  const header: unknown = res.headers["retry-after"];
  if (header === undefined || header === null) return undefined;
  const seconds = Number.parseInt(String(header), 10);
  return Number.isNaN(seconds) ? undefined : seconds;
}

const INNER = Symbol("drillbot.platformMetrics.innerAdapter");
/** An adapter function, a name ("http") or a list of them, as axios takes. */
type AdapterConfig = NonNullable<AxiosRequestConfig["adapter"]>;
type CountingAdapter = AxiosAdapter & { [INNER]: AdapterConfig };

/**
 * Web API client options that count each request and each rate-limit wait of
 * every WebClient built from them (Bolt builds several from App's
 * clientOptions). Applying it to options that already count does not count twice.
 */
export function slackClientOptions(options: webApi.WebClientOptions = {}): webApi.WebClientOptions {
  const given = options.adapter;
  const inner: AdapterConfig = (typeof given === "function" && INNER in given ? (given as CountingAdapter)[INNER] : given) ?? axios.defaults.adapter!;
  const waits = options.rejectRateLimitedCalls !== true;
  const adapter = Object.assign(
    async (config: Parameters<AxiosAdapter>[0]) => {
      let res: AxiosResponse;
      try {
        res = await axios.getAdapter(inner, config)(config);
      } catch (err) {
        countRequest("slack", (err as { response?: { status?: number } }).response?.status ?? "error");
        throw err;
      }
      countRequest("slack", res.status);
      if (res.status === 429 && waits) {
        const seconds = retryAfterOf(res);
        if (seconds !== undefined) countWait("slack", "method", seconds);
      }
      return res;
    },
    { [INNER]: inner },
  ) as CountingAdapter;
  return { ...options, adapter };
}

const observedApps = new WeakSet<object>();

/**
 * Counts the posts Bolt's `respond()` makes to a response_url. Bolt sends them
 * with an axios instance of its own (App's private `axios`, Bolt 4.x), not a
 * WebClient; returns false when this Bolt version has no such instance.
 */
export function observeSlackResponses(app: object): boolean {
  const instance = (app as { axios?: Partial<AxiosInstance> }).axios;
  if (!instance?.interceptors?.response) return false;
  if (observedApps.has(app)) return true;
  observedApps.add(app);
  instance.interceptors.response.use(
    (res) => {
      countRequest("slack", res.status);
      return res;
    },
    (err: unknown) => {
      countRequest("slack", (err as { response?: { status?: number } }).response?.status ?? "error");
      throw err;
    },
  );
  return true;
}

/** fetch for Slack's URLs outside the Web API (a stored response_url), counted. */
export async function slackFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(input, init);
  } catch (err) {
    countRequest("slack", "error");
    throw err;
  }
  countRequest("slack", res.status);
  return res;
}
