import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

const ENVELOPE = ["eventType", "occurredAt", "source", "customerExternalId", "idempotencyKey", "correlationId"] as const;
const CANONICAL_ORDER = [...ENVELOPE.slice(0, 4), "idempotencyKey", "correlationId", "payload", "metadata"];

type Event = ReturnType<typeof makeEvent> & { metadata?: Record<string, string> };

/**
 * Metadata in three shapes: none; two keys (all fit beside the six envelope attributes); six keys, one
 * of them not a valid SQS attribute name, so only three fit and the rest fold into `metadata`.
 */
function metadataFor(i: number): Record<string, string> | undefined {
  if (i % 3 === 0) return undefined;
  if (i % 3 === 1) return { tier: "gold", region: `r${i % 7}` };
  return { a: "1", b: "2", c: "3", d: "4", "bad key": "5", e: `${i}` };
}

/** 200 customers, `perCustomer` events each, interleaved the way a busy shop produces them. */
function makeEvents(customers: number, perCustomer: number): Event[] {
  const events: Event[] = [];
  for (let n = 0; n < perCustomer; n++) {
    for (let c = 0; c < customers; c++) {
      const i = n * customers + c;
      const metadata = metadataFor(i);
      events.push({ ...makeEvent(`cust-${c}`, n), ...(metadata ? { metadata } : {}) });
    }
  }
  return events;
}

/** The body the engine must send: the canonical event JSON, fields in canonical order. */
function canonicalBody(event: Event): string {
  const out: Record<string, unknown> = {};
  for (const f of CANONICAL_ORDER) if ((event as Record<string, unknown>)[f] !== undefined) out[f] = (event as Record<string, unknown>)[f];
  return JSON.stringify(out);
}

/** Envelope fields as String attributes; metadata beside them up to 10 in all, the rest folded into one `metadata` String.json. */
function expectedAttributes(event: Event): Record<string, { DataType: string; StringValue: string }> {
  const out: Record<string, { DataType: string; StringValue: string }> = {};
  for (const f of ENVELOPE) out[f] = { DataType: "String", StringValue: String(event[f]) };
  const meta = Object.entries(event.metadata ?? {});
  if (meta.length <= 4) {
    for (const [k, v] of meta) out[k] = { DataType: "String", StringValue: v };
    return out;
  }
  const folded: Record<string, string> = {};
  let slots = 3;
  for (const [k, v] of meta) {
    if (slots > 0 && /^[A-Za-z0-9_.-]+$/.test(k)) {
      out[k] = { DataType: "String", StringValue: v };
      slots--;
    } else folded[k] = v;
  }
  out.metadata = { DataType: "String.json", StringValue: JSON.stringify(folded) };
  return out;
}

function attributesOf(m: Message): Record<string, { DataType: string; StringValue: string }> {
  const out: Record<string, { DataType: string; StringValue: string }> = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) out[k] = { DataType: v.DataType!, StringValue: v.StringValue! };
  return out;
}

// Seed 000 (Pushrail "Send events to Amazon SQS"): SendMessageBatch ≤ 10, body = canonical event JSON,
// envelope fields as String attributes, FIFO MessageGroupId = customerExternalId (or messageGroupIdField),
// MessageDeduplicationId = idempotencyKey. SQS Developer Guide "Amazon SQS FIFO queues" (order within a
// message group) and "Amazon SQS message attributes" (≤ 10 per message); ReceiveMessage API reference,
// MessageSystemAttributeNames (MessageGroupId, MessageDeduplicationId).
describe("engine delivery into the embedded emulator", () => {
  it("delivers 10,000 events over 200 customers into a FIFO queue once each, in per-customer order, with attributes, group and dedup ids", async () => {
    const rig = await createEngineRig({ fifo: true });
    try {
      const events = makeEvents(200, 50);
      const byKey = new Map(events.map((e) => [e.idempotencyKey, e]));
      const report = await rig.engine.ingest(events);
      expect(report).toMatchObject({ accepted: 10_000, rejected: 0 });
      await rig.engine.idle();
      const messages = await rig.drain();
      expect(messages).toHaveLength(10_000);

      const perCustomer = new Map<string, number[]>();
      const seen = new Set<string>();
      for (const m of messages) {
        const key = m.MessageAttributes?.idempotencyKey?.StringValue ?? "";
        const event = byKey.get(key);
        expect(event, `message with unknown key '${key}'`).toBeDefined();
        expect(seen.has(key), `'${key}' arrived twice`).toBe(false);
        seen.add(key);
        expect(m.Body).toBe(canonicalBody(event!));
        expect(attributesOf(m)).toEqual(expectedAttributes(event!));
        expect(m.Attributes?.MessageGroupId).toBe(event!.customerExternalId);
        expect(m.Attributes?.MessageDeduplicationId).toBe(event!.idempotencyKey);
        const list = perCustomer.get(event!.customerExternalId) ?? [];
        list.push(event!.payload.n);
        perCustomer.set(event!.customerExternalId, list);
      }
      expect(perCustomer.size).toBe(200);
      for (const [customer, list] of perCustomer) expect(list, customer).toEqual([...Array(50).keys()]);

      // Every request: ≤ 10 entries, one entry per message group (the FIFO gate), all delivered first time.
      const batches = rig.target.journal!.records("batch.formed");
      for (const b of batches) {
        expect(b.entries.length).toBeLessThanOrEqual(10);
        expect(new Set(b.entries.map((e) => e.groupId)).size).toBe(b.entries.length);
      }
      const delivered = rig.target.journal!.records("event.delivered");
      expect(delivered).toHaveLength(10_000);
      expect(delivered.every((d) => d.attempts === 1 && d.sequenceNumber !== undefined)).toBe(true);
      expect(rig.target.journal!.records("retry.scheduled")).toHaveLength(0);
    } finally {
      await rig.close();
    }
  }, 120_000);

  it("delivers the same 10,000 events into a standard queue completely (set equality)", async () => {
    const rig = await createEngineRig({ fifo: false });
    try {
      const events = makeEvents(200, 50);
      const byKey = new Map(events.map((e) => [e.idempotencyKey, e]));
      expect((await rig.engine.ingest(events)).accepted).toBe(10_000);
      await rig.engine.idle();
      const messages = await rig.drain();
      const keys = messages.map((m) => m.MessageAttributes?.idempotencyKey?.StringValue ?? "");
      expect(new Set(keys)).toEqual(new Set(byKey.keys()));
      expect(keys).toHaveLength(10_000);
      for (const m of messages.slice(0, 300)) {
        const event = byKey.get(m.MessageAttributes!.idempotencyKey!.StringValue!)!;
        expect(m.Body).toBe(canonicalBody(event));
        expect(attributesOf(m)).toEqual(expectedAttributes(event));
        // Standard queue: the engine sets neither id (SendMessage API reference: FIFO-only parameters).
        expect(m.Attributes?.MessageGroupId).toBeUndefined();
        expect(m.Attributes?.MessageDeduplicationId).toBeUndefined();
      }
      const batches = rig.target.journal!.records("batch.formed");
      expect(batches.every((b) => b.entries.length <= 10)).toBe(true);
      // Standard queues have no gate, so requests carry full batches.
      expect(batches.filter((b) => b.entries.length === 10).length).toBeGreaterThanOrEqual(990);
    } finally {
      await rig.close();
    }
  }, 120_000);

  // Seed 000: "messageGroupIdField … a dotted path into the event; defaults to customerExternalId".
  it("takes the FIFO MessageGroupId from messageGroupIdField (payload.tenant.id), numbers included, in per-tenant order", async () => {
    const rig = await createEngineRig({ fifo: true, destination: { messageGroupIdField: "payload.tenant.id" } });
    try {
      const events = [];
      for (let n = 0; n < 60; n++) {
        const tenant = n % 3 === 2 ? 42 : `tenant-${n % 3}`;
        events.push(makeEvent(`cust-${n % 5}`, n, { payload: { n, tenant: { id: tenant } } }));
      }
      const noTenant = makeEvent("cust-x", 999);
      const report = await rig.engine.ingest([...events, noTenant]);
      expect(report.accepted).toBe(60);
      expect(report.results[60]).toMatchObject({ status: "rejected", errors: [{ field: "payload.tenant.id", rule: "groupId" }] });
      await rig.engine.idle();
      const messages = await rig.drain();
      expect(messages).toHaveLength(60);
      const perGroup = new Map<string, number[]>();
      for (const m of messages) {
        const body = JSON.parse(m.Body!) as { payload: { n: number; tenant: { id: string | number } } };
        expect(m.Attributes?.MessageGroupId).toBe(String(body.payload.tenant.id));
        expect(m.Attributes?.MessageDeduplicationId).toBe(m.MessageAttributes?.idempotencyKey?.StringValue);
        const list = perGroup.get(m.Attributes!.MessageGroupId!) ?? [];
        list.push(body.payload.n);
        perGroup.set(m.Attributes!.MessageGroupId!, list);
      }
      expect([...perGroup.keys()].sort()).toEqual(["42", "tenant-0", "tenant-1"]);
      for (const list of perGroup.values()) {
        expect(list).toHaveLength(20);
        expect(list).toEqual([...list].sort((a, b) => a - b));
      }
    } finally {
      await rig.close();
    }
  });
});
