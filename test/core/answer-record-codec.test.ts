import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeAnswerRecord, encodeAnswerRecord } from "../../core/answer-record-codec.js";
import type { AnswerInput } from "../../core/grading.js";
import type { AnswerRecord } from "../../core/ports.js";

const record: AnswerRecord = {
  eventId: "1234567890123456789",
  ref: { sessionId: "a1b2c3d4e5f6", index: 3, questionId: "capacity-qps-estimate" },
  input: { kind: "choices", ids: ["b", "d"] },
  correct: true,
  points: 15,
  totalPoints: 1240,
  streak: { current: 12, extendedToday: true, freezeEarned: false, freezesSpent: 1 },
  due: "2026-05-07T09:00:00.000Z",
};

const inputs: fc.Arbitrary<AnswerInput> = fc.oneof(
  fc.record({ kind: fc.constant("choices" as const), ids: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant("boolean" as const), value: fc.boolean() }),
  // -0 is stored as 0 (the same answer to grading)
  fc.record({ kind: fc.constant("number" as const), value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)) }),
  fc.record({ kind: fc.constant("number" as const), value: fc.integer(), note: fc.string() }),
  fc.record({ kind: fc.constant("text" as const), value: fc.string({ maxLength: 80 }) }),
);

const records: fc.Arbitrary<AnswerRecord> = fc.record({
  eventId: fc.string({ minLength: 1, maxLength: 30 }),
  ref: fc.record({ sessionId: fc.string({ minLength: 1, maxLength: 16 }), index: fc.nat({ max: 50 }), questionId: fc.string({ minLength: 1, maxLength: 30 }) }),
  input: inputs,
  correct: fc.boolean(),
  points: fc.integer({ min: 0, max: 1000 }),
  totalPoints: fc.nat({ max: 10_000_000 }),
  streak: fc.record({ current: fc.nat({ max: 5000 }), extendedToday: fc.boolean(), freezeEarned: fc.boolean(), freezesSpent: fc.nat({ max: 100 }) }),
  due: fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => new Date(s * 1000).toISOString()),
});

describe("compact answer record codec", () => {
  it("stores a record in a third of its JSON, with no field names", () => {
    const text = encodeAnswerRecord(record);
    expect(text.length * 3).toBeLessThan(JSON.stringify(record).length);
    expect(text).not.toMatch(/sessionId|streak|"/);
    expect(decodeAnswerRecord(text)).toEqual(record);
  });

  it("round-trips every record (ids with | and %, any input), its due date to the second", () => {
    fc.assert(
      fc.property(records, (r) => {
        const decoded = decodeAnswerRecord(encodeAnswerRecord(r));
        expect(decoded).toEqual(r);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps the due date to the second", () => {
    const decoded = decodeAnswerRecord(encodeAnswerRecord({ ...record, due: "2026-05-07T09:00:00.700Z" }))!;
    expect(decoded.due).toBe("2026-05-07T09:00:01.000Z");
  });

  it("a typed text answer holding the field separator stays whole", () => {
    const r: AnswerRecord = { ...record, input: { kind: "text", value: "a|b|%7C|c" } };
    expect(decodeAnswerRecord(encodeAnswerRecord(r))).toEqual(r);
  });

  it("reads records stored as JSON (the old form)", () => {
    expect(decodeAnswerRecord(JSON.stringify(record))).toEqual(record);
  });

  it("refuses text that is not a record", () => {
    for (const bad of ["", "x", "r1|2|3", "{oops", "null", "r1|s|!|q|1|f|z|1|0|abc|ca", "r1|s|3|q|1|f|z|1|0|abc|zz"]) expect(decodeAnswerRecord(bad)).toBeNull();
  });
});
