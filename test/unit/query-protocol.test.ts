/**
 * The query protocol codec. Wire names follow the SQS Smithy model (`xmlName`/`xmlFlattened`, as shipped in
 * @aws-sdk/client-sqs) and the query-era botocore `service-2.json` (`locationName`/`flattened`); response
 * and error envelopes follow the AWS SQS API reference's query examples ("Making query API requests").
 */
import { describe, it, expect } from "vitest";
import { decodeQueryRequest, encodeQueryError, encodeQueryResponse } from "../../src/emulator/query-protocol.js";
import { SqsError } from "../../src/sqs/errors.js";

const NS = "http://queue.amazonaws.com/doc/2012-11-05/";
const Q = "http://127.0.0.1:4590/000000000000/q";

function decode(form: Record<string, string> | string): { action: string; input: Record<string, unknown> } {
  return decodeQueryRequest(new URLSearchParams(form));
}

function decodeError(form: Record<string, string> | string): SqsError {
  try {
    decode(form);
  } catch (err) {
    if (err instanceof SqsError) return err;
    throw err;
  }
  throw new Error("expected an SqsError");
}

// ---- a tiny strict XML 1.0 reader: enough to prove the output is well-formed and to walk it ----------

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function parseXml(source: string): XmlNode {
  if (!XML_CHAR.test(source)) throw new Error("character outside XML 1.0 Char");
  const xml = source.replace(/\r\n?/g, "\n"); // end-of-line handling, XML 1.0 §2.11
  const startTag = /<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<&]*")*)\s*(\/?)>/y;
  const endTag = /<\/([A-Za-z_][\w.-]*)\s*>/y;
  let pos = 0;
  const declaration = /^<\?xml\s+version="1\.0"[^?]*\?>/.exec(xml);
  if (declaration) pos = declaration[0].length;

  const parseElement = (): XmlNode => {
    startTag.lastIndex = pos;
    const open = startTag.exec(xml);
    if (!open) throw new Error(`expected a start tag at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = startTag.lastIndex;
    const attrs = Object.fromEntries([...open[2]!.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const node: XmlNode = { name: open[1]!, attrs, children: [], text: "" };
    if (open[3]) return node;
    for (;;) {
      const lt = xml.indexOf("<", pos);
      if (lt < 0) throw new Error(`<${node.name}> is never closed`);
      node.text += decodeText(xml.slice(pos, lt));
      pos = lt;
      if (xml.startsWith("</", pos)) {
        endTag.lastIndex = pos;
        const close = endTag.exec(xml);
        if (!close || close[1] !== node.name) throw new Error(`expected </${node.name}> at ${pos}`);
        pos = endTag.lastIndex;
        return node;
      }
      node.children.push(parseElement());
    }
  };

  const root = parseElement();
  if (xml.slice(pos).trim() !== "") throw new Error(`content after the root element at ${pos}`);
  return root;
}

function decodeText(raw: string): string {
  if (raw.includes("]]>")) throw new Error("]]> in text");
  if (raw.replace(REFERENCE, "").includes("&")) throw new Error(`bad reference in ${JSON.stringify(raw)}`);
  return raw.replace(REFERENCE, (_, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const ch = String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec));
    if (!XML_CHAR.test(ch)) throw new Error(`reference to a character XML 1.0 forbids: ${JSON.stringify(ch)}`);
    return ch;
  });
}

function kids(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

function kid(node: XmlNode, ...path: string[]): XmlNode {
  let current = node;
  for (const name of path) {
    const found = kids(current, name);
    if (found.length !== 1) throw new Error(`expected one <${name}> in <${current.name}>, found ${found.length}`);
    current = found[0]!;
  }
  return current;
}

/** Flattened map entries (`<Attribute><Name/><Value/></Attribute>`) as a record of text values. */
function entries(node: XmlNode, element: string, key: string, value: string): Record<string, string> {
  return Object.fromEntries(kids(node, element).map((e) => [kid(e, key).text, kid(e, value).text]));
}

function respond(action: string, output: Record<string, unknown>): XmlNode {
  const root = parseXml(encodeQueryResponse(action, output, "req-1"));
  expect(root.name).toBe(`${action}Response`);
  expect(root.attrs.xmlns).toBe(NS);
  expect(kid(root, "ResponseMetadata", "RequestId").text).toBe("req-1");
  return root;
}

describe("the little XML reader used below", () => {
  it("rejects what is not well-formed", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml("<a>x & y</a>")).toThrow();
    expect(() => parseXml("<a>&#x1;</a>")).toThrow();
    expect(() => parseXml("<a></a><b/>")).toThrow();
    expect(parseXml('<?xml version="1.0"?><a>1 &lt; 2&#xD;</a>').text).toBe("1 < 2\r");
  });
});

describe("decodeQueryRequest: action and envelope", () => {
  it("needs an Action", () => {
    expect(decodeError({ QueueUrl: Q }).code).toBe("MissingAction");
    expect(decodeError({ Action: "" }).code).toBe("MissingAction");
  });

  it("rejects an unknown action, including Object.prototype names", () => {
    const err = decodeError({ Action: "Foo" });
    expect(err.code).toBe("InvalidAction");
    expect(err.message).toBe("The action Foo is not valid for this endpoint.");
    expect(decodeError({ Action: "toString" }).code).toBe("InvalidAction");
    expect(decodeError({ Action: "__proto__" }).code).toBe("InvalidAction");
  });

  it("ignores Version, signature and unknown parameters", () => {
    const { action, input } = decode({
      Action: "DeleteQueue",
      Version: "2012-11-05",
      QueueUrl: Q,
      AWSAccessKeyId: "AKIA",
      Signature: "sig",
      SignatureMethod: "HmacSHA256",
      SignatureVersion: "2",
      Timestamp: "2026-01-01T00:00:00Z",
      Expires: "2026-01-01T00:15:00Z",
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": "x",
      "X-Amz-Date": "20260101T000000Z",
      "X-Amz-Signature": "s",
      Bogus: "1",
    });
    expect(action).toBe("DeleteQueue");
    expect(input).toEqual({ QueueUrl: Q });
  });

  it.each([
    ["CancelMessageMoveTask", { TaskHandle: "th" }],
    ["DeleteMessage", { QueueUrl: Q, ReceiptHandle: "rh" }],
    ["DeleteQueue", { QueueUrl: Q }],
    ["GetQueueUrl", { QueueName: "q", QueueOwnerAWSAccountId: "000000000000" }],
    ["ListQueueTags", { QueueUrl: Q }],
    ["PurgeQueue", { QueueUrl: Q }],
    ["RemovePermission", { QueueUrl: Q, Label: "l" }],
  ])("%s keeps its scalar members as they are", (action, members) => {
    expect(decode({ Action: action, ...members })).toEqual({ action, input: members });
  });

  it("keeps empty strings and omits absent members", () => {
    expect(decode("Action=ListQueues&QueueNamePrefix=").input).toEqual({ QueueNamePrefix: "" });
    expect(decode("Action=ListQueues").input).toEqual({});
  });
});

describe("decodeQueryRequest: lists, maps and structures", () => {
  it("AddPermission: AWSAccountId.N and ActionName.N", () => {
    const { input } = decode(
      "Action=AddPermission&QueueUrl=" + encodeURIComponent(Q) +
        "&Label=l&AWSAccountId.1=111111111111&AWSAccountId.2=222222222222&ActionName.1=SendMessage&ActionName.2=ReceiveMessage",
    );
    expect(input).toEqual({
      QueueUrl: Q,
      Label: "l",
      AWSAccountIds: ["111111111111", "222222222222"],
      Actions: ["SendMessage", "ReceiveMessage"],
    });
  });

  it("ChangeMessageVisibility: VisibilityTimeout becomes a number", () => {
    expect(decode({ Action: "ChangeMessageVisibility", QueueUrl: Q, ReceiptHandle: "rh", VisibilityTimeout: "45" }).input)
      .toEqual({ QueueUrl: Q, ReceiptHandle: "rh", VisibilityTimeout: 45 });
  });

  it("ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchRequestEntry.N.*", () => {
    const { input } = decode({
      Action: "ChangeMessageVisibilityBatch",
      QueueUrl: Q,
      "ChangeMessageVisibilityBatchRequestEntry.1.Id": "a",
      "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": "rh-a",
      "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "45",
      "ChangeMessageVisibilityBatchRequestEntry.2.Id": "b",
      "ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle": "rh-b",
    });
    expect(input).toEqual({
      QueueUrl: Q,
      Entries: [
        { Id: "a", ReceiptHandle: "rh-a", VisibilityTimeout: 45 },
        { Id: "b", ReceiptHandle: "rh-b" },
      ],
    });
  });

  it("CreateQueue: Attribute.N.Name/Value and Tag.N.Key/Value (into lowercase `tags`)", () => {
    const { input } = decode({
      Action: "CreateQueue",
      QueueName: "orders.fifo",
      "Attribute.1.Name": "FifoQueue",
      "Attribute.1.Value": "true",
      "Attribute.2.Name": "VisibilityTimeout",
      "Attribute.2.Value": "30",
      "Tag.1.Key": "team",
      "Tag.1.Value": "payments",
    });
    expect(input).toEqual({
      QueueName: "orders.fifo",
      Attributes: { FifoQueue: "true", VisibilityTimeout: "30" },
      tags: { team: "payments" },
    });
  });

  it("DeleteMessageBatch: DeleteMessageBatchRequestEntry.N.*", () => {
    const { input } = decode({
      Action: "DeleteMessageBatch",
      QueueUrl: Q,
      "DeleteMessageBatchRequestEntry.1.Id": "a",
      "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "rh-a",
    });
    expect(input).toEqual({ QueueUrl: Q, Entries: [{ Id: "a", ReceiptHandle: "rh-a" }] });
  });

  it("GetQueueAttributes: AttributeName.N", () => {
    const { input } = decode({ Action: "GetQueueAttributes", QueueUrl: Q, "AttributeName.1": "QueueArn", "AttributeName.2": "All" });
    expect(input).toEqual({ QueueUrl: Q, AttributeNames: ["QueueArn", "All"] });
  });

  it("ListDeadLetterSourceQueues, ListQueues, ListMessageMoveTasks: MaxResults is a number", () => {
    expect(decode({ Action: "ListDeadLetterSourceQueues", QueueUrl: Q, MaxResults: "5", NextToken: "t" }).input)
      .toEqual({ QueueUrl: Q, MaxResults: 5, NextToken: "t" });
    expect(decode({ Action: "ListQueues", QueueNamePrefix: "or", MaxResults: "1000", NextToken: "t" }).input)
      .toEqual({ QueueNamePrefix: "or", MaxResults: 1000, NextToken: "t" });
    expect(decode({ Action: "ListMessageMoveTasks", SourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq", MaxResults: "10" }).input)
      .toEqual({ SourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq", MaxResults: 10 });
  });

  it("ReceiveMessage: AttributeName.N, MessageAttributeName.N and integers", () => {
    const { input } = decode({
      Action: "ReceiveMessage",
      QueueUrl: Q,
      "AttributeName.1": "SentTimestamp",
      "AttributeName.2": "MessageGroupId",
      "MessageAttributeName.1": "All",
      MaxNumberOfMessages: "10",
      VisibilityTimeout: "0",
      WaitTimeSeconds: "20",
      ReceiveRequestAttemptId: "attempt-1",
    });
    expect(input).toEqual({
      QueueUrl: Q,
      AttributeNames: ["SentTimestamp", "MessageGroupId"],
      MessageAttributeNames: ["All"],
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 20,
      ReceiveRequestAttemptId: "attempt-1",
    });
  });

  it("ReceiveMessage: accepts MessageSystemAttributeName.N as a lenient alias", () => {
    // The model's xmlName for MessageSystemAttributeNames is `AttributeName`; this spelling is not AWS's.
    const { input } = decode({ Action: "ReceiveMessage", QueueUrl: Q, "MessageSystemAttributeName.1": "All" });
    expect(input).toEqual({ QueueUrl: Q, MessageSystemAttributeNames: ["All"] });
  });

  it("ReceiveMessage: keeps both values when AttributeName.1 repeats", () => {
    // What @aws-sdk/core's AwsQueryProtocol sends for AttributeNames: ["All"] plus
    // MessageSystemAttributeNames: ["SentTimestamp"]: the model gives both the xmlName AttributeName.
    const { input } = decode("Action=ReceiveMessage&QueueUrl=q&AttributeName.1=All&AttributeName.1=SentTimestamp&MaxNumberOfMessages=2&MaxNumberOfMessages=9");
    expect(input).toEqual({ QueueUrl: "q", AttributeNames: ["All", "SentTimestamp"], MaxNumberOfMessages: 2 });
  });

  it("SendMessage: MessageAttribute.N with String, Binary and list values, MessageSystemAttribute.N", () => {
    const { input } = decode({
      Action: "SendMessage",
      QueueUrl: Q,
      MessageBody: "hello\r\nworld",
      DelaySeconds: "5",
      MessageGroupId: "g",
      MessageDeduplicationId: "d",
      "MessageAttribute.1.Name": "city",
      "MessageAttribute.1.Value.DataType": "String",
      "MessageAttribute.1.Value.StringValue": "Any City",
      "MessageAttribute.2.Name": "blob",
      "MessageAttribute.2.Value.DataType": "Binary",
      "MessageAttribute.2.Value.BinaryValue": "AAEC/w==",
      "MessageAttribute.3.Name": "list",
      "MessageAttribute.3.Value.DataType": "String",
      "MessageAttribute.3.Value.StringListValue.1": "x",
      "MessageAttribute.3.Value.StringListValue.2": "y",
      "MessageAttribute.3.Value.BinaryListValue.1": "AA==",
      "MessageSystemAttribute.1.Name": "AWSTraceHeader",
      "MessageSystemAttribute.1.Value.DataType": "String",
      "MessageSystemAttribute.1.Value.StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793",
    });
    expect(input).toEqual({
      QueueUrl: Q,
      MessageBody: "hello\r\nworld",
      DelaySeconds: 5,
      MessageGroupId: "g",
      MessageDeduplicationId: "d",
      MessageAttributes: {
        city: { DataType: "String", StringValue: "Any City" },
        blob: { DataType: "Binary", BinaryValue: "AAEC/w==" },
        list: { DataType: "String", StringListValues: ["x", "y"], BinaryListValues: ["AA=="] },
      },
      MessageSystemAttributes: {
        AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793" },
      },
    });
  });

  it("SendMessage: a raw form body decodes '+' and %-escapes, and keeps base64 '+' when escaped", () => {
    const { input } = decode(
      "Action=SendMessage&QueueUrl=q&MessageBody=a+b%26c%0D%0A&MessageAttribute.1.Name=b" +
        "&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=%2B%2F8%3D",
    );
    expect(input).toEqual({
      QueueUrl: "q",
      MessageBody: "a b&c\r\n",
      MessageAttributes: { b: { DataType: "Binary", BinaryValue: "+/8=" } },
    });
  });

  it("SendMessageBatch: SendMessageBatchRequestEntry.N with nested message attributes", () => {
    const { input } = decode({
      Action: "SendMessageBatch",
      QueueUrl: Q,
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "one",
      "SendMessageBatchRequestEntry.1.DelaySeconds": "10",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "n",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "Number",
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "42",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Name": "AWSTraceHeader",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.DataType": "String",
      "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.StringValue": "Root=1",
      "SendMessageBatchRequestEntry.2.Id": "b",
      "SendMessageBatchRequestEntry.2.MessageBody": "two",
      "SendMessageBatchRequestEntry.2.MessageGroupId": "g",
      "SendMessageBatchRequestEntry.2.MessageDeduplicationId": "d",
    });
    expect(input).toEqual({
      QueueUrl: Q,
      Entries: [
        {
          Id: "a",
          MessageBody: "one",
          DelaySeconds: 10,
          MessageAttributes: { n: { DataType: "Number", StringValue: "42" } },
          MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1" } },
        },
        { Id: "b", MessageBody: "two", MessageGroupId: "g", MessageDeduplicationId: "d" },
      ],
    });
  });

  it("SetQueueAttributes: Attribute.N.Name/Value", () => {
    const { input } = decode({
      Action: "SetQueueAttributes",
      QueueUrl: Q,
      "Attribute.1.Name": "RedrivePolicy",
      "Attribute.1.Value": '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"3"}',
    });
    expect(input).toEqual({
      QueueUrl: Q,
      Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"3"}' },
    });
  });

  it("StartMessageMoveTask: MaxNumberOfMessagesPerSecond is a number", () => {
    const { input } = decode({ Action: "StartMessageMoveTask", SourceArn: "s", DestinationArn: "d", MaxNumberOfMessagesPerSecond: "50" });
    expect(input).toEqual({ SourceArn: "s", DestinationArn: "d", MaxNumberOfMessagesPerSecond: 50 });
  });

  it("TagQueue: Tag.N.Key/Value; UntagQueue: TagKey.N", () => {
    expect(decode({ Action: "TagQueue", QueueUrl: Q, "Tag.1.Key": "a", "Tag.1.Value": "1", "Tag.2.Key": "b", "Tag.2.Value": "" }).input)
      .toEqual({ QueueUrl: Q, Tags: { a: "1", b: "" } });
    expect(decode({ Action: "UntagQueue", QueueUrl: Q, "TagKey.1": "a", "TagKey.2": "b" }).input)
      .toEqual({ QueueUrl: Q, TagKeys: ["a", "b"] });
  });

  it("orders list items by index number, not by text or by arrival", () => {
    const form = new URLSearchParams({ Action: "SendMessageBatch", QueueUrl: Q });
    for (const i of [12, 10, 3, 11, 1, 9, 2, 4, 8, 5, 7, 6]) {
      form.append(`SendMessageBatchRequestEntry.${i}.Id`, `e${i}`);
      form.append(`SendMessageBatchRequestEntry.${i}.MessageBody`, `body ${i}`);
    }
    const entries = decodeQueryRequest(form).input.Entries as Array<{ Id: string }>;
    expect(entries.map((e) => e.Id)).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12"]);

    const names = decode({
      Action: "GetQueueAttributes",
      QueueUrl: Q,
      "AttributeName.10": "ten",
      "AttributeName.2": "two",
      "AttributeName.1": "one",
    }).input.AttributeNames;
    expect(names).toEqual(["one", "two", "ten"]);
  });

  it("keeps a map key like __proto__ as data", () => {
    const tags = decode({ Action: "TagQueue", QueueUrl: Q, "Tag.1.Key": "__proto__", "Tag.1.Value": "x" }).input.Tags as object;
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.entries(tags)).toEqual([["__proto__", "x"]]);
  });

  it("names the parameter when a map entry has no key or no value", () => {
    const noName = decodeError({ Action: "SetQueueAttributes", QueueUrl: Q, "Attribute.1.Value": "30" });
    expect(noName.code).toBe("MissingParameter");
    expect(noName.message).toBe("The request must contain the parameter Attribute.1.Name.");
    const noValue = decodeError({ Action: "TagQueue", QueueUrl: Q, "Tag.2.Key": "a" });
    expect(noValue.message).toBe("The request must contain the parameter Tag.2.Value.");
  });
});

describe("decodeQueryRequest: integers", () => {
  it.each(["abc", "1.5", "", " 5", "1e3", "0x10", "99999999999999999999"])("rejects %j for an integer member", (raw) => {
    const err = decodeError({ Action: "ReceiveMessage", QueueUrl: Q, MaxNumberOfMessages: raw });
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.spec.queryCode).toBe("InvalidParameterValue");
    expect(err.message).toBe(`Value ${raw} for parameter MaxNumberOfMessages is invalid. Reason: must be an integer.`);
  });

  it("names the nested parameter path", () => {
    const err = decodeError({
      Action: "SendMessageBatch",
      QueueUrl: Q,
      "SendMessageBatchRequestEntry.1.Id": "a",
      "SendMessageBatchRequestEntry.1.MessageBody": "x",
      "SendMessageBatchRequestEntry.2.Id": "b",
      "SendMessageBatchRequestEntry.2.MessageBody": "y",
      "SendMessageBatchRequestEntry.2.DelaySeconds": "soon",
    });
    expect(err.message).toBe("Value soon for parameter SendMessageBatchRequestEntry.2.DelaySeconds is invalid. Reason: must be an integer.");
  });

  it("accepts negative numbers and leaves range checks to the core", () => {
    expect(decode({ Action: "ChangeMessageVisibility", QueueUrl: Q, ReceiptHandle: "r", VisibilityTimeout: "-1" }).input.VisibilityTimeout).toBe(-1);
  });
});

describe("encodeQueryResponse", () => {
  it("SendMessage: the result fields, in a well-formed envelope", () => {
    const xml = encodeQueryResponse(
      "SendMessage",
      { MessageId: "m-1", MD5OfMessageBody: "abc", MD5OfMessageAttributes: "def", SequenceNumber: "10000000000000000001" },
      "req-1",
    );
    expect(xml.startsWith(`<?xml version="1.0"?><SendMessageResponse xmlns="${NS}"><SendMessageResult>`)).toBe(true);
    const result = kid(respond("SendMessage", { MessageId: "m-1", MD5OfMessageBody: "abc" }), "SendMessageResult");
    expect(kid(result, "MessageId").text).toBe("m-1");
    expect(kid(result, "MD5OfMessageBody").text).toBe("abc");
    expect(kids(result, "MD5OfMessageAttributes")).toHaveLength(0);
  });

  it("SendMessageBatch: SendMessageBatchResultEntry and BatchResultErrorEntry, SenderFault as true/false", () => {
    const root = respond("SendMessageBatch", {
      Successful: [
        { Id: "a", MessageId: "m-a", MD5OfMessageBody: "md5-a", MD5OfMessageAttributes: "attr-a" },
        { Id: "b", MessageId: "m-b", MD5OfMessageBody: "md5-b", SequenceNumber: "18" },
      ],
      Failed: [
        { Id: "c", SenderFault: true, Code: "InvalidParameterValue", Message: "Message must be shorter than 1048576 bytes." },
        { Id: "d", SenderFault: false, Code: "InternalError", Message: "try again" },
      ],
    });
    const result = kid(root, "SendMessageBatchResult");
    expect(result.children.map((c) => c.name)).toEqual([
      "SendMessageBatchResultEntry",
      "SendMessageBatchResultEntry",
      "BatchResultErrorEntry",
      "BatchResultErrorEntry",
    ]);
    const [a, b] = kids(result, "SendMessageBatchResultEntry");
    expect(a!.children.map((c) => [c.name, c.text])).toEqual([
      ["Id", "a"],
      ["MessageId", "m-a"],
      ["MD5OfMessageBody", "md5-a"],
      ["MD5OfMessageAttributes", "attr-a"],
    ]);
    expect(kid(b!, "SequenceNumber").text).toBe("18");
    const [c, d] = kids(result, "BatchResultErrorEntry");
    expect(c!.children.map((n) => [n.name, n.text])).toEqual([
      ["Id", "c"],
      ["SenderFault", "true"],
      ["Code", "InvalidParameterValue"],
      ["Message", "Message must be shorter than 1048576 bytes."],
    ]);
    expect(kid(d!, "SenderFault").text).toBe("false");
  });

  it("DeleteMessageBatch and ChangeMessageVisibilityBatch use their own result entry names", () => {
    const del = kid(respond("DeleteMessageBatch", { Successful: [{ Id: "a" }], Failed: [] }), "DeleteMessageBatchResult");
    expect(kid(del, "DeleteMessageBatchResultEntry", "Id").text).toBe("a");
    const cmv = kid(
      respond("ChangeMessageVisibilityBatch", { Successful: [], Failed: [{ Id: "x", SenderFault: true, Code: "ReceiptHandleIsInvalid", Message: "bad" }] }),
      "ChangeMessageVisibilityBatchResult",
    );
    expect(kid(cmv, "BatchResultErrorEntry", "Code").text).toBe("ReceiptHandleIsInvalid");
  });

  it("ReceiveMessage: Message with Attribute and MessageAttribute (String, Binary, lists); a CR survives", () => {
    const body = 'line1\r\nline2\r<tag attr="v">&amp;\'quoted\'</tag>\ttab\u00e9\u{1F600}';
    const root = respond("ReceiveMessage", {
      Messages: [
        {
          MessageId: "m-1",
          ReceiptHandle: "rh+/=",
          MD5OfBody: "md5",
          Body: body,
          Attributes: { SenderId: "000000000000", SentTimestamp: "1767225600000", ApproximateReceiveCount: "1" },
          MD5OfMessageAttributes: "md5-attrs",
          MessageAttributes: {
            city: { DataType: "String", StringValue: "Any City" },
            blob: { DataType: "Binary", BinaryValue: "AAEC/w==" },
            list: { DataType: "String.custom", StringListValues: ["x", "y"], BinaryListValues: ["AA=="] },
          },
        },
        { MessageId: "m-2", ReceiptHandle: "rh2", MD5OfBody: "md5-2", Body: "" },
      ],
    });
    const messages = kids(kid(root, "ReceiveMessageResult"), "Message");
    expect(messages).toHaveLength(2);
    const m = messages[0]!;
    expect(m.children.map((c) => c.name)).toEqual([
      "MessageId",
      "ReceiptHandle",
      "MD5OfBody",
      "Body",
      "Attribute",
      "Attribute",
      "Attribute",
      "MD5OfMessageAttributes",
      "MessageAttribute",
      "MessageAttribute",
      "MessageAttribute",
    ]);
    expect(kid(m, "Body").text).toBe(body);
    expect(kid(m, "ReceiptHandle").text).toBe("rh+/=");
    expect(entries(m, "Attribute", "Name", "Value")).toEqual({
      SenderId: "000000000000",
      SentTimestamp: "1767225600000",
      ApproximateReceiveCount: "1",
    });
    const attrs = Object.fromEntries(kids(m, "MessageAttribute").map((a) => [kid(a, "Name").text, kid(a, "Value")]));
    expect(kid(attrs.city!, "StringValue").text).toBe("Any City");
    expect(kid(attrs.city!, "DataType").text).toBe("String");
    expect(kid(attrs.blob!, "BinaryValue").text).toBe("AAEC/w==");
    expect(kid(attrs.blob!, "DataType").text).toBe("Binary");
    expect(kids(attrs.list!, "StringListValue").map((n) => n.text)).toEqual(["x", "y"]);
    expect(kids(attrs.list!, "BinaryListValue").map((n) => n.text)).toEqual(["AA=="]);
    expect(kid(messages[1]!, "Body").text).toBe("");
  });

  it("escapes CR as &#xD; the way AWS does", () => {
    const xml = encodeQueryResponse("ReceiveMessage", { Messages: [{ MessageId: "m", Body: "a\r\nb" }] }, "r");
    expect(xml).toContain("<Body>a&#xD;\nb</Body>");
  });

  it("ReceiveMessage with no messages has an empty result element", () => {
    const xml = encodeQueryResponse("ReceiveMessage", {}, "req-1");
    expect(xml).toContain("<ReceiveMessageResult/>");
    expect(kid(respond("ReceiveMessage", { Messages: [] }), "ReceiveMessageResult").children).toEqual([]);
  });

  it("GetQueueAttributes: flattened Attribute Name/Value", () => {
    const root = respond("GetQueueAttributes", {
      Attributes: { VisibilityTimeout: "30", QueueArn: "arn:aws:sqs:us-east-1:000000000000:q", Policy: '{"a":"<b>"}' },
    });
    expect(entries(kid(root, "GetQueueAttributesResult"), "Attribute", "Name", "Value")).toEqual({
      VisibilityTimeout: "30",
      QueueArn: "arn:aws:sqs:us-east-1:000000000000:q",
      Policy: '{"a":"<b>"}',
    });
  });

  it("ListQueues and ListDeadLetterSourceQueues: repeated QueueUrl, then NextToken", () => {
    const urls = [`${Q}1`, `${Q}2`, `${Q}3`];
    const list = kid(respond("ListQueues", { QueueUrls: urls, NextToken: "n&t" }), "ListQueuesResult");
    expect(list.children.map((c) => [c.name, c.text])).toEqual([
      ["QueueUrl", urls[0]],
      ["QueueUrl", urls[1]],
      ["QueueUrl", urls[2]],
      ["NextToken", "n&t"],
    ]);
    const dlq = kid(respond("ListDeadLetterSourceQueues", { queueUrls: [urls[0]] }), "ListDeadLetterSourceQueuesResult");
    expect(kids(dlq, "QueueUrl").map((n) => n.text)).toEqual([urls[0]]);
    expect(encodeQueryResponse("ListQueues", {}, "r")).toContain("<ListQueuesResult/>");
  });

  it("ListQueueTags: flattened Tag Key/Value", () => {
    const root = respond("ListQueueTags", { Tags: { team: "payments", "cost&center": "<42>" } });
    expect(entries(kid(root, "ListQueueTagsResult"), "Tag", "Key", "Value")).toEqual({
      team: "payments",
      "cost&center": "<42>",
    });
  });

  it("ListMessageMoveTasks: ListMessageMoveTasksResultEntry with numbers as text", () => {
    const root = respond("ListMessageMoveTasks", {
      Results: [
        {
          TaskHandle: "th",
          Status: "RUNNING",
          SourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq",
          DestinationArn: "arn:aws:sqs:us-east-1:000000000000:q",
          MaxNumberOfMessagesPerSecond: 50,
          ApproximateNumberOfMessagesMoved: 3,
          ApproximateNumberOfMessagesToMove: 10,
          StartedTimestamp: 1767225600000,
        },
        { Status: "FAILED", SourceArn: "s", FailureReason: "AWS.SimpleQueueService.NonExistentQueue", ApproximateNumberOfMessagesMoved: 0, StartedTimestamp: 1 },
      ],
    });
    const [running, failed] = kids(kid(root, "ListMessageMoveTasksResult"), "ListMessageMoveTasksResultEntry");
    expect(Object.fromEntries(running!.children.map((c) => [c.name, c.text]))).toEqual({
      TaskHandle: "th",
      Status: "RUNNING",
      SourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq",
      DestinationArn: "arn:aws:sqs:us-east-1:000000000000:q",
      MaxNumberOfMessagesPerSecond: "50",
      ApproximateNumberOfMessagesMoved: "3",
      ApproximateNumberOfMessagesToMove: "10",
      StartedTimestamp: "1767225600000",
    });
    expect(kid(failed!, "ApproximateNumberOfMessagesMoved").text).toBe("0");
    expect(kid(failed!, "FailureReason").text).toBe("AWS.SimpleQueueService.NonExistentQueue");
  });

  it("CreateQueue, GetQueueUrl, StartMessageMoveTask, CancelMessageMoveTask: single values", () => {
    expect(kid(respond("CreateQueue", { QueueUrl: Q }), "CreateQueueResult", "QueueUrl").text).toBe(Q);
    expect(kid(respond("GetQueueUrl", { QueueUrl: Q }), "GetQueueUrlResult", "QueueUrl").text).toBe(Q);
    expect(kid(respond("StartMessageMoveTask", { TaskHandle: "th" }), "StartMessageMoveTaskResult", "TaskHandle").text).toBe("th");
    expect(
      kid(respond("CancelMessageMoveTask", { ApproximateNumberOfMessagesMoved: 7 }), "CancelMessageMoveTaskResult", "ApproximateNumberOfMessagesMoved").text,
    ).toBe("7");
  });

  it.each([
    "AddPermission",
    "ChangeMessageVisibility",
    "DeleteMessage",
    "DeleteQueue",
    "PurgeQueue",
    "RemovePermission",
    "SetQueueAttributes",
    "TagQueue",
    "UntagQueue",
  ])("%s answers with ResponseMetadata only", (action) => {
    const root = respond(action, {});
    expect(root.children.map((c) => c.name)).toEqual(["ResponseMetadata"]);
  });

  it("refuses an unknown action and output that does not fit the model", () => {
    expect(() => encodeQueryResponse("Nope", {}, "r")).toThrow(SqsError);
    expect(() => encodeQueryResponse("ListQueues", { QueueUrls: "not-a-list" }, "r")).toThrow(TypeError);
  });

  it("escapes the request id too", () => {
    expect(kid(respond("DeleteQueue", {}), "ResponseMetadata", "RequestId").text).toBe("req-1");
    expect(encodeQueryResponse("DeleteQueue", {}, "a<b")).toContain("<RequestId>a&lt;b</RequestId>");
  });
});

describe("encodeQueryError", () => {
  it("writes the query code, Sender type, message and request id", () => {
    const xml = encodeQueryError(new SqsError("QueueDoesNotExist"), "req-9");
    expect(xml).toBe(
      `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type>` +
        "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version.</Message>" +
        "<Detail/></Error><RequestId>req-9</RequestId></ErrorResponse>",
    );
    const root = parseXml(xml);
    expect(kid(root, "Error", "Code").text).toBe("AWS.SimpleQueueService.NonExistentQueue");
    expect(kid(root, "RequestId").text).toBe("req-9");
  });

  it("says Receiver for server faults and escapes the message", () => {
    const root = parseXml(encodeQueryError(new SqsError("InternalError", 'bad <thing> & "more"\r'), "r"));
    expect(kid(root, "Error", "Type").text).toBe("Receiver");
    expect(kid(root, "Error", "Code").text).toBe("InternalError");
    expect(kid(root, "Error", "Message").text).toBe('bad <thing> & "more"\r');
  });
});
