import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerSaw } from "../../src/checks/index.js";
import { startLambdaConsumer, startPoller, type ConsumerHandler } from "../../src/consumers/index.js";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, type JournalEvent, type JournalRecord, type RecordOf } from "../../src/journal/index.js";
import { createQueue } from "../conformance/lifecycle-helpers.js";
import { consumerJournal, sendEntries } from "../support/consumer-rig.js";
import { createTarget, type SqsTarget } from "../support/target.js";

function journalOf(events: JournalEvent[]): JournalRecord[] {
  const journal = createJournal(new VirtualClock());
  for (const e of events) journal.emit(e);
  return journal.records();
}

/** A Lambda record as the AWS Lambda Developer Guide, "Using Lambda with Amazon SQS", example FIFO event shows it (minus receiptHandle). */
const lambdaRecord = (id: string, eventType = "order.created", body = '{"orderId":1}') => ({
  messageId: id,
  body,
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1", SequenceNumber: "1", MessageGroupId: "cust-1", SenderId: "A", MessageDeduplicationId: "k", ApproximateFirstReceiveTimestamp: "1" },
  messageAttributes: { eventType: { stringValue: eventType, stringListValues: [], binaryListValues: [], dataType: "String" } },
  md5OfMessageAttributes: "x",
  md5OfBody: "y",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:orders.fifo",
  awsRegion: "us-east-1",
});
/** The ReceiveMessage API reference's Message shape, as a poller gets it. */
const apiMessage = (id: string, eventType = "order.created") => ({
  MessageId: id,
  Body: '{"orderId":2}',
  MD5OfBody: "y",
  Attributes: { MessageGroupId: "cust-2", ApproximateReceiveCount: "1" },
  MessageAttributes: { eventType: { StringValue: eventType, DataType: "String" } },
});
const batchOf = (consumer: string, contents: Record<string, unknown>[], messageIds = contents.map((c) => String(c.messageId ?? c.MessageId))): JournalEvent => ({
  type: "consumer.batch",
  consumer,
  queue: "orders.fifo",
  batchId: `${consumer}#1`,
  messages: contents.map((content, i) => ({ messageId: messageIds[i]!, receiveCount: 1, content })),
});
const wantOrderCreated = { attributes: { MessageGroupId: true }, messageAttributes: { eventType: { dataType: "String", stringValue: "order.created" } }, body: { json: { orderId: 1 } } } as const;

// Record shapes: AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" (example events) and the SQS
// API reference, ReceiveMessage (Message). DESIGN "Scenarios and checks": consumerSaw.
describe("consumerSaw on hand-built journals", () => {
  it("passes when every Lambda record matches, and names the record that does not", () => {
    expect(consumerSaw(journalOf([batchOf("fn", [lambdaRecord("m-1"), lambdaRecord("m-2")])]), { ...wantOrderCreated, shape: "lambda" })).toMatchObject({ ok: true, summary: "all 2 records seen by any consumer matched" });
    const delivered: JournalEvent = { type: "event.delivered", destination: "main", delivery: "d-2", eventId: "e-2", messageId: "m-2", attempts: 1 };
    const records = journalOf([delivered, batchOf("fn", [lambdaRecord("m-1"), lambdaRecord("m-2", "order.cancelled", "not json")])]);
    const result = consumerSaw(records, wantOrderCreated);
    expect(result.ok).toBe(false);
    expect(result.summary).toBe('1 of 2 records seen by any consumer do not match: messageId m-2 [eventId e-2]: messageAttributes.eventType.stringValue is "order.cancelled", expected "order.created", body is not JSON ("not json")');
    // Evidence: the delivery that made the message and the batch that handed it over.
    expect(result.evidence.map((r) => r.type)).toEqual(["event.delivered", "consumer.batch"]);
  });

  it("reads a poller's API Message shape with the same criteria, and tells the shapes apart", () => {
    const records = journalOf([batchOf("worker", [apiMessage("m-3")])]);
    const criteria = { attributes: { MessageGroupId: "cust-2", SequenceNumber: false }, messageAttributes: { eventType: { stringValue: "order.created" } }, body: { contains: "orderId" } };
    expect(consumerSaw(records, { ...criteria, shape: "message" }).ok).toBe(true);
    expect(consumerSaw(records, { shape: "lambda" }).summary).toContain("m-3: a message record, expected a lambda record");
    const lambdaWithoutSource = { ...lambdaRecord("m-4"), eventSource: "aws:sns" };
    expect(consumerSaw(journalOf([batchOf("fn", [lambdaWithoutSource])]), { shape: "lambda" }).summary).toContain('eventSource is "aws:sns", not "aws:sqs"');
  });

  it("counts distinct matching messages with count/atLeast and filters by consumer", () => {
    const records = journalOf([batchOf("fn", [lambdaRecord("m-1"), lambdaRecord("m-1"), lambdaRecord("m-2", "order.cancelled")]), batchOf("other", [lambdaRecord("m-9")])]);
    const created = { messageAttributes: { eventType: { stringValue: "order.created" } } };
    expect(consumerSaw(records, { ...created, consumer: "fn", count: 1 })).toMatchObject({ ok: true, actual: 1 });
    expect(consumerSaw(records, { ...created, atLeast: 2 })).toMatchObject({ ok: true, actual: 2 });
    const few = consumerSaw(records, { ...created, consumer: "fn", atLeast: 2 });
    expect(few.summary).toBe('expected at least 2 matching messages seen by consumer fn, got 1 — not matching: messageId m-2: messageAttributes.eventType.stringValue is "order.cancelled", expected "order.created"');
    expect(consumerSaw(records, { ...created, count: 1 }).summary).toBe("expected exactly 1 matching messages seen by any consumer, got 2 — matching: messageId m-1, m-9");
  });

  it("fails clearly when no contents were journaled, or the consumer saw nothing", () => {
    const bare: JournalEvent = { type: "consumer.batch", consumer: "fn", queue: "q", batchId: "fn#1", messages: [{ messageId: "m-1", receiveCount: 1 }] };
    expect(consumerSaw(journalOf([bare]), { consumer: "fn" }).summary).toBe(
      "no record contents journaled for consumer fn: run the consumer with journalContents: true so consumerSaw can read what its handler got",
    );
    expect(consumerSaw(journalOf([bare]), { consumer: "nobody" })).toMatchObject({ ok: false, summary: "consumer nobody received no messages" });
  });
});

// The emitters: a Lambda event source mapping and a poller on the embedded emulator journal each record
// only with journalContents: true, without its receipt handle, in their own shape (Lambda Developer
// Guide, "Using Lambda with Amazon SQS"; SQS API reference, ReceiveMessage).
describe("consumers journal record contents only when asked", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const entries: Omit<SendMessageBatchRequestEntry, "Id">[] = [
    { MessageBody: '{"orderId":1}', MessageGroupId: "cust-1", MessageDeduplicationId: "k-1", MessageAttributes: { eventType: { DataType: "String", StringValue: "order.created" }, blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) } } },
    { MessageBody: '{"orderId":2}', MessageGroupId: "cust-2", MessageDeduplicationId: "k-2", MessageAttributes: { eventType: { DataType: "String", StringValue: "order.created" } } },
  ];
  const ok: ConsumerHandler = () => undefined;

  async function runLambda(journalContents: boolean | undefined): Promise<{ name: string; batches: RecordOf<"consumer.batch">[] }> {
    const queue = await createQueue(target, { fifo: true });
    const ids = await sendEntries(target, queue.url, entries);
    const name = target.name("fn");
    const consumer = await startLambdaConsumer({ name, client: target.client, queueUrl: queue.url, clock: target.clock!, journal: target.journal!, handler: ok, ...(journalContents !== undefined ? { journalContents } : {}) });
    try {
      await consumerJournal(target).waitDeleted(name, ids);
    } finally {
      await consumer.stop();
    }
    return { name, batches: consumerJournal(target).mine("consumer.batch", name) };
  }

  it("a Lambda consumer keeps no content by default, and the check says how to get it", async () => {
    const { name, batches } = await runLambda(undefined);
    expect(batches.flatMap((b) => b.messages).map((m) => m.content)).toEqual([undefined, undefined]);
    const result = consumerSaw(target.journal!.records(), { consumer: name });
    expect(result.ok).toBe(false);
    expect(result.summary).toContain("run the consumer with journalContents: true");
  });

  it("with journalContents: true a Lambda consumer journals each record minus receiptHandle, and consumerSaw passes on it", async () => {
    const { name, batches } = await runLambda(true);
    const contents = batches.flatMap((b) => b.messages.map((m) => m.content!));
    expect(contents).toHaveLength(2);
    for (const c of contents) {
      expect(Object.keys(c)).toEqual(["messageId", "body", "attributes", "messageAttributes", "md5OfMessageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"]);
    }
    expect(contents.find((c) => c.body === '{"orderId":1}')!.messageAttributes).toMatchObject({ blob: { binaryValue: "AQID", dataType: "Binary" } });
    const records = target.journal!.records();
    const result = consumerSaw(records, { consumer: name, shape: "lambda", ...wantOrderCreated, body: { json: true }, count: 2 });
    expect(result, result.summary).toMatchObject({ ok: true, actual: 2 });
    const wrongGroup = consumerSaw(records, { consumer: name, attributes: { MessageGroupId: "cust-1" } });
    expect(wrongGroup.ok).toBe(false);
    expect(wrongGroup.summary).toMatch(/^1 of 2 records seen by consumer fn-\S+ do not match: messageId \S+: attributes\.MessageGroupId is "cust-2", expected "cust-1"$/);
  });

  it("a poller with journalContents: true journals the API Message minus ReceiptHandle, binary values as base64", async () => {
    const queue = await createQueue(target, { fifo: true });
    const ids = await sendEntries(target, queue.url, entries.slice(0, 1));
    const name = target.name("worker");
    const poller = await startPoller({ name, client: target.client, queueUrl: queue.url, clock: target.clock!, journal: target.journal!, handler: ok, journalContents: true });
    try {
      await consumerJournal(target).waitDeleted(name, ids);
    } finally {
      await poller.stop();
    }
    const [content] = consumerJournal(target).mine("consumer.batch", name).flatMap((b) => b.messages.map((m) => m.content!));
    expect(content).not.toHaveProperty("ReceiptHandle");
    expect(content).toMatchObject({ MessageId: ids[0], Body: '{"orderId":1}', MessageAttributes: { blob: { BinaryValue: "AQID", DataType: "Binary" } } });
    expect(consumerSaw(target.journal!.records(), { consumer: name, shape: "message", ...wantOrderCreated }).ok).toBe(true);
  });
});
