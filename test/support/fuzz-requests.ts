/**
 * Request generators for the robustness property test: plausible SQS requests built from the service
 * model (`query-schema.ts`), then broken on purpose (wrong JSON types, truncated bodies, unknown
 * actions, random headers). Queues named "vault" may only be reached by actions that cannot remove a
 * stored message, so the test can insist that every vault message survives.
 */
import fc from "fast-check";
import { SQS_ACTIONS } from "../../src/emulator/emulator.js";
import { QUERY_SCHEMA, type QueryMembers, type QueryShape } from "../../src/emulator/query-schema.js";

export interface FuzzRequest {
  kind: "json" | "query" | "raw";
  method: "POST" | "GET";
  /** Path and query string, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Real values the generators mix in: URLs, ARNs and receipt handles of live queues. */
export interface FuzzPools {
  /** Queues any action may hit. */
  playgroundUrls: string[];
  playgroundArns: string[];
  /** Queues only SAFE_FOR_VAULT actions may hit. */
  vaultUrls: string[];
  /** Receipt handles of playground messages (stale or current). */
  handles: string[];
}

/** Actions that can add to a queue or read it but never remove, hide or move a stored message. */
export const SAFE_FOR_VAULT = new Set([
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListQueueTags",
  "TagQueue",
  "UntagQueue",
  "SendMessage",
  "SendMessageBatch",
  "DeleteMessage",
  "DeleteMessageBatch",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
  "AddPermission",
  "RemovePermission",
  "ListDeadLetterSourceQueues",
]);

const odd = ["", " ", "\u0000", "\ud800", "🎉", "<a>&amp;</a>", "%E0%A4%A", "x".repeat(300), "null", "[]"];
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) }, fc.constantFrom(...odd));
const integers = fc.constantFrom(-1, 0, 1, 2, 5, 10, 11, 20, 21, 60, 900, 901, 43_200, 43_201, 1e12, 1.5);
const garbageUrls = ["not a url", "http://127.0.0.1/000000000000/", "http://127.0.0.1/000000000000/nope", "http://127.0.0.1/1/q", "http://127.0.0.1/000000000000/%E0%A4%A", ""];
const attributeNames = [
  "All", "VisibilityTimeout", "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
  "Policy", "RedrivePolicy", "RedriveAllowPolicy", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
  "FifoThroughputLimit", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "QueueArn",
  "ApproximateNumberOfMessages", "SenderId", "SequenceNumber", "Foo",
];

/** Every generator a member name selects; other strings get `text`. */
function stringsFor(member: string, pools: FuzzPools, urls: string[]): fc.Arbitrary<string> {
  const arns = [...pools.playgroundArns, "dummy", "arn:aws:sqs:us-east-1:000000000000:nope"];
  const attributeValues = [
    "0", "1", "30", "-1", "43201", "1024", "1048577", "60", "20", "21", "true", "false", "True", "yes", "", "queue",
    "messageGroup", "perQueue", "perMessageGroupId", "alias/aws/sqs", "{", "[]",
    ...arns.map((a) => JSON.stringify({ deadLetterTargetArn: a, maxReceiveCount: 1 })),
    JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: arns.slice(0, 2) }),
    JSON.stringify({ Statement: [null, 1, { Effect: "Deny", Principal: "*", Action: 5 }] }),
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:*" }] }),
  ];
  const pools_: Record<string, readonly string[]> = {
    QueueUrl: [...urls, ...garbageUrls],
    QueueName: [...pools.playgroundUrls.map((u) => u.split("/").pop()!), "fz-a", "fz-b", "fz-c.fifo", "x".repeat(81), "a/b", "has space"],
    ReceiptHandle: [...pools.handles, "garbage", Buffer.from("junk\nmore\n1\nx").toString("base64"), ""],
    MessageBody: ["hello", "{\"foo\": \"bar\"}", "\u0001", ...odd],
    Id: ["a", "b", "a", "", "bad:id", "x".repeat(81)],
    Label: ["l1", "l2", "", "bad label"],
    AWSAccountIds: ["111111111111", "000000000000", "", "abc"],
    Actions: ["SendMessage", "ReceiveMessage", "*", "Nope", ""],
    AttributeNames: attributeNames,
    MessageSystemAttributeNames: ["All", "SenderId", "AWSTraceHeader", "Foo"],
    MessageAttributeNames: ["All", ".*", "a.*", "Foo", "AWS."],
    TagKeys: ["k", "K", "", "x".repeat(200)],
    MessageGroupId: ["g1", "g2", "", "has space", "x".repeat(129)],
    MessageDeduplicationId: ["d1", "d2", "", "x".repeat(129)],
    ReceiveRequestAttemptId: ["r1", ""],
    SourceArn: arns,
    DestinationArn: arns,
    TaskHandle: ["foobared", ...pools.playgroundArns.map((a) => Buffer.from(JSON.stringify({ taskId: "00000000-0000-0000-0000-000000000000", sourceArn: a })).toString("base64"))],
    NextToken: ["", "garbage", Buffer.from("fz-a").toString("base64")],
    QueueOwnerAWSAccountId: ["000000000000", "1"],
    DataType: ["String", "Number", "Binary", "String.custom", "Foo", ""],
    StringValue: ["v", "", "1e5", "abc", "\u0000"],
    BinaryValue: ["AAAA", "!!!", ""],
    AttributeValue: attributeValues,
  };
  if (member === "QueueUrl" && urls.length > 0) {
    // Mostly live queues, so that requests get past the queue lookup and reach the action.
    return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...urls) }, { weight: 1, arbitrary: fc.constantFrom(...garbageUrls) }, { weight: 1, arbitrary: text });
  }
  const pool = pools_[member];
  return pool && pool.length > 0 ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: text }) : text;
}

const keyPools: Record<string, readonly string[]> = {
  Attributes: attributeNames,
  Tags: ["k", "K", "", "aws:x"],
  tags: ["k", "K", "", "aws:x"],
  MessageAttributes: ["a", "Foo", "b", "c.d", "AWS.x", "bad name!", ".dot", "x".repeat(257)],
  MessageSystemAttributes: ["AWSTraceHeader", "Other"],
};

/** A value for one member: usually of the modelled type, sometimes any JSON at all. */
function valueFor(member: string, shape: QueryShape, pools: FuzzPools, urls: string[]): fc.Arbitrary<unknown> {
  const typed = typedValue(member, shape, pools, urls);
  return fc.oneof({ weight: 12, arbitrary: typed }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
}

function typedValue(member: string, shape: QueryShape, pools: FuzzPools, urls: string[]): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case "string":
      return stringsFor(member, pools, urls);
    case "integer":
      return integers;
    case "boolean":
      return fc.boolean();
    case "list":
      // Batches go up to 11 entries (one too many); other lists stay short to keep requests small.
      return fc.array(valueFor(member, shape.member, pools, urls), { maxLength: member === "Entries" ? 11 : 3 });
    case "map": {
      const keys = keyPools[member] ?? ["k"];
      const valueName = member === "Attributes" ? "AttributeValue" : member;
      return fc.dictionary(fc.oneof(fc.constantFrom(...keys), text), valueFor(valueName, shape.valueShape, pools, urls), { maxKeys: member === "MessageAttributes" ? 11 : 3 });
    }
    case "structure":
      return membersOf(shape.members, pools, urls);
  }
}

/** List-valued attribute members SQS does not implement; sent rarely so requests stay small. */
const RARE = new Set(["StringListValues", "BinaryListValues"]);

/** Members the API requires wherever they appear; generated always, then now and then dropped. */
const REQUIRED = new Set([
  "QueueUrl", "QueueName", "MessageBody", "ReceiptHandle", "Entries", "Label", "AWSAccountIds", "Actions", "Tags",
  "TagKeys", "VisibilityTimeout", "SourceArn", "TaskHandle", "Id", "DataType",
]);

function membersOf(members: QueryMembers, pools: FuzzPools, urls: string[]): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(
    Object.entries(members).map(([m, s]) => {
      // Optional members come now and then (list values of attributes rarely), so that a fair share
      // of requests is valid and reaches the action itself.
      const absent = REQUIRED.has(m) ? 0 : RARE.has(m) ? 12 : 3;
      return [m, absent === 0 ? valueFor(m, s, pools, urls) : fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: valueFor(m, s, pools, urls) })];
    }),
  );
  const record = fc.record(model) as fc.Arbitrary<Record<string, unknown>>;
  return fc.tuple(record, fc.nat({ max: 19 })).map(([value, drop]) => {
    const keys = Object.keys(value);
    if (drop < keys.length && drop < 2) delete value[keys[drop]!];
    return value;
  });
}

/** Form parameters for `input` as the query protocol flattens it (`Name.N.Key`), however typed. */
export function toForm(input: Record<string, unknown>, members: QueryMembers, prefix = ""): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [member, value] of Object.entries(input)) {
    const shape = members[member];
    const name = shape && (shape.kind === "list" || shape.kind === "map") ? shape.name : member;
    if (shape && value !== undefined) out.push(...formValue(`${prefix}${name}`, value, shape));
  }
  return out;
}

function formValue(path: string, value: unknown, shape: QueryShape): Array<[string, string]> {
  if (shape.kind === "list" && Array.isArray(value)) return value.flatMap((item, i) => formValue(`${path}.${i + 1}`, item, shape.member));
  if (shape.kind === "map" && value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v], i) => [[`${path}.${i + 1}.${shape.key}`, k] as [string, string], ...formValue(`${path}.${i + 1}.${shape.value}`, v, shape.valueShape)]);
  }
  if (shape.kind === "structure" && value && typeof value === "object" && !Array.isArray(value)) {
    return toForm(value as Record<string, unknown>, shape.members, `${path}.`);
  }
  return [[path, typeof value === "string" ? value : JSON.stringify(value) ?? ""]];
}

/** Cuts or damages a body now and then. */
const damage = (body: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(body) },
    { weight: 1, arbitrary: fc.nat({ max: Math.max(body.length - 1, 0) }).map((n) => body.slice(0, n)) },
    { weight: 1, arbitrary: fc.tuple(fc.nat({ max: Math.max(body.length - 1, 0) }), fc.string({ unit: "binary", minLength: 1, maxLength: 3 })).map(([n, s]) => body.slice(0, n) + s + body.slice(n + 1)) },
  );

const extraHeaders = fc.dictionary(fc.constantFrom("x-amzn-query-mode", "x-amz-date", "authorization", "x-amz-security-token", "accept", "x-forwarded-for", "x-amzn-trace-id"), fc.constantFrom("true", "false", "", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, Signature=x", "application/json", "garbage"), { maxKeys: 3 });

function actionRequest(pools: FuzzPools, action: string): fc.Arbitrary<FuzzRequest> {
  const urls = SAFE_FOR_VAULT.has(action) ? [...pools.playgroundUrls, ...pools.vaultUrls] : pools.playgroundUrls;
  const schema = QUERY_SCHEMA[action]!;
  const input = membersOf(schema.input, pools, urls);
  const json = fc
    .record({
      input,
      contentType: fc.constantFrom("application/x-amz-json-1.0", "application/x-amz-json-1.0", "application/json", "text/plain"),
      extra: extraHeaders,
    })
    .chain(({ input: i, contentType, extra }) =>
      damage(JSON.stringify(i)).map((body): FuzzRequest => ({ kind: "json", method: "POST", path: "/", headers: { ...extra, "content-type": contentType, "x-amz-target": `AmazonSQS.${action}` }, body })),
    );
  const query = fc
    .record({
      input,
      actionName: fc.oneof({ weight: 9, arbitrary: fc.constant(action) }, { weight: 1, arbitrary: fc.constantFrom("", "Foo", "toString", "__proto__") }),
      path: fc.oneof({ weight: 3, arbitrary: fc.constant("/") }, { weight: 1, arbitrary: fc.constantFrom(...urls.map((u) => new URL(u).pathname), "/000000000000/nope", "/a/b/c") }),
      get: fc.boolean(),
      extra: extraHeaders,
    })
    .chain(({ input: i, actionName, path, get, extra }) => {
      const params = new URLSearchParams([["Action", actionName], ["Version", "2012-11-05"], ...toForm(i, schema.input)]).toString();
      return damage(params).map((form): FuzzRequest =>
        get && form.length < 4_000
          ? { kind: "query", method: "GET", path: `${path}?${form}`, headers: extra, body: "" }
          : { kind: "query", method: "POST", path, headers: { ...extra, "content-type": "application/x-www-form-urlencoded" }, body: form },
      );
    });
  return fc.oneof(json, query);
}

/** Requests no client would send: unknown targets, random bodies and content types. */
const rawRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    target: fc.option(fc.oneof(fc.constantFrom("AmazonSQS.Foo", "AmazonSQS.", "AmazonSNS.Publish", "AmazonSQS.constructor"), fc.stringMatching(/^[\x21-\x7e]{0,20}$/)), { nil: undefined }),
    contentType: fc.constantFrom("application/x-amz-json-1.0", "application/x-www-form-urlencoded", "application/octet-stream", "multipart/form-data; boundary=x", ""),
    body: fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "")),
    path: fc.constantFrom("/", "/000000000000/nope", "/%", "//", "/?Action=", "/a?b=%zz"),
  })
  .map(({ target, contentType, body, path }): FuzzRequest => ({
    kind: "raw",
    method: "POST",
    path,
    headers: { ...(target !== undefined ? { "x-amz-target": target } : {}), ...(contentType ? { "content-type": contentType } : {}) },
    body,
  }));

/** Any request the property test may send. */
export function fuzzRequest(pools: FuzzPools): fc.Arbitrary<FuzzRequest> {
  const known = fc.constantFrom(...SQS_ACTIONS).chain((action) => actionRequest(pools, action));
  return fc.oneof({ weight: 9, arbitrary: known }, { weight: 1, arbitrary: rawRequest });
}
