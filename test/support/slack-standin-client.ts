/** A fresh Slack stand-in per test and the real @slack/web-api client pointed at it, for tests of the stand-in's own rules. */
import { webApi } from "@slack/bolt";
import { afterEach, beforeEach } from "vitest";
import { SlackStandin } from "./slack-standin.js";

export function useStandinClient(token: string): { readonly standin: SlackStandin; readonly client: webApi.WebClient } {
  const state: { standin?: SlackStandin; client?: webApi.WebClient } = {};
  beforeEach(async () => {
    state.standin = await SlackStandin.start();
    state.standin.botToken = token;
    state.client = new webApi.WebClient(token, { slackApiUrl: state.standin.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  });
  afterEach(async () => {
    await state.standin?.close();
  });
  return {
    get standin() {
      return state.standin!;
    },
    get client() {
      return state.client!;
    },
  };
}

/** The Slack error code a call ends with (undefined when it succeeded). */
export async function slackErrorOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error ?? String(err);
  }
}
