import { describe, expect, it } from "vitest";
import { attempts, CHECK_NAMES, CHECKS, runCheck } from "../../src/checks/index.js";
import { CHECK_NAMES as SCENARIO_CHECK_NAMES } from "../../src/scenario/index.js";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, type JournalEvent, type JournalRecord } from "../../src/journal/index.js";

function journalOf(events: JournalEvent[]): JournalRecord[] {
  const journal = createJournal(new VirtualClock());
  for (const e of events) journal.emit(e);
  return journal.records();
}

const failed = (eventId: string, failure: { kind: "error" | "entry" | "timeout" | "reset"; code?: string }, batchId = "main#1"): JournalEvent => ({
  type: "entry.result",
  destination: "main",
  batchId,
  delivery: `d-${eventId}`,
  eventId,
  ok: false,
  failure: { ...failure, message: "x", sdkWouldRetry: true },
});
const deliveredOf = (id: string, attempts: number): JournalEvent => ({ type: "event.delivered", destination: "main", delivery: `d-${id}`, eventId: id, messageId: `m-${id}`, attempts });

// DESIGN "Engine" Retries and "Details worth getting right" (the codes SDK v3 retries: RequestThrottled,
// ThrottlingException, timeouts, ECONNRESET); SQS-FACTS "JSON errors" (the same code in JSON and query spelling).
describe("attempts by reason", () => {
  const records = journalOf([
    failed("a", { kind: "error", code: "AWS.SimpleQueueService.RequestThrottled" }),
    failed("a", { kind: "error", code: "RequestThrottled" }, "main#2"),
    failed("b", { kind: "timeout" }),
    failed("c", { kind: "reset", code: "ECONNRESET" }),
    deliveredOf("a", 3),
    deliveredOf("b", 2),
    deliveredOf("c", 2),
  ]);

  it("counts failed attempts per code (either wire spelling) or kind, alongside max", () => {
    const result = attempts(records, { max: 3, byReason: { RequestThrottled: { count: 2 }, timeout: { atLeast: 1 }, ECONNRESET: { max: 1 }, InternalError: { count: 0 } } });
    expect(result, result.summary).toMatchObject({ ok: true, actual: { max: 3, byReason: { RequestThrottled: 2, timeout: 1, ECONNRESET: 1, InternalError: 0 } } });
    expect(result.actual).toMatchObject({ failedByReason: { "AWS.SimpleQueueService.RequestThrottled": 1, RequestThrottled: 1, timeout: 1, ECONNRESET: 1 } });
  });

  it("fails naming the events of the reason that is off, with their entry.result records", () => {
    const result = attempts(records, { byReason: { RequestThrottled: { max: 1 } } });
    expect(result.ok).toBe(false);
    expect(result.summary).toBe("RequestThrottled: expected at most 1 failed attempts, got 2 — eventId a (main#1), a (main#2)");
    expect(result.evidence.map((r) => [r.type, (r as { batchId?: string }).batchId])).toEqual([["entry.result", "main#1"], ["entry.result", "main#2"]]);
    expect(attempts(records, { byReason: { Throttling: { atLeast: 1 } } }).summary).toBe("Throttling: expected at least 1 failed attempts, got 0");
  });
});

// DESIGN "Scenarios and checks": a scenario names checks and their options; validation happens before
// anything runs, with a did-you-mean for misspelt keys.
describe("check registry", () => {
  it("holds the ten checks the scenario format lists, and the scenario module re-uses that one list", () => {
    expect(Object.keys(CHECKS)).toEqual([...CHECK_NAMES]);
    expect(CHECK_NAMES).toHaveLength(10);
    expect(SCENARIO_CHECK_NAMES).toBe(CHECK_NAMES);
  });

  it("accepts each check's documented options and a bare name where none are needed", () => {
    const good: Record<string, unknown[]> = {
      noLoss: [{}, { atConsumer: false }],
      noDuplicates: [{}, { at: "consumer" }],
      fifoOrder: [{ atConsumer: true }],
      dedupHits: [{ count: 3 }, { atLeast: 1, queue: "orders.fifo" }],
      dlq: [{ count: 1, reasons: ["oversize"] }, { reasons: { AccessDenied: 2 } }],
      delivered: [{ count: 0 }],
      attempts: [{ max: 5 }, { byReason: { RequestThrottled: { atLeast: 1 } } }],
      latency: [{}, { enqueue: { p99: "2s" }, consumed: { p95: 5000, max: "1m" } }],
      accepted: [{}, null],
      consumerSaw: [{}, { consumer: "w", shape: "lambda", attributes: { MessageGroupId: true }, messageAttributes: { eventType: { dataType: "String", stringValue: "order.created" }, other: false }, body: { json: true, contains: "x" }, count: 2 }],
    };
    for (const [name, list] of Object.entries(good)) {
      for (const options of list) expect(CHECKS[name as keyof typeof CHECKS].optionProblems(options), `${name} ${JSON.stringify(options)}`).toEqual([]);
    }
  });

  it("reports unknown keys with a did-you-mean at the key, wrong types and bad durations at the value", () => {
    expect(CHECKS.delivered.optionProblems({ cuont: 3 })).toEqual([{ path: ["cuont"], at: "key", message: "Unknown key 'cuont' in delivered options. Did you mean 'count'?" }]);
    expect(CHECKS.delivered.optionProblems({})).toEqual([{ path: [], message: "delivered options must include count." }]);
    expect(CHECKS.latency.optionProblems({ enqueue: { p99: "soon", p90: 5 } })).toEqual([
      { path: ["enqueue", "p99"], message: 'latency.enqueue.p99 "soon" is not a duration such as 500ms, 2s or 1m (a bare number is milliseconds).' },
      { path: ["enqueue", "p90"], at: "key", message: "Unknown key 'p90' in latency.enqueue. Did you mean 'p50'?" },
    ]);
    expect(CHECKS.noDuplicates.optionProblems({ at: "consumr" })[0]!.message).toBe('noDuplicates.at must be one of queue, consumer, got "consumr". Did you mean \'consumer\'?');
    expect(CHECKS.dedupHits.optionProblems({ count: 1, atLeast: 1 })).toEqual([{ path: ["atLeast"], message: "dedupHits: give count or atLeast, not both." }]);
    expect(CHECKS.attempts.optionProblems({})).toEqual([{ path: [], message: "attempts needs max and/or byReason." }]);
    expect(CHECKS.attempts.optionProblems({ byReason: { Throttling: { atleast: 1 } } })[0]).toMatchObject({ path: ["byReason", "Throttling", "atleast"], message: expect.stringContaining("Did you mean 'atLeast'?") });
    expect(CHECKS.accepted.optionProblems({ strict: true })[0]!.message).toBe("Unknown key 'strict' in accepted options (it takes none).");
    expect(CHECKS.consumerSaw.optionProblems({ messageAttributes: { eventType: "order.created" } })[0]).toMatchObject({ path: ["messageAttributes", "eventType"] });
    expect(CHECKS.noLoss.optionProblems("yes")[0]!.message).toBe('noLoss options must be an object with atConsumer, got "yes".');
  });

  it("runCheck runs a check by name, and refuses options that do not validate instead of running on them", () => {
    const records = journalOf([deliveredOf("a", 1)]);
    expect(runCheck("attempts", { max: 1 }, records)).toMatchObject({ check: "attempts", ok: true });
    expect(runCheck("accepted", {}, records)).toMatchObject({ check: "accepted", ok: true });
    expect(runCheck("attempts", { max: -1 }, records)).toMatchObject({ check: "attempts", ok: false, summary: "invalid options for attempts: max: attempts.max must be a whole number ≥ 0, got -1." });
  });
});
