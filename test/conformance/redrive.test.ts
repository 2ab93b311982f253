import { ListDeadLetterSourceQueuesCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { countsOf, createQueue, errorOf, itVirtual, receive, send, type TestQueue } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Using dead-letter queues in Amazon SQS"; CreateQueue API reference,
// RedrivePolicy / RedriveAllowPolicy.
describe("dead-letter queues", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const redrive = (dlq: TestQueue, maxReceiveCount: number) =>
    JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount });

  // localstack#8234 (verified against AWS by a maintainer): the message is returned maxReceiveCount times
  // and moved on the next receive attempt, which returns nothing.
  it("returns a message maxReceiveCount times and moves it on the next receive attempt", async () => {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const src = await createQueue(target, { attributes: { RedrivePolicy: redrive(dlq, 3), VisibilityTimeout: "0" } });
    const sent = await send(target, src.url, "test");
    for (let n = 1; n <= 3; n++) {
      const [m] = await receive(target, src.url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
      expect(m?.MessageId).toBe(sent.MessageId);
      expect(m?.Attributes?.ApproximateReceiveCount).toBe(String(n));
    }
    expect(await receive(target, src.url)).toEqual([]);
    expect((await countsOf(target, dlq.url)).visible).toBe(1);
    expect((await receive(target, dlq.url))[0]?.MessageId).toBe(sent.MessageId);
  });

  // localstack#8234: nothing moves until a receive attempt finds the message over the limit.
  itVirtual("leaves an exhausted message in the source until the next receive attempt", async () => {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const src = await createQueue(target, { attributes: { RedrivePolicy: redrive(dlq, 1), VisibilityTimeout: "5" } });
    await send(target, src.url, "test");
    await receive(target, src.url);
    await target.advance(60_000);
    expect((await countsOf(target, src.url)).visible).toBe(1);
    expect((await countsOf(target, dlq.url)).visible).toBe(0);
    const moves = target.journal!.records("message.movedToDlq").filter((r) => r.queue === src.name);
    expect(moves).toHaveLength(0);
    expect(await receive(target, src.url)).toEqual([]);
    const [moved] = target.journal!.records("message.movedToDlq").filter((r) => r.queue === src.name);
    expect(moved).toMatchObject({ dlq: dlq.name, receiveCount: 1 });
  });

  // Recorded `test_dead_letter_queue_message_attributes`: same MessageId, the receive count continues
  // (2 on the first DLQ receive with maxReceiveCount=1), DeadLetterQueueSourceArn is the source ARN, and
  // message attributes and AWSTraceHeader are kept.
  it("keeps MessageId, attributes and trace header, continues the count and adds DeadLetterQueueSourceArn", async () => {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const src = await createQueue(target, { attributes: { RedrivePolicy: redrive(dlq, 1) } });
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const sent = await send(target, src.url, "message-1", {
      MessageAttributes: { MyAttribute: { StringValue: "foobar", DataType: "String" } },
      MessageSystemAttributes: { AWSTraceHeader: { StringValue: trace, DataType: "String" } },
    });
    const [first] = await receive(target, src.url, { VisibilityTimeout: 0, MessageSystemAttributeNames: ["All"] });
    expect(await receive(target, src.url, { VisibilityTimeout: 0 })).toEqual([]);
    const [m] = await receive(target, dlq.url, { MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] });
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.Body).toBe("message-1");
    expect(m?.Attributes).toMatchObject({
      ApproximateReceiveCount: "2",
      DeadLetterQueueSourceArn: src.arn,
      AWSTraceHeader: trace,
      SentTimestamp: first!.Attributes!.SentTimestamp,
    });
    expect(m?.MessageAttributes).toEqual({ MyAttribute: { StringValue: "foobar", DataType: "String" } });
    expect(m?.MD5OfMessageAttributes).toBe("adb59cd4678ea5a855436b949cd07ab6");
  });

  // Validated `test_dead_letter_queue_with_fifo_and_content_based_deduplication`: a FIFO DLQ receives the
  // message with its group, and the source group keeps working afterwards (LocalStack #10107).
  it("moves a FIFO message into a FIFO DLQ with its group and keeps the source group working", async () => {
    const dlq = await createQueue(target, { fifo: true, prefix: "dlq", attributes: { ContentBasedDeduplication: "true" } });
    const src = await createQueue(target, {
      fifo: true,
      attributes: { ContentBasedDeduplication: "true", VisibilityTimeout: "60", RedrivePolicy: redrive(dlq, 2) },
    });
    const sent = await send(target, src.url, "foobar", { MessageGroupId: "1" });
    for (let i = 0; i < 3; i++) await receive(target, src.url, { VisibilityTimeout: 0 });
    const [m] = await receive(target, dlq.url, { MessageSystemAttributeNames: ["MessageGroupId", "DeadLetterQueueSourceArn"] });
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.Attributes).toMatchObject({ MessageGroupId: "1", DeadLetterQueueSourceArn: src.arn });
    const next = await send(target, src.url, "foobar2", { MessageGroupId: "1" });
    expect((await receive(target, src.url))[0]?.MessageId).toBe(next.MessageId);
  });

  // Validated `test_dead_letter_queue_list_sources`.
  it("lists the source queues of a dead-letter queue", async () => {
    const dlq = await createQueue(target, { prefix: "dlq" });
    const a = await createQueue(target, { attributes: { RedrivePolicy: redrive(dlq, 50) } });
    const b = await createQueue(target, { attributes: { RedrivePolicy: redrive(dlq, 50) } });
    await createQueue(target);
    const out = await target.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect([...(out.queueUrls ?? [])].sort()).toEqual([a.url, b.url].sort());
  });

  // CreateQueue API reference, RedriveAllowPolicy: denyAll refuses every source; byQueue only the listed
  // ones (the refusal text is not recorded, so only the code is asserted).
  it("refuses a source the dead-letter queue's RedriveAllowPolicy does not allow", async () => {
    const denyAll = await createQueue(target, { prefix: "dlq", attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) } });
    const refused = await errorOf(createQueue(target, { attributes: { RedrivePolicy: redrive(denyAll, 1) } }));
    expect(refused).toMatchObject({ name: "InvalidParameterValue", status: 400 });

    const allowed = await createQueue(target);
    const other = await createQueue(target);
    const byQueue = await createQueue(target, {
      prefix: "dlq",
      attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [allowed.arn] }) },
    });
    const setRedrive = (q: TestQueue) =>
      target.client.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { RedrivePolicy: redrive(byQueue, 1) } }));
    await setRedrive(allowed);
    expect(await errorOf(setRedrive(other))).toMatchObject({ name: "InvalidParameterValue", status: 400 });
  });

  // Using dead-letter queues: "the dead-letter queue of a FIFO queue must also be a FIFO queue" (and a
  // standard queue's must be standard).
  it("refuses a dead-letter queue of the other queue type", async () => {
    const fifoDlq = await createQueue(target, { fifo: true, prefix: "dlq" });
    const err = await errorOf(createQueue(target, { attributes: { RedrivePolicy: redrive(fifoDlq, 1) } }));
    expect(err).toMatchObject({ name: "InvalidParameterValue", status: 400 });
  });
});
