// Follows seed 000 ("How Pushrail delivers events to Amazon SQS": body = canonical event JSON, envelope
// fields as attributes, MessageGroupId defaults to customerExternalId, MessageDeduplicationId =
// idempotencyKey), the SendMessage API reference (FIFO id charset, 1–128 chars) and the SQS developer
// guide "Amazon SQS message attributes" (≤ 10 attributes; names, types and values count toward size).
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/sqs/index.js";
import { METADATA_OVERFLOW_ATTRIBUTE, mapEvent } from "../../src/engine/index.js";
import type { CanonicalEvent, SqsDestination } from "../../src/engine/index.js";
import { fixtureDestination, fixtureEvent } from "../support/engine-fixtures.js";

function destination(overrides: Record<string, unknown> = {}): SqsDestination {
  return fixtureDestination({ name: "d", queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/events.fifo", ...overrides });
}
const STANDARD = { queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/events" };

function event(extra: Record<string, unknown> = {}): CanonicalEvent {
  return fixtureEvent(extra, { order: { customer: "cust-7" } });
}

/** Size as the SQS developer guide defines it, written out independently of src/sqs. */
function sqsSize(body: string, attributes: Record<string, { DataType: string; StringValue?: string }>): number {
  let n = Buffer.byteLength(body, "utf8");
  for (const [name, a] of Object.entries(attributes)) {
    n += Buffer.byteLength(name, "utf8") + Buffer.byteLength(a.DataType, "utf8") + Buffer.byteLength(a.StringValue ?? "", "utf8");
  }
  return n;
}

describe("mapEvent", () => {
  it("writes the canonical event JSON as body and envelope fields as String attributes", () => {
    const ev = event({ source: "billing-service", correlationId: "req_4f30b2" });
    const { entry, bytes, rejections } = mapEvent(ev, destination());
    expect(JSON.parse(entry.MessageBody)).toEqual(ev);
    expect(entry.MessageAttributes).toEqual({
      eventType: { DataType: "String", StringValue: "order.completed" },
      occurredAt: { DataType: "String", StringValue: "2026-05-26T14:21:08.493Z" },
      source: { DataType: "String", StringValue: "billing-service" },
      customerExternalId: { DataType: "String", StringValue: "acct_8K2zRq" },
      idempotencyKey: { DataType: "String", StringValue: "order_38a91f-completed" },
      correlationId: { DataType: "String", StringValue: "req_4f30b2" },
    });
    expect(entry.MessageGroupId).toBe("acct_8K2zRq");
    expect(entry.MessageDeduplicationId).toBe("order_38a91f-completed");
    expect(bytes).toBe(sqsSize(entry.MessageBody, entry.MessageAttributes));
    expect(rejections).toEqual([]);
  });

  it("takes the group from a dotted path into the payload", () => {
    const { entry } = mapEvent(event(), destination({ messageGroupIdField: "payload.order.customer" }));
    expect(entry.MessageGroupId).toBe("cust-7");
  });

  it("reports a FIFO event with no value at the group path", () => {
    const { entry, rejections } = mapEvent(event(), destination({ messageGroupIdField: "payload.order.missing" }));
    expect(entry.MessageGroupId).toBeUndefined();
    expect(rejections.map((r) => `${r.rule}:${r.field}`)).toEqual(["groupId:payload.order.missing"]);
  });

  it("sets neither group nor dedup id on a standard queue", () => {
    const { entry } = mapEvent(event(), destination(STANDARD));
    expect(entry.MessageGroupId).toBeUndefined();
    expect(entry.MessageDeduplicationId).toBeUndefined();
  });

  it("keeps metadata as attributes while ≤ 10 fit", () => {
    const { entry } = mapEvent(event({ metadata: { tier: "pro", region: "us-east-1" } }), destination());
    expect(Object.keys(entry.MessageAttributes)).toHaveLength(6);
    expect(entry.MessageAttributes.tier).toEqual({ DataType: "String", StringValue: "pro" });
    expect(entry.MessageAttributes[METADATA_OVERFLOW_ATTRIBUTE]).toBeUndefined();
  });

  it("folds metadata past the 10-attribute limit into one String.json attribute", () => {
    // 4 envelope attributes leave 6 slots; 8 metadata keys → 5 individual + the fold.
    const metadata = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`m${i}`, `v${i}`]));
    const { entry, rejections } = mapEvent(event({ metadata }), destination());
    const names = Object.keys(entry.MessageAttributes);
    expect(names).toHaveLength(LIMITS.maxMessageAttributes);
    expect(names.slice(4)).toEqual(["m0", "m1", "m2", "m3", "m4", "metadata"]);
    expect(entry.MessageAttributes.metadata!.DataType).toBe("String.json");
    expect(JSON.parse(entry.MessageAttributes.metadata!.StringValue!)).toEqual({ m5: "v5", m6: "v6", m7: "v7" });
    expect(rejections).toEqual([]);
  });

  it("folds metadata keys SQS cannot take as attribute names, and empty values", () => {
    const { entry, rejections } = mapEvent(event({ metadata: { "AWS.x": "1", "has space": "2", empty: "", ok: "3" } }), destination());
    expect(entry.MessageAttributes.ok).toEqual({ DataType: "String", StringValue: "3" });
    expect(JSON.parse(entry.MessageAttributes.metadata!.StringValue!)).toEqual({ "AWS.x": "1", "has space": "2", empty: "" });
    expect(rejections).toEqual([]);
  });

  it("lists every reason AWS would reject the entry, not only the first", () => {
    const long = "k".repeat(129);
    const ev = event({ idempotencyKey: long, customerExternalId: "grüße", eventType: "bad\uFFFE" });
    const rules = mapEvent(ev, destination()).rejections.map((r) => `${r.rule}:${r.field}`);
    expect(rules).toEqual([
      "groupId:customerExternalId",
      "dedupId:idempotencyKey",
      "bodyChars:MessageBody",
      "attributeValue:MessageAttributes.eventType",
    ]);
  });

  describe("size at the 1 MiB limit (SQS counts UTF-8 body plus attribute names, types and values)", () => {
    const dest = destination(STANDARD);
    const base = mapEvent(event({ payload: { data: "" } }), dest);
    // "é" is 2 UTF-8 bytes: the count must be bytes, not UTF-16 units.
    const fill = (extra: number) => event({ payload: { data: "é".repeat(Math.floor(extra / 2)) + "x".repeat(extra % 2) } });

    it("accepts a message of exactly 1,048,576 bytes", () => {
      const m = mapEvent(fill(LIMITS.maxMessageSizeDefault - base.bytes), dest);
      expect(m.bytes).toBe(1_048_576);
      expect(sqsSize(m.entry.MessageBody, m.entry.MessageAttributes)).toBe(1_048_576);
      expect(m.rejections).toEqual([]);
    });

    it("rejects one byte over as oversize, with the exact count in the message", () => {
      const m = mapEvent(fill(LIMITS.maxMessageSizeDefault - base.bytes + 1), dest);
      expect(m.bytes).toBe(1_048_577);
      expect(m.rejections.map((r) => r.rule)).toEqual(["oversize"]);
      expect(m.rejections[0]!.message).toContain("1048577 bytes");
      expect(m.rejections[0]!.message).toContain("1048576 bytes");
    });

    it("uses the queue's own MaximumMessageSize when given", () => {
      const m = mapEvent(event(), dest, { maxMessageBytes: 262_144 });
      expect(mapEvent(fill(262_144 - base.bytes + 1), dest, { maxMessageBytes: 262_144 }).rejections.map((r) => r.rule)).toEqual(["oversize"]);
      expect(m.rejections).toEqual([]);
    });
  });
});
