import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";

// SQS Developer Guide, "Amazon SQS message lifecycle": a sent message is received with its body and MD5.
describe("smoke: send and receive with the AWS SDK v3", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  it("round-trips a message", async () => {
    const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: target.name() }));
    const sent = await target.client.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
    const got = await target.client.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(got.Messages?.[0]?.MessageId).toBe(sent.MessageId);
    expect(got.Messages?.[0]?.Body).toBe("hello");
    expect(got.Messages?.[0]?.MD5OfBody).toBe("5d41402abc4b2a76b9719d911017c592");
  });
});
