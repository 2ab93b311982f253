import {
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type ReceiveMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, expectError } from "../support/messages.js";
import { createTarget, type SqsTarget } from "../support/target.js";
import { postQuery } from "../support/wire.js";

/** The query-protocol case posts unsigned; it runs only against the embedded emulator. */
const external = !!process.env.SQSRIG_CONFORMANCE_ENDPOINT;

let target: SqsTarget;
let url: string;
beforeAll(async () => {
  target = await createTarget();
  url = await createQueue(target.client, target.name());
});
afterAll(() => target.close());

// Recorded E23 `test_non_existent_queue` key `queue-does-not-exist`: __type QueueDoesNotExist (SDK v3
// `error.name`), x-amzn-query-error AWS.SimpleQueueService.NonExistentQueue (`error.Code`), 400, Sender.
describe("a queue that does not exist", () => {
  const NO_QUEUE = {
    name: "QueueDoesNotExist",
    code: "AWS.SimpleQueueService.NonExistentQueue",
    message: "The specified queue does not exist.",
  };
  let gone: string;
  beforeAll(async () => {
    gone = await createQueue(target.client, target.name());
    await target.client.send(new DeleteQueueCommand({ QueueUrl: gone }));
  });

  it("SendMessage to a queue that was never created", async () => {
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: `${url}-never`, MessageBody: "m" })), NO_QUEUE);
  });

  it("SendMessage to a deleted queue", async () => {
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: gone, MessageBody: "m" })), NO_QUEUE);
  });

  it("ReceiveMessage on a deleted queue", async () => {
    await expectError(target.client.send(new ReceiveMessageCommand({ QueueUrl: gone })), NO_QUEUE);
  });

  it("SendMessageBatch to a deleted queue", async () => {
    await expectError(target.client.send(new SendMessageBatchCommand({ QueueUrl: gone, Entries: [{ Id: "a", MessageBody: "m" }] })), NO_QUEUE);
  });

  // Recorded E25 `test_non_existent_queue` key `queue-does-not-exist-query` and validated V20: the query
  // protocol words the same error differently.
  it.skipIf(external)("the query protocol says \"…does not exist for this wsdl version.\"", async () => {
    const answer = await postQuery(target.endpoint, { Action: "SendMessage", QueueUrl: gone, MessageBody: "m" });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("<Type>Sender</Type>");
    expect(answer.text).toContain("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
    expect(answer.text).toContain("<Message>The specified queue does not exist for this wsdl version.</Message>");
  });
});

// Recorded E3 `test_send_empty_message`.
describe("SendMessage parameters", () => {
  it("rejects an empty body with MissingParameter", async () => {
    await expectError(target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "" })), {
      name: "MissingParameter",
      code: "MissingParameter",
      message: "The request must contain the parameter MessageBody.",
    });
  });
});

// ReceiveMessage API reference (MaxNumberOfMessages 1–10, WaitTimeSeconds 0–20, VisibilityTimeout
// 0–43200); recorded E19 `test_send_receive_max_number_of_messages` and E20
// `test_send_receive_wait_time_seconds` give the texts.
describe("ReceiveMessage parameter ranges", () => {
  const receive = (input: Partial<ReceiveMessageCommandInput>) => target.client.send(new ReceiveMessageCommand({ QueueUrl: url, ...input }));

  it.each([[0], [11]])("rejects MaxNumberOfMessages=%i with the recorded text", async (n) => {
    await expectError(receive({ MaxNumberOfMessages: n }), {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
      message: `Value ${n} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    });
  });

  it.each([[21], [-1]])("rejects WaitTimeSeconds=%i with the recorded text", async (n) => {
    await expectError(receive({ WaitTimeSeconds: n }), {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
      message: `Value ${n} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
    });
  });

  // Not recorded (recorded-errors §3): only the code is pinned.
  it.each([[-1], [43_201]])("rejects VisibilityTimeout=%i with InvalidParameterValue", async (n) => {
    await expectError(receive({ VisibilityTimeout: n }), { name: "InvalidParameterValue", code: "InvalidParameterValue" });
  });

  it("accepts the inclusive bounds MaxNumberOfMessages=10, WaitTimeSeconds=0 and VisibilityTimeout=43200", async () => {
    const out = await receive({ MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 43_200 });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Messages).toBeUndefined();
  });
});
