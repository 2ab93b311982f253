import { DeleteMessageCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, countsOf, createQueue, itVirtual, receive, send, sendFifo } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Amazon SQS delay queues" and "Amazon SQS message timers"; SendMessage API
// reference, DelaySeconds.
describe("delays", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  // Delay queues: every new message stays invisible for the queue's DelaySeconds and is counted in
  // ApproximateNumberOfMessagesDelayed meanwhile.
  itVirtual("keeps messages of a delay queue invisible and counted as delayed until they are due", async () => {
    const q = await createQueue(target, { attributes: { DelaySeconds: "5" } });
    await send(target, q.url, "m");
    expect(await countsOf(target, q.url)).toEqual({ visible: 0, notVisible: 0, delayed: 1 });
    await target.advance(4_999);
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(1);
    expect(await countsOf(target, q.url)).toEqual({ visible: 1, notVisible: 0, delayed: 0 });
    expect(bodies(await receive(target, q.url))).toEqual(["m"]);
  });

  // Message timers: a per-message DelaySeconds on a standard queue overrides the queue's value.
  itVirtual("applies a per-message DelaySeconds on a standard queue, counted as delayed", async () => {
    const q = await createQueue(target);
    await send(target, q.url, "ed");
    await send(target, q.url, "foo", { DelaySeconds: 2 });
    await send(target, q.url, "bar", { DelaySeconds: 2 });
    expect(await countsOf(target, q.url)).toEqual({ visible: 1, notVisible: 0, delayed: 2 });
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["ed"]);
    await target.advance(2_000);
    expect(await countsOf(target, q.url)).toEqual({ visible: 2, notVisible: 1, delayed: 0 });
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 })).sort()).toEqual(["bar", "foo"]);
  });

  // Message timers: "a message timer setting for an individual message overrides any DelaySeconds value
  // on an Amazon SQS delay queue" — including 0 on a standard queue.
  itVirtual("lets DelaySeconds=0 on a message skip a standard delay queue's delay", async () => {
    const q = await createQueue(target, { attributes: { DelaySeconds: "60" } });
    await send(target, q.url, "now", { DelaySeconds: 0 });
    await send(target, q.url, "later");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))).toEqual(["now"]);
    await target.advance(60_000);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["later"]);
  });

  // Delay queues: changing DelaySeconds affects only messages sent afterwards.
  itVirtual("keeps the delay a message was sent with when the queue's DelaySeconds changes", async () => {
    const q = await createQueue(target, { attributes: { DelaySeconds: "30" } });
    await send(target, q.url, "old");
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { DelaySeconds: "0" } }));
    await send(target, q.url, "new");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))).toEqual(["new"]);
    await target.advance(30_000);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["old"]);
  });
});

// CreateQueue API reference, MessageRetentionPeriod (60 s to 14 days); validated
// `test_message_retention`, `test_message_retention_fifo`, `test_message_retention_with_inflight`.
describe("retention", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  itVirtual("drops messages once MessageRetentionPeriod=60 has passed", async () => {
    const q = await createQueue(target, { attributes: { MessageRetentionPeriod: "60" } });
    await send(target, q.url, "foobar1");
    await send(target, q.url, "foobar2");
    await target.advance(59_999);
    expect((await countsOf(target, q.url)).visible).toBe(2);
    await target.advance(1);
    expect(await countsOf(target, q.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
    const expired = target.journal!.records("message.expired").filter((r) => r.queue === q.name);
    expect(expired).toHaveLength(2);
  });

  itVirtual("drops FIFO messages after the retention period too", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { MessageRetentionPeriod: "60" } });
    await sendFifo(target, q.url, "foobar1", "1");
    await sendFifo(target, q.url, "foobar2", "2");
    await target.advance(65_000);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 10 })).toEqual([]);
  });

  itVirtual("drops a message that is in flight when its retention ends, and its handle still deletes quietly", async () => {
    const q = await createQueue(target, { attributes: { MessageRetentionPeriod: "60", VisibilityTimeout: "60" } });
    await send(target, q.url, "foobar1");
    await send(target, q.url, "foobar2");
    await target.advance(5_000);
    const [m] = await receive(target, q.url);
    expect(m?.Body).toBe("foobar1");
    await target.advance(61_000);
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(7_500);
    expect(await receive(target, q.url)).toEqual([]);
    const out = await target.client.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m!.ReceiptHandle }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  // SQS Developer Guide, "Setting-up dead-letter queue retention": for standard queues "the expiration of
  // a message is always based on its original enqueue timestamp", also in the dead-letter queue ...
  itVirtual("keeps counting a standard message's retention from its original send in the DLQ", async () => {
    const dlq = await createQueue(target, { prefix: "dlq", attributes: { MessageRetentionPeriod: "60" } });
    const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    const src = await createQueue(target, { attributes: { RedrivePolicy: redrive, VisibilityTimeout: "0" } });
    await send(target, src.url, "m");
    await receive(target, src.url);
    await target.advance(30_000);
    expect(await receive(target, src.url)).toEqual([]);
    expect((await countsOf(target, dlq.url)).visible).toBe(1);
    await target.advance(30_000);
    expect((await countsOf(target, dlq.url)).visible).toBe(0);
  });

  // ... while "for FIFO queues, the enqueue timestamp resets when the message is moved to a dead-letter queue".
  itVirtual("restarts a FIFO message's retention when it moves to the DLQ", async () => {
    const dlq = await createQueue(target, { fifo: true, prefix: "dlq", attributes: { MessageRetentionPeriod: "60" } });
    const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    const src = await createQueue(target, { fifo: true, attributes: { RedrivePolicy: redrive, VisibilityTimeout: "0" } });
    await sendFifo(target, src.url, "m", "g");
    await receive(target, src.url);
    await target.advance(30_000);
    expect(await receive(target, src.url)).toEqual([]);
    await target.advance(59_999);
    expect((await countsOf(target, dlq.url)).visible).toBe(1);
    await target.advance(1);
    expect((await countsOf(target, dlq.url)).visible).toBe(0);
  });
});
