import { createHash } from "node:crypto";
import { PurgeQueueCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { attributesOf, bodies, countsOf, createQueue, errorOf, itVirtual, receive, send, sendFifo, deleteMessage as deleteHandle } from "./lifecycle-helpers.js";

// SQS Developer Guide, "Exactly-once processing in Amazon SQS" and SendMessage API reference,
// MessageDeduplicationId: a duplicate within the 5-minute interval is accepted but not delivered.
describe("FIFO deduplication", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  const deleteMessage = (url: string, handle: string | undefined) => deleteHandle(target, url, handle);

  // SendMessage API reference; LocalStack PR #8146: the duplicate gets the original MessageId.
  itVirtual("answers a duplicate with the original MessageId and does not enqueue it", async () => {
    const q = await createQueue(target, { fifo: true });
    const first = await sendFifo(target, q.url, "first", "g", "dedup-1");
    const afterSeq = target.journal!.lastSeq;
    const second = await sendFifo(target, q.url, "second", "g", "dedup-1");
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.SequenceNumber).toBe(first.SequenceNumber);
    expect((await countsOf(target, q.url)).visible).toBe(1);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["first"]);
    const hit = await target.journal!.waitFor("message.dedupHit", (r) => r.queue === q.name, { afterSeq });
    expect(hit).toMatchObject({ messageId: first.MessageId, dedupId: "dedup-1", groupId: "g" });
  });

  // Validated `test_fifo_deduplication_arrives_once_after_delete[False]`.
  it("still deduplicates after the original message was deleted", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, '{"foo": "bar"}', "group-1", "dedup1");
    const [m] = await receive(target, q.url);
    await deleteMessage(q.url, m!.ReceiptHandle);
    const again = await sendFifo(target, q.url, '{"foo": "bar"}', "group-1", "dedup1");
    expect(again.MessageId).toBe(m!.MessageId);
    expect(await receive(target, q.url)).toEqual([]);
  });

  // Validated `test_purge_queue_clears_fifo_deduplication_cache`.
  it("forgets deduplication ids on PurgeQueue", async () => {
    const q = await createQueue(target, { fifo: true });
    await sendFifo(target, q.url, "message-1", "g", "same");
    await target.client.send(new PurgeQueueCommand({ QueueUrl: q.url }));
    await sendFifo(target, q.url, "message-2", "g", "same");
    expect(bodies(await receive(target, q.url))).toEqual(["message-2"]);
  });

  // SQS Developer Guide, "Using the message deduplication ID": the interval is 5 minutes.
  itVirtual("accepts the same id as a new message once 5 minutes have passed", async () => {
    const q = await createQueue(target, { fifo: true });
    const first = await sendFifo(target, q.url, "one", "g", "d");
    await target.advance(5 * 60_000 - 1);
    expect((await sendFifo(target, q.url, "dup", "g", "d")).MessageId).toBe(first.MessageId);
    await target.advance(1);
    const later = await sendFifo(target, q.url, "two", "g", "d");
    expect(later.MessageId).not.toBe(first.MessageId);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["one", "two"]);
  });

  // CreateQueue API reference, ContentBasedDeduplication: the id is a SHA-256 hash of the body (not the
  // attributes); validated `test_fifo_content_based_message_deduplication_arrives_once`.
  it("derives the id from the SHA-256 of the body with ContentBasedDeduplication", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { ContentBasedDeduplication: "true" } });
    const body = '{"foo": "bar"}';
    const a = await send(target, q.url, body, { MessageGroupId: "group-1" });
    const b = await send(target, q.url, body, {
      MessageGroupId: "group-1",
      MessageAttributes: { k: { DataType: "String", StringValue: "attributes do not count" } },
    });
    expect(b.MessageId).toBe(a.MessageId);
    await send(target, q.url, "another body", { MessageGroupId: "group-1" });
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageDeduplicationId"] });
    expect(bodies(got)).toEqual([body, "another body"]);
    expect(got[0]!.Attributes?.MessageDeduplicationId).toBe(createHash("sha256").update(body).digest("hex"));
  });

  // SendMessage API reference: an explicit MessageDeduplicationId overrides the content-based one.
  it("lets an explicit id override content-based deduplication", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { ContentBasedDeduplication: "true" } });
    await sendFifo(target, q.url, "same", "g", "id-1");
    await sendFifo(target, q.url, "same", "g", "id-2");
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["same", "same"]);
  });

  // Recorded `test_posting_to_fifo_requires_deduplicationid_group_id` key `invalid-parameter-value` (E6).
  it("refuses a send without an id when ContentBasedDeduplication is off", async () => {
    const q = await createQueue(target, { fifo: true });
    const err = await errorOf(send(target, q.url, "m", { MessageGroupId: "g" }));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
  });

  // Validated `test_fifo_deduplication_not_on_message_group_id` and
  // `test_sqs_fifo_same_dedup_id_different_message_groups`: with the default scope the id spans groups.
  it("deduplicates across message groups with DeduplicationScope=queue", async () => {
    const q = await createQueue(target, { fifo: true });
    const a = await sendFifo(target, q.url, "Test", "group1", "same-dedup");
    const b = await sendFifo(target, q.url, "Test", "group2", "same-dedup");
    expect(b.MessageId).toBe(a.MessageId);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 }))).toEqual(["Test"]);
  });

  // Validated `test_sqs_fifo_message_group_scope_no_throughput_setting` and
  // `test_fifo_high_throughput_ordering`: with DeduplicationScope=messageGroup ids are per group.
  it("scopes ids per group with DeduplicationScope=messageGroup", async () => {
    const q = await createQueue(target, {
      fifo: true,
      attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
    });
    const a = await sendFifo(target, q.url, "Test1", "group1", "same-dedup");
    const b = await sendFifo(target, q.url, "Test2", "group2", "same-dedup");
    const c = await sendFifo(target, q.url, "Test3", "group1", "same-dedup");
    expect(b.MessageId).not.toBe(a.MessageId);
    expect(c.MessageId).toBe(a.MessageId);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 10 })).sort()).toEqual(["Test1", "Test2"]);
  });

  // Validated `test_fifo_change_to_high_throughput_after_creation`: the new scope is reported at once,
  // but deduplication keeps the scope the queue was created with.
  it("keeps the creation-time scope after DeduplicationScope is changed", async () => {
    const q = await createQueue(target, { fifo: true });
    await target.client.send(
      new SetQueueAttributesCommand({
        QueueUrl: q.url,
        Attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" },
      }),
    );
    const attrs = await attributesOf(target, q.url);
    expect(attrs).toMatchObject({ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
    const a = await sendFifo(target, q.url, "Test4", "group4", "dedup_2");
    const b = await sendFifo(target, q.url, "Test5", "group5", "dedup_2");
    expect(b.MessageId).toBe(a.MessageId);
  });

  // SetQueueAttributes API reference, FifoThroughputLimit: "The perMessageGroupId value is allowed only
  // when the value for DeduplicationScope is messageGroup." (error code per the API model; no recording).
  it("allows FifoThroughputLimit=perMessageGroupId only with DeduplicationScope=messageGroup", async () => {
    const q = await createQueue(target, { fifo: true });
    const err = await errorOf(
      target.client.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { FifoThroughputLimit: "perMessageGroupId" } })),
    );
    expect(err).toMatchObject({ name: "InvalidAttributeValue", status: 400 });
    expect((await attributesOf(target, q.url)).FifoThroughputLimit).toBe("perQueue");
    const created = await errorOf(
      createQueue(target, { fifo: true, attributes: { DeduplicationScope: "queue", FifoThroughputLimit: "perMessageGroupId" } }),
    );
    expect(created).toMatchObject({ name: "InvalidAttributeValue", status: 400 });
  });
});
