import { describe, expect, it } from "vitest";
import { createIdempotencyLedger, idempotencyKeyOf } from "../../src/consumers/idempotency.js";
import type { LambdaSqsRecord } from "../../src/consumers/types.js";

function record(body: string, extra: { attribute?: string; dedupId?: string } = {}): LambdaSqsRecord {
  return {
    messageId: "m",
    receiptHandle: "rh",
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "0",
      ...(extra.dedupId !== undefined ? { MessageDeduplicationId: extra.dedupId } : {}),
    },
    messageAttributes:
      extra.attribute !== undefined ? { idempotencyKey: { stringValue: extra.attribute, stringListValues: [], binaryListValues: [], dataType: "String" } } : {},
    md5OfBody: "0",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
    awsRegion: "us-east-1",
  };
}

// SQS Developer Guide, "Amazon SQS at-least-once delivery": a standard queue may deliver a message more
// than once, so consumers should be idempotent; the key travels as the event's idempotencyKey (body and
// envelope attribute) and, on FIFO, as MessageDeduplicationId (engine mapper).
describe("idempotencyKeyOf", () => {
  it.each<[string, LambdaSqsRecord, string | undefined]>([
    ["the JSON body's idempotencyKey first", record('{"idempotencyKey":"k-body"}', { attribute: "k-attr", dedupId: "k-dedup" }), "k-body"],
    ["a numeric body key as text", record('{"idempotencyKey":42}'), "42"],
    ["the attribute when the body is not JSON", record("plain text", { attribute: "k-attr", dedupId: "k-dedup" }), "k-attr"],
    ["the attribute when the JSON body has no key", record('{"payload":{}}', { attribute: "k-attr" }), "k-attr"],
    ["MessageDeduplicationId last", record("{broken json", { dedupId: "k-dedup" }), "k-dedup"],
    ["nothing when there is no key anywhere", record('["idempotencyKey"]'), undefined],
  ])("takes %s", (_label, input, expected) => {
    expect(idempotencyKeyOf(input)).toBe(expected);
  });
});

describe("createIdempotencyLedger", () => {
  it("marks a key processed only on success, and flags later deliveries of it as duplicates", () => {
    const ledger = createIdempotencyLedger();
    const first = record('{"idempotencyKey":"k-1"}');
    expect(ledger.settle(first, false)).toEqual({ idempotencyKey: "k-1", duplicate: false });
    expect(ledger.has("k-1")).toBe(false);
    expect(ledger.settle(first, true)).toEqual({ idempotencyKey: "k-1", duplicate: false });
    expect(ledger.settle(first, true)).toEqual({ idempotencyKey: "k-1", duplicate: true });
    expect(ledger.settle(record("no key"), true)).toEqual({});
    expect(ledger.size).toBe(1);
  });
});
