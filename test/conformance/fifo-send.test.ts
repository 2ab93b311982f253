import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { bodies, countsOf, createQueue, errorOf, itVirtual, receive, send, sendFifo } from "./lifecycle-helpers.js";

// SQS API Reference, SendMessage / SendMessageBatch: FIFO-only parameters and results.
describe("FIFO: SequenceNumber, required parameters and delays", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  // SendMessage API reference ("SequenceNumber ... The length of SequenceNumber is 128 bits"), validated
  // `test_fifo_sequence_number_increases`: a decimal string that grows with every send.
  it("returns a 20-digit SequenceNumber that strictly increases, on send and on receive", async () => {
    const q = await createQueue(target, { fifo: true });
    const seqs: string[] = [];
    for (let i = 0; i < 3; i++) seqs.push((await sendFifo(target, q.url, `message-${i}`, "group")).SequenceNumber!);
    const batch = await target.client.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [{ Id: "a", MessageBody: "message-3", MessageGroupId: "other", MessageDeduplicationId: "d3" }],
      }),
    );
    seqs.push(batch.Successful![0]!.SequenceNumber!);
    for (const s of seqs) expect(s).toMatch(/^\d{20}$/);
    for (let i = 1; i < seqs.length; i++) expect(BigInt(seqs[i]!)).toBeGreaterThan(BigInt(seqs[i - 1]!));
    const got = await receive(target, q.url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["SequenceNumber"] });
    expect(got.map((m) => m.Attributes?.SequenceNumber)).toEqual(seqs);
  });

  // Validated `test_sequence_number`: a standard queue's send result has no SequenceNumber.
  it("returns no SequenceNumber from a standard queue", async () => {
    const q = await createQueue(target);
    const out = await send(target, q.url, "m");
    expect(out.SequenceNumber).toBeUndefined();
  });

  // Recorded `test_posting_to_fifo_requires_deduplicationid_group_id` key `missing-parameter` (E5).
  it("refuses a FIFO send without MessageGroupId with MissingParameter", async () => {
    const q = await createQueue(target, { fifo: true });
    const err = await errorOf(send(target, q.url, "m", { MessageDeduplicationId: "d" }));
    expect(err).toMatchObject({ name: "MissingParameter", status: 400, message: "The request must contain the parameter MessageGroupId." });
  });

  // Recorded `test_send_batch_missing_message_group_id_for_fifo_queue` (E7): the whole request fails,
  // with InvalidParameterValue rather than MissingParameter, and nothing is enqueued.
  it("fails a whole FIFO batch when one entry has no MessageGroupId", async () => {
    const q = await createQueue(target, { fifo: true });
    const err = await errorOf(
      target.client.send(
        new SendMessageBatchCommand({
          QueueUrl: q.url,
          Entries: [
            { Id: "ok", MessageBody: "messageBody", MessageGroupId: "test-group", MessageDeduplicationId: "d1" },
            { Id: "bad", MessageBody: "messageBody", MessageDeduplicationId: "d2" },
          ],
        }),
      ),
    );
    expect(err).toMatchObject({ name: "InvalidParameterValue", status: 400, message: "The request must contain the parameter MessageGroupId." });
    expect((await countsOf(target, q.url)).visible).toBe(0);
  });

  // Recorded `test_fifo_queue_send_message_with_delay_seconds_fails` (E4), "include" sic.
  it("refuses a per-message DelaySeconds on a FIFO queue", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { ContentBasedDeduplication: "true" } });
    const err = await errorOf(send(target, q.url, "message-1", { MessageGroupId: "1", DelaySeconds: 2 }));
    expect(err).toMatchObject({
      name: "InvalidParameterValue",
      type: "InvalidParameterValueException",
      status: 400,
      message: "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
    });
  });

  // Recorded `test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay`: DelaySeconds=0 is
  // accepted on FIFO and the queue's delay still applies.
  itVirtual("accepts DelaySeconds=0 on a FIFO queue and still applies the queue delay", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { ContentBasedDeduplication: "true", DelaySeconds: "2" } });
    await send(target, q.url, "message-1", { MessageGroupId: "1", DelaySeconds: 0 });
    expect(await receive(target, q.url)).toEqual([]);
    await target.advance(2_000);
    expect(bodies(await receive(target, q.url))).toEqual(["message-1"]);
  });

  // Validated `test_fifo_queue_send_message_with_delay_on_queue_works`: after the queue delay the group
  // comes out in order.
  itVirtual("delivers a delayed FIFO group in order once the queue delay has passed", async () => {
    const q = await createQueue(target, { fifo: true, attributes: { ContentBasedDeduplication: "true", DelaySeconds: "2" } });
    for (const b of ["message-1", "message-2", "message-3"]) await send(target, q.url, b, { MessageGroupId: "1" });
    expect(await countsOf(target, q.url)).toEqual({ visible: 0, notVisible: 0, delayed: 3 });
    await target.advance(1_999);
    expect(await receive(target, q.url, { MaxNumberOfMessages: 3 })).toEqual([]);
    await target.advance(1);
    expect(bodies(await receive(target, q.url, { MaxNumberOfMessages: 3 }))).toEqual(["message-1", "message-2", "message-3"]);
  });

  // SQS quotas page and recorded `test_fair_queue_with_message_group_id` (08/2025): a standard ("fair")
  // queue accepts a MessageGroupId, returns no SequenceNumber, and shows the group id on receive.
  it("accepts MessageGroupId on a standard queue (fair queues)", async () => {
    const q = await createQueue(target);
    const out = await send(target, q.url, "message", { MessageGroupId: "test" });
    expect(out.MessageId).toBeTruthy();
    expect(out.SequenceNumber).toBeUndefined();
    const [m] = await receive(target, q.url, { MessageSystemAttributeNames: ["All"] });
    expect(m?.Attributes?.MessageGroupId).toBe("test");
    expect(m?.Attributes?.SequenceNumber).toBeUndefined();
    expect(m?.Attributes?.MessageDeduplicationId).toBeUndefined();
  });
});
