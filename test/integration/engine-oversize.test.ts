import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { compileDestination, mapEvent } from "../../src/engine/index.js";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

const MAX = 1024;

/** An event for `customer` whose mapped message (body + attributes, as SQS counts it) is exactly `bytes`. */
function eventOfSize(rigDestination: Record<string, unknown>, customer: string, n: number, bytes: number) {
  const compiled = compileDestination(rigDestination);
  if (!compiled.ok) throw new Error("bad destination");
  const base = makeEvent(customer, n, { payload: { n, pad: "" } });
  const size = mapEvent(base, compiled.destination, { maxMessageBytes: Infinity }).bytes;
  const event = makeEvent(customer, n, { payload: { n, pad: "x".repeat(bytes - size) } });
  expect(mapEvent(event, compiled.destination, { maxMessageBytes: Infinity }).bytes).toBe(bytes);
  return event;
}

// SendMessageBatch API reference: ≤ 10 entries; "The maximum allowed individual message size and the
// maximum total payload size (the sum of the individual lengths of all of the batched messages) are
// both 1 MiB" — i.e. the queue's MaximumMessageSize (SetQueueAttributes: 1,024–1,048,576 bytes), message
// attributes included (SQS Developer Guide, "Amazon SQS message attributes"). DESIGN "Engine": an event
// that cannot fit is a permanent error (DLQ, reason `oversize`), never sent or retried.
describe.each([false, true])("engine batching against MaximumMessageSize=1024 (fifo: %s)", (fifo) => {
  it("dead-letters an oversize event without ever sending it and keeps every batch ≤ 10 entries and ≤ 1024 bytes", async () => {
    const rig = await createEngineRig({ fifo, queueAttributes: { MaximumMessageSize: String(MAX) } });
    const journal = rig.target.journal!;
    try {
      const small = [];
      for (let n = 0; n < 40; n++) small.push(makeEvent(`c${n % 8}`, n));
      const exact = eventOfSize(rig.destination, "c0", 100, MAX);
      const over = eventOfSize(rig.destination, "c1", 101, MAX + 1);
      const huge = eventOfSize(rig.destination, "c2", 102, 5000);
      const events = [...small.slice(0, 20), over, exact, huge, ...small.slice(20)];
      expect((await rig.engine.ingest(events)).accepted).toBe(events.length);
      await rig.engine.idle();

      const dead = rig.engine.dlq.list();
      expect(dead.map((d) => [d.event.idempotencyKey, d.reason, d.bytes, d.attempts.length])).toEqual([
        [over.idempotencyKey, "oversize", MAX + 1, 0],
        [huge.idempotencyKey, "oversize", 5000, 0],
      ]);
      expect(dead[0]!.rejections).toEqual([expect.objectContaining({ rule: "oversize", message: expect.stringContaining("1025 bytes") })]);
      const deadDeliveries = new Set(dead.map((d) => d.delivery));

      const batches = journal.records("batch.formed");
      for (const b of batches) {
        expect(b.entries.length).toBeLessThanOrEqual(10);
        expect(b.bytes).toBeLessThanOrEqual(MAX);
        expect(b.bytes).toBe(b.entries.reduce((sum, e) => sum + e.bytes, 0));
        for (const e of b.entries) expect(deadDeliveries.has(e.delivery)).toBe(false);
      }
      expect(batches.flatMap((b) => b.entries)).toHaveLength(41);
      expect(journal.records("retry.scheduled")).toHaveLength(0);

      // The engine counts bytes exactly as SQS does: each entry's bytes equal what the emulator stored.
      const enqueuedBytes = new Map(journal.records("message.enqueued").map((m) => [m.messageId, m.bytes]));
      const entryBytes = new Map(batches.flatMap((b) => b.entries.map((e) => [`${b.batchId}/${e.delivery}`, e.bytes] as const)));
      for (const r of journal.records("entry.result")) {
        expect(r.ok).toBe(true);
        expect(enqueuedBytes.get(r.messageId!)).toBe(entryBytes.get(`${r.batchId}/${r.delivery}`));
      }
      const messages = await rig.drain();
      expect(messages).toHaveLength(41);
      expect(messages.some((m) => m.MessageAttributes?.idempotencyKey?.StringValue === exact.idempotencyKey)).toBe(true);
    } finally {
      await rig.close();
    }
  });

  it("agrees with SQS on the limit: the emulator itself refuses the 1025-byte entry the engine dead-lettered", async () => {
    const rig = await createEngineRig({ fifo, queueAttributes: { MaximumMessageSize: String(MAX) } });
    try {
      const over = eventOfSize(rig.destination, "c1", 1, MAX + 1);
      await rig.engine.ingest([over]);
      await rig.engine.idle();
      const [dead] = rig.engine.dlq.list();
      expect(dead!.reason).toBe("oversize");
      const out = await rig.target.client.send(
        new SendMessageBatchCommand({
          QueueUrl: rig.queueUrl,
          Entries: [{ Id: "0", ...dead!.entry, MessageAttributes: dead!.entry.MessageAttributes as never }],
        }),
      );
      expect(out.Failed).toEqual([expect.objectContaining({ Id: "0", Code: "InvalidParameterValue", SenderFault: true })]);
      expect(out.Failed![0]!.Message).toContain(`Message must be shorter than ${MAX} bytes`);
    } finally {
      await rig.close();
    }
  });
});
