/**
 * `sqsrig/vitest` (DESIGN "Layout" and "Scenarios and checks"; issue 7): each matcher is one scenario
 * check over a Rig, a ScenarioRun or journal records. Each passes on a real run and fails on a broken copy
 * of it with a message naming the offending event; `.not` inverts; a wrong subject or option is an error
 * even under `.not`. The fixture run follows SQS Developer Guide "Amazon SQS FIFO queues" (order per
 * message group), "Exactly-once processing in Amazon SQS" (a resent MessageDeduplicationId inside 5
 * minutes is a dedup hit) and "Amazon SQS message quotas" (MaximumMessageSize: a bigger event is oversize).
 */
import { stripVTControlCharacters } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenarioText, runScenario, startRig, type ScenarioRun } from "../../src/index.js";
import type { JournalRecord, RecordOf } from "../../src/journal/index.js";
import { sqsrigMatchers } from "../../src/vitest/index.js";
import { ensureDist } from "../support/serve-process.js";

const PAD = "x".repeat(1200);

/** 20 generated events in 4 groups, one event sent twice (a dedup hit), one over the 1 KiB queue limit, two throttled batches, a Lambda consumer. */
const FIXTURE = `
name: matchers fixture
seed: 3
timeScale: max
queues:
  - name: orders.fifo
    attributes: { FifoQueue: "true", VisibilityTimeout: "30", MaximumMessageSize: "1024" }
destination: { type: SQS, name: orders, queue: orders.fifo, region: us-east-1, fifo: true, messageGroupIdField: customerExternalId }
faults:
  - { on: SendMessageBatch, error: Throttling, times: 2 }
consumers:
  - { name: worker, queue: orders.fifo, kind: lambda, batchSize: 10, reportBatchItemFailures: true }
timeline:
  - at: 0s
    generate: { count: 20, groups: 4, eventType: order.created, payloadBytes: 64 }
  - at: 1s
    send: { eventType: order.cancelled, occurredAt: "2026-01-01T00:00:01Z", customerExternalId: cust-1, idempotencyKey: k-1, payload: { id: 1 } }
  - at: 2s
    send: { eventType: order.cancelled, occurredAt: "2026-01-01T00:00:02Z", customerExternalId: cust-1, idempotencyKey: k-1, payload: { id: 1 } }
  - at: 3s
    send: { eventType: order.huge, occurredAt: "2026-01-01T00:00:03Z", customerExternalId: cust-2, idempotencyKey: big-1, payload: { pad: "${PAD}" } }
expect:
  - noLoss
  - consumerSaw: { attributes: { MessageGroupId: true } }
  - delivered: { count: DELIVERED }
`;

async function runFixture(delivered: number, options: Parameters<typeof runScenario>[1] = {}): Promise<ScenarioRun> {
  const loaded = loadScenarioText(FIXTURE.replace("DELIVERED", String(delivered)), "matchers-fixture.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return runScenario(loaded.scenario, options);
}

/** The failure message of an assertion that must fail, without colours. */
function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (err) {
    return stripVTControlCharacters(err instanceof Error ? err.message : String(err));
  }
  throw new Error("the assertion passed, but it was meant to fail");
}

const copy = (records: readonly JournalRecord[]) => records.map((r) => structuredClone(r));
const ofType = <T extends JournalRecord["type"]>(records: readonly JournalRecord[], type: T) => records.filter((r): r is RecordOf<T> => r.type === type);

let run: ScenarioRun;
let delivered: RecordOf<"event.delivered">[];
let deadLettered: RecordOf<"event.deadLettered">;

beforeAll(async () => {
  run = await runFixture(22);
  delivered = ofType(run.records, "event.delivered");
  deadLettered = ofType(run.records, "event.deadLettered")[0]!;
});

describe("sqsrig/vitest matchers on a good run", () => {
  it("every matcher passes on the run, and on its records", () => {
    expect(run.status, JSON.stringify(run.checks.map((c) => c.summary))).toBe("passed");
    for (const subject of [run, run.records]) {
      expect(subject).toHaveNoLoss();
      expect(subject).toHaveNoDuplicates();
      expect(subject).toPreserveFifoOrder();
      expect(subject).toHaveDedupHits(1);
      expect(subject).toHaveDedupHits({ atLeast: 1, queue: "orders.fifo" });
      expect(subject).toHaveDeadLettered({ count: 1, reasons: ["oversize"] });
      expect(subject).toHaveDelivered(22);
      expect(subject).toHaveAttempts({ max: 3, byReason: { Throttling: { atLeast: 2 } } });
      expect(subject).toHaveLatency({ enqueue: { p99: "10s" }, consumed: { max: "1m" } });
      expect(subject).toBeAcceptedByAws();
      expect(subject).toHaveConsumerSeen({ consumer: "worker", attributes: { MessageGroupId: true }, body: { json: true } });
    }
    expect(run).toPass();
  });

  it("work on a live Rig through rig.records()", async () => {
    const rig = await startRig({ queues: [{ name: "q" }], destination: { type: "SQS", name: "d", queue: "q", region: "us-east-1", fifo: false, messageGroupIdField: "customerExternalId" } });
    try {
      await rig.send([1, 2].map((n) => ({ eventType: "t", occurredAt: "2026-01-01T00:00:00Z", customerExternalId: "c", idempotencyKey: `k${n}`, payload: {} })));
      await rig.settle();
      expect(rig).toHaveDelivered(2);
      expect(rig).toHaveNoLoss();
      expect(rig).not.toHaveDeadLettered({ count: 1 });
      expect(failureOf(() => expect(rig).toHaveDelivered(3))).toMatch(/delivered failed: expected 3 delivered, got 2/);
    } finally {
      await rig.close();
    }
  });

  it("work as asymmetric matchers inside toEqual", () => {
    expect({ records: run.records }).toEqual({ records: expect.toHaveDelivered(22) });
  });
});

describe("sqsrig/vitest matchers on a broken run name the offending event", () => {
  it("toHaveNoLoss: a delivery that never ended", () => {
    const victim = delivered[5]!;
    const broken = copy(run.records).filter((r) => !(r.type === "event.delivered" && r.delivery === victim.delivery));
    const message = failureOf(() => expect(broken).toHaveNoLoss());
    expect(message).toContain(`expect(received).toHaveNoLoss()`);
    expect(message).toMatch(new RegExp(`noLoss failed: 1 deliveries neither delivered nor dead-lettered \\(eventId ${victim.eventId} \\[delivery ${victim.delivery}\\]\\)`));
    expect(message).toMatch(/^Expected: \{"unsettled":0,"deadLetteredWithoutReason":0\}$/m);
    expect(message).toMatch(new RegExp(`^Actual: +\\{"unsettled":\\[\\{"delivery":"${victim.delivery}","eventId":"${victim.eventId}"\\}\\]`, "m"));
    // The evidence: the event.accepted record of the lost event, as the pretty reporter prints it.
    expect(message).toMatch(new RegExp(`^Journal records:\\n  #\\d+ t=\\+[\\d.]+s event\\.accepted eventId=${victim.eventId} `, "m"));
  });

  it("toHaveNoDuplicates: an idempotencyKey that became two messages", () => {
    const original = delivered[2]!;
    const broken = [...copy(run.records), { ...original, seq: 1e9, messageId: "second-message-id" }];
    const key = ofType(run.records, "event.accepted").find((a) => a.eventId === original.eventId)!.idempotencyKey;
    expect(failureOf(() => expect(broken).toHaveNoDuplicates())).toMatch(new RegExp(`noDuplicates failed: .*${key} ×2 at orders \\(messageId ${original.messageId}, second-message-id\\)`));
  });

  it("toPreserveFifoOrder: two events of a group swapped", () => {
    const broken = copy(run.records);
    const group = ofType(broken, "event.delivered").filter((d) => d.groupId === delivered[0]!.groupId);
    const [first, second] = group;
    [first!.sequenceNumber, second!.sequenceNumber] = [second!.sequenceNumber, first!.sequenceNumber];
    expect(failureOf(() => expect(broken).toPreserveFifoOrder())).toMatch(new RegExp(`fifoOrder failed: .*eventId ${second!.eventId} before ${first!.eventId}, accepted earlier`));
  });

  it("toHaveDedupHits: names the swallowed MessageDeduplicationId", () => {
    expect(failureOf(() => expect(run).toHaveDedupHits(0))).toMatch(/dedupHits failed: expected exactly 0 dedup hits, got 1: k-1 \[messageId [\w-]+\]/);
  });

  it("toHaveDeadLettered: names the dead-lettered event and its reason", () => {
    const message = failureOf(() => expect(run).toHaveDeadLettered({ reasons: ["AccessDenied"] }));
    expect(message).toContain(`dlq failed: reasons expected ["AccessDenied"], got {"oversize":1} — eventId ${deadLettered.eventId} (oversize)`);
    expect(message).toMatch(new RegExp(`event\\.deadLettered .*eventId=${deadLettered.eventId} .*reason=oversize`));
  });

  it("toHaveDelivered: names the event that was not delivered", () => {
    expect(failureOf(() => expect(run).toHaveDelivered(23))).toContain(`delivered failed: expected 23 delivered, got 22 — not delivered: eventId ${deadLettered.eventId}`);
  });

  it("toHaveAttempts: names the events that needed more attempts", () => {
    const retried = delivered.filter((d) => d.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(failureOf(() => expect(run).toHaveAttempts({ max: 1 }))).toContain(`attempts failed: ${retried.length} deliveries took more than 1 attempts (max 2): eventId ${retried[0]!.eventId} ×2`);
  });

  it("toHaveLatency: names the slowest events", () => {
    const message = failureOf(() => expect(run).toHaveLatency({ enqueue: { max: 1 } }));
    expect(message).toMatch(/latency failed: enqueue max \d+ms > 1ms \(n=22\); slowest: eventId e\d+ \d+ms/);
  });

  it("toBeAcceptedByAws: names the event whose entry AWS would refuse", () => {
    const broken = copy(run.records);
    const batch = ofType(broken, "batch.formed")[0]!;
    const entry = batch.entries[0]!;
    delete entry.groupId;
    expect(failureOf(() => expect(broken).toBeAcceptedByAws())).toContain(`accepted failed: 1 events sent in entries AWS would refuse: eventId ${entry.eventId} (InvalidParameterValue: no MessageGroupId on FIFO queue orders.fifo)`);
  });

  it("toHaveConsumerSeen: names the messages that did not match", () => {
    const message = failureOf(() => expect(run).toHaveConsumerSeen({ attributes: { MessageGroupId: "cust-1" } }));
    expect(message).toMatch(/consumerSaw failed: \d+ of 21 records seen by any consumer do not match: messageId [\w-]+ \[eventId e\d+\]: attributes\.MessageGroupId is "cust-\d", expected "cust-1"/);
  });

  it("toPass: lists each failed check with its scenario line and evidence", async () => {
    const failed = await runFixture(99);
    expect(failed.status).toBe("failed");
    const message = failureOf(() => expect(failed).toPass());
    const line = failed.checks.find((c) => c.check === "delivered")!.line;
    expect(message).toContain(`scenario "matchers fixture" (matchers-fixture.yaml) failed 1 of 3 checks:`);
    expect(message).toContain(`  ✗ delivered { count: 99 } (line ${line}): expected 99 delivered, got 22 — not delivered: eventId ${deadLettered.eventId}`);
    expect(message).toMatch(/^ {4}Journal records:\n {6}#\d+ t=\+[\d.]+s event\.accepted /m);
    expect(failed).not.toPass();
  });

  it("toPass: says why a scenario could not run", async () => {
    const errored = await runFixture(22, { backend: "localstack" });
    expect(failureOf(() => expect(errored).toPass())).toContain(`scenario "matchers fixture" (matchers-fixture.yaml) could not run: backend 'localstack' is not available`);
  });
});

describe("sqsrig/vitest .not and misuse", () => {
  it(".not passes when the check fails, and fails with the check's summary when it passes", () => {
    const broken = copy(run.records).filter((r) => r.type !== "event.delivered" || r.delivery !== delivered[0]!.delivery);
    expect(broken).not.toHaveNoLoss();
    expect(run).not.toHaveDelivered(5);
    expect(run).not.toHaveDedupHits(0);
    const message = failureOf(() => expect(run).not.toHaveNoLoss());
    expect(message).toContain("expect(received).not.toHaveNoLoss()");
    expect(message).toContain("noLoss passed, but .not expected it to fail: 23 deliveries settled: 22 delivered, 1 dead-lettered");
    expect(failureOf(() => expect(run).not.toPass())).toContain(`scenario "matchers fixture" (matchers-fixture.yaml) passed all 3 checks, but .not expected it to fail.`);
  });

  it("options a check refuses throw, even under .not", () => {
    // @ts-expect-error a misspelt option, as a JavaScript user could write it
    expect(() => expect(run).not.toHaveDelivered({ cuont: 22 })).toThrow(/toHaveDelivered: invalid options for the delivered check: cuont: Unknown key 'cuont' in delivered options\. Did you mean 'count'\?/);
    expect(() => expect(run).not.toHaveDedupHits(-1)).toThrow(/dedupHits\.count must be a whole number ≥ 0, got -1/);
  });

  it("a subject that is not a run throws, naming what it got", async () => {
    expect(() => expect({ status: "passed" }).not.toHaveNoLoss()).toThrow(/toHaveNoLoss: expected a Rig \(startRig\), a ScenarioRun \(runScenario\) or an array of journal records, got an object with keys status/);
    const pending = runFixture(22, { backend: "localstack" });
    expect(() => expect(pending).toHaveNoLoss()).toThrow(/got a Promise \(await runScenario \/ startRig first\)/);
    await pending;
    expect(() => expect(["noLoss"]).toHaveNoLoss()).toThrow(/expected journal records \(\{ seq, t, type, … \}\), got an array of string noLoss/);
    expect(() => expect(run.records).toPass()).toThrow(/toPass: expected a ScenarioRun \(runScenario\), got an array/);
  });

  it("sqsrigMatchers holds every matcher, for expect.extend by hand", () => {
    expect(Object.keys(sqsrigMatchers).sort()).toEqual(
      [
        "toBeAcceptedByAws",
        "toHaveAttempts",
        "toHaveConsumerSeen",
        "toHaveDeadLettered",
        "toHaveDedupHits",
        "toHaveDelivered",
        "toHaveLatency",
        "toHaveNoDuplicates",
        "toHaveNoLoss",
        "toPass",
        "toPreserveFifoOrder",
      ].sort(),
    );
  });
});

describe("the example scenario and the built entry", () => {
  it("scenarios/fifo-order-under-throttling.yaml passes, judged by the matchers", async () => {
    const example = await runScenario("scenarios/fifo-order-under-throttling.yaml");
    expect(example).toPass();
    expect(example.counts.accepted).toBeGreaterThan(100);
    expect(example).toHaveDelivered(example.counts.accepted);
    expect(example).toHaveNoLoss();
    expect(example).toPreserveFifoOrder();
    expect(example).toHaveAttempts({ byReason: { Throttling: { atLeast: 1 } } });
  });

  // A source newer than dist/ means a build first (tens of seconds on these machines).
  it("`sqsrig/vitest` resolves, through package.json exports, to the compiled entry", { timeout: 180_000 }, async () => {
    ensureDist();
    // Through a variable: type-checking must not need dist/ (a fresh clone has none until it builds).
    const entry = "sqsrig/vitest";
    const built = (await import(entry)) as typeof import("../../src/vitest/index.js");
    expect(Object.keys(built.sqsrigMatchers).sort()).toEqual(Object.keys(sqsrigMatchers).sort());
    // The compiled matchers judge the same way (the import extended expect once more, harmlessly).
    expect(built.sqsrigMatchers.toHaveDelivered.call(expect.getState(), run, 22).pass).toBe(true);
  });
});
