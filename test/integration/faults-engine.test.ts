// The engine under injected SQS errors (issue 5 "Show it works"), through `sqsrig serve`: every engine
// request passes the fault rules before the embedded emulator; rules are set over real HTTP (PUT
// /api/faults) and time moves only on the manual virtual clock. Wire forms and retry classes follow the
// SQS API reference ("Common Errors": ThrottlingException 400, AccessDeniedException 403;
// "SendMessageBatch", Errors: RequestThrottled, QueueDoesNotExist, BatchRequestTooLong), SQS-FACTS "JSON
// errors" (the `x-amzn-query-error` code is what the engine keeps) and DESIGN "Details worth getting
// right" (what SDK v3 would retry by itself).
import { afterEach, describe, expect, it } from "vitest";
import { makeEvent } from "../support/engine-rig.js";
import { createFaultsRig, keyOfDelivery, keysOf, RETRY, type FaultsRig, type FaultsRigOptions } from "../support/faults-server-rig.js";

const rigs: FaultsRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function rig(options: FaultsRigOptions = {}): Promise<FaultsRig> {
  const r = await createFaultsRig(options);
  rigs.push(r);
  return r;
}

const events = (customer: string, count: number) => Array.from({ length: count }, (_, n) => makeEvent(customer, n));

describe("throttled batches are retried and delivered (SQS API reference: Common Errors ThrottlingException; SendMessageBatch Errors RequestThrottled)", () => {
  it.each([
    ["Throttling", 400],
    ["RequestThrottled", 403],
  ] as const)("%s on the first two SendMessageBatch requests: each event is retried after backoff and stored once", async (error, status) => {
    const r = await rig();
    const url = await r.queue("throttled");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", error, times: 2 }]);
    await r.server.engine.ingest(events("acct_1", 3));
    const moved = await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("fault.injected").map(({ seq: _s, t: _t, ...f }) => f)).toEqual([
      { type: "fault.injected", rule: 0, action: "SendMessageBatch", queue: "throttled", effect: "error", error },
      { type: "fault.injected", rule: 0, action: "SendMessageBatch", queue: "throttled", effect: "error", error },
    ]);
    const failures = journal.records("entry.result").filter((e) => !e.ok);
    // The first batch held all three events; the second throttled request carried at least one retry.
    expect(failures.length).toBeGreaterThanOrEqual(4);
    for (const f of failures) {
      // The code as SQS's query-compatible header names it; SDK v3 lists both as throttling (retryable).
      expect(f.failure).toEqual({ kind: "error", httpStatus: status, code: error, senderFault: true, message: expect.any(String), sdkWouldRetry: true });
    }
    const retries = journal.records("retry.scheduled");
    expect(retries).toHaveLength(failures.length);
    for (const retry of retries) {
      expect(retry.code).toBe(error);
      expect(retry.delayMs).toBeLessThan(RETRY.capMs);
    }
    // Nothing was re-sent before the clock moved: the retries waited for their backoff.
    expect(moved).toBeGreaterThan(0);
    const delivered = journal.records("event.delivered");
    expect(delivered).toHaveLength(3);
    for (const d of delivered) {
      expect(d.attempts).toBe(1 + failures.filter((f) => f.delivery === d.delivery).length);
      expect(d.possibleDuplicate).toBeUndefined();
    }
    expect(r.server.engine.dlq.list()).toEqual([]);
    expect(keysOf(await r.drain(url)).sort()).toEqual(["acct_1-0", "acct_1-1", "acct_1-2"]);
  });

  it("dead-letters a delivery still throttled at maxAttempts, every attempt showing RequestThrottled, 403 and sdkWouldRetry", async () => {
    const r = await rig({ engine: { retry: { ...RETRY, maxAttempts: 3 } } });
    const url = await r.queue("always-throttled");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", error: "RequestThrottled" }]);
    await r.server.engine.ingest(events("acct_1", 1));
    await r.runToIdle();

    const [dead] = r.server.engine.dlq.list();
    expect(dead).toMatchObject({ reason: "maxAttempts", event: { idempotencyKey: "acct_1-0" } });
    expect(dead!.attempts.map((a) => [a.attempt, a.kind, a.code, a.httpStatus, a.sdkWouldRetry, a.decision])).toEqual([
      [1, "error", "RequestThrottled", 403, true, "retry"],
      [2, "error", "RequestThrottled", 403, true, "retry"],
      [3, "error", "RequestThrottled", 403, true, "deadLetter"],
    ]);
    expect(r.server.journal.records("fault.injected")).toHaveLength(3);
    expect(await r.drain(url)).toEqual([]);
  });
});

describe("permanent errors go to the DLQ without retry (SQS API reference: Common Errors AccessDeniedException; SendMessageBatch Errors QueueDoesNotExist)", () => {
  it("AccessDenied and QueueDoesNotExist: exactly one attempt each, no retry, SDK would not retry either", async () => {
    const r = await rig();
    const denied = await r.queue("denied");
    const missing = await r.queue("missing");
    await r.destination("to-denied", denied);
    await r.destination("to-missing", missing);
    await r.putFaults([
      { on: "SendMessageBatch", match: { queue: "denied" }, error: "AccessDenied" },
      { on: "SendMessageBatch", match: { queue: missing }, error: "QueueDoesNotExist" },
    ]);
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("retry.scheduled")).toEqual([]);
    expect(journal.records("batch.formed")).toHaveLength(2);
    expect(journal.records("fault.injected").map((f) => [f.rule, f.queue, f.error]).sort()).toEqual([
      [0, "denied", "AccessDenied"],
      [1, "missing", "QueueDoesNotExist"],
    ]);
    const dlq = Object.fromEntries(r.server.engine.dlq.list().map((e) => [e.destination, e]));
    // The engine keeps the query code from x-amzn-query-error (AWS.SimpleQueueService.NonExistentQueue).
    expect(dlq["to-denied"]).toMatchObject({ reason: "AccessDenied" });
    expect(dlq["to-missing"]).toMatchObject({ reason: "AWS.SimpleQueueService.NonExistentQueue" });
    expect(dlq["to-denied"]!.attempts).toEqual([
      { attempt: 1, at: expect.any(Number), kind: "error", httpStatus: 403, code: "AccessDenied", senderFault: true, message: expect.stringMatching(/denied/), decision: "deadLetter", sdkWouldRetry: false },
    ]);
    expect(dlq["to-missing"]!.attempts).toEqual([
      {
        attempt: 1,
        at: expect.any(Number),
        kind: "error",
        httpStatus: 400,
        code: "AWS.SimpleQueueService.NonExistentQueue",
        senderFault: true,
        message: expect.stringContaining("does not exist"),
        decision: "deadLetter",
        sdkWouldRetry: false,
      },
    ]);
    expect(journal.records("event.deadLettered").map((d) => d.attempts)).toEqual([1, 1]);
    expect(await r.drain(denied)).toEqual([]);
    expect(await r.drain(missing)).toEqual([]);
  });
});

describe("oversize (SQS API reference: SendMessageBatch Errors BatchRequestTooLong; SendMessage MessageBody 'Amazon SQS enforces MaximumMessageSize')", () => {
  it("an oversize event is dead-lettered as oversize before sending; an injected Oversize on the batch dead-letters as permanent", async () => {
    const r = await rig();
    const url = await r.queue("small", { MaximumMessageSize: "1024" });
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", error: "Oversize" }]);
    const big = makeEvent("acct_1", 0, { idempotencyKey: "big", payload: { blob: "x".repeat(2_000) } });
    const small = makeEvent("acct_1", 1, { idempotencyKey: "small" });
    await r.server.engine.ingest([big, small]);
    await r.runToIdle();

    const journal = r.server.journal;
    const keys = keyOfDelivery(journal);
    // The big event never left the engine: only the small one was in a batch, and only that batch met the rule.
    expect(journal.records("batch.formed").flatMap((b) => b.entries.map((e) => keys.get(e.delivery)))).toEqual(["small"]);
    expect(journal.records("fault.injected")).toEqual([expect.objectContaining({ effect: "error", error: "Oversize", action: "SendMessageBatch" })]);

    const dlq = Object.fromEntries(r.server.engine.dlq.list().map((e) => [e.event.idempotencyKey, e]));
    expect(dlq.big).toMatchObject({ reason: "oversize", attempts: [], rejections: [expect.objectContaining({ rule: "oversize" })] });
    expect(dlq.big!.bytes).toBeGreaterThan(1024);
    // An injected Oversize on SendMessageBatch is the whole-batch refusal (recorded E12), never retried.
    expect(dlq.small).toMatchObject({ reason: "AWS.SimpleQueueService.BatchRequestTooLong" });
    expect(dlq.small!.attempts).toEqual([
      expect.objectContaining({ kind: "error", httpStatus: 400, code: "AWS.SimpleQueueService.BatchRequestTooLong", senderFault: true, decision: "deadLetter", sdkWouldRetry: false }),
    ]);
    expect(dlq.small!.attempts[0]!.message).toMatch(/^Batch requests cannot be longer than 1048576 bytes\. You have sent \d+ bytes\.$/);
    expect(journal.records("retry.scheduled")).toEqual([]);
    expect(await r.drain(url)).toEqual([]);
  });
});
