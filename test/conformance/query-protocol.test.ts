/**
 * Both wire protocols by raw fetch, as old SDKs, curl and hand-written clients use them: the query
 * protocol (form `Action=…&Version=2012-11-05`, XML answers) and the error details of AWS JSON 1.0
 * that SDKs hide. Sources: the SQS API reference ("Making query API requests", per-action XML
 * examples), validated TestSqsQueryApi tests and AWS-recorded snapshots (notes/sqs-recorded-errors.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { all, entries, one, postJson, postQuery, textAt, type XmlAnswer } from "../support/wire.js";

const NS = "http://queue.amazonaws.com/doc/2012-11-05/";

let target: SqsTarget;
beforeAll(async () => {
  target = await createTarget();
});
afterAll(() => target.close());

/** A successful query answer: 200, text/xml, `<ActionResponse>` with a RequestId. */
function ok(answer: XmlAnswer, action: string): XmlAnswer["xml"] {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get("content-type")).toContain("text/xml");
  expect(answer.xml.name).toBe(`${action}Response`);
  expect(answer.xml.attrs.xmlns).toBe(NS);
  expect(one(answer.xml, "ResponseMetadata", "RequestId").text).toMatch(/\S/);
  return answer.xml;
}

/** A query error: the status, and `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/>`. */
function queryError(answer: XmlAnswer): { status: number; type?: string; code?: string; message?: string } {
  expect(answer.xml.name, answer.text).toBe("ErrorResponse");
  expect(textAt(answer.xml, "RequestId")).toMatch(/\S/);
  return {
    status: answer.status,
    type: textAt(answer.xml, "Error", "Type"),
    code: textAt(answer.xml, "Error", "Code"),
    message: textAt(answer.xml, "Error", "Message"),
  };
}

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const params: Record<string, string> = { Action: "CreateQueue", QueueName: name };
  Object.entries(attributes).forEach(([k, v], i) => {
    params[`Attribute.${i + 1}.Name`] = k;
    params[`Attribute.${i + 1}.Value`] = v;
  });
  const xml = ok(await postQuery(target.endpoint, params), "CreateQueue");
  return one(xml, "CreateQueueResult", "QueueUrl").text;
}

describe("query protocol round trips", () => {
  // API reference CreateQueue / GetQueueUrl query examples.
  it("CreateQueue with attributes and GetQueueUrl answer the queue URL in XML", async () => {
    const name = target.name();
    const url = await createQueue(name, { VisibilityTimeout: "40", DelaySeconds: "0" });
    expect(url).toMatch(new RegExp(`/\\d{12}/${name}$`));
    const got = ok(await postQuery(target.endpoint, { Action: "GetQueueUrl", QueueName: name }), "GetQueueUrl");
    expect(one(got, "GetQueueUrlResult", "QueueUrl").text).toBe(url);
  });

  // API reference SendMessage / ReceiveMessage query examples; MD5 vector from snapshot
  // test_receive_message_attribute_names_filters ({Foo: String "Bar"}); F11 for the Attribute layout.
  it("SendMessage, ReceiveMessage with Attribute and MessageAttribute, DeleteMessage", async () => {
    const url = await createQueue(target.name());
    const sent = ok(
      await postQuery(target.endpoint, {
        Action: "SendMessage",
        QueueUrl: url,
        MessageBody: "msg",
        "MessageAttribute.1.Name": "Foo",
        "MessageAttribute.1.Value.DataType": "String",
        "MessageAttribute.1.Value.StringValue": "Bar",
      }),
      "SendMessage",
    );
    const result = one(sent, "SendMessageResult");
    expect(one(result, "MD5OfMessageBody").text).toBe("6e2baaf3b97dbeef01c0043275f9a0e7");
    expect(one(result, "MD5OfMessageAttributes").text).toBe("ae7155c6026991b6d54b11589678bf9c");
    const messageId = one(result, "MessageId").text;
    expect(all(result, "SequenceNumber")).toHaveLength(0);

    const received = ok(
      await postQuery(target.endpoint, { Action: "ReceiveMessage", QueueUrl: url, "AttributeName.1": "All", "MessageAttributeName.1": "All" }),
      "ReceiveMessage",
    );
    const message = one(received, "ReceiveMessageResult", "Message");
    expect(one(message, "MessageId").text).toBe(messageId);
    expect(one(message, "Body").text).toBe("msg");
    expect(one(message, "MD5OfBody").text).toBe("6e2baaf3b97dbeef01c0043275f9a0e7");
    expect(one(message, "MD5OfMessageAttributes").text).toBe("ae7155c6026991b6d54b11589678bf9c");
    const system = entries(message, "Attribute");
    expect(Object.keys(system).sort()).toEqual(["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SenderId", "SentTimestamp"]);
    expect(system.ApproximateReceiveCount).toBe("1");
    expect(system.SentTimestamp).toMatch(/^\d{13}$/);
    const attribute = one(message, "MessageAttribute");
    expect(one(attribute, "Name").text).toBe("Foo");
    expect(one(attribute, "Value", "DataType").text).toBe("String");
    expect(one(attribute, "Value", "StringValue").text).toBe("Bar");

    const handle = one(message, "ReceiptHandle").text;
    const deleted = ok(await postQuery(target.endpoint, { Action: "DeleteMessage", QueueUrl: url, ReceiptHandle: handle }), "DeleteMessage");
    expect(deleted.children.map((c) => c.name)).toEqual(["ResponseMetadata"]);
    // Validated: an empty receive is <ReceiveMessageResult/>.
    const empty = ok(await postQuery(target.endpoint, { Action: "ReceiveMessage", QueueUrl: url }), "ReceiveMessage");
    const emptyResult = one(empty, "ReceiveMessageResult");
    expect(emptyResult.children).toHaveLength(0);
    expect(empty.children.map((c) => c.name)).toEqual(["ReceiveMessageResult", "ResponseMetadata"]);
  });

  // F11: GetQueueAttributes&AttributeName.1=All answers <Attribute><Name>VisibilityTimeout</Name><Value>30</Value>.
  it("GetQueueAttributes answers flattened Attribute entries", async () => {
    const url = await createQueue(target.name());
    await postQuery(target.endpoint, { Action: "SendMessage", QueueUrl: url, MessageBody: "one" });
    const xml = ok(await postQuery(target.endpoint, { Action: "GetQueueAttributes", QueueUrl: url, "AttributeName.1": "All" }), "GetQueueAttributes");
    const attrs = entries(one(xml, "GetQueueAttributesResult"), "Attribute");
    expect(attrs).toMatchObject({ VisibilityTimeout: "30", ApproximateNumberOfMessages: "1", MaximumMessageSize: "1048576", DelaySeconds: "0" });
    expect(Object.keys(attrs)).toHaveLength(12);
  });

  // API reference SendMessageBatch query example; validated test_batch_send_with_invalid_char_should_succeed (V6).
  it("SendMessageBatch answers SendMessageBatchResultEntry and BatchResultErrorEntry", async () => {
    const url = await createQueue(target.name());
    const xml = ok(
      await postQuery(target.endpoint, {
        Action: "SendMessageBatch",
        QueueUrl: url,
        "SendMessageBatchRequestEntry.1.Id": "a",
        "SendMessageBatchRequestEntry.1.MessageBody": "message-1",
        "SendMessageBatchRequestEntry.2.Id": "b",
        "SendMessageBatchRequestEntry.2.MessageBody": "bad\u0001",
        "SendMessageBatchRequestEntry.3.Id": "c",
        "SendMessageBatchRequestEntry.3.MessageBody": "message-2",
        "SendMessageBatchRequestEntry.3.DelaySeconds": "0",
      }),
      "SendMessageBatch",
    );
    const result = one(xml, "SendMessageBatchResult");
    const successful = all(result, "SendMessageBatchResultEntry");
    expect(successful.map((e) => [one(e, "Id").text, one(e, "MD5OfMessageBody").text])).toEqual([
      ["a", "3d6b824fd8c1520e9a047d21fee6fb1f"],
      ["c", "95ef155b66299d14edf7ed57c468c13b"],
    ]);
    const failed = one(result, "BatchResultErrorEntry");
    expect(one(failed, "Id").text).toBe("b");
    expect(one(failed, "Code").text).toBe("InvalidMessageContents");
    expect(one(failed, "SenderFault").text).toBe("true");
  });

  // API reference ListQueues query example.
  it("ListQueues answers one QueueUrl element per queue", async () => {
    const prefix = target.name("lq");
    const urls = [await createQueue(`${prefix}-1`), await createQueue(`${prefix}-2`)];
    const xml = ok(await postQuery(target.endpoint, { Action: "ListQueues", QueueNamePrefix: prefix }), "ListQueues");
    expect(all(one(xml, "ListQueuesResult"), "QueueUrl").map((n) => n.text).sort()).toEqual(urls.sort());
    const none = ok(await postQuery(target.endpoint, { Action: "ListQueues", QueueNamePrefix: target.name("none") }), "ListQueues");
    expect(one(none, "ListQueuesResult").children).toHaveLength(0);
  });

  // "Making query API requests": the queue may be named by the request path; F11: a QueueUrl
  // parameter wins over the path, and GetQueueUrl works on another queue's URL.
  it("addresses the queue by the request path /ACCOUNT/NAME", async () => {
    const name = target.name();
    const url = await createQueue(name);
    const other = target.name();
    const otherUrl = await createQueue(other);
    const path = new URL(url).pathname;
    ok(await postQuery(target.endpoint, { Action: "SendMessage", MessageBody: "by path" }, path), "SendMessage");
    ok(await postQuery(target.endpoint, { Action: "SendMessage", MessageBody: "by param", QueueUrl: otherUrl }, path), "SendMessage");
    const attrs = async (u: string) =>
      entries(one(ok(await postQuery(target.endpoint, { Action: "GetQueueAttributes", "AttributeName.1": "ApproximateNumberOfMessages" }, new URL(u).pathname), "GetQueueAttributes"), "GetQueueAttributesResult"), "Attribute");
    expect(await attrs(url)).toEqual({ ApproximateNumberOfMessages: "1" });
    expect(await attrs(otherUrl)).toEqual({ ApproximateNumberOfMessages: "1" });
    const got = ok(await postQuery(target.endpoint, { Action: "GetQueueUrl", QueueName: other }, path), "GetQueueUrl");
    expect(one(got, "GetQueueUrlResult", "QueueUrl").text).toBe(otherUrl);
  });
});

describe("query protocol errors", () => {
  // Snapshot test_non_existent_queue key queue-does-not-exist-query (E25); validated test_get_on_deleted_queue_fails (V20).
  it("answers a missing queue with the NonExistentQueue XML error and 400", async () => {
    const url = await createQueue(target.name());
    ok(await postQuery(target.endpoint, { Action: "DeleteQueue", QueueUrl: url }), "DeleteQueue");
    const answer = await postQuery(target.endpoint, { Action: "GetQueueAttributes", QueueUrl: url, "AttributeName.1": "All" });
    expect(answer.headers.get("content-type")).toContain("text/xml");
    expect(queryError(answer)).toEqual({
      status: 400,
      type: "Sender",
      code: "AWS.SimpleQueueService.NonExistentQueue",
      message: "The specified queue does not exist for this wsdl version.",
    });
    expect(one(answer.xml, "Error").children.map((c) => c.name)).toEqual(["Type", "Code", "Message", "Detail"]);
  });

  // Validated TestSqsQueryApi tests (V15, V16, V18, V19) and snapshot test_successive_purge_calls_fail[sqs_query] (E22).
  it.each([
    [{ Action: "FooBar" }, undefined, 400, "InvalidAction", "The action FooBar is not valid for this endpoint."],
    [{ Action: "SendMessage" }, "QUEUE", 400, "MissingParameter", "The request must contain the parameter MessageBody."],
    [{ Action: "GetQueueAttributes", "AttributeName.1": "Foobar" }, "QUEUE", 400, "InvalidAttributeName", "Unknown Attribute Foobar."],
    [{ Action: "CreateQueue", QueueName: "x" }, "QUEUE", 400, "InvalidAction", "The action CreateQueue is not valid for this endpoint."],
    [{ Action: "ListQueues" }, "QUEUE", 400, "InvalidAction", "The action ListQueues is not valid for this endpoint."],
    [{ Action: "ReceiveMessage", MaxNumberOfMessages: "11" }, "QUEUE", 400, "InvalidParameterValue", "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."],
  ])("answers %o with the recorded query error", async (params, where, status, code, message) => {
    const url = await createQueue(target.name());
    const answer = await postQuery(target.endpoint, params as Record<string, string>, where ? new URL(url).pathname : "/");
    expect(queryError(answer)).toEqual({ status, type: "Sender", code, message });
  });

  it("answers a second purge within 60 seconds with 403 PurgeQueueInProgress", async () => {
    const name = target.name();
    const url = await createQueue(name);
    ok(await postQuery(target.endpoint, { Action: "PurgeQueue", QueueUrl: url }), "PurgeQueue");
    expect(queryError(await postQuery(target.endpoint, { Action: "PurgeQueue", QueueUrl: url }))).toEqual({
      status: 403,
      type: "Sender",
      code: "AWS.SimpleQueueService.PurgeQueueInProgress",
      message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    });
  });

  // Validated test_get_without_query_returns_unknown_operation (V17): 404 and an UnknownOperationException element.
  it("answers a request without Action with 404 UnknownOperationException", async () => {
    const url = await createQueue(target.name());
    for (const path of ["/", new URL(url).pathname]) {
      const res = await fetch(`${target.endpoint}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Version=2012-11-05" });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("<UnknownOperationException");
    }
  });
});

describe("AWS JSON 1.0 error details", () => {
  // SQS-FACTS "JSON errors" (botocore tests/functional/test_sqs.py): __type, message, x-amzn-query-error.
  it("carries __type, message and the x-amzn-query-error header", async () => {
    const raw = await postJson(target.endpoint, "GetQueueUrl", { QueueName: target.name("missing") });
    expect(raw.status).toBe(400);
    expect(raw.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(raw.json).toEqual({ __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." });
    expect(raw.headers.get("x-amzn-query-error")).toBe("AWS.SimpleQueueService.NonExistentQueue;Sender");
    expect(raw.headers.get("x-amzn-requestid")).toMatch(/\S/);
  });

  // Recorded C/Q pairs (notes §3 table): InvalidParameterValueException / InvalidParameterValue.
  it("names InvalidParameterValue errors InvalidParameterValueException in __type", async () => {
    const url = await createQueue(target.name());
    const raw = await postJson(target.endpoint, "ReceiveMessage", { QueueUrl: url, WaitTimeSeconds: 21 });
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({
      __type: "com.amazonaws.sqs#InvalidParameterValueException",
      message: "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
    });
    expect(raw.headers.get("x-amzn-query-error")).toBe("InvalidParameterValue;Sender");
  });

  // AWS-recorded `test_successive_purge_calls_fail[sqs]` (04/2024, JSON 1.0 from a botocore that sent
  // no x-amzn-query-mode): 403. AWS keeps the query status on JSON whether or not the header is sent;
  // LocalStack's "every 4xx is 400 without the header" is not what AWS recorded.
  it("answers PurgeQueueInProgress 403 over JSON, with or without x-amzn-query-mode", async () => {
    const url = await createQueue(target.name());
    expect((await postJson(target.endpoint, "PurgeQueue", { QueueUrl: url })).status).toBe(200);
    const plain = await postJson(target.endpoint, "PurgeQueue", { QueueUrl: url });
    expect(plain.status).toBe(403);
    expect(plain.json?.__type).toBe("com.amazonaws.sqs#PurgeQueueInProgress");
    expect(plain.headers.get("x-amzn-query-error")).toBe("AWS.SimpleQueueService.PurgeQueueInProgress;Sender");
    const queryMode = await postJson(target.endpoint, "PurgeQueue", { QueueUrl: url }, { "x-amzn-query-mode": "true" });
    expect(queryMode.status).toBe(403);
    expect(queryMode.json?.__type).toBe("com.amazonaws.sqs#PurgeQueueInProgress");
  });

  // The AccessDenied status follows the same rule: the query status (403) on JSON too.
  it("answers AccessDenied 403 over JSON; ordinary client errors stay 400", async () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*" }] });
    const url = await createQueue(target.name(), { Policy: policy });
    const plain = await postJson(target.endpoint, "SendMessage", { QueueUrl: url, MessageBody: "x" });
    expect(plain.status).toBe(403);
    expect(plain.json?.__type).toBe("com.amazonaws.sqs#AccessDeniedException");
    expect(plain.headers.get("x-amzn-query-error")).toBe("AccessDenied;Sender");
    const queryMode = await postJson(target.endpoint, "SendMessage", { QueueUrl: url, MessageBody: "x" }, { "x-amzn-query-mode": "true" });
    expect(queryMode.status).toBe(403);
    const missing = await postJson(target.endpoint, "GetQueueUrl", { QueueName: target.name("missing") });
    expect(missing.status).toBe(400);
  });

  // Validated F11: the JSON protocol sent to the queue URL path works, as the PHP SDK sends it.
  it("accepts JSON requests posted to the queue URL path", async () => {
    const url = await createQueue(target.name());
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
      body: JSON.stringify({ QueueUrl: url, MessageBody: "Using name instead of URL" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(((await res.json()) as Record<string, unknown>).MD5OfMessageBody).toBe("86a83f96652a1bfad3891e7d523750cb");
    // Recorded F11: a bare queue name in QueueUrl is accepted.
    const byName = await postJson(target.endpoint, "GetQueueAttributes", { QueueUrl: new URL(url).pathname.split("/").pop(), AttributeNames: ["ApproximateNumberOfMessages"] });
    expect(byName.json).toEqual({ Attributes: { ApproximateNumberOfMessages: "1" } });
  });
});
