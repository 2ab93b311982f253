/**
 * `startRig` from the package root (DESIGN "Layout": index.ts the public programmatic API; issue 7): an
 * embedded emulator, the delivery engine and the fault rules on one virtual clock, in a test. Delivery
 * order follows SQS Developer Guide "Amazon SQS FIFO queues" (order within a message group); the HTTP
 * reads follow the SQS API reference, ReceiveMessage and DeleteMessageBatch.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { startRig, type Rig, type RigOptions } from "../../src/index.js";

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function rigWith(options: RigOptions): Promise<Rig> {
  const rig = await startRig({ seed: 7, ...options });
  rigs.push(rig);
  return rig;
}

const fifoRig = (extra: Partial<RigOptions> = {}) =>
  rigWith({
    queues: [{ name: "orders.fifo", attributes: { FifoQueue: "true" } }],
    destination: { type: "SQS", name: "orders", queue: "orders.fifo", region: "us-east-1", fifo: true, messageGroupIdField: "customerExternalId" },
    ...extra,
  });

const event = (customer: string, n: number) => ({
  eventType: "order.created",
  occurredAt: `2026-01-01T00:00:0${n}Z`,
  source: "rig-api-test",
  customerExternalId: customer,
  idempotencyKey: `${customer}-${n}`,
  payload: { n },
});

/** Reads every message through `rig.endpoint` with a real SDK client, deleting each batch (which unlocks its FIFO group). */
async function drainOverHttp(rig: Rig, queue: string): Promise<Message[]> {
  const sqs = new SQSClient({ endpoint: rig.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  const seen: Message[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      // WaitTimeSeconds 0: a long poll waits on the rig's clock, which HTTP traffic does not hold still.
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: rig.queueUrl(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600, MessageSystemAttributeNames: ["MessageGroupId", "SequenceNumber"] }),
      );
      if (Messages.length === 0) break;
      seen.push(...Messages);
      const Entries = Messages.map((m, n) => ({ Id: `m${n}`, ReceiptHandle: m.ReceiptHandle! }));
      const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: rig.queueUrl(queue), Entries }));
      expect(deleted.Failed ?? []).toEqual([]);
    }
  } finally {
    sqs.destroy();
  }
  return seen;
}

describe("startRig", () => {
  it("delivers sent events into a FIFO queue in per-customer order, and any SDK client reads them over HTTP", async () => {
    const rig = await fifoRig();
    const events = [0, 1, 2].flatMap((n) => ["cust-a", "cust-b", "cust-c"].map((c) => event(c, n)));
    const report = await rig.send(events);
    expect(report).toMatchObject({ accepted: 9, rejected: 0 });
    expect((await rig.settle()).reason).toBe("idle");

    expect(rig.check("noLoss")).toMatchObject({ ok: true });
    expect(rig.check("delivered", { count: 9 })).toMatchObject({ ok: true });
    expect(rig.check("fifoOrder")).toMatchObject({ ok: true });
    expect(rig.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const messages = await drainOverHttp(rig, "orders.fifo");
    expect(messages).toHaveLength(9);
    // What the engine journaled as delivered is what SQS hands out: the same MessageIds.
    const delivered = new Set(rig.journal.records("event.delivered").map((r) => r.messageId));
    expect(new Set(messages.map((m) => m.MessageId))).toEqual(delivered);
    for (const customer of ["cust-a", "cust-b", "cust-c"]) {
      const keys = messages.filter((m) => m.Attributes?.MessageGroupId === customer).map((m) => JSON.parse(m.Body!).idempotencyKey);
      expect(keys, customer).toEqual([`${customer}-0`, `${customer}-1`, `${customer}-2`]);
    }
  });

  it("faults set at run time reach the engine (retried, then delivered) and HTTP clients of rig.endpoint", async () => {
    const rig = await fifoRig();
    expect(rig.faults.setRules([{ on: "SendMessageBatch", error: "Throttling", times: 2 }])).toMatchObject({ ok: true });
    await rig.send([event("cust-a", 0), event("cust-a", 1)]);
    await rig.settle();
    expect(rig.journal.records("fault.injected").map((r) => r.action)).toEqual(["SendMessageBatch", "SendMessageBatch"]);
    expect(rig.check("attempts", { byReason: { Throttling: { count: 2 } } })).toMatchObject({ ok: true });
    expect(rig.check("noLoss")).toMatchObject({ ok: true });
    expect(rig.check("delivered", { count: 2 })).toMatchObject({ ok: true });

    // A rule the compiler refuses leaves the old rules alone and says which field is wrong.
    const refused = rig.faults.setRules([{ on: "ReceiveMessage", error: "NoSuchError" }]);
    expect(refused).toMatchObject({ ok: false, errors: [{ rule: 0, field: "rules[0].error" }] });

    rig.faults.setRules([{ on: "ReceiveMessage", error: "ServiceUnavailable", times: 1 }]);
    const sqs = new SQSClient({ endpoint: rig.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
    try {
      await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: rig.queueUrl("orders.fifo"), WaitTimeSeconds: 0 }))).rejects.toMatchObject({
        name: "ServiceUnavailable",
        $metadata: { httpStatusCode: 503 },
      });
    } finally {
      sqs.destroy();
    }
    // The rule was used up: the next read gets the two delivered messages.
    expect(await drainOverHttp(rig, "orders.fifo")).toHaveLength(2);
  });

  it("restartEngine kills the engine mid-retry and the new one delivers what the outbox kept", async () => {
    const rig = await fifoRig({ faults: [{ on: "SendMessageBatch", error: "Throttling" }] });
    const before = rig.engine;
    await rig.send([event("cust-a", 0), event("cust-a", 1), event("cust-b", 0)]);
    await rig.journal.waitFor("retry.scheduled");
    expect(rig.journal.records("event.delivered")).toHaveLength(0);

    await rig.restartEngine();
    expect(rig.engine).not.toBe(before);
    rig.faults.setRules([]);
    await rig.settle();

    expect(new Set(rig.journal.records("event.recovered").map((r) => r.eventId)).size).toBe(3);
    expect(rig.check("noLoss")).toMatchObject({ ok: true });
    expect(rig.check("noDuplicates")).toMatchObject({ ok: true });
    expect(rig.check("fifoOrder")).toMatchObject({ ok: true });
    expect(rig.check("delivered", { count: 3 })).toMatchObject({ ok: true });
  });

  it("refuses a destination whose queue the rig did not create, naming the queues it has", async () => {
    await expect(
      rigWith({ queues: [{ name: "a" }], destination: { type: "SQS", name: "d", queue: "missing", region: "us-east-1", fifo: false, messageGroupIdField: "customerExternalId" } }),
    ).rejects.toThrow(/queue 'missing' was not created by this rig \(created: a\)/);
  });
});
