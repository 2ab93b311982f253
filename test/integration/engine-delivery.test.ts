import { describe, expect, it } from "vitest";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

// Seed 000 (Pushrail "Send events to Amazon SQS"): SendMessageBatch ≤ 10, body = canonical event JSON,
// envelope fields as attributes, FIFO group = customerExternalId, dedup id = idempotencyKey.
describe("engine delivery into the embedded emulator", () => {
  it("delivers FIFO events once each, in per-customer order", async () => {
    const rig = await createEngineRig({ fifo: true });
    try {
      const events = [];
      for (let i = 0; i < 500; i++) events.push(makeEvent(`c${i % 20}`, i));
      const report = await rig.engine.ingest(events);
      expect(report.accepted).toBe(500);
      await rig.engine.idle();
      const messages = await rig.drain();
      expect(messages).toHaveLength(500);
      const perCustomer = new Map<string, number[]>();
      for (const m of messages) {
        const body = JSON.parse(m.Body!) as { customerExternalId: string; payload: { n: number } };
        expect(m.Attributes?.MessageGroupId).toBe(body.customerExternalId);
        const list = perCustomer.get(body.customerExternalId) ?? [];
        list.push(body.payload.n);
        perCustomer.set(body.customerExternalId, list);
      }
      for (const list of perCustomer.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
    } finally {
      await rig.close();
    }
  });
});
