import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import type { EngineOptions } from "../../src/engine/index.js";
import { createEngineRig, makeEvent, type EngineRig } from "../support/engine-rig.js";
import { sentDeliveries, waitingRetries, waitSettled } from "../support/engine-steps.js";
import { entriesOf, failEntries, sqsErrorReply, type ProxyHandler } from "../support/sqs-proxy.js";

const RETRY = { baseMs: 1_000, capMs: 4_000 };

/** Throttles the first three SendMessageBatch requests (RequestThrottled, 503, RequestThrottled), then forwards. */
const throttleFirstThree: ProxyHandler = (request, forward) => {
  if (request.action !== "SendMessageBatch" || request.n > 3) return forward();
  return request.n === 2 ? sqsErrorReply("ServiceUnavailable") : sqsErrorReply("RequestThrottled");
};

/** Per-customer `n` of the received bodies, in receive order. */
async function orderPerCustomer(rig: EngineRig): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const m of await rig.drain()) {
    const body = JSON.parse(m.Body!) as { customerExternalId: string; payload: { n: number } };
    out.set(body.customerExternalId, [...(out.get(body.customerExternalId) ?? []), body.payload.n]);
  }
  return out;
}

/**
 * Runs the engine to idle on the manual clock, one retry at a time: before each retryAt it advances in
 * steps to retryAt − 1 and checks that no batch was formed and no request reached the proxy, then
 * moves the last millisecond and checks the delivery is sent at once.
 */
async function stepThroughRetries(rig: EngineRig): Promise<void> {
  const journal = rig.target.journal!;
  const clock = rig.target.clock!;
  for (;;) {
    await waitQuiet(rig);
    if (rig.engine.pending() === 0) return;
    const waiting = waitingRetries(journal);
    const next = waiting.reduce((a, b) => (b.retryAt < a.retryAt ? b : a));
    const formed = journal.records("batch.formed").length;
    const requests = rig.proxy!.count("SendMessageBatch");
    for (let step = 0; step < 4; step++) {
      const target = clock.now() + Math.floor((next.retryAt - 1 - clock.now()) / (4 - step));
      if (target > clock.now()) await rig.target.advance(target - clock.now());
      expect(journal.records("batch.formed").length, `sent before retryAt ${next.retryAt} (now ${clock.now()})`).toBe(formed);
      expect(rig.proxy!.count("SendMessageBatch")).toBe(requests);
    }
    const seq = journal.lastSeq;
    await rig.target.advance(next.retryAt - clock.now());
    expect(clock.now()).toBe(next.retryAt);
    expect(sentDeliveries(journal, seq)).toContain(next.delivery);
  }
}

/** Until nothing is in flight and the engine is either idle or waiting for a retry on the clock. */
async function waitQuiet(rig: EngineRig): Promise<void> {
  const journal = rig.target.journal!;
  for (;;) {
    await waitSettled(journal);
    if (rig.engine.pending() === 0 || waitingRetries(journal).length > 0) return;
    // Nothing sent yet (the queue's attributes are being read): wait for the first request.
    await journal.waitFor("batch.formed", () => true, { afterSeq: journal.lastSeq });
  }
}

async function throttledRun(seed: number): Promise<{ delays: { delivery: string; attempt: number; delayMs: number; code?: string }[]; order: Map<string, number[]> }> {
  const rig = await createEngineRig({ fifo: true, engine: { seed, retry: RETRY }, proxy: throttleFirstThree });
  try {
    const events = [];
    for (let n = 0; n < 4; n++) for (const c of ["a", "b", "c"]) events.push(makeEvent(c, n));
    await rig.engine.ingest(events);
    await stepThroughRetries(rig);
    const journal = rig.target.journal!;
    const delays = journal.records("retry.scheduled").map((r) => ({ delivery: r.delivery, attempt: r.attempt, delayMs: r.delayMs, code: r.code }));
    for (const r of journal.records("retry.scheduled")) {
      // Full jitter: uniform in [0, min(cap, base · 2^(attempt−1))).
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThan(Math.min(RETRY.capMs, RETRY.baseMs * 2 ** (r.attempt - 1)));
      expect(r.retryAt).toBe(r.t + r.delayMs);
    }
    const failures = journal.records("entry.result").filter((r) => !r.ok);
    expect(failures.map((f) => [f.failure?.httpStatus, f.failure?.sdkWouldRetry])).toEqual(
      expect.arrayContaining([
        [403, true],
        [503, true],
      ]),
    );
    expect(rig.proxy!.count("SendMessageBatch")).toBeGreaterThan(3);
    return { delays, order: await orderPerCustomer(rig) };
  } finally {
    await rig.close();
  }
}

// DESIGN "Engine", Retries: throttling and 5xx are transient, exponential backoff with full jitter
// (AWS Architecture Blog, "Exponential Backoff And Jitter"), seeded (STYLE "Time and chance"); the SDK
// makes one attempt (maxAttempts: 1), the engine owns retries. RequestThrottled is HTTP 403 with
// x-amzn-query-error `RequestThrottled;Sender` (the model's awsQueryError; AWS answers in
// async-aws/aws#1227), which SDK v3 retries as throttling.
describe("engine retries through a real HTTP proxy", () => {
  it("retries throttling and 503 after full-jitter delays, never before retryAt, reproducibly per seed, keeping FIFO order", async () => {
    const first = await throttledRun(7);
    const again = await throttledRun(7);
    const other = await throttledRun(8);
    expect(first.delays.length).toBeGreaterThanOrEqual(5);
    expect(first.delays.map((d) => d.code)).toEqual(expect.arrayContaining(["RequestThrottled", "ServiceUnavailable"]));
    expect(again.delays).toEqual(first.delays);
    expect(other.delays.map((d) => d.delayMs)).not.toEqual(first.delays.map((d) => d.delayMs));
    for (const run of [first, again, other]) {
      expect(run.order).toEqual(
        new Map([
          ["a", [0, 1, 2, 3]],
          ["b", [0, 1, 2, 3]],
          ["c", [0, 1, 2, 3]],
        ]),
      );
    }
  });

  // DESIGN "Engine": standard queues have no gate, so throttled batches back off per entry and the rest
  // flow; completeness (set equality) is all a standard queue promises.
  it("on a standard queue retries throttled batches after their delays and delivers every event", async () => {
    const rig = await createEngineRig({ fifo: false, engine: { seed: 11, retry: RETRY }, proxy: throttleFirstThree });
    try {
      const events = [];
      for (let n = 0; n < 35; n++) events.push(makeEvent(`c${n % 4}`, n));
      await rig.engine.ingest(events);
      await stepThroughRetries(rig);
      const journal = rig.target.journal!;
      expect(journal.records("retry.scheduled").length).toBeGreaterThanOrEqual(10);
      expect(journal.records("event.delivered")).toHaveLength(35);
      const keys = (await rig.drain()).map((m) => m.MessageAttributes?.idempotencyKey?.StringValue);
      expect(new Set(keys)).toEqual(new Set(events.map((e) => e.idempotencyKey)));
      expect(keys).toHaveLength(35);
    } finally {
      await rig.close();
    }
  });

  // SendMessageBatch API reference: "the result of sending each message is reported individually";
  // BatchResultErrorEntry.SenderFault false = not the caller's fault → transient (DESIGN "Engine").
  // DESIGN "Engine", FIFO: a failed entry halts its group; other groups keep flowing.
  it("retries a Failed[] entry with SenderFault=false and halts only its group while it backs off", async () => {
    let failedOnce = false;
    const rig = await createEngineRig({
      fifo: true,
      engine: { seed: 3, retry: RETRY },
      proxy: (request, forward) =>
        request.action !== "SendMessageBatch"
          ? forward()
          : failEntries(request, forward, (e) => {
              if (failedOnce || !e.MessageBody.includes('"idempotencyKey":"A-0"')) return undefined;
              failedOnce = true;
              return { Code: "InternalError", Message: "We encountered an internal error. Please try again.", SenderFault: false };
            }),
    });
    const journal = rig.target.journal!;
    try {
      const events = [];
      for (let n = 0; n < 4; n++) for (const c of ["A", "B", "C"]) events.push(makeEvent(c, n));
      await rig.engine.ingest(events);
      const retry = await journal.waitFor("retry.scheduled");
      const failed = journal.records("entry.result").find((r) => !r.ok)!;
      expect(failed.failure).toMatchObject({ kind: "entry", code: "InternalError", senderFault: false, sdkWouldRetry: false });
      const afterFailure = failed.seq;
      // B and C flow to the end without the clock moving; A sends nothing while A-0 waits.
      await waitSettled(journal);
      expect(rig.engine.pending()).toBe(4);
      const later = journal.records("batch.formed").filter((b) => b.seq > afterFailure);
      expect(later.length).toBeGreaterThanOrEqual(3);
      expect(later.flatMap((b) => b.entries.map((e) => e.groupId)).filter((g) => g === "A")).toEqual([]);
      const proxied = rig.proxy!.requests.filter((r) => r.action === "SendMessageBatch").flatMap((r) => entriesOf(r));
      expect(proxied.filter((e) => e.MessageGroupId === "A").map((e) => e.MessageDeduplicationId)).toEqual(["A-0"]);

      await rig.target.advance(retry.retryAt - rig.target.clock!.now() - 1);
      expect(journal.records("batch.formed").filter((b) => b.seq > afterFailure)).toHaveLength(later.length);
      await rig.target.advance(1);
      await rig.engine.idle();
      const delivered = journal.records("event.delivered").filter((d) => d.groupId === "A");
      expect(delivered.map((d) => [d.dedupId, d.attempts])).toEqual([
        ["A-0", 2],
        ["A-1", 1],
        ["A-2", 1],
        ["A-3", 1],
      ]);
      expect(await orderPerCustomer(rig)).toEqual(
        new Map([
          ["A", [0, 1, 2, 3]],
          ["B", [0, 1, 2, 3]],
          ["C", [0, 1, 2, 3]],
        ]),
      );
    } finally {
      await rig.close();
    }
  });

  // DESIGN "Engine": AccessDenied is permanent, straight to the DLQ. SQS Developer Guide, "Amazon SQS
  // batch actions": permissions for SendMessage also govern SendMessageBatch.
  it("dead-letters AccessDenied at once, without a retry", async () => {
    const rig = await createEngineRig({ fifo: false, engine: { retry: RETRY } });
    const journal = rig.target.journal!;
    try {
      const name = rig.target.name("denied");
      const policy = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] };
      const { QueueUrl } = await rig.target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { Policy: JSON.stringify(policy) } }));
      const saved = await rig.engine.destinations.put({ ...rig.destination, name: "denied", queueUrl: QueueUrl });
      expect(saved.ok).toBe(true);
      await rig.engine.ingest([makeEvent("c", 1), makeEvent("c", 2)], { destination: "denied" });
      await rig.engine.idle();
      expect(journal.records("retry.scheduled")).toHaveLength(0);
      const dead = rig.engine.dlq.list({ destination: "denied" });
      expect(dead).toHaveLength(2);
      for (const entry of dead) {
        expect(entry.reason).toBe("AccessDenied");
        expect(entry.attempts).toEqual([
          expect.objectContaining({ attempt: 1, httpStatus: 403, code: "AccessDenied", senderFault: true, sdkWouldRetry: false, decision: "deadLetter" }),
        ]);
      }
    } finally {
      await rig.close();
    }
  });

  // DESIGN "Engine": "optional max attempts"; seed 000: retries exhausted → DLQ with every attempt.
  it("dead-letters with reason maxAttempts once the attempt bound is reached, every attempt recorded", async () => {
    const options: Partial<EngineOptions> = { retry: { ...RETRY, maxAttempts: 3 } };
    const rig = await createEngineRig({
      fifo: true,
      engine: options,
      proxy: (request, forward) => (request.action === "SendMessageBatch" ? sqsErrorReply("ServiceUnavailable") : forward()),
    });
    const journal = rig.target.journal!;
    try {
      await rig.engine.ingest([makeEvent("c", 1), makeEvent("c", 2)]);
      await stepThroughRetries(rig);
      const dead = rig.engine.dlq.list();
      expect(dead.map((d) => [d.event.idempotencyKey, d.reason])).toEqual([
        ["c-1", "maxAttempts"],
        ["c-2", "maxAttempts"],
      ]);
      for (const entry of dead) {
        expect(entry.attempts.map((a) => [a.attempt, a.httpStatus, a.decision])).toEqual([
          [1, 503, "retry"],
          [2, 503, "retry"],
          [3, 503, "deadLetter"],
        ]);
      }
      // c-2 waited behind c-1 (FIFO gate) and was first sent only once c-1 was dead-lettered.
      const c2 = journal.records("event.deadLettered").find((d) => d.eventId !== dead[0]!.eventId)!;
      const c1Dead = journal.records("event.deadLettered").find((d) => d.eventId === dead[0]!.eventId)!;
      const c2FirstSend = journal.records("batch.formed").find((b) => b.entries.some((e) => e.delivery === c2.delivery))!;
      expect(c2FirstSend.seq).toBeGreaterThan(c1Dead.seq);
      expect(journal.records("retry.scheduled")).toHaveLength(4);
      expect(rig.proxy!.count("SendMessageBatch")).toBe(6);
    } finally {
      await rig.close();
    }
  });
});
