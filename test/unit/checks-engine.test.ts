import { describe, expect, it } from "vitest";
import { fifoOrder, noDuplicates, noLoss } from "../../src/checks/index.js";
import type { JournalRecord, RecordOf } from "../../src/journal/index.js";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

/**
 * A real journal — the engine delivering 3 customers × 4 events into a FIFO queue of the embedded emulator —
 * then broken on purpose by dropping, copying or reordering records, so each check is seen to pass on the
 * real thing and to fail naming the offending event. SQS Developer Guide "Amazon SQS FIFO queues" (order
 * within a message group, SequenceNumber) and DESIGN "Scenarios and checks".
 */
async function realFifoJournal(): Promise<JournalRecord[]> {
  const rig = await createEngineRig({ fifo: true });
  try {
    const events = [];
    for (let n = 0; n < 4; n++) for (const c of ["cust-a", "cust-b", "cust-c"]) events.push(makeEvent(c, n));
    const report = await rig.engine.ingest(events);
    expect(report).toMatchObject({ accepted: 12, rejected: 0 });
    await rig.engine.idle();
    // Copies: the tests below mutate records and must not reach into the live journal.
    return rig.target.journal!.records().map((r) => structuredClone(r));
  } finally {
    await rig.close();
  }
}

const delivered = (records: JournalRecord[]) => records.filter((r): r is RecordOf<"event.delivered"> => r.type === "event.delivered");

describe("checks over a real engine journal (FIFO)", () => {
  it("noLoss, noDuplicates and fifoOrder pass on the untouched journal", async () => {
    const records = await realFifoJournal();
    expect(delivered(records)).toHaveLength(12);
    for (const result of [noLoss(records), noDuplicates(records), noDuplicates(records, { at: "consumer" }), fifoOrder(records)]) {
      expect(result, result.summary).toMatchObject({ ok: true, evidence: [] });
    }
    expect(fifoOrder(records).summary).toBe("3 message groups kept their accepted order");
  });

  it("noLoss fails naming the event whose event.delivered was dropped", async () => {
    const records = await realFifoJournal();
    const victim = delivered(records)[5]!;
    const broken = records.filter((r) => r !== victim);
    const result = noLoss(broken);
    expect(result.ok).toBe(false);
    expect(result.summary).toContain(victim.eventId);
    expect(result.summary).toContain(victim.delivery);
    expect(result.evidence).toEqual([records.find((r) => r.type === "event.accepted" && r.eventId === victim.eventId)]);
    expect(result.actual).toEqual({ unsettled: [{ delivery: victim.delivery, eventId: victim.eventId }], deadLetteredWithoutReason: [] });
  });

  it("noLoss with atConsumer fails when a delivered MessageId never reached a consumer", async () => {
    const records = await realFifoJournal();
    const [first, ...rest] = delivered(records);
    // A consumer batch that saw every message but the first.
    const batch = { type: "consumer.batch", consumer: "w", queue: "q", batchId: "b1", seq: 10_000, t: 0, messages: rest.map((d) => ({ messageId: d.messageId, receiveCount: 1 })) } as JournalRecord;
    const result = noLoss([...records, batch], { atConsumer: true });
    expect(result.ok).toBe(false);
    expect(result.summary).toContain(first!.messageId);
    expect(result.evidence).toEqual([first]);
    expect(noLoss([...records, batch], { atConsumer: false }).ok).toBe(true);
  });

  it("noDuplicates at the queue fails naming the idempotencyKey that became two messages", async () => {
    const records = await realFifoJournal();
    const original = delivered(records)[2]!;
    const copy = { ...original, seq: 10_000, messageId: "second-message-id" };
    const result = noDuplicates([...records, copy]);
    expect(result.ok).toBe(false);
    const key = (records.find((r) => r.type === "event.accepted" && r.eventId === original.eventId) as RecordOf<"event.accepted">).idempotencyKey;
    expect(result.summary).toContain(key);
    expect(result.summary).toContain("second-message-id");
    expect(result.evidence).toEqual([original, copy]);
  });

  it("fifoOrder fails naming the events whose SequenceNumbers were swapped within a group", async () => {
    const records = await realFifoJournal();
    const group = delivered(records).filter((d) => d.groupId === "cust-b");
    expect(group).toHaveLength(4);
    const [, second, third] = group;
    [second!.sequenceNumber, third!.sequenceNumber] = [third!.sequenceNumber, second!.sequenceNumber];
    const result = fifoOrder(records);
    expect(result.ok).toBe(false);
    expect(result.summary).toContain(`eventId ${third!.eventId} before ${second!.eventId}`);
    expect(result.summary).toContain("by SequenceNumber");
    expect(result.evidence).toContainEqual(third);
  });

  it("fifoOrder fails when a consumer succeeded a group's messages out of order", async () => {
    const records = await realFifoJournal();
    const group = delivered(records).filter((d) => d.groupId === "cust-c");
    // The consumer processed the group's messages last-first.
    const results = [...group].reverse().map(
      (d, i) => ({ type: "consumer.result", consumer: "w", batchId: "b1", messageId: d.messageId, outcome: "succeeded", seq: 10_000 + i, t: 0 }) as JournalRecord,
    );
    const result = fifoOrder([...records, ...results]);
    expect(result.ok).toBe(false);
    expect(result.summary).toContain(`at consumer w: `);
    // The first inversion: the group's 4th event succeeded before its 3rd.
    expect(result.summary).toContain(`eventId ${group[3]!.eventId} before ${group[2]!.eventId}`);
  });
});
