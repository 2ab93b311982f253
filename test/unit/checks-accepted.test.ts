import { describe, expect, it } from "vitest";
import { accepted } from "../../src/checks/index.js";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, type JournalEvent, type JournalRecord, type RecordOf } from "../../src/journal/index.js";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

function journalOf(events: JournalEvent[]): JournalRecord[] {
  const journal = createJournal(new VirtualClock());
  for (const e of events) journal.emit(e);
  return journal.records();
}

type Entry = RecordOf<"batch.formed">["entries"][number];
const URL = "http://127.0.0.1:4566/000000000000/";
const fifoQueue = (attributes: Record<string, string> = {}): JournalEvent[] => [
  { type: "queue.created", queue: "orders.fifo", fifo: true, attributes: { FifoQueue: "true", ...attributes } },
  { type: "destination.saved", destination: "main", queueUrl: `${URL}orders.fifo`, fifo: true },
];
const standardQueue: JournalEvent[] = [
  { type: "queue.created", queue: "orders", fifo: false, attributes: {} },
  { type: "destination.saved", destination: "main", queueUrl: `${URL}orders`, fifo: false },
];
const entry = (n: number, extra: Partial<Entry> = {}): Entry => ({ delivery: `d-${n}`, eventId: `e${n}`, entryId: String(n), bytes: 500, groupId: "g", dedupId: `k-${n}`, attributeNames: ["eventType"], ...extra });
const batch = (entries: Entry[], bytes = entries.reduce((s, e) => s + e.bytes, 0), batchId = "main#1"): JournalEvent => ({ type: "batch.formed", destination: "main", batchId, bytes, entries });

// SQS API reference, SendMessageBatch (≤ 10 entries, 1 MiB in total, distinct entry Ids; errors
// TooManyEntriesInBatchRequest, BatchRequestTooLong, BatchEntryIdsNotDistinct, InvalidBatchEntryId) and
// SendMessageBatchRequestEntry (MessageGroupId required on FIFO queues; MessageDeduplicationId unless
// ContentBasedDeduplication; both 1–128 alphanumeric or punctuation); SQS Developer Guide "Amazon SQS
// message attributes" (≤ 10, name rules); MaximumMessageSize default 1 MiB (SQS-FACTS "Limits").
describe("accepted on hand-built journals", () => {
  it("passes a batch that keeps every rule", () => {
    const result = accepted(journalOf([...fifoQueue(), batch([entry(0), entry(1)])]));
    expect(result).toMatchObject({ ok: true, summary: "1 batches, 2 entries within SendMessageBatch's rules", evidence: [] });
  });

  it("fails an 11-entry batch and a batch over 1 MiB, naming every event in it", () => {
    const eleven = accepted(journalOf([...fifoQueue(), batch(Array.from({ length: 11 }, (_, i) => entry(i)))]));
    expect(eleven.ok).toBe(false);
    expect(eleven.summary).toMatch(/^11 events sent in entries AWS would refuse: eventId e0 \(TooManyEntriesInBatchRequest: 11 entries in batch main#1, at most 10\)/);
    expect(eleven.evidence.map((r) => r.type)).toEqual(["batch.formed"]);
    const big = accepted(journalOf([...fifoQueue(), batch([entry(0, { bytes: 600_000 }), entry(1, { bytes: 448_577 })])]));
    expect(big.summary).toContain("eventId e0 (BatchRequestTooLong: batch main#1 is 1048577 bytes, at most 1048576)");
    expect(accepted(journalOf([...fifoQueue(), batch([entry(0, { bytes: 600_000 }), entry(1, { bytes: 448_576 })])])).ok).toBe(true);
  });

  it("judges entry size against the queue's MaximumMessageSize as it was when the batch formed", () => {
    const lowered: JournalEvent = { type: "queue.attributesChanged", queue: "orders.fifo", attributes: { MaximumMessageSize: "1024" } };
    const records = journalOf([...fifoQueue(), batch([entry(0, { bytes: 2_000 })]), lowered, batch([entry(1, { bytes: 2_000 }), entry(2, { bytes: 1_024 })], undefined, "main#2")]);
    const result = accepted(records);
    expect(result.ok).toBe(false);
    expect(result.summary).toBe("1 events sent in entries AWS would refuse: eventId e1 (InvalidParameterValue: 2000 bytes, over MaximumMessageSize 1024 of orders.fifo)");
    // The evidence proves the limit: the batch, the destination's queue and the change that lowered it.
    expect(result.evidence.map((r) => r.type)).toEqual(["queue.created", "destination.saved", "queue.attributesChanged", "batch.formed"]);
  });

  it("requires MessageGroupId and MessageDeduplicationId on FIFO (the latter unless content-based), and refuses a dedup id on a standard queue", () => {
    const fifo = accepted(journalOf([...fifoQueue(), batch([entry(0, { groupId: undefined }), entry(1, { dedupId: undefined })])]));
    expect(fifo.actual).toEqual([
      { eventId: "e0", batchId: "main#1", code: "InvalidParameterValue", detail: "no MessageGroupId on FIFO queue orders.fifo" },
      { eventId: "e1", batchId: "main#1", code: "InvalidParameterValue", detail: "no MessageDeduplicationId, and FIFO queue orders.fifo has ContentBasedDeduplication off" },
    ]);
    expect(accepted(journalOf([...fifoQueue({ ContentBasedDeduplication: "true" }), batch([entry(1, { dedupId: undefined })])])).ok).toBe(true);
    const standard = accepted(journalOf([...standardQueue, batch([entry(0, { groupId: undefined }), entry(1, { groupId: undefined, dedupId: undefined })])]));
    expect(standard.summary).toBe('1 events sent in entries AWS would refuse: eventId e0 (InvalidParameterValue: MessageDeduplicationId "k-0" on standard queue orders)');
  });

  it("checks group and dedup id length and charset, entry Ids, and message attribute count and names", () => {
    const records = journalOf([
      ...fifoQueue(),
      batch([
        entry(0, { groupId: "g".repeat(129) }),
        entry(1, { dedupId: "has space" }),
        entry(2, { entryId: "bad:id" }),
        entry(3, { attributeNames: Array.from({ length: 11 }, (_, i) => `a${i}`) }),
        entry(4, { attributeNames: ["AWS.reserved"] }),
        entry(5, { groupId: "g".repeat(128), attributeNames: Array.from({ length: 10 }, (_, i) => `a${i}`) }),
      ]),
    ]);
    const result = accepted(records);
    const byEvent = Object.fromEntries((result.actual as { eventId: string; code: string; detail: string }[]).map((v) => [v.eventId, `${v.code}: ${v.detail}`]));
    expect(byEvent).toEqual({
      e0: expect.stringMatching(/^InvalidParameterValue: MessageGroupId "g{40}…" \(129 chars\)/),
      e1: 'InvalidParameterValue: MessageDeduplicationId "has space" (9 chars) is not 1–128 alphanumeric or punctuation characters',
      e2: 'InvalidBatchEntryId: entry Id "bad:id" is not 1–80 of [A-Za-z0-9_-]',
      e3: "InvalidParameterValue: 11 message attributes, at most 10",
      e4: expect.stringMatching(/^InvalidParameterValue: message attribute name "AWS.reserved": You can't use message attribute names beginning with 'AWS.'/),
    });
  });

  it("fails on an entry SQS refused with a validation code, unless a fault rule injected it", () => {
    const base: JournalEvent[] = [...fifoQueue(), batch([entry(0), entry(1)]), { type: "attempt.sent", destination: "main", batchId: "main#1", entries: 2 }];
    const refused = (n: number, code: string): JournalEvent => ({
      type: "entry.result", destination: "main", batchId: "main#1", delivery: `d-${n}`, eventId: `e${n}`, ok: false,
      failure: { kind: "entry", code, senderFault: true, message: "Message must be shorter than 1024 bytes.", sdkWouldRetry: false },
    });
    const result = accepted(journalOf([...base, refused(1, "InvalidParameterValue")]));
    expect(result.summary).toBe("1 events sent in entries AWS would refuse: eventId e1 (InvalidParameterValue: SQS answered InvalidParameterValue: Message must be shorter than 1024 bytes.)");
    expect(result.evidence.map((r) => r.type)).toEqual(["batch.formed", "entry.result"]);
    // The query-protocol spelling is the same code; a throttle is no validation failure.
    expect(accepted(journalOf([...base, refused(0, "AWS.SimpleQueueService.BatchRequestTooLong")])).ok).toBe(false);
    expect(accepted(journalOf([...base, refused(0, "RequestThrottled")])).ok).toBe(true);
    // A partial fault on entry "1" explains e1's failure, not e0's.
    const fault: JournalEvent = { type: "fault.injected", rule: 0, action: "SendMessageBatch", queue: "orders.fifo", effect: "partial", code: "InvalidParameterValue", entries: ["1"] };
    expect(accepted(journalOf([...base, fault, refused(1, "InvalidParameterValue")]))).toMatchObject({ ok: true, actual: { injected: 1 } });
    expect(accepted(journalOf([...base, fault, refused(0, "InvalidParameterValue")])).summary).toContain("eventId e0");
  });
});

// A real engine run: what the engine sends (with the attribute names it now journals) keeps AWS's rules,
// and an event over the queue's MaximumMessageSize is dead-lettered as oversize instead of sent.
describe("accepted over a real engine journal", () => {
  it("passes the engine's batches, and fails naming the event when a batch is altered to break a FIFO rule", async () => {
    const rig = await createEngineRig({ fifo: true, queueAttributes: { MaximumMessageSize: "1024" } });
    try {
      const report = await rig.engine.ingest([makeEvent("cust-a", 0), makeEvent("cust-b", 1), makeEvent("cust-a", 2, { payload: { big: "x".repeat(2_000) } })]);
      expect(report).toMatchObject({ accepted: 3 });
      await rig.engine.idle();
      const records = rig.target.journal!.records().map((r) => structuredClone(r));
      expect(records.filter((r) => r.type === "event.deadLettered").map((r) => (r as RecordOf<"event.deadLettered">).reason)).toEqual(["oversize"]);
      const result = accepted(records);
      expect(result, result.summary).toMatchObject({ ok: true, actual: { entries: 2 } });
      const formed = records.filter((r): r is RecordOf<"batch.formed"> => r.type === "batch.formed");
      expect(formed.flatMap((b) => b.entries.map((e) => e.attributeNames))).toContainEqual(["eventType", "occurredAt", "source", "customerExternalId", "idempotencyKey", "correlationId"]);
      const victim = formed[0]!.entries[0]!;
      delete victim.groupId;
      const broken = accepted(records);
      expect(broken.ok).toBe(false);
      expect(broken.summary).toContain(`eventId ${victim.eventId} (InvalidParameterValue: no MessageGroupId on FIFO queue`);
      expect(broken.evidence).toContainEqual(formed[0]);
    } finally {
      await rig.close();
    }
  });
});
