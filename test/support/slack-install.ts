/**
 * A person installing the app through drillbot's real OAuth flow, for tests:
 * GET /slack/install (drillbot sets the state cookie and redirects to Slack's
 * authorize page), allow the app there (the stand-in issues the code Slack
 * would), then follow Slack's redirect to /slack/oauth_redirect with the code,
 * the state and the browser's cookie.
 */
import type { InstallTarget } from "./slack-oauth-standin.js";
import type { SlackStandin } from "./slack-standin.js";

export interface InstallOutcome {
  /** The answer of /slack/oauth_redirect. */
  status: number;
  text: string;
  /** Where /slack/install sent the browser (Slack's authorize page). */
  authorizeUrl: URL;
  /** The Set-Cookie of /slack/install and of /slack/oauth_redirect. */
  setCookie: string[];
  callbackSetCookie: string[];
}

export interface InstallTweaks {
  /** Change the state Slack hands back (a forged or tampered link). */
  state?: (state: string) => string | null;
  /** The browser sends no cookie (another browser, or cookies blocked). */
  withoutCookie?: boolean;
}

export async function installThroughSlack(port: number, standin: SlackStandin, target: InstallTarget, tweaks: InstallTweaks = {}): Promise<InstallOutcome> {
  const base = `http://127.0.0.1:${port}`;
  const start = await fetch(`${base}/slack/install`, { redirect: "manual" });
  await start.text();
  if (start.status !== 302) throw new Error(`/slack/install answered ${start.status}, not a redirect`);
  const authorizeUrl = new URL(start.headers.get("location") ?? "");
  const setCookie = start.headers.getSetCookie();
  const cookie = setCookie.map((c) => c.split(";")[0]!).join("; ");
  const stateGiven = authorizeUrl.searchParams.get("state") ?? "";
  const scopes = (authorizeUrl.searchParams.get("scope") ?? "").split(",").filter(Boolean);
  const code = standin.oauth.issueCode(target, scopes);
  const state = tweaks.state ? tweaks.state(stateGiven) : stateGiven;
  const query = new URLSearchParams({ code, ...(state !== null ? { state } : {}) });
  const back = await fetch(`${base}/slack/oauth_redirect?${query}`, { redirect: "manual", headers: tweaks.withoutCookie ? {} : { cookie } });
  return { status: back.status, text: await back.text(), authorizeUrl, setCookie, callbackSetCookie: back.headers.getSetCookie() };
}
