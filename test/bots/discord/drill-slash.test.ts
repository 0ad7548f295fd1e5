/** /drill and /challenge options as core commands, and the challenge form as a written question. Pure. */
import { describe, expect, test } from "vitest";
import { daySuggestions } from "../../../bots/discord/autocomplete.js";
import { challengeFormModal, formMinutes } from "../../../bots/discord/challenge-form.js";
import { challengeToCommand, dayWords, drillToCommand, writtenFromForm } from "../../../bots/discord/drill-slash.js";
import { nonceFor } from "../../../bots/discord/discord-messenger.js";
import { LIMITS } from "../../../bots/discord/discord-limits.js";

describe("/drill options", () => {
  test("me, me-off, remind, channel-off and list become the core's drill commands", () => {
    expect(drillToCommand("me", { time: "8:05", zone: "Europe/Berlin", count: 3 })).toEqual({ kind: "drill", action: "me-on", time: "08:05", zone: "Europe/Berlin", count: 3 });
    expect(drillToCommand("me", { time: "08:00" })).toEqual({ kind: "drill", action: "me-on", time: "08:00" });
    expect(drillToCommand("me-off", {})).toEqual({ kind: "drill", action: "me-off" });
    expect(drillToCommand("remind", { on: true })).toEqual({ kind: "drill", action: "remind", on: true });
    expect(drillToCommand("remind", { on: false })).toEqual({ kind: "drill", action: "remind", on: false });
    expect(drillToCommand("channel-off", {})).toEqual({ kind: "drill", action: "channel-off" });
    expect(drillToCommand("list", {})).toEqual({ kind: "drill", action: "list" });
  });

  test("channel reads days as a set name or a free list, and an optional window", () => {
    expect(drillToCommand("channel", { time: "09:00", zone: "utc", days: "weekdays", window: "2h" })).toEqual({
      kind: "drill",
      action: "channel-on",
      time: "09:00",
      zone: "UTC",
      days: [1, 2, 3, 4, 5],
      windowMinutes: 120,
    });
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC", days: "Mon, wed fri" })).toMatchObject({ days: [1, 3, 5], windowMinutes: null });
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC", days: "every day" })).toMatchObject({ days: [1, 2, 3, 4, 5, 6, 7] });
    expect(drillToCommand("channel", { time: "09:00", zone: "UTC" })).toMatchObject({ days: [1, 2, 3, 4, 5, 6, 7] });
    expect(dayWords("weekends")).toEqual(["weekends"]);
  });

  test("bad values are explained with the Discord usage; a time of 'off' is not read as turning the drill off", () => {
    const cases: [ReturnType<typeof drillToCommand>, string][] = [
      [drillToCommand("channel", { time: "off", zone: "UTC" }), '"off" is not a time'],
      [drillToCommand("channel", { time: "09:00", zone: "Nowhere/Land" }), "not a time zone I know"],
      [drillToCommand("channel", { time: "09:00", zone: "UTC", days: "someday" }), '"someday" is not a day'],
      [drillToCommand("channel", { time: "09:00", zone: "UTC", window: "forever" }), '"forever" is not a duration'],
      [drillToCommand("me", { time: "08:00", count: 99 }), "1 to 20 questions"],
      [drillToCommand("remind", {}), "on (true) or off (false)"],
      [drillToCommand(null, {}), "unknown drill option"],
    ];
    for (const [cmd, reason] of cases) {
      expect(cmd.kind).toBe("invalid");
      if (cmd.kind !== "invalid") continue;
      expect(cmd.reason).toContain(reason);
      expect(cmd.usage).toContain("/drill channel <time> <zone> [days] [window]");
    }
  });

  test("days autocomplete offers the usual sets and echoes a typed list", () => {
    expect(daySuggestions("").map((d) => d.value)).toEqual(["daily", "weekdays", "weekends", "mon,wed,fri", "tue,thu"]);
    expect(daySuggestions("sat,sun")[0]).toEqual({ name: "sat,sun", value: "sat,sun" });
    expect(daySuggestions("weekd").map((d) => d.value)).toContain("weekdays");
  });
});

describe("/challenge options and form", () => {
  test("post takes a topic or question id and a duration", () => {
    expect(challengeToCommand("post", { topic: "Indexes", duration: "2h" })).toEqual({ kind: "challenge", action: "post", pick: "indexes", minutes: 120 });
    expect(challengeToCommand("post", { topic: "database scaling", duration: "1 d" })).toEqual({ kind: "challenge", action: "post", pick: "database scaling", minutes: 1440 });
    expect(challengeToCommand("post", { topic: "indexes", duration: "1y" })).toMatchObject({ kind: "invalid", usage: expect.stringContaining("/challenge write <duration>") });
    expect(challengeToCommand("post", { duration: "1h" })).toMatchObject({ kind: "invalid" });
  });

  test("the form's fields become a written question, checked by the core", () => {
    const form = { question: " Which? ", options: "1. Beta\n- Alpha\n\n• Gamma\n", correct: " 2 ", explanation: "Because." };
    expect(writtenFromForm(form)).toEqual({ ok: true, question: { stem: "Which?", options: ["Beta", "Alpha", "Gamma"], correct: 1, explanation: "Because." } });
    expect(writtenFromForm({ ...form, correct: "0" })).toMatchObject({ ok: false, reason: expect.stringContaining("mark exactly one right option") });
    expect(writtenFromForm({ ...form, options: "A" })).toMatchObject({ ok: false, reason: expect.stringContaining("2 to 5 options") });
  });

  test("the form fits Discord's modal limits and carries its duration", () => {
    const modal = challengeFormModal(90);
    expect(modal.title.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(modal.components.length).toBeLessThanOrEqual(5);
    expect(formMinutes(modal.custom_id)).toBe(90);
    expect(formMinutes("v1|t|s|0|q")).toBeNull();
  });
});

test("message nonces are at most 25 characters, stable per key and message, and differ between them", () => {
  const a = nonceFor("personal-drill__discord~1~2__2026-03-02", 0);
  expect(a.length).toBeLessThanOrEqual(25);
  expect(nonceFor("personal-drill__discord~1~2__2026-03-02", 0)).toBe(a);
  expect(nonceFor("personal-drill__discord~1~2__2026-03-02", 1)).not.toBe(a);
  expect(nonceFor("personal-drill__discord~1~2__2026-03-03", 0)).not.toBe(a);
});
