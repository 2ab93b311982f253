import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/clock/index.js";
import { openEmulator, type OpenEmulator } from "../../src/emulator/index.js";
import { inProcessRequestHandler } from "../../src/engine/in-process-transport.js";

// The SDK builds, signs and parses requests as over HTTP; only the socket is skipped. Each answer must be
// what the same request gets over HTTP (SendMessageBatch / ReceiveMessage / GetQueueAttributes API
// references; JSON errors per SQS-FACTS "Error shapes").
describe("in-process SQS transport", () => {
  let embedded: OpenEmulator | undefined;
  afterEach(async () => {
    await embedded?.close();
    embedded = undefined;
  });

  async function client() {
    embedded = await openEmulator({ clock: new VirtualClock() });
    // The endpoint is never dialled: it only names the host the SDK signs and the queue URLs use.
    return new SQSClient({
      endpoint: "http://127.0.0.1:4590",
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      maxAttempts: 1,
      requestHandler: inProcessRequestHandler(embedded.handleWire),
    });
  }

  it("round-trips a FIFO batch with attributes; the SDK's own MD5 checks pass", async () => {
    const sqs = await client();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "orders.fifo", Attributes: { FifoQueue: "true" } }));
    expect(QueueUrl).toBe("http://127.0.0.1:4590/000000000000/orders.fifo");
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: ["a", "b"].map((id, i) => ({
          Id: id,
          MessageBody: `{"n":${i},"text":"héllo"}`,
          MessageGroupId: "acct_1",
          MessageDeduplicationId: `k${i}`,
          MessageAttributes: { eventType: { DataType: "String", StringValue: "order.created" } },
        })),
      }),
    );
    expect(sent.Successful?.map((s) => s.Id)).toEqual(["a", "b"]);
    expect(sent.Successful?.every((s) => /^\d+$/.test(s.SequenceNumber ?? ""))).toBe(true);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    expect(Messages.map((m) => m.Body)).toEqual(['{"n":0,"text":"héllo"}', '{"n":1,"text":"héllo"}']);
    expect(Messages[0]!.MessageAttributes?.eventType?.StringValue).toBe("order.created");
  });

  it("surfaces SQS errors exactly as over HTTP: modelled exception, header code, sender fault, status", async () => {
    const sqs = await client();
    const err = await sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1:4590/000000000000/missing", AttributeNames: ["All"] }))
      .then(() => undefined, (e: unknown) => e as { name: string; Code?: string; $fault: string; $metadata: { httpStatusCode?: number } });
    expect(err?.name).toBe("QueueDoesNotExist");
    expect(err?.Code).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(err?.$fault).toBe("client");
    expect(err?.$metadata.httpStatusCode).toBe(400);
  });

  it("times out on the run's clock: a request the backend never answers fails as TimeoutError once the clock passes the deadline", async () => {
    const clock = new VirtualClock();
    const handler = inProcessRequestHandler(() => new Promise(() => {}), { requestTimeoutMs: 30_000, clock });
    let outcome = "pending";
    const pending = handler.handle({ method: "POST", path: "/", headers: {}, body: "{}" }).then(
      () => (outcome = "answered"),
      (err: { name: string; code: string }) => (outcome = `${err.name}/${err.code}`),
    );
    await clock.advance(29_999);
    expect(outcome).toBe("pending");
    await clock.advance(1);
    await pending;
    expect(outcome).toBe("TimeoutError/ETIMEDOUT");
  });
});
