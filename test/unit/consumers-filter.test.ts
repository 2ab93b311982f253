import { describe, expect, it } from "vitest";
import {
  ConsumerConfigError,
  compileFilterPattern,
  matchesPattern,
  recordMatchesAny,
  type LambdaSqsRecord,
} from "../../src/consumers/index.js";

const match = (pattern: unknown, event: unknown) => matchesPattern(compileFilterPattern(pattern), event);

function record(body: string, extra: Partial<LambdaSqsRecord> = {}): LambdaSqsRecord {
  return {
    messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
    receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
    body,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1545082649183", SenderId: "AIDAIENQZJOLO23YVJ4VO", ApproximateFirstReceiveTimestamp: "1545082649185" },
    messageAttributes: {},
    md5OfMessageAttributes: null,
    md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-2:123456789012:my-queue",
    awsRegion: "us-east-2",
    ...extra,
  };
}

// EventBridge User Guide, "Creating Amazon EventBridge event patterns" → "Comparison operators" (the
// matching table: exact, prefix, suffix, equals-ignore-case, numeric, exists, anything-but); Lambda
// Developer Guide, "Control which events Lambda sends to your function" → "Filter rule syntax".
describe("event pattern operators", () => {
  const event = { City: "Seattle", State: "WA", Temperature: 46, Month: "December", Tags: ["a", "b"], Nested: { Level: 3 }, Nothing: null };

  it("exact values: strings (case-sensitive), numbers, null; values in one list are ORed", () => {
    expect(match({ City: ["Seattle"] }, event)).toBe(true);
    expect(match({ City: ["seattle"] }, event)).toBe(false);
    expect(match({ City: ["Portland", "Seattle"] }, event)).toBe(true);
    expect(match({ Temperature: [46] }, event)).toBe(true);
    expect(match({ Temperature: ["46"] }, event)).toBe(false);
    expect(match({ Nothing: [null] }, event)).toBe(true);
  });
  it("keys are ANDed, nested patterns follow nested objects, an event array matches when any element does", () => {
    expect(match({ City: ["Seattle"], State: ["WA"] }, event)).toBe(true);
    expect(match({ City: ["Seattle"], State: ["OR"] }, event)).toBe(false);
    expect(match({ Nested: { Level: [3] } }, event)).toBe(true);
    expect(match({ Tags: ["b"] }, event)).toBe(true);
    expect(match({ Tags: ["c"] }, event)).toBe(false);
    expect(match({ Missing: ["x"] }, event)).toBe(false);
  });
  it("prefix, suffix and equals-ignore-case match strings only", () => {
    expect(match({ Month: [{ prefix: "Dec" }] }, event)).toBe(true);
    expect(match({ Month: [{ prefix: "Nov" }] }, event)).toBe(false);
    expect(match({ Month: [{ suffix: "ber" }] }, event)).toBe(true);
    expect(match({ City: [{ "equals-ignore-case": "SEATTLE" }] }, event)).toBe(true);
    expect(match({ Temperature: [{ prefix: "4" }] }, event)).toBe(false);
  });
  it("numeric ranges: one or two comparisons, numbers only", () => {
    expect(match({ Temperature: [{ numeric: [">", 40, "<=", 46] }] }, event)).toBe(true);
    expect(match({ Temperature: [{ numeric: [">", 46] }] }, event)).toBe(false);
    expect(match({ Temperature: [{ numeric: ["=", 46] }] }, event)).toBe(true);
    expect(match({ City: [{ numeric: [">", 0] }] }, event)).toBe(false);
  });
  it("exists: true for a present leaf, false for an absent field; an object is not a leaf", () => {
    expect(match({ City: [{ exists: true }] }, event)).toBe(true);
    expect(match({ Missing: [{ exists: false }] }, event)).toBe(true);
    expect(match({ City: [{ exists: false }] }, event)).toBe(false);
    expect(match({ Nested: [{ exists: true }] }, event)).toBe(false);
  });
  it("anything-but: a value, a list, or a prefix; never matches an absent field", () => {
    expect(match({ City: [{ "anything-but": "Portland" }] }, event)).toBe(true);
    expect(match({ City: [{ "anything-but": ["Seattle", "Portland"] }] }, event)).toBe(false);
    expect(match({ Temperature: [{ "anything-but": [0, 100] }] }, event)).toBe(true);
    expect(match({ City: [{ "anything-but": { prefix: "Sea" } }] }, event)).toBe(false);
    expect(match({ Missing: [{ "anything-but": "x" }] }, event)).toBe(false);
  });
});

describe("malformed patterns are refused with the path of the bad part", () => {
  const refused = (pattern: unknown, field: string) => {
    try {
      compileFilterPattern(pattern);
      expect.unreachable("the pattern should have been refused");
    } catch (err) {
      expect(err).toBeInstanceOf(ConsumerConfigError);
      expect((err as ConsumerConfigError).field).toBe(field);
    }
  };
  it("non-objects, bare values, empty lists, unknown operators, bad numeric ranges", () => {
    refused("body", "filter");
    refused({}, "filter");
    refused({ body: "x" }, "filter.body");
    refused({ body: { City: [] } }, "filter.body.City");
    refused({ body: { City: [{ wildcard: "*" }] } }, "filter.body.City[0]");
    refused({ price: [{ numeric: [">"] }] }, "filter.price[0].numeric");
    refused({ price: [{ numeric: ["~", 3] }] }, "filter.price[0].numeric[0]");
    refused({ city: [{ exists: "yes" }] }, "filter.city[0].exists");
    refused({ city: [{ prefix: "a", suffix: "b" }] }, "filter.city[0]");
  });
});

// Lambda Developer Guide, "Using event filtering with an Amazon SQS event source": filter on the `body`
// key; JSON bodies are matched by their fields, plain-string bodies by string rules, and "If there is a
// mismatch, Lambda drops the message". Filters are ORed ("Lambda event filtering").
describe("patterns applied to SQS records", () => {
  const json = record(JSON.stringify({ RecordNumber: 1234, TimeStamp: "yyyy-mm-ddThh:mm:ss", RequestCode: "AAAA" }));
  const plain = record("Result: ok");
  const compile = (...ps: unknown[]) => ps.map((p) => compileFilterPattern(p));

  it("a JSON body is matched by its fields (the guide's RequestCode and RecordNumber examples)", () => {
    expect(recordMatchesAny(compile({ body: { RequestCode: ["BBBB"] } }), json)).toBe(false);
    expect(recordMatchesAny(compile({ body: { RequestCode: ["AAAA"] } }), json)).toBe(true);
    expect(recordMatchesAny(compile({ body: { RecordNumber: [{ numeric: [">", 9999] }] } }), json)).toBe(false);
    expect(recordMatchesAny(compile({ body: { RecordNumber: [{ numeric: [">", 999] }] } }), json)).toBe(true);
  });
  it("a plain-string body is matched by string rules on body", () => {
    expect(recordMatchesAny(compile({ body: [{ prefix: "Result: " }] }), plain)).toBe(true);
    expect(recordMatchesAny(compile({ body: [{ prefix: "Error: " }] }), plain)).toBe(false);
  });
  it("a format mismatch drops the record: field rules on a plain body, string rules on a JSON body", () => {
    expect(recordMatchesAny(compile({ body: { RequestCode: [{ exists: false }] } }), plain)).toBe(false);
    expect(recordMatchesAny(compile({ body: [{ prefix: "{" }] }), json)).toBe(false);
  });
  it("metadata fields of the record can be matched too, and several filters are ORed", () => {
    const fifo = record("x", { attributes: { ...plain.attributes, MessageGroupId: "g1" } });
    expect(recordMatchesAny(compile({ attributes: { MessageGroupId: ["g1"] } }), fifo)).toBe(true);
    expect(recordMatchesAny(compile({ body: { RequestCode: ["ZZZZ"] } }, { body: [{ prefix: "Result" }] }), plain)).toBe(true);
    expect(recordMatchesAny(compile({ body: { RequestCode: ["ZZZZ"] } }, { body: [{ prefix: "Nope" }] }), plain)).toBe(false);
  });
});
