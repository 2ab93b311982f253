/**
 * Queue attributes through SDK v3: GetQueueAttributes and SetQueueAttributes. Exact texts come from AWS-recorded snapshots (notes/sqs-recorded-errors.md, cited
 * per test by snapshot test name); where AWS was never recorded the test says so and asserts the code.
 */
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../support/failure.js";
import { createTarget, type SqsTarget } from "../support/target.js";
import { attributesOf, createNamed } from "./lifecycle-helpers.js";
import { postJson } from "../support/wire.js";

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

const create = (name: string, Attributes?: Record<string, string>) => createNamed(target, name, Attributes);

const attributes = (url: string, names: string[] = ["All"]) => attributesOf(target, url, names as QueueAttributeName[]);

describe("GetQueueAttributes", () => {
  // Snapshot test_set_queue_attributes_default_values (10-12-2025) and CFN test_create_standard_queue_with_required_properties (F1).
  it("reports exactly the recorded attributes and defaults for a standard queue", async () => {
    const name = target.name();
    const url = await create(name);
    const all = await attributes(url);
    expect(Object.keys(all).sort()).toEqual([
      "ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesDelayed",
      "ApproximateNumberOfMessagesNotVisible",
      "CreatedTimestamp",
      "DelaySeconds",
      "LastModifiedTimestamp",
      "MaximumMessageSize",
      "MessageRetentionPeriod",
      "QueueArn",
      "ReceiveMessageWaitTimeSeconds",
      "SqsManagedSseEnabled",
      "VisibilityTimeout",
    ]);
    expect(all).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesDelayed: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      DelaySeconds: "0",
      MaximumMessageSize: "1048576",
      MessageRetentionPeriod: "345600",
      ReceiveMessageWaitTimeSeconds: "0",
      SqsManagedSseEnabled: "true",
      VisibilityTimeout: "30",
    });
    // Epoch seconds, not milliseconds (validated: int(float(x)) is close to time.time()).
    expect(all.CreatedTimestamp).toMatch(/^\d{10}$/);
    expect(all.LastModifiedTimestamp).toBe(all.CreatedTimestamp);
  });

  // CFN test_create_fifo_queue_with_required_properties (12/2025); test_fifo_set_content_based_deduplication_strategy.
  it("adds the four FIFO attributes with their recorded defaults", async () => {
    const url = await create(target.name() + ".fifo", { FifoQueue: "true" });
    const all = await attributes(url);
    expect(Object.keys(all)).toHaveLength(16);
    expect(all).toMatchObject({ ContentBasedDeduplication: "false", DeduplicationScope: "queue", FifoQueue: "true", FifoThroughputLimit: "perQueue" });
    const withCbd = await create(target.name() + ".fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    expect((await attributes(withCbd, ["ContentBasedDeduplication"])).ContentBasedDeduplication).toBe("true");
  });

  // QueueArn: arn:aws:sqs:REGION:ACCOUNT:NAME (GetQueueAttributes API reference).
  it("gives QueueArn as arn:aws:sqs:us-east-1:000000000000:NAME", async () => {
    const name = target.name();
    const { QueueArn } = await attributes(await create(name), ["QueueArn"]);
    if (target.clock) expect(QueueArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`);
    else expect(QueueArn).toMatch(new RegExp(`^arn:aws:sqs:[a-z0-9-]+:\\d{12}:${name}$`));
  });

  // Recorded F1: a subset returns only the requested keys; nothing to return means no Attributes key.
  it("returns only the names asked for, and no Attributes key when none is set", async () => {
    const url = await create(target.name(), { VisibilityTimeout: "45" });
    const some = await attributes(url, ["QueueArn", "CreatedTimestamp", "VisibilityTimeout"]);
    expect(Object.keys(some).sort()).toEqual(["CreatedTimestamp", "QueueArn", "VisibilityTimeout"]);
    expect(some.VisibilityTimeout).toBe("45");
    const raw = await postJson(target.endpoint, "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["Policy"] });
    expect(raw.json).toEqual({});
  });

  // Validated test_get_queue_attributes_with_invalid_arg_returns_error (V19), here over JSON.
  it("refuses an unknown attribute name with InvalidAttributeName", async () => {
    const url = await create(target.name());
    expect(await failureOf(target.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["Foobar" as QueueAttributeName] })))).toEqual({
      name: "InvalidAttributeName",
      code: "InvalidAttributeName",
      status: 400,
      message: "Unknown Attribute Foobar.",
    });
  });

  // GetQueueAttributes API reference: ApproximateNumberOfMessages / NotVisible / Delayed.
  it("counts visible, in-flight and delayed messages", async () => {
    const url = await create(target.name());
    for (const body of ["a", "b", "c"]) await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await target.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 60 }));
    await target.client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    expect(await attributes(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"])).toEqual({
      ApproximateNumberOfMessages: "2",
      ApproximateNumberOfMessagesNotVisible: "1",
      ApproximateNumberOfMessagesDelayed: "1",
    });
  });
});

describe("SetQueueAttributes", () => {
  // SetQueueAttributes API reference; recorded F1 (values reported as set, booleans lower case).
  it("changes attributes and LastModifiedTimestamp", async (ctx) => {
    if (!target.clock) return ctx.skip();
    const url = await create(target.name());
    const before = await attributes(url);
    await target.advance(5_000);
    await target.client.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { VisibilityTimeout: "120", DelaySeconds: "10", MaximumMessageSize: "1024", MessageRetentionPeriod: "60", ReceiveMessageWaitTimeSeconds: "20" },
      }),
    );
    const after = await attributes(url);
    expect(after).toMatchObject({ VisibilityTimeout: "120", DelaySeconds: "10", MaximumMessageSize: "1024", MessageRetentionPeriod: "60", ReceiveMessageWaitTimeSeconds: "20" });
    expect(Number(after.LastModifiedTimestamp)).toBe(Number(before.LastModifiedTimestamp) + 5);
    expect(after.CreatedTimestamp).toBe(before.CreatedTimestamp);
  });

  // CreateQueue API reference ranges. AWS's texts for out-of-range values were never recorded; the API
  // model lists InvalidAttributeValue, and the wording follows the recorded E33 form.
  it.each([
    ["VisibilityTimeout", "43201"],
    ["VisibilityTimeout", "-1"],
    ["MaximumMessageSize", "1023"],
    ["MaximumMessageSize", "1048577"],
    ["MessageRetentionPeriod", "59"],
    ["MessageRetentionPeriod", "1209601"],
    ["DelaySeconds", "901"],
    ["ReceiveMessageWaitTimeSeconds", "21"],
    ["KmsDataKeyReusePeriodSeconds", "59"],
    ["KmsDataKeyReusePeriodSeconds", "86401"],
    ["VisibilityTimeout", "ten"],
  ])("refuses %s=%s with InvalidAttributeValue, on set and on create", async (attribute, value) => {
    const url = await create(target.name());
    const expected = { name: "InvalidAttributeValue", code: "InvalidAttributeValue", status: 400, message: `Invalid value for the parameter ${attribute}.` };
    expect(await failureOf(target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [attribute]: value } })))).toEqual(expected);
    expect(await failureOf(create(target.name(), { [attribute]: value }))).toEqual(expected);
  });

  // Recorded E32 form ("Unknown Attribute X."), snapshot test_set_unsupported_attribute_standard.
  it("refuses unknown and read-only attribute names", async () => {
    const url = await create(target.name());
    for (const name of ["Foo", "QueueArn", "ApproximateNumberOfMessages", "FifoQueue", "ContentBasedDeduplication"]) {
      expect(await failureOf(target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: "1" } })))).toEqual({
        name: "InvalidAttributeName",
        code: "InvalidAttributeName",
        status: 400,
        message: `Unknown Attribute ${name}.`,
      });
    }
    expect((await attributes(url, ["VisibilityTimeout"])).VisibilityTimeout).toBe("30");
  });

  // Snapshot test_set_unsupported_attribute_fifo keys invalid-attr-name-1 / -2 (E32, E33).
  it("on a FIFO queue accepts FifoQueue=true and refuses changing the queue type", async () => {
    const url = await create(target.name() + ".fifo", { FifoQueue: "true" });
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: "true" } }));
    expect(await failureOf(target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: "false" } })))).toEqual({
      name: "InvalidAttributeValue",
      code: "InvalidAttributeValue",
      status: 400,
      message: "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
    });
    // test_fifo_change_to_high_throughput_after_creation: reflected immediately.
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" } }));
    expect(await attributes(url, ["DeduplicationScope", "FifoThroughputLimit"])).toEqual({ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
  });

  // Validated tests test_set_empty_queue_policy / test_set_empty_redrive_policy (F1 "Empty values delete").
  it("removes Policy and RedrivePolicy when set to an empty string", async () => {
    const dlqName = target.name("dlq");
    await create(dlqName);
    const dlqArn = (await attributes(await target.client.send(new GetQueueUrlCommand({ QueueName: dlqName })).then((o) => o.QueueUrl!), ["QueueArn"])).QueueArn!;
    const url = await create(target.name());
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] });
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "7" }) } }));
    const set = await attributes(url);
    expect(JSON.parse(set.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 7 });
    expect(set.Policy).toBeDefined();
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: "", RedrivePolicy: "" } }));
    const cleared = await attributes(url);
    expect(cleared.Policy).toBeUndefined();
    expect(cleared.RedrivePolicy).toBeUndefined();
  });

  // Snapshot test_set_queue_attributes_default_values (notes F1, "SSE switching") and
  // test_sse_kms_and_sqs_are_mutually_exclusive (E34).
  it("switches between SQS-managed and KMS encryption as recorded", async () => {
    const url = await create(target.name());
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: "testKeyId", KmsDataKeyReusePeriodSeconds: "6000" } }));
    expect(await attributes(url)).toMatchObject({ SqsManagedSseEnabled: "false", KmsMasterKeyId: "testKeyId", KmsDataKeyReusePeriodSeconds: "6000" });
    await target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: "", KmsDataKeyReusePeriodSeconds: "300" } }));
    const cleared = await attributes(url);
    expect(cleared.SqsManagedSseEnabled).toBe("false");
    expect(cleared.KmsMasterKeyId).toBeUndefined();
    expect(cleared.KmsDataKeyReusePeriodSeconds).toBeUndefined();
    const err = await failureOf(target.client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: "testKeyId", SqsManagedSseEnabled: "true" } })));
    expect(err).toMatchObject({
      code: "InvalidAttributeName",
      message: "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
    });
  });

  it("needs the Attributes parameter", async () => {
    const url = await create(target.name());
    const raw = await postJson(target.endpoint, "SetQueueAttributes", { QueueUrl: url });
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({ __type: "com.amazonaws.sqs#MissingRequiredParameterException", message: "The request must contain the parameter Attributes." });
    expect(raw.headers.get("x-amzn-query-error")).toBe("MissingParameter;Sender");
  });
});
