import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { LambdaSqsMessageAttribute, LambdaSqsRecord } from "./types.js";

/**
 * The system attributes Lambda copies into `attributes`, in the order its records show them: the
 * developer guide's standard example (ApproximateReceiveCount, SentTimestamp, SenderId,
 * ApproximateFirstReceiveTimestamp), its FIFO example (SequenceNumber and MessageGroupId after
 * SentTimestamp, MessageDeduplicationId after SenderId), and logged invocations (AWSTraceHeader right
 * after ApproximateReceiveCount). DeadLetterQueueSourceArn, present when the mapping reads a DLQ, has
 * no documented place and goes last.
 */
const LAMBDA_ATTRIBUTES = [
  "ApproximateReceiveCount",
  "AWSTraceHeader",
  "SentTimestamp",
  "SequenceNumber",
  "MessageGroupId",
  "SenderId",
  "MessageDeduplicationId",
  "ApproximateFirstReceiveTimestamp",
  "DeadLetterQueueSourceArn",
] as const;

/**
 * Turns a message from ReceiveMessage (asked with `MessageSystemAttributeNames: ["All"]` and
 * `MessageAttributeNames: ["All"]`) into the record an SQS event source mapping hands Lambda (AWS Lambda
 * Developer Guide, "Using Lambda with Amazon SQS", example events): top-level keys camelCase in the
 * documented order, `attributes` PascalCase with string values, message attribute values camelCase with
 * binary values base64 and both list fields always present, `md5OfMessageAttributes` null when there
 * are none, `eventSource` "aws:sqs".
 *
 * @example
 * const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }));
 * const records = Messages.map((m) => toLambdaRecord(m, "arn:aws:sqs:us-east-1:000000000000:orders", "us-east-1"));
 */
export function toLambdaRecord(message: Message, queueArn: string, region: string): LambdaSqsRecord {
  const given = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const name of LAMBDA_ATTRIBUTES) {
    const value = given[name];
    if (value !== undefined) attributes[name] = String(value);
  }
  const messageAttributes: Record<string, LambdaSqsMessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) messageAttributes[name] = toLambdaAttribute(value);
  return {
    messageId: required(message.MessageId, "MessageId"),
    receiptHandle: required(message.ReceiptHandle, "ReceiptHandle"),
    body: message.Body ?? "",
    attributes: attributes as LambdaSqsRecord["attributes"],
    messageAttributes,
    md5OfMessageAttributes: message.MD5OfMessageAttributes ?? null,
    md5OfBody: required(message.MD5OfBody, "MD5OfBody"),
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** `{stringValue | binaryValue, stringListValues, binaryListValues, dataType}`, in that order. */
function toLambdaAttribute(value: MessageAttributeValue): LambdaSqsMessageAttribute {
  const out: Partial<LambdaSqsMessageAttribute> = {};
  if (value.StringValue !== undefined) out.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined) out.binaryValue = base64(value.BinaryValue);
  out.stringListValues = value.StringListValues ?? [];
  out.binaryListValues = (value.BinaryListValues ?? []).map(base64);
  out.dataType = value.DataType ?? "";
  return out as LambdaSqsMessageAttribute;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function required(value: string | undefined, field: string): string {
  // ReceiveMessage always returns these; a message without one cannot be deleted or reported later.
  if (value === undefined) throw new Error(`ReceiveMessage returned a message without ${field}`);
  return value;
}
