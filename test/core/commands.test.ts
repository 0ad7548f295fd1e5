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

describe("settings, break and team export commands", () => {
  it("reads each setting, with retention as a share, a percent or default", () => {
    expect(parseCommandText("/settings")).toEqual({ kind: "settings", action: "show" });
    expect(parseCommandText("/settings private ON")).toEqual({ kind: "settings", action: "private", on: true });
    expect(parseCommandText("/settings retention 0,93")).toEqual({ kind: "settings", action: "retention", value: 0.93 });
    expect(parseCommandText("/settings retention 95%")).toEqual({ kind: "settings", action: "retention", value: 0.95 });
    expect(parseCommandText("/settings retention default")).toEqual({ kind: "settings", action: "retention", value: null });
    expect(parseCommandText("/settings team retention 0.85")).toEqual({ kind: "settings", action: "team-retention", value: 0.85 });
    expect(parseCommandText("/settings team quiet 22:00-07:00 Europe/Berlin")).toEqual({ kind: "settings", action: "quiet-hours", quiet: { start: "22:00", end: "07:00", zone: "Europe/Berlin" } });
    expect(parseCommandText("/settings team quiet 9:30 to 12:00")).toEqual({ kind: "settings", action: "quiet-hours", quiet: { start: "09:30", end: "12:00" } });
    expect(parseCommandText("/settings team quiet off")).toEqual({ kind: "settings", action: "quiet-hours", quiet: null });
    expect(parseCommandText("/settings tz Asia/Tokyo")).toEqual({ kind: "tz", zone: "Asia/Tokyo" });
  });

  it("refuses retention outside 0.85-0.97, odd quiet windows and unknown settings with the usage that applies", () => {
    for (const line of ["/settings retention 0.84", "/settings retention 0.98", "/settings retention 1", "/settings retention", "/settings private maybe", "/settings team quiet 22:00", "/settings team quiet 07:00-07:00", "/settings team volume 3", "/settings colour blue"]) {
      const cmd = parseCommandText(line);
      expect(cmd?.kind, line).toBe("invalid");
      if (cmd?.kind === "invalid") expect(cmd.usage.length, line).toBeLessThan(400);
    }
    const r = parseCommandText("/settings retention 2");
    expect(r).toMatchObject({ kind: "invalid", usage: "/settings retention <0.85-0.97|default>" });
  });

  it("reads /break as days 1-30, off or a question, and /team export", () => {
    expect(parseCommandText("/break")).toEqual({ kind: "break" });
    expect(parseCommandText("/break 7")).toEqual({ kind: "break", days: 7 });
    expect(parseCommandText("/break 30 days")).toEqual({ kind: "break", days: 30 });
    expect(parseCommandText("/break off")).toEqual({ kind: "break", days: null });
    for (const line of ["/break 0", "/break 31", "/break tomorrow", "/break 2.5"]) expect(parseCommandText(line)?.kind, line).toBe("invalid");
    expect(parseCommandText("/team export")).toEqual({ kind: "team", export: true });
    expect(parseCommandText("/team")).toEqual({ kind: "team" });
    expect(parseCommandText("/team exports now")?.kind).toBe("invalid");
  });
});

describe("content commands and channel drill topics", () => {
  it("reads /content packs, enable, disable, rollback, export and upload (the shell names a local file)", () => {
    expect(parseCommandText("/content")).toEqual({ kind: "content", action: "packs" });
    expect(parseCommandText("/content packs")).toEqual({ kind: "content", action: "packs" });
    expect(parseCommandText("/content enable Team-Ops")).toEqual({ kind: "content", action: "enable", pack: "team-ops" });
    expect(parseCommandText("/content off mini")).toEqual({ kind: "content", action: "disable", pack: "mini" });
    expect(parseCommandText("/content rollback team-ops")).toEqual({ kind: "content", action: "rollback", pack: "team-ops" });
    expect(parseCommandText("/content export team-ops")).toEqual({ kind: "content", action: "export", pack: "team-ops" });
    expect(parseCommandText("/content remove team-ops")).toEqual({ kind: "content", action: "remove", pack: "team-ops" });
    expect(parseCommandText("/content delete team-ops")).toEqual({ kind: "content", action: "remove", pack: "team-ops" });
    expect(parseCommandText("/content upload")).toEqual({ kind: "content", action: "upload" });
    expect(parseCommandText("/content upload My Questions.csv")).toEqual({ kind: "content", action: "upload", path: "My Questions.csv" });
  });

  it("refuses a missing or malformed pack id, extra words and unknown options, with the usage", () => {
    for (const line of ["/content enable", "/content disable a b", "/content export team_ops!", "/content rollback Team Ops", "/content packs now", "/content purge team-ops", "/content --force"]) {
      const cmd = parseCommandText(line);
      expect(cmd, line).toMatchObject({ kind: "invalid" });
      if (cmd?.kind === "invalid") expect(cmd.usage, line).toMatch(/^\/content packs/);
    }
  });

  it("a channel drill takes one pack or topic word after topic, anywhere after the zone", () => {
    expect(parseCommandText("/drill channel 09:00 UTC weekdays topic team-ops")).toMatchObject({ action: "channel-on", days: [1, 2, 3, 4, 5], topic: "team-ops" });
    expect(parseCommandText("/drill channel 09:00 UTC topic Team-Ops window 2h mon,wed")).toMatchObject({ action: "channel-on", days: [1, 3], windowMinutes: 120, topic: "team-ops" });
    expect(parseCommandText("/drill channel 09:00 UTC weekdays")).not.toHaveProperty("topic");
    expect(parseCommandText("/drill channel 09:00 UTC weekdays topic")).toMatchObject({ kind: "invalid" });
    expect(parseCommandText("/drill channel 09:00 UTC topic window 2h")).toMatchObject({ kind: "invalid" });
  });
});
