import {
  LIMITS,
  SQS_ERROR_TEXTS,
  SqsError,
  firstInvalidBodyChar,
  isValidFifoId,
  messageBytes,
  validateMessageAttributes,
} from "../../sqs/index.js";
import type { MessageAttributes } from "../../sqs/index.js";
import { hash } from "node:crypto";
import type { RequestContext } from "../context.js";
import type { EnqueueInput, EnqueueResult, SqsQueue } from "../queue.js";
import { batchEntries, batchOutput, entryFailure, type BatchFailure, type BatchOutput } from "./batch.js";
import { intInRange, optionalString, requireString, type Input } from "./params.js";

/** What SendMessageBatch already worked out for an entry, so it is not computed again. */
interface Known {
  senderId: string;
  /** The entry's size as SQS counts it (body and message attributes). */
  bytes: number;
}

/**
 * Checks one SendMessage (or, with `known`, one SendMessageBatch entry) against the queue and returns
 * what to enqueue.
 */
export function prepareSend(queue: SqsQueue, input: Input, ctx: RequestContext, known?: Known): EnqueueInput {
  const inBatch = known !== undefined;
  const body = input.MessageBody;
  if (body === undefined || body === null || body === "") {
    throw new SqsError("MissingParameter", "The request must contain the parameter MessageBody.");
  }
  if (typeof body !== "string") {
    throw new SqsError("InvalidParameterValue", "Value for parameter MessageBody is invalid. Reason: must be a string.");
  }
  const delaySeconds = intInRange(input, "DelaySeconds", 0, LIMITS.delaySecondsMax, "DelaySeconds must be >= 0 and <= 900");
  if (queue.fifo && delaySeconds !== undefined && delaySeconds !== 0) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    );
  }
  const attributes = input.MessageAttributes as MessageAttributes | undefined;
  validateMessageAttributes(attributes);
  // The attribute wins over the request's X-Amzn-Trace-Id header (AWS X-Ray developer guide, "Amazon
  // SQS and AWS X-Ray": "the message system attribute overrides the HTTP trace header").
  const systemAttributes = systemAttributesOf(input.MessageSystemAttributes) ?? traceAttributes(ctx);
  const bad = firstInvalidBodyChar(body);
  if (bad !== undefined) {
    throw new SqsError("InvalidMessageContents", SQS_ERROR_TEXTS.invalidMessageContents);
  }
  const maxSize = queue.intAttribute("MaximumMessageSize");
  const bytes = known?.bytes ?? messageBytes(body, attributes);
  if (bytes > maxSize) {
    // A batch entry is worded "cannot be validated", a single send "are invalid" (recorded E18 vs E1/E2).
    const problem = inBatch ? "One or more parameters cannot be validated." : "One or more parameters are invalid.";
    throw new SqsError("InvalidParameterValue", `${problem} Reason: Message must be shorter than ${maxSize} bytes.`);
  }
  const groupId = optionalString(input, "MessageGroupId");
  let dedupId = optionalString(input, "MessageDeduplicationId");
  if (queue.fifo) {
    if (groupId === undefined) {
      throw new SqsError("MissingParameter", "The request must contain the parameter MessageGroupId.");
    }
    if (dedupId === undefined) {
      if (queue.attributes.ContentBasedDeduplication !== "true") {
        throw new SqsError(
          "InvalidParameterValue",
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        );
      }
      // Content-based dedup hashes the body only (SQS developer guide, "ContentBasedDeduplication").
      dedupId = hash("sha256", body, "hex");
    }
  } else if (dedupId !== undefined) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    );
  }
  checkFifoId("MessageGroupId", groupId);
  checkFifoId("MessageDeduplicationId", dedupId);
  return { body, attributes, systemAttributes, delaySeconds, groupId, dedupId, senderId: known?.senderId ?? senderIdOf(ctx), bytes };
}

/** The request's X-Amzn-Trace-Id as an AWSTraceHeader system attribute, when there is one. */
function traceAttributes(ctx: RequestContext): MessageAttributes | undefined {
  return ctx.traceHeader ? { AWSTraceHeader: { DataType: "String", StringValue: ctx.traceHeader } } : undefined;
}

/**
 * MessageGroupId, MessageDeduplicationId and ReceiveRequestAttemptId: 1–128 alphanumeric or
 * punctuation characters, with the text AWS recorded for a bad dedup id (recorded-errors E10).
 */
export function checkFifoId(name: string, value: string | undefined): void {
  if (value !== undefined && !isValidFifoId(value)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Value ${value} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** Only AWSTraceHeader, a String, may be sent as a system attribute (SendMessage API reference). */
function systemAttributesOf(value: unknown): MessageAttributes | undefined {
  if (value === undefined || value === null) return undefined;
  const attrs = value as MessageAttributes;
  for (const [name, attr] of Object.entries(attrs)) {
    if (name !== "AWSTraceHeader") {
      throw new SqsError(
        "InvalidParameterValue",
        `Message system attribute name '${name}' is invalid.`,
      );
    }
    if (attr?.DataType !== "String" || !attr.StringValue) {
      throw new SqsError(
        "InvalidParameterValue",
        "Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.",
      );
    }
  }
  return Object.keys(attrs).length ? attrs : undefined;
}

export function senderIdOf(ctx: RequestContext): string {
  // For a role session SQS reports the role id and session name (SQS API Reference, Message, SenderId).
  return ctx.principal.userId ?? ctx.principal.accessKeyId ?? ctx.principal.arn.split(":")[4] ?? "000000000000";
}

function sendOutput(r: EnqueueResult): Input {
  return {
    MessageId: r.messageId,
    MD5OfMessageBody: r.md5OfBody,
    ...(r.md5OfMessageAttributes ? { MD5OfMessageAttributes: r.md5OfMessageAttributes } : {}),
    ...(r.md5OfMessageSystemAttributes ? { MD5OfMessageSystemAttributes: r.md5OfMessageSystemAttributes } : {}),
    ...(r.sequenceNumber ? { SequenceNumber: r.sequenceNumber } : {}),
  };
}

export function sendMessage(queue: SqsQueue, input: Input, ctx: RequestContext): Input {
  requireString(input, "QueueUrl");
  return sendOutput(queue.enqueue(prepareSend(queue, input, ctx)));
}

/**
 * SendMessageBatch: request-level problems fail the whole call; problems of one entry land in
 * `Failed` with SenderFault true while the others are sent (SendMessageBatch API reference).
 */
export function sendMessageBatch(queue: SqsQueue, input: Input, ctx: RequestContext): BatchOutput {
  const entries = batchEntries(input, "SendMessageBatchRequestEntry");
  const sizes = entries.map((entry) => {
    const body = typeof entry.MessageBody === "string" ? entry.MessageBody : "";
    return messageBytes(body, entry.MessageAttributes as MessageAttributes | undefined);
  });
  const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
  if (total > LIMITS.maxBatchBytes) {
    throw new SqsError(
      "BatchRequestTooLong",
      `Batch requests cannot be longer than ${LIMITS.maxBatchBytes} bytes. You have sent ${total} bytes.`,
    );
  }
  if (queue.fifo) checkFifoEntries(queue, entries);
  const successful: Input[] = [];
  const failed: BatchFailure[] = [];
  const senderId = senderIdOf(ctx);
  for (const [i, entry] of entries.entries()) {
    try {
      const result = queue.enqueue(prepareSend(queue, entry, ctx, { senderId, bytes: sizes[i]! }));
      successful.push({ Id: entry.Id, ...sendOutput(result) });
    } catch (err) {
      failed.push(entryFailure(entry.Id, err));
    }
  }
  return batchOutput(successful, failed);
}

/**
 * On a FIFO queue an entry without a MessageGroupId, or without a dedup id when content-based dedup is
 * off, fails the whole request rather than the entry, and the missing group is InvalidParameterValue,
 * not MissingParameter (recorded E7 `test_send_batch_missing_message_group_id_for_fifo_queue`, E8).
 */
function checkFifoEntries(queue: SqsQueue, entries: Input[]): void {
  for (const entry of entries) {
    if (entry.MessageGroupId === undefined || entry.MessageGroupId === null) {
      throw new SqsError("InvalidParameterValue", "The request must contain the parameter MessageGroupId.");
    }
    const noDedupId = entry.MessageDeduplicationId === undefined || entry.MessageDeduplicationId === null;
    if (noDedupId && queue.attributes.ContentBasedDeduplication !== "true") {
      throw new SqsError(
        "InvalidParameterValue",
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
      );
    }
  }
}
