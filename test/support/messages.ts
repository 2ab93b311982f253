import { createHash } from "node:crypto";
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageSystemAttributeName,
  type QueueAttributeName,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import { failure } from "./failure.js";

/** What a conformance test pins of an SQS error, as SDK v3 shows it. Absent fields are not checked. */
export interface ExpectedError {
  /** `error.name`: the modelled shape (`QueueDoesNotExist`) or, for unmodelled ones, the query code. */
  name: string;
  /** `error.Code`, from `x-amzn-query-error`. */
  code?: string;
  /** The exact text, only where AWS recorded it. */
  message?: string;
  /** `$metadata.httpStatusCode`; 400 unless given. */
  status?: number;
}

/**
 * Awaits a call that must fail and compares the error in one object, so a mismatch prints every field.
 * Every error these suites expect is the sender's fault (recorded-errors §0: "Every recorded error is
 * `Sender`"), which SDK v3 reports as `$fault: "client"`.
 */
export async function expectError(call: Promise<unknown>, expected: ExpectedError): Promise<void> {
  const err = await failure(call);
  const actual = {
    name: err.name,
    status: err.$metadata?.httpStatusCode,
    fault: err.$fault,
    ...(expected.code !== undefined ? { code: err.Code } : {}),
    ...(expected.message !== undefined ? { message: err.message } : {}),
  };
  expect(actual).toEqual({
    name: expected.name,
    status: expected.status ?? 400,
    fault: "client",
    ...(expected.code !== undefined ? { code: expected.code } : {}),
    ...(expected.message !== undefined ? { message: expected.message } : {}),
  });
}

/** Hex MD5 of the UTF-8 bytes: what SQS puts in MD5OfMessageBody (SendMessage API reference). */
export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** Creates a queue and returns its URL. */
export async function createQueue(client: SQSClient, name: string, attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error("CreateQueue answered without a QueueUrl");
  return QueueUrl;
}

/** Receives exactly one message (failing the test otherwise) and leaves it visible again at once. */
export async function receiveOne(
  client: SQSClient,
  queueUrl: string,
  options: { attributeNames?: string[]; systemNames?: string[]; messageAttributeNames?: string[]; visibility?: number } = {},
): Promise<Message> {
  const out = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: options.visibility ?? 0,
      // The deprecated AttributeNames is typed as queue attribute names; SQS reads message attribute names from it.
      ...(options.attributeNames ? { AttributeNames: options.attributeNames as QueueAttributeName[] } : {}),
      ...(options.systemNames ? { MessageSystemAttributeNames: options.systemNames as MessageSystemAttributeName[] } : {}),
      ...(options.messageAttributeNames ? { MessageAttributeNames: options.messageAttributeNames } : {}),
    }),
  );
  expect(out.Messages?.length, "messages received").toBe(1);
  return out.Messages![0]!;
}
