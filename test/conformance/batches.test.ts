import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, expectError, md5Hex, receiveOne } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";

let target: SqsTarget;
let url: string;
beforeAll(async () => {
  target = await createTarget();
  url = await createQueue(target.client, target.name());
});
afterAll(() => target.close());

/** The three *Batch actions with entries built from ids, so request-level rules are checked on each. */
const ACTIONS: [string, (client: SQSClient, queueUrl: string, ids: string[]) => Promise<unknown>][] = [
  ["SendMessageBatch", (c, q, ids) => c.send(new SendMessageBatchCommand({ QueueUrl: q, Entries: ids.map((Id) => ({ Id, MessageBody: "m" })) }))],
  ["DeleteMessageBatch", (c, q, ids) => c.send(new DeleteMessageBatchCommand({ QueueUrl: q, Entries: ids.map((Id) => ({ Id, ReceiptHandle: "h" })) }))],
  [
    "ChangeMessageVisibilityBatch",
    (c, q, ids) =>
      c.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: q, Entries: ids.map((Id) => ({ Id, ReceiptHandle: "h", VisibilityTimeout: 0 })) })),
  ],
];
const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);
const INVALID_ID = {
  name: "InvalidBatchEntryId",
  code: "AWS.SimpleQueueService.InvalidBatchEntryId",
  message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
};

// API reference of each *Batch action (errors EmptyBatchRequest, TooManyEntriesInBatchRequest,
// InvalidBatchEntryId, BatchEntryIdsNotDistinct); recorded E13–E17 and validated V5.
describe.each(ACTIONS)("%s request-level rules", (_action, call) => {
  it("rejects an empty batch with EmptyBatchRequest (validated V5)", async () => {
    await expectError(call(target.client, url, []), { name: "EmptyBatchRequest", code: "AWS.SimpleQueueService.EmptyBatchRequest" });
  });

  it("rejects 11 entries with TooManyEntriesInBatchRequest and the recorded message (E13–E15)", async () => {
    await expectError(call(target.client, url, ids(11)), {
      name: "TooManyEntriesInBatchRequest",
      code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      message: "Maximum number of entries per request are 10. You have sent 11.",
    });
  });

  it.each([["a colon (E16)", "message:xxxx"], ["an empty id (E17)", ""], ["100 characters (E17)", "testLongId".repeat(10)], ["81 characters", "a".repeat(81)]])(
    "rejects an entry id with %s with InvalidBatchEntryId and the recorded message",
    async (_label, bad) => {
      await expectError(call(target.client, url, ["ok", bad]), INVALID_ID);
    },
  );

  // Not recorded; the shape is BatchEntryIdsNotDistinct in the API model.
  it("rejects repeated ids with BatchEntryIdsNotDistinct", async () => {
    await expectError(call(target.client, url, ["same", "other", "same"]), { name: "BatchEntryIdsNotDistinct" });
  });
});

// SendMessageBatch API reference: per-entry results, HTTP 200; recorded-errors F6 (empty Failed omitted).
describe("SendMessageBatch results", () => {
  it("recorded E13 text for 20 entries", async () => {
    await expectError(ACTIONS[0]![1](target.client, url, ids(20)), {
      name: "TooManyEntriesInBatchRequest",
      message: "Maximum number of entries per request are 10. You have sent 20.",
    });
  });

  it("sends 10 entries with 80-character ids; each success carries Id, MessageId and MD5OfMessageBody and no Failed list", async () => {
    const own = await createQueue(target.client, target.name());
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `${i}`.padEnd(80, "x"), MessageBody: `message-${i}` }));
    const out = await target.client.send(new SendMessageBatchCommand({ QueueUrl: own, Entries: entries }));
    expect(out.Failed).toBeUndefined();
    expect(out.Successful?.map((e) => [e.Id, e.MD5OfMessageBody])).toEqual(entries.map((e) => [e.Id, md5Hex(e.MessageBody)]));
    expect(out.Successful?.[1]?.MD5OfMessageBody).toBe("3d6b824fd8c1520e9a047d21fee6fb1f"); // recorded "message-1"
    expect(new Set(out.Successful?.map((e) => e.MessageId)).size).toBe(10);
  });

  // Validated V6 `test_batch_send_with_invalid_char_should_succeed`.
  it("fails only the entry with an invalid character (InvalidMessageContents) and sends the other nine", async () => {
    const own = await createQueue(target.client, target.name());
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `${i}`, MessageBody: i === 9 ? "\x01" : `Message ${i}` }));
    const out = await target.client.send(new SendMessageBatchCommand({ QueueUrl: own, Entries: entries }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Successful?.map((e) => e.Id)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(out.Failed).toEqual([{ Id: "9", Code: "InvalidMessageContents", Message: expect.any(String), SenderFault: true }]);
    const got = await target.client.send(new ReceiveMessageCommand({ QueueUrl: own, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body).sort()).toEqual(entries.slice(0, 9).map((e) => e.MessageBody));
  });

  it("fails only the entry with an invalid message attribute, with the single-send message", async () => {
    const own = await createQueue(target.client, target.name());
    const out = await target.client.send(
      new SendMessageBatchCommand({
        QueueUrl: own,
        Entries: [
          { Id: "good", MessageBody: "a" },
          { Id: "bad", MessageBody: "b", MessageAttributes: { ErrorDetails: { DataType: "String", StringValue: "" } } },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(["good"]);
    expect(out.Failed).toEqual([
      {
        Id: "bad",
        Code: "InvalidParameterValue",
        Message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        SenderFault: true,
      },
    ]);
  });
});

// Recorded E7 `test_send_batch_missing_message_group_id_for_fifo_queue` and E8
// `test_send_batch_missing_deduplication_id_for_fifo_queue`: the whole request fails, nothing is sent.
describe("SendMessageBatch on a FIFO queue", () => {
  it("fails the whole batch with InvalidParameterValue when one entry lacks MessageGroupId", async () => {
    const fifo = await createQueue(target.client, target.name() + ".fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const entries = [
      { Id: "valid", MessageBody: "m1", MessageGroupId: "g" },
      { Id: "noGroup", MessageBody: "m2" },
    ];
    await expectError(target.client.send(new SendMessageBatchCommand({ QueueUrl: fifo, Entries: entries })), {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
      message: "The request must contain the parameter MessageGroupId.",
    });
    expect((await target.client.send(new ReceiveMessageCommand({ QueueUrl: fifo }))).Messages).toBeUndefined();
  });

  it("fails the whole batch when one entry lacks a dedup id and content-based dedup is off", async () => {
    const fifo = await createQueue(target.client, target.name() + ".fifo", { FifoQueue: "true" });
    const entries = [
      { Id: "valid", MessageBody: "m1", MessageGroupId: "g", MessageDeduplicationId: "d1" },
      { Id: "noDedup", MessageBody: "m2", MessageGroupId: "g" },
    ];
    await expectError(target.client.send(new SendMessageBatchCommand({ QueueUrl: fifo, Entries: entries })), {
      name: "InvalidParameterValue",
      message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    expect((await target.client.send(new ReceiveMessageCommand({ QueueUrl: fifo }))).Messages).toBeUndefined();
  });
});

// DeleteMessageBatch / ChangeMessageVisibilityBatch API reference; validated V1 text for an illegal handle
// (`test_delete_message_with_illegal_receipt_handle`), per entry with SenderFault true.
describe("receipt-handle batches with an invalid handle", () => {
  const garbage = {
    Id: "bad",
    Code: "ReceiptHandleIsInvalid",
    Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    SenderFault: true,
  };

  async function oneReceived(): Promise<{ queue: string; handle: string }> {
    const queue = await createQueue(target.client, target.name());
    await target.client.send(new SendMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: "m", MessageBody: "kept" }] }));
    const got = await receiveOne(target.client, queue, { visibility: 300 });
    return { queue, handle: got.ReceiptHandle! };
  }

  it("DeleteMessageBatch deletes the valid entry and fails the garbage one", async () => {
    const { queue, handle } = await oneReceived();
    const out = await target.client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queue, Entries: [{ Id: "good", ReceiptHandle: handle }, { Id: "bad", ReceiptHandle: "garbage" }] }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Successful).toEqual([{ Id: "good" }]);
    expect(out.Failed).toEqual([garbage]);
    // Deleted for good: its handle can no longer change visibility (validated V3
    // `test_change_visibility_on_deleted_message_raises_invalid_parameter_value`), and nothing is received.
    const after = await target.client.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue, Entries: [{ Id: "x", ReceiptHandle: handle, VisibilityTimeout: 0 }] }),
    );
    expect(after.Failed).toEqual([
      {
        Id: "x",
        Code: "InvalidParameterValue",
        Message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
        SenderFault: true,
      },
    ]);
    expect((await target.client.send(new ReceiveMessageCommand({ QueueUrl: queue }))).Messages).toBeUndefined();
  });

  it("ChangeMessageVisibilityBatch changes the valid entry and fails the garbage one", async () => {
    const { queue, handle } = await oneReceived();
    const out = await target.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue,
        Entries: [
          { Id: "good", ReceiptHandle: handle, VisibilityTimeout: 0 },
          { Id: "bad", ReceiptHandle: "garbage", VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(out.Successful).toEqual([{ Id: "good" }]);
    expect(out.Failed).toEqual([garbage]);
    // VisibilityTimeout 0 made the message visible at once.
    expect((await receiveOne(target.client, queue)).Body).toBe("kept");
  });
});
