import { LIMITS, dictionary, md5OfMessageAttributes } from "../../sqs/index.js";
import type { MessageAttributes } from "../../sqs/index.js";
import type { Clock } from "../../clock/index.js";
import type { Journal } from "../../journal/index.js";
import type { RequestContext } from "../context.js";
import type { StoredMessage } from "../message.js";
import type { Received, SqsQueue } from "../queue.js";
import { intInRange, optionalString, optionalStringList, type Input } from "./params.js";
import { checkFifoId } from "./send.js";

const SYSTEM_ATTRIBUTE_NAMES = [
  "SenderId",
  "SentTimestamp",
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SequenceNumber",
  "MessageDeduplicationId",
  "MessageGroupId",
  "AWSTraceHeader",
  "DeadLetterQueueSourceArn",
];

/**
 * ReceiveMessage. With a wait time (the parameter, else the queue's ReceiveMessageWaitTimeSeconds) it
 * returns as soon as at least one message can be had; it does not wait to fill MaxNumberOfMessages
 * (SQS developer guide, "Amazon SQS short and long polling").
 */
export async function receiveMessage(
  queue: SqsQueue,
  input: Input,
  ctx: RequestContext,
  env: { clock: Clock; journal: Journal; isLive(queue: SqsQueue): boolean },
): Promise<Input> {
  const max =
    intInRange(input, "MaxNumberOfMessages", 1, LIMITS.maxNumberOfMessagesMax, "Must be between 1 and 10, if provided.") ?? 1;
  const visibility =
    intInRange(input, "VisibilityTimeout", 0, LIMITS.visibilityTimeoutMax, "Must be >= 0 and <= 43200, if provided.") ??
    queue.intAttribute("VisibilityTimeout");
  const wait =
    intInRange(input, "WaitTimeSeconds", 0, LIMITS.waitTimeSecondsMax, "Must be >= 0 and <= 20, if provided.") ??
    queue.intAttribute("ReceiveMessageWaitTimeSeconds");
  const systemNames = new Set([
    ...(optionalStringList(input, "AttributeNames") ?? []),
    ...(optionalStringList(input, "MessageSystemAttributeNames") ?? []),
  ]);
  const attributeFilter = optionalStringList(input, "MessageAttributeNames") ?? [];
  const attemptId = receiveRequestAttemptId(queue, input);

  if (wait === 0) queue.refuseIfInflightFull();
  const received = await receiveWithWait(queue, max, visibility, wait, attemptId, ctx, env);
  const messages = received.map((r) => toOutputMessage(r, systemNames, attributeFilter));
  return messages.length > 0 ? { Messages: messages } : {};
}

async function receiveWithWait(
  queue: SqsQueue,
  max: number,
  visibility: number,
  waitSeconds: number,
  attemptId: string | undefined,
  ctx: RequestContext,
  env: { clock: Clock; journal: Journal; isLive(queue: SqsQueue): boolean },
): Promise<Received[]> {
  const deadline = env.clock.now() + waitSeconds * 1000;
  let announced = false;
  for (;;) {
    // The hang-up signal matters only once we have waited (reading it first costs an AbortController).
    if (announced && ctx.signal?.aborted) {
      env.journal.emit({ type: "poll.abandoned", queue: queue.name });
      return [];
    }
    if (!env.isLive(queue)) return [];
    const got = queue.receive(max, visibility, attemptId);
    const remaining = deadline - env.clock.now();
    if (got.length > 0 || remaining <= 0) return got;
    if (!announced) {
      announced = true;
      env.journal.emit({ type: "poll.waiting", queue: queue.name, waitSeconds });
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        stop();
        timer.cancel();
        ctx.signal?.removeEventListener("abort", done);
        resolve();
      };
      const stop = queue.onAvailable(done);
      const timer = env.clock.setTimeout(done, remaining);
      // A client that hung up before the wait began fires no 'abort' event: end the wait now instead.
      if (ctx.signal?.aborted) done();
      else ctx.signal?.addEventListener("abort", done);
    });
  }
}

/**
 * ReceiveRequestAttemptId "applies only to FIFO queues", so a standard queue ignores it unchecked; on a
 * FIFO queue it holds at most 128 alphanumeric or punctuation characters (ReceiveMessage API reference).
 * AWS recorded no error for a bad one; the text follows the recorded MessageDeduplicationId error (E10).
 */
function receiveRequestAttemptId(queue: SqsQueue, input: Input): string | undefined {
  if (!queue.fifo) return undefined;
  const id = optionalString(input, "ReceiveRequestAttemptId");
  checkFifoId("ReceiveRequestAttemptId", id);
  return id;
}

function toOutputMessage(r: Received, systemNames: Set<string>, attributeFilter: string[]): Input {
  const msg = r.message;
  const out: Input = {
    MessageId: msg.id,
    ReceiptHandle: r.receiptHandle,
    MD5OfBody: msg.md5OfBody,
    Body: msg.body,
  };
  const attributes = systemAttributes(msg, systemNames);
  if (attributes) out.Attributes = attributes;
  // The MD5 covers only the attributes returned, so a filtered receive hashes the subset and a receive
  // that returns none has no MD5 (recorded `test_receive_message_message_attribute_names_filters`).
  const selected = selectMessageAttributes(msg.attributes, attributeFilter);
  if (selected) {
    const whole = Object.keys(selected).length === Object.keys(msg.attributes ?? {}).length;
    out.MD5OfMessageAttributes = (whole && msg.md5OfMessageAttributes) || md5OfMessageAttributes(selected);
    out.MessageAttributes = selected;
  }
  return out;
}

function systemAttributes(msg: StoredMessage, requested: Set<string>): Record<string, string> | undefined {
  if (requested.size === 0) return undefined;
  const all = requested.has("All");
  const values: Record<string, string | undefined> = {
    SenderId: msg.senderId,
    SentTimestamp: String(msg.sentAt),
    ApproximateReceiveCount: String(msg.receiveCount),
    ApproximateFirstReceiveTimestamp: msg.firstReceiveAt !== undefined ? String(msg.firstReceiveAt) : undefined,
    SequenceNumber: msg.sequenceNumber,
    MessageDeduplicationId: msg.sequenceNumber !== undefined ? msg.dedupId : undefined,
    MessageGroupId: msg.groupId,
    AWSTraceHeader: msg.systemAttributes?.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: msg.deadLetterSourceArn,
  };
  const out: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTE_NAMES) {
    const value = values[name];
    if (value !== undefined && (all || requested.has(name))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * `All`, `*`, `.*`, a `prefix.*`, or exact names (ReceiveMessage API reference, MessageAttributeNames).
 * AWS matches `Hel.*` against `Hello` as well as `Help.Me`: the text before `.*` is a plain prefix
 * (recorded `test_receive_message_message_attribute_names_filters`). Illegal names match nothing.
 */
function selectMessageAttributes(attributes: MessageAttributes | undefined, filter: string[]): MessageAttributes | undefined {
  if (!attributes || filter.length === 0) return undefined;
  const wantsAll = filter.includes("All") || filter.includes("*") || filter.includes(".*");
  const prefixes = filter.filter((f) => f.endsWith(".*")).map((f) => f.slice(0, -2));
  const out: MessageAttributes = dictionary();
  for (const [name, value] of Object.entries(attributes)) {
    if (wantsAll || filter.includes(name) || prefixes.some((p) => name.startsWith(p))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
