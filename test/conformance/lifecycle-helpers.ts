import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type QueueAttributeName,
  type ReceiveMessageCommandInput,
  type SendMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { it } from "vitest";
import type { SqsTarget } from "../support/target.js";

/**
 * Small helpers shared by the FIFO, visibility, delay, long-poll, redrive and move-task conformance
 * files. They only wrap SDK calls; every assertion stays in the test that makes it.
 */

/** Cases that move time or read the journal run only against the embedded emulator. */
export function itVirtual(name: string, fn: () => Promise<void>): void {
  it.skipIf(Boolean(process.env.SQSRIG_CONFORMANCE_ENDPOINT))(name, fn);
}

export interface TestQueue {
  url: string;
  name: string;
  arn: string;
}

export async function createQueue(
  target: SqsTarget,
  options: { fifo?: boolean; attributes?: Record<string, string>; prefix?: string } = {},
): Promise<TestQueue> {
  const name = target.name(options.prefix ?? "q") + (options.fifo ? ".fifo" : "");
  const attributes = { ...(options.fifo ? { FifoQueue: "true" } : {}), ...options.attributes };
  const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const arn = (await attributesOf(target, QueueUrl!, ["QueueArn"])).QueueArn!;
  return { url: QueueUrl!, name, arn };
}

/** CreateQueue with an exact name (name-rule and idempotency cases); returns the QueueUrl. */
export async function createNamed(target: SqsTarget, name: string, attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await target.client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}

export async function attributesOf(
  target: SqsTarget,
  url: string,
  names: QueueAttributeName[] = ["All"],
): Promise<Record<string, string>> {
  const out = await target.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
  return out.Attributes ?? {};
}

/** ApproximateNumberOfMessages, …NotVisible and …Delayed as numbers. */
export async function countsOf(target: SqsTarget, url: string): Promise<{ visible: number; notVisible: number; delayed: number }> {
  const a = await attributesOf(target, url, [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
  ]);
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    notVisible: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

export async function send(target: SqsTarget, url: string, body: string, extra: Partial<SendMessageCommandInput> = {}) {
  return target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));
}

/** Sends to a FIFO queue with an explicit dedup id equal to the body unless one is given. */
export async function sendFifo(target: SqsTarget, url: string, body: string, groupId: string, dedupId: string = body) {
  return send(target, url, body, { MessageGroupId: groupId, MessageDeduplicationId: dedupId });
}

export async function receive(target: SqsTarget, url: string, input: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> {
  const out = await target.client.send(new ReceiveMessageCommand({ QueueUrl: url, ...input }));
  return out.Messages ?? [];
}

export function bodies(messages: Message[]): string[] {
  return messages.map((m) => m.Body!);
}

export interface CaughtError {
  /** The code the SDK reads from `x-amzn-query-error` (query-protocol `<Code>`). */
  name: string;
  /** The `__type` shape name. */
  type: string;
  message: string;
  status: number;
}

/** Awaits a call that must fail and returns what the SDK saw; fails the test if it succeeds. */
export async function errorOf(call: Promise<unknown>): Promise<CaughtError> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; __type?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, type: (e.__type ?? "").replace(/^.*#/, ""), message: e.message, status: e.$metadata?.httpStatusCode ?? 0 };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** DeleteMessage by receipt handle (the handle may be missing, to test that error). */
export function deleteMessage(target: SqsTarget, url: string, handle: string | undefined) {
  return target.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle }));
}

/** ChangeMessageVisibility by receipt handle. */
export function changeVisibility(target: SqsTarget, url: string, handle: string | undefined, seconds: number) {
  return target.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: seconds }));
}
