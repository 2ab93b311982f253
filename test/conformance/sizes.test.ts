import { SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, expectError, md5Hex, receiveOne } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";

const MIB = 1_048_576;

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

/** Recorded E1/E2 (`test_send_oversized_message`, `test_send_message_with_updated_maximum_message_size`). */
function tooLong(limit: number) {
  return {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
  };
}

// SendMessage API reference, MessageBody ("maximum 1 MiB"); recorded E1 (08/2025: default
// MaximumMessageSize 1048576). recorded-errors F5: the limit is inclusive despite "shorter than", and it
// counts UTF-8 bytes, so it can fall in the middle of a multi-byte character.
describe("message size: body only, default queue (1 MiB)", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(target.client, target.name());
  });

  it("accepts 1,048,576 ASCII bytes and returns them whole", async () => {
    const body = "a".repeat(MIB);
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    const got = await receiveOne(target.client, url, { visibility: 60 });
    expect(got.Body?.length).toBe(MIB);
    expect(got.MD5OfBody).toBe(md5Hex(body));
  });

  it("rejects 1,048,577 ASCII bytes with the recorded message", async () => {
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB + 1) })), tooLong(MIB));
  });

  it.each([
    ["a 2-byte é", "é", 2],
    ["a 3-byte €", "€", 3],
    ["a 4-byte emoji", "🎉", 4],
  ])("counts %s in UTF-8 bytes: exactly at the limit passes", async (_label, char, bytes) => {
    const body = "a".repeat(MIB - bytes) + char;
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
  });

  it.each([
    ["a 2-byte é", "é", 2],
    ["a 3-byte €", "€", 3],
    ["a 4-byte emoji", "🎉", 4],
  ])("counts %s in UTF-8 bytes: the limit falling inside it fails", async (_label, char, bytes) => {
    // One byte of the character lies past the limit, though the string has fewer than 1 MiB UTF-16 units.
    const body = "a".repeat(MIB - bytes + 1) + char;
    expect(body.length).toBeLessThanOrEqual(MIB);
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })), tooLong(MIB));
  });
});

// SQS developer guide, "Amazon SQS message attributes": name, type and value all count toward the
// message size. recorded-errors F5: with {k: String "x"} (8 bytes) a body of max-8 passes and max-7 fails.
describe("message size: body plus attributes", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(target.client, target.name());
  });

  it("counts name, DataType and value: {k: String x} leaves room for max-8 body bytes", async () => {
    const attributes = { k: { DataType: "String", StringValue: "x" } };
    const fits = await target.client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 8), MessageAttributes: attributes }),
    );
    expect(fits.MD5OfMessageAttributes).toBe("a45daa70926828a2f0a1db3418e6feb4");
    await expectError(
      target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 7), MessageAttributes: attributes })),
      tooLong(MIB),
    );
  });

  it("counts multi-byte names and values in UTF-8 and custom DataTypes in full", async () => {
    // "ñame" 5 bytes + "String.utf8" 11 bytes + "√x" 4 bytes = 20 bytes.
    const attributes = { ñame: { DataType: "String.utf8", StringValue: "√x" } };
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 20), MessageAttributes: attributes }));
    await expectError(
      target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 19), MessageAttributes: attributes })),
      tooLong(MIB),
    );
  });

  it("counts a Binary value by its bytes, not its base64 text", async () => {
    // "b" 1 byte + "Binary" 6 bytes + 300 raw bytes (400 in base64 on the wire) = 307 bytes.
    const attributes = { b: { DataType: "Binary", BinaryValue: new Uint8Array(300).fill(7) } };
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 307), MessageAttributes: attributes }));
    await expectError(
      target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(MIB - 306), MessageAttributes: attributes })),
      tooLong(MIB),
    );
  });
});

// Recorded E2 `test_send_message_with_updated_maximum_message_size` (SetQueueAttributes MaximumMessageSize=1024).
describe("message size: a queue with MaximumMessageSize=1024", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(target.client, target.name());
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MaximumMessageSize: "1024" } }));
  });

  it("accepts 1,024 bytes with the recorded MD5", async () => {
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1024) }));
    expect(sent.MD5OfMessageBody).toBe("c9a34cfc85d982698c6ac89f76071abd");
  });

  it("rejects 1,025 bytes quoting the queue's limit", async () => {
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1025) })), tooLong(1024));
  });

  it("counts attributes against the queue's limit too", async () => {
    const attributes = { k: { DataType: "String", StringValue: "x" } };
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1016), MessageAttributes: attributes }));
    await expectError(
      target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1017), MessageAttributes: attributes })),
      tooLong(1024),
    );
  });
});

// SendMessageBatch API reference ("the sum of all messages ... up to 1 MiB"); recorded E12
// `test_send_message_batch_with_oversized_contents` and E18 / F6 `test_send_batch_message_size`.
describe("batch size", () => {
  let url: string;
  beforeAll(async () => {
    url = await createQueue(target.client, target.name());
  });

  const entries = (sizes: number[]) => sizes.map((n, i) => ({ Id: `e${i}`, MessageBody: "a".repeat(n) }));

  it("accepts a batch of exactly 1,048,576 bytes", async () => {
    const out = await target.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries([MIB / 4, MIB / 4, MIB / 4, MIB / 4]) }));
    expect(out.Successful?.map((e) => e.Id)).toEqual(["e0", "e1", "e2", "e3"]);
    expect(out.Failed).toBeUndefined();
  });

  it("rejects a batch one byte over with BatchRequestTooLong and the recorded message", async () => {
    await expectError(
      target.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries([MIB / 4, MIB / 4, MIB / 4, MIB / 4 + 1]) })),
      {
        name: "BatchRequestTooLong",
        code: "AWS.SimpleQueueService.BatchRequestTooLong",
        message: "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
      },
    );
  });

  it("counts attributes in the batch total", async () => {
    const attributes = { k: { DataType: "String", StringValue: "x" } };
    const batch = (extra: number) => [
      { Id: "plain", MessageBody: "a".repeat(MIB / 2) },
      { Id: "withAttrs", MessageBody: "a".repeat(MIB / 2 - 8 + extra), MessageAttributes: attributes },
    ];
    const ok = await target.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch(0) }));
    expect(ok.Successful?.length).toBe(2);
    await expectError(target.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch(1) })), {
      name: "BatchRequestTooLong",
      message: "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
    });
  });

  it("fails only the oversized entry of an under-limit batch, with the batch wording", async () => {
    const small = await createQueue(target.client, target.name());
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: small, Attributes: { MaximumMessageSize: "1024" } }));
    const out = await target.client.send(new SendMessageBatchCommand({ QueueUrl: small, Entries: entries([1024, 1025]) }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Successful).toEqual([{ Id: "e0", MessageId: expect.any(String), MD5OfMessageBody: "c9a34cfc85d982698c6ac89f76071abd" }]);
    expect(out.Failed).toEqual([
      {
        Id: "e1",
        Code: "InvalidParameterValue",
        Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
        SenderFault: true,
      },
    ]);
  });
});
