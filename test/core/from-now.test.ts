import { describe, expect, it } from "vitest";
import { fromNow } from "../../core/time.js";

describe("when a review comes back, in words", () => {
  const now = Date.parse("2026-03-02T12:00:00Z");
  it("says minutes, hours, days and months", () => {
    expect(fromNow("2026-03-02T12:10:00Z", now)).toBe("in 10 minutes");
    expect(fromNow("2026-03-02T15:00:00Z", now)).toBe("in 3 hours");
    expect(fromNow("2026-03-03T12:00:00Z", now)).toBe("tomorrow");
    expect(fromNow("2026-03-08T12:00:00Z", now)).toBe("in 6 days");
    expect(fromNow("2026-06-02T12:00:00Z", now)).toBe("in 3 months");
  });
  it("never says a due card is in the past", () => {
    expect(fromNow("2026-03-02T11:59:00Z", now)).toBe("in 1 minute");
  });
});
