import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../core/commands.js";

describe("command text", () => {
  it("reads the same command with or without a slash", () => {
    expect(parseCommandText("/quiz indexes 5")).toEqual({ kind: "quiz", topic: "indexes", count: 5 });
    expect(parseCommandText("quiz indexes 5")).toEqual({ kind: "quiz", topic: "indexes", count: 5 });
  });

  it("an empty line means help", () => {
    expect(parseCommandText("")).toEqual({ kind: "help" });
  });

  it("a count out of range is refused with the usage", () => {
    const c = parseCommandText("/quiz 99");
    expect(c).toMatchObject({ kind: "invalid", usage: "/quiz [topic] [count 1-20]" });
  });

  it("a bad leaderboard period is refused", () => {
    expect(parseCommandText("/leaderboard month")).toMatchObject({ kind: "invalid" });
    expect(parseCommandText("/leaderboard all")).toEqual({ kind: "leaderboard", period: "all" });
  });

  it("settings tz and tz are the same command", () => {
    expect(parseCommandText("/settings tz Asia/Tokyo")).toEqual({ kind: "tz", zone: "Asia/Tokyo" });
    expect(parseCommandText("/tz Asia/Tokyo")).toEqual({ kind: "tz", zone: "Asia/Tokyo" });
  });

  it("an unknown word is not a command", () => {
    expect(parseCommandText("/dance")).toBeNull();
  });
});
