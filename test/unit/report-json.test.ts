import { describe, expect, it } from "vitest";
import { countsOf, exitCodeOf, reportJson } from "../../src/report/index.js";
import { ERRORED, FAILED, PASSED, RUN, rec, runOf } from "./report-fixtures.js";

// DESIGN "Contracts": `--out` writes report.json; exit 0 success, 1 a check failed, 2 bad input or
// infrastructure error.

describe("reportJson", () => {
  it("round-trips: JSON.parse gives back the run, evidence records included", () => {
    const text = reportJson(RUN);
    expect(JSON.parse(text)).toEqual(RUN);
    expect(JSON.parse(text).scenarios[1].checks[1].evidence[1]).toEqual(FAILED.checks[1]!.evidence[1]);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "scenarios": [\n');
  });

  it("gives the same bytes whatever order the runner built its objects in", () => {
    const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const shuffled = reversed({
      ...RUN,
      scenarios: RUN.scenarios.map((s) => reversed({ ...s, counts: reversed(s.counts), checks: s.checks.map((c) => reversed(c)) })),
    });
    expect(Object.keys(shuffled)[0]).toBe("errored");
    expect(reportJson(shuffled)).toBe(reportJson(RUN));
    // Totals come before the scenarios, so a reader sees the verdict first.
    const parsed = JSON.parse(reportJson(shuffled));
    expect(Object.keys(parsed)).toEqual(["startedAt", "wallMs", "passed", "failed", "errored", "scenarios"]);
    // The bus stamps seq and t after the fields; evidence reads better with them first.
    expect(Object.keys(parsed.scenarios[1].checks[1].evidence[0]).slice(0, 4)).toEqual(["seq", "t", "type", "eventId"]);
  });

  it("does not throw on values JSON cannot hold as such (bigint, Map, Set, cycles)", () => {
    const cyclic: Record<string, unknown> = { name: "c" };
    cyclic.self = cyclic;
    const odd = { ...FAILED, checks: [{ ...FAILED.checks[1]!, actual: { big: 10n, map: new Map([["a", 1]]), set: new Set([2]), cyclic } }] };
    const parsed = JSON.parse(reportJson(runOf([odd])));
    expect(parsed.scenarios[0].checks[0].actual).toEqual({ big: "10", map: { a: 1 }, set: [2], cyclic: { name: "c", self: "[circular]" } });
  });
});

describe("exitCodeOf", () => {
  it("is 2 with an errored scenario, else 1 with a failed one, else 0", () => {
    expect(exitCodeOf(RUN)).toBe(2);
    expect(exitCodeOf(runOf([PASSED, FAILED]))).toBe(1);
    expect(exitCodeOf(runOf([PASSED]))).toBe(0);
    expect(exitCodeOf(runOf([ERRORED]))).toBe(2);
  });
});

describe("countsOf", () => {
  it("counts each RunCounts field from its journal record type; consumed counts successes only", () => {
    const records = [
      rec(1, 0, { type: "event.accepted", eventId: "1", eventType: "t", idempotencyKey: "k1", destinations: ["d"], deliveries: ["d-1"] }),
      rec(2, 0, { type: "event.accepted", eventId: "2", eventType: "t", idempotencyKey: "k2", destinations: ["d"], deliveries: ["d-2"] }),
      rec(3, 0, { type: "event.rejected", index: 2, errors: [] }),
      rec(4, 1, { type: "fault.injected", rule: 0, action: "SendMessageBatch", effect: "error", error: "Throttling" }),
      rec(5, 2, { type: "retry.scheduled", destination: "d", delivery: "d-1", eventId: "1", attempt: 1, delayMs: 200, retryAt: 3 }),
      rec(6, 3, { type: "event.delivered", destination: "d", delivery: "d-1", eventId: "1", messageId: "m-1", attempts: 2 }),
      rec(7, 3, { type: "event.deadLettered", destination: "d", delivery: "d-2", eventId: "2", dlqId: "x", reason: "AccessDenied", attempts: 1 }),
      rec(8, 4, { type: "message.dedupHit", queue: "q.fifo", messageId: "m-1", dedupId: "k1" }),
      rec(9, 5, { type: "consumer.result", consumer: "w", batchId: "b", messageId: "m-1", outcome: "failed", reason: "error" }),
      rec(10, 6, { type: "consumer.result", consumer: "w", batchId: "b2", messageId: "m-1", outcome: "succeeded" }),
      rec(11, 6, { type: "message.deleted", queue: "q.fifo", messageId: "m-1" }),
    ];
    expect(countsOf(records)).toEqual({ accepted: 2, rejected: 1, delivered: 1, deadLettered: 1, consumed: 1, dedupHits: 1, retries: 1, faults: 1 });
    expect(countsOf([])).toEqual({ accepted: 0, rejected: 0, delivered: 0, deadLettered: 0, consumed: 0, dedupHits: 0, retries: 0, faults: 0 });
  });
});
