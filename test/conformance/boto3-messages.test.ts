import { describe, expect, it } from "vitest";
import { anyDigits, awsError, boto3Missing, useBoto3Cases, type CaseResult } from "./boto3/run-driver.js";

/*
 * boto3's view of messages and queues: response shapes, MD5s (recomputed in Python, since botocore
 * does not check them), FIFO sequence numbers and dedup, batches, attributes, polling, listing and tags.
 * Expected values are AWS-recorded answers from LocalStack's `tests/aws/services/sqs/test_sqs.snapshot.json`
 * and AWS-validated tests, named per test and summarised in notes/sqs-recorded-errors.md.
 */

const missing = boto3Missing();

const CASES = [
  "round_trip_attributes",
  "fifo_send",
  "standard_send_shape",
  "batch_partial_failure",
  "system_attributes",
  "delete_batch_partial",
  "queue_attributes_all",
  "receive_polling",
  "list_queues",
  "tags",
  "get_queue_url",
] as const;

describe.skipIf(Boolean(missing))("boto3 conformance: messages and queues (botocore JSON 1.0 client)", () => {
  const { result } = useBoto3Cases(CASES);

  // Snapshots test_receive_message_message_attribute_names_filters (4c360f3f…, fca02660…) and the F4 vectors
  // (Number 235c5c51…, Binary 8cbe4db1…); test_receive_message_attribute_names_filters (system attributes).
  // botocore has no SQS MD5 check, so the driver recomputes every MD5 with the published algorithm.
  it("round-trips message attributes with MD5s boto3 users can verify", () => {
    const r = result("round_trip_attributes");
    expect(r.sentAttributesMd5Local).toBe("4c360f3fdafd970e05fae2f149d997f5");
    expect(r.typedVectors).toEqual({ timestamp: "235c5c510d26fb653d073faed50ae77c", attr1: "8cbe4db156db8a94db8b801b7addb984" });
    expect(r.sent).toMatchObject({
      MD5OfMessageBody: "6e2baaf3b97dbeef01c0043275f9a0e7",
      MD5OfMessageAttributes: "4c360f3fdafd970e05fae2f149d997f5",
      SequenceNumber: null,
    });
    expect(r.first).toMatchObject({
      MessageId: r.sent.MessageId,
      Body: "msg",
      bodyMd5Ok: true,
      attributesMd5Ok: true,
      MD5OfMessageAttributes: "4c360f3fdafd970e05fae2f149d997f5",
      attributeNames: ["General", "Hello", "Help.Me"],
      attributeValues: { General: "Kenobi", Hello: "There", "Help.Me": "Me" },
    });
    expect(Object.keys(r.first.Attributes).sort()).toEqual(["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
    expect(r.first.Attributes.ApproximateReceiveCount).toBe("1");
    expect(r.first.Attributes.SentTimestamp).toEqual(anyDigits(13));
    expect(r.subset).toMatchObject({
      attributeNames: ["General", "Hello"],
      MD5OfMessageAttributes: "fca026605781cb4126a1e9044df24232",
      attributesMd5Ok: true,
    });
    expect(r.subset.Attributes).toBeUndefined();
    expect(r.typedSent).toEqual({ MD5OfMessageBody: r.typedLocal.body, MD5OfMessageAttributes: r.typedLocal.attributes });
    expect(r.typedReceived).toMatchObject({
      Body: "typed ✓",
      bodyMd5Ok: true,
      attributesMd5Ok: true,
      attributeTypes: { timestamp: "Number", attr1: "Binary", custom: "String.custom" },
      attributeValues: {
        timestamp: "1493147359900",
        attr1: Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01").toString("hex"),
        custom: "ü✓",
      },
    });
  });

  // Validated test_fifo_sequence_number_increases / test_sequence_number (F7); test_fifo_message_attributes
  // (receive attributes); test_fifo_deduplication_not_on_message_group_id (F10); snapshots
  // test_posting_to_fifo_requires_deduplicationid_group_id (E5, E6), test_fifo_queue_send_message_with_delay_seconds_fails (E4).
  it("sends FIFO messages with SequenceNumber, dedup and group order", () => {
    const r = result("fifo_send");
    const [a, b] = r.sends as { MessageId: string; MD5OfMessageBody: string; SequenceNumber: string }[];
    expect(a!.MD5OfMessageBody).toBe("fc4286b824b39ddf3606c9f27ff664bd");
    expect(a!.SequenceNumber).toMatch(/^\d+$/);
    expect(b!.SequenceNumber).toMatch(/^\d+$/);
    expect(BigInt(a!.SequenceNumber) < BigInt(b!.SequenceNumber)).toBe(true);
    expect(r.duplicateMessageId).toBe(a!.MessageId);
    expect(r.received.map((m: CaseResult) => m.Body)).toEqual(["g1-m1", "g1-m2"]);
    expect(r.received[0].Attributes).toMatchObject({ MessageGroupId: "g1", MessageDeduplicationId: "d1", SequenceNumber: a!.SequenceNumber });
    expect(r.received[1].Attributes).toMatchObject({ MessageGroupId: "g1", MessageDeduplicationId: "d2", SequenceNumber: b!.SequenceNumber });
    expect(r.noGroup).toMatchObject(
      awsError("MissingParameter", "MissingRequiredParameterException", "The request must contain the parameter MessageGroupId."),
    );
    expect(r.noDedup).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"),
    );
    expect(r.delay).toMatchObject(
      awsError("InvalidParameterValue", "InvalidParameterValueException", "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."),
    );
  });

  // Validated test_sequence_number: a standard-queue send has no SequenceNumber (F6).
  it("answers a standard SendMessage with MessageId and MD5OfMessageBody only", () => {
    expect(result("standard_send_shape")).toEqual({ keys: ["MD5OfMessageBody", "MessageId"], md5: "6e2baaf3b97dbeef01c0043275f9a0e7" });
  });

  // Snapshot test_send_batch_message_size (E18); validated test_batch_send_with_invalid_char_should_succeed (V6);
  // JSON recordings from 2024 omit an empty Failed (F6).
  it("reports per-entry batch failures in Failed with HTTP 200", () => {
    const r = result("batch_partial_failure");
    expect(r.status).toBe(200);
    expect(r.successful).toEqual([{ Id: "ok", MD5OfMessageBody: "c9a34cfc85d982698c6ac89f76071abd" }]);
    expect(r.failed).toHaveLength(2);
    expect(r.failed[0]).toEqual({
      Id: "big",
      Code: "InvalidParameterValue",
      SenderFault: true,
      Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
    });
    expect(r.failed[1]).toMatchObject({ Id: "bad", Code: "InvalidMessageContents", SenderFault: true });
    expect(r.cleanKeys).toEqual(["Successful"]);
  });

  // Validated test_system_attributes_have_no_effect_on_attr_md5 (5ae4d5d7…, F4) and test_aws_trace_header_propagation (F2).
  it("hashes AWSTraceHeader into MD5OfMessageSystemAttributes only", () => {
    const r = result("system_attributes");
    expect(r.sentKeys).toEqual(["MD5OfMessageBody", "MD5OfMessageSystemAttributes", "MessageId"]);
    expect(r.md5OfSystemAttributes).toBe("5ae4d5d7636402d80f4eb6d213245a88");
    expect(r.receivedAttributes).toEqual({ AWSTraceHeader: r.trace });
  });

  // DeleteMessageBatch API reference: per-entry failures (BatchResultErrorEntry) with HTTP 200; the good entry
  // is deleted. ReceiptHandleIsInvalid is the code single DeleteMessage gives the same handle (V1).
  it("deletes the good entries of a DeleteMessageBatch and fails the bad one per entry", () => {
    const r = result("delete_batch_partial");
    expect(r.status).toBe(200);
    expect(r.successful).toEqual([{ Id: "good" }]);
    expect(r.failed).toEqual([expect.objectContaining({ Id: "bad", Code: "ReceiptHandleIsInvalid", SenderFault: true })]);
    expect(r.remaining).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  // Snapshot test_set_queue_attributes_default_values and CFN test_create_fifo_queue_with_required_properties (F1).
  it("returns every default attribute for AttributeNames=All", () => {
    const r = result("queue_attributes_all");
    const standard = {
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesDelayed: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      CreatedTimestamp: anyDigits(10),
      DelaySeconds: "0",
      LastModifiedTimestamp: anyDigits(10),
      MaximumMessageSize: "1048576",
      MessageRetentionPeriod: "345600",
      QueueArn: expect.stringMatching(new RegExp(`^arn:aws:sqs:us-east-1:\\d{12}:${r.queueName}$`)),
      ReceiveMessageWaitTimeSeconds: "0",
      SqsManagedSseEnabled: "true",
      VisibilityTimeout: "30",
    };
    expect(r.standard).toEqual(standard);
    expect(r.fifo).toEqual({
      ...standard,
      QueueArn: expect.stringMatching(/\.fifo$/),
      ContentBasedDeduplication: "false",
      DeduplicationScope: "queue",
      FifoQueue: "true",
      FifoThroughputLimit: "perQueue",
    });
    expect(r.policyOnlyKeys).toEqual([]);
    expect(r.subsetKeys).toEqual(["CreatedTimestamp", "QueueArn", "VisibilityTimeout"]);
  });

  // Snapshot test_receive_empty_queue (F6: no Messages key); developer guide "Amazon SQS short and long
  // polling": a long poll returns as soon as a message is available.
  it("answers WaitTimeSeconds=0 at once without a Messages key, and a long poll as soon as messages exist", () => {
    const r = result("receive_polling");
    expect(r.emptyKeys).toEqual([]);
    expect(r.longBodies.length).toBeGreaterThanOrEqual(1);
    for (const body of r.longBodies) expect(["m1", "m2"]).toContain(body);
  });

  // ListQueues API reference (MaxResults/NextToken, boto3 paginator); F6: no QueueUrls key when nothing matches.
  it("lists queues by prefix with pagination", () => {
    const r = result("list_queues");
    expect(r.listed).toEqual(r.created);
    expect(r.page1Count).toBe(2);
    expect(r.page1HasToken).toBe(true);
    expect(r.page2).toHaveLength(1);
    expect(r.page2HasToken).toBe(false);
    expect(r.paginated).toEqual(r.created);
    expect(r.noMatchKeys).toEqual([]);
  });

  // Snapshot test_tag_untag_queue; validated test_tags_case_sensitive, test_tag_queue_overwrites_existing_tag,
  // test_untag_queue_ignores_non_existing_tag; F6: no Tags key on an untagged queue.
  it("tags, overwrites, untags and lists tags", () => {
    const r = result("tags");
    expect(r.afterTag).toEqual({ tag1: "changed", tag2: "value2", tag3: "", MyTag: "a", mytag: "b" });
    expect(r.afterUntag).toEqual({ tag2: "value2", tag3: "", MyTag: "a", mytag: "b" });
    expect(r.emptyKeys).toEqual([]);
  });

  // GetQueueUrl API reference: the URL CreateQueue returned, ending in /<account>/<name>.
  it("returns the created queue's URL from GetQueueUrl", () => {
    const r = result("get_queue_url");
    expect(r.got).toBe(r.created);
    expect(r.got).toMatch(new RegExp(`/\\d{12}/${r.name}$`));
    expect(r.fifoGot).toBe(r.fifoCreated);
    expect(r.fifoGot).toMatch(/\.fifo$/);
  });

});
