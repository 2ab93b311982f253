import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { toLambdaRecord } from "../../src/consumers/index.js";
import { md5OfMessageAttributes } from "../../src/sqs/index.js";

/**
 * The records AWS documents: AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" — "Example
 * Amazon SQS message event (standard queue)" and "(FIFO queue)" (awsdocs/aws-lambda-developer-guide,
 * doc_source/with-sqs.md; the same records appear in the EventBridge User Guide, "Amazon SQS as a
 * source"). The doc omits `md5OfMessageAttributes`; records logged from real invocations carry it after
 * `messageAttributes`, `null` when the message has none, so the expected records add it there.
 */
const STANDARD_DOC_RECORD = {
  messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
  receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
  body: "Test message.",
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1545082649183",
    SenderId: "AIDAIENQZJOLO23YVJ4VO",
    ApproximateFirstReceiveTimestamp: "1545082649185",
  },
  messageAttributes: {},
  md5OfMessageAttributes: null,
  md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-2:123456789012:my-queue",
  awsRegion: "us-east-2",
};

const FIFO_DOC_RECORD = {
  messageId: "11d6ee51-4cc7-4302-9e22-7cd8afdaadf5",
  receiptHandle: "AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw...",
  body: "Test message.",
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1573251510774",
    SequenceNumber: "18849496460467696128",
    MessageGroupId: "1",
    SenderId: "AIDAIO23YVJENQZJOL4VO",
    MessageDeduplicationId: "1",
    ApproximateFirstReceiveTimestamp: "1573251510774",
  },
  messageAttributes: {},
  md5OfMessageAttributes: null,
  md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:us-east-2:123456789012:fifo.fifo",
  awsRegion: "us-east-2",
};

/** The same message as ReceiveMessage (All system attributes, API order) returns it to the poller. */
function apiMessage(doc: typeof STANDARD_DOC_RECORD, extra: Partial<Message> = {}): Message {
  // ReceiveMessage lists system attributes in its own order; the record must not depend on it.
  const attrs = Object.entries(doc.attributes).reverse();
  return {
    MessageId: doc.messageId,
    ReceiptHandle: doc.receiptHandle,
    MD5OfBody: doc.md5OfBody,
    Body: doc.body,
    Attributes: Object.fromEntries(attrs),
    ...extra,
  };
}

describe("toLambdaRecord: the documented Lambda SQS record", () => {
  it("turns the developer guide's standard-queue message into its record, keys and key order included", () => {
    const record = toLambdaRecord(apiMessage(STANDARD_DOC_RECORD), STANDARD_DOC_RECORD.eventSourceARN, "us-east-2");
    expect(record).toStrictEqual(STANDARD_DOC_RECORD);
    // Serialised text equality pins the order of every key, top level and `attributes`.
    expect(JSON.stringify(record)).toBe(JSON.stringify(STANDARD_DOC_RECORD));
    expect(Object.keys(record)).toEqual([
      "messageId",
      "receiptHandle",
      "body",
      "attributes",
      "messageAttributes",
      "md5OfMessageAttributes",
      "md5OfBody",
      "eventSource",
      "eventSourceARN",
      "awsRegion",
    ]);
  });

  it("turns the developer guide's FIFO message into its record, FIFO attributes where the doc puts them", () => {
    const record = toLambdaRecord(apiMessage(FIFO_DOC_RECORD), FIFO_DOC_RECORD.eventSourceARN, "us-east-2");
    expect(JSON.stringify(record)).toBe(JSON.stringify(FIFO_DOC_RECORD));
  });

  // Developer guide (current with-sqs.html standard example): "messageAttributes": {"myAttribute":
  // {"stringValue": "myValue", "stringListValues": [], "binaryListValues": [], "dataType": "String"}}.
  it("gives message attributes Lambda's camelCase shape: string/binary value, both list fields, dataType", () => {
    const md5 = md5OfMessageAttributes({
      myAttribute: { DataType: "String", StringValue: "myValue" },
      count: { DataType: "Number", StringValue: "42" },
      blob: { DataType: "Binary", BinaryValue: "MTEwMA==" },
    })!;
    const message = apiMessage(STANDARD_DOC_RECORD, {
      MD5OfMessageAttributes: md5,
      MessageAttributes: {
        myAttribute: { DataType: "String", StringValue: "myValue" },
        count: { DataType: "Number", StringValue: "42" },
        blob: { DataType: "Binary", BinaryValue: new Uint8Array([0x31, 0x31, 0x30, 0x30]) },
      },
    });
    const record = toLambdaRecord(message, STANDARD_DOC_RECORD.eventSourceARN, "us-east-2");
    expect(JSON.stringify(record.messageAttributes)).toBe(
      JSON.stringify({
        myAttribute: { stringValue: "myValue", stringListValues: [], binaryListValues: [], dataType: "String" },
        count: { stringValue: "42", stringListValues: [], binaryListValues: [], dataType: "Number" },
        // aws-lambda-go / aws_lambda_events fixture: Binary "1100" arrives as "MTEwMA==".
        blob: { binaryValue: "MTEwMA==", stringListValues: [], binaryListValues: [], dataType: "Binary" },
      }),
    );
    expect(record.md5OfMessageAttributes).toBe(md5);
    expect(Object.keys(record).indexOf("md5OfMessageAttributes")).toBe(Object.keys(record).indexOf("messageAttributes") + 1);
  });

  it("puts AWSTraceHeader right after ApproximateReceiveCount and DeadLetterQueueSourceArn last, as logged records show", () => {
    const message = apiMessage(STANDARD_DOC_RECORD);
    message.Attributes = {
      ...message.Attributes,
      AWSTraceHeader: "Root=1-646f68f6-29168d517efd3a056d14b505;Parent=678c8388376f339d;Sampled=0",
      DeadLetterQueueSourceArn: "arn:aws:sqs:us-east-2:123456789012:source",
    };
    const record = toLambdaRecord(message, STANDARD_DOC_RECORD.eventSourceARN, "us-east-2");
    expect(Object.keys(record.attributes)).toEqual([
      "ApproximateReceiveCount",
      "AWSTraceHeader",
      "SentTimestamp",
      "SenderId",
      "ApproximateFirstReceiveTimestamp",
      "DeadLetterQueueSourceArn",
    ]);
    expect(Object.values(record.attributes).every((v) => typeof v === "string")).toBe(true);
  });
});
