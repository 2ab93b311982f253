// Follows the canonical event of seed 000 (Pushrail "Send events to Amazon SQS", "Example payload") and
// DESIGN "Engine": "Validation errors name the field".
import { describe, expect, it } from "vitest";
import { isIsoDateTime, validateEvent } from "../../src/engine/index.js";

const SEED_EVENT = {
  eventType: "order.completed",
  occurredAt: "2026-05-26T14:21:08.493Z",
  source: "billing-service",
  customerExternalId: "acct_8K2zRq",
  idempotencyKey: "order_38a91f-completed",
  correlationId: "req_4f30b2",
  payload: { orderId: "ord_38a91f", amount: 12900, currency: "USD", items: [{ sku: "PR-PRO-MONTHLY", qty: 1, price: 12900 }] },
  metadata: { tier: "pro", region: "us-east-1" },
};

function errorsOf(input: unknown) {
  const r = validateEvent(input);
  if (r.ok) throw new Error("expected errors");
  return r.errors.map((e) => `${e.field}:${e.rule}`);
}

describe("validateEvent", () => {
  it("accepts the seed's example payload and returns it in canonical field order", () => {
    const shuffled = Object.fromEntries(Object.entries(SEED_EVENT).reverse());
    const r = validateEvent(shuffled);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.event).toEqual(SEED_EVENT);
      expect(Object.keys(r.event)[0]).toBe("eventType");
    }
  });

  it("accepts an event with only the required fields", () => {
    const r = validateEvent({ eventType: "a", occurredAt: "2026-01-01T00:00:00+02:00", idempotencyKey: "k", payload: {} });
    expect(r.ok).toBe(true);
  });

  it("names each missing required field", () => {
    expect(errorsOf({})).toEqual(["eventType:required", "occurredAt:required", "idempotencyKey:required", "payload:required"]);
  });

  it("rejects non-objects at the top level", () => {
    expect(errorsOf([SEED_EVENT])).toEqual([":type"]);
    expect(errorsOf(null)).toEqual([":type"]);
  });

  it("names wrong types and empty strings per field", () => {
    const input = { ...SEED_EVENT, eventType: "", source: 5, customerExternalId: "", correlationId: null, idempotencyKey: 1 };
    expect(errorsOf(input)).toEqual([
      "eventType:nonEmpty",
      "idempotencyKey:type",
      "source:type",
      "customerExternalId:nonEmpty",
      "correlationId:type",
    ]);
  });

  it("rejects a payload that is an array or null", () => {
    expect(errorsOf({ ...SEED_EVENT, payload: [1] })).toEqual(["payload:type"]);
    expect(errorsOf({ ...SEED_EVENT, payload: null })).toEqual(["payload:type"]);
  });

  it("rejects metadata that is not a string map, naming the key", () => {
    expect(errorsOf({ ...SEED_EVENT, metadata: ["a"] })).toEqual(["metadata:type"]);
    expect(errorsOf({ ...SEED_EVENT, metadata: { tier: "pro", seats: 3, flag: null } })).toEqual(["metadata.seats:type", "metadata.flag:type"]);
  });

  it("rejects unknown top-level fields by name (a typo must not drop the idempotency key)", () => {
    const { idempotencyKey: _dropped, ...rest } = SEED_EVENT;
    expect(errorsOf({ ...rest, idempotency_key: "x" })).toEqual(["idempotencyKey:required", "idempotency_key:unknown"]);
  });

  it("requires occurredAt to be a real ISO-8601 date-time with a zone", () => {
    for (const bad of ["yesterday", "2026-05-26", "2026-05-26T14:21:08", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-05-26T24:00:00Z", "2026-05-26T10:00:00+25:00"]) {
      expect(errorsOf({ ...SEED_EVENT, occurredAt: bad }), bad).toEqual(["occurredAt:format"]);
    }
    for (const good of ["2026-05-26T14:21:08.493Z", "2024-02-29T00:00:00Z", "2026-05-26T14:21Z", "2026-05-26T14:21:08-07:00"]) {
      expect(isIsoDateTime(good), good).toBe(true);
    }
    expect(isIsoDateTime("2025-02-29T00:00:00Z")).toBe(false);
  });
});
