// The engine under partial batch failures and lost answers (issue 5 "Show it works"), through `sqsrig
// serve` with its real engine and embedded emulator on a manual virtual clock. Follows the SQS API
// reference "SendMessageBatch" ("The result of sending each message is reported individually in the
// response": HTTP 200 with Successful[] and Failed[] carrying SenderFault; FIFO entries are enqueued in
// the order they are sent), the SQS Developer Guide "Exactly-once processing" (a FIFO send repeated with
// the same MessageDeduplicationId within 5 minutes is accepted and not stored again) and "At-least-once
// delivery" (standard queues may hold a message more than once).
import type { Message } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { makeEvent } from "../support/engine-rig.js";
import { createFaultsRig, keyOfDelivery, keysOf, type FaultsRig, type FaultsRigOptions } from "../support/faults-server-rig.js";

const rigs: FaultsRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});

async function rig(engine: FaultsRigOptions["engine"] = {}): Promise<FaultsRig> {
  const r = await createFaultsRig({ engine });
  rigs.push(r);
  return r;
}

const CUSTOMERS = ["acct_1", "acct_2", "acct_3"];
/** Three events per customer, customer by customer (acct_1-0, acct_1-1, …, acct_3-2). */
const streamOf = () => CUSTOMERS.flatMap((c) => [0, 1, 2].map((n) => makeEvent(c, n)));
const ALL_KEYS = CUSTOMERS.flatMap((c) => [0, 1, 2].map((n) => `${c}-${n}`)).sort();

/** Idempotency keys per message group, in the order SQS sequenced them. */
function orderByGroup(messages: readonly Message[]): Record<string, string[]> {
  const sorted = [...messages].sort((a, b) => (BigInt(a.Attributes!.SequenceNumber!) < BigInt(b.Attributes!.SequenceNumber!) ? -1 : 1));
  const out: Record<string, string[]> = {};
  for (const m of sorted) (out[m.Attributes!.MessageGroupId!] ??= []).push(keysOf([m])[0]!);
  return out;
}

describe("partial batch failure (SQS API reference: SendMessageBatch, Failed[] with SenderFault)", () => {
  it("SenderFault false: only the failed entry is sent again, the others once, and acct_2 keeps its order", async () => {
    const r = await rig();
    const url = await r.queue("orders.fifo");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", match: { group: "acct_2" }, partial: { senderFault: false }, times: 1 }]);
    await r.server.engine.ingest(streamOf());
    await r.runToIdle();

    const journal = r.server.journal;
    const keys = keyOfDelivery(journal);
    const [fault] = journal.records("fault.injected");
    expect(journal.records("fault.injected")).toHaveLength(1);
    expect(fault).toMatchObject({ effect: "partial", code: "InternalError", senderFault: false });
    // The failed entry is acct_2's first event; the rest of that batch went through.
    const firstBatch = journal.records("batch.formed")[0]!;
    const failedEntry = firstBatch.entries.find((e) => e.entryId === fault!.entries![0]);
    expect(keys.get(failedEntry!.delivery)).toBe("acct_2-0");
    expect(firstBatch.entries.map((e) => keys.get(e.delivery)).sort()).toEqual(["acct_1-0", "acct_2-0", "acct_3-0"]);

    const failures = journal.records("entry.result").filter((e) => !e.ok);
    expect(failures.map((f) => [keys.get(f.delivery), f.failure])).toEqual([
      ["acct_2-0", { kind: "entry", httpStatus: 200, code: "InternalError", senderFault: false, message: expect.any(String), sdkWouldRetry: false }],
    ]);
    // Sent once each, except the failed entry (twice): no successful entry was sent again.
    const sends = new Map<string, number>();
    for (const b of journal.records("batch.formed")) for (const e of b.entries) sends.set(keys.get(e.delivery)!, (sends.get(keys.get(e.delivery)!) ?? 0) + 1);
    expect(Object.fromEntries(sends)).toEqual(Object.fromEntries(ALL_KEYS.map((k) => [k, k === "acct_2-0" ? 2 : 1])));

    // acct_2's later events were not sent before acct_2-0 was delivered (the FIFO gate held the group).
    const redelivered = journal.records("event.delivered").find((d) => keys.get(d.delivery) === "acct_2-0")!;
    expect(redelivered.attempts).toBe(2);
    const laterSends = journal.records("batch.formed").filter((b) => b.entries.some((e) => ["acct_2-1", "acct_2-2"].includes(keys.get(e.delivery)!)));
    for (const b of laterSends) expect(b.seq).toBeGreaterThan(redelivered.seq);

    const messages = await r.drain(url);
    expect(keysOf(messages).sort()).toEqual(ALL_KEYS);
    expect(orderByGroup(messages)).toEqual({
      acct_1: ["acct_1-0", "acct_1-1", "acct_1-2"],
      acct_2: ["acct_2-0", "acct_2-1", "acct_2-2"],
      acct_3: ["acct_3-0", "acct_3-1", "acct_3-2"],
    });
    expect(r.server.engine.dlq.list()).toEqual([]);
  });

  it("SenderFault true: the failed entry is dead-lettered at once, the rest are delivered once", async () => {
    const r = await rig();
    const url = await r.queue("orders.fifo");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", match: { group: "acct_2" }, partial: { senderFault: true }, times: 1 }]);
    await r.server.engine.ingest(streamOf());
    await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("retry.scheduled")).toEqual([]);
    const [dead] = r.server.engine.dlq.list();
    expect(r.server.engine.dlq.list()).toHaveLength(1);
    expect(dead).toMatchObject({ reason: "InvalidParameterValue", event: { idempotencyKey: "acct_2-0" } });
    expect(dead!.attempts).toEqual([expect.objectContaining({ kind: "entry", code: "InvalidParameterValue", senderFault: true, decision: "deadLetter", sdkWouldRetry: false })]);
    const messages = await r.drain(url);
    expect(keysOf(messages).sort()).toEqual(ALL_KEYS.filter((k) => k !== "acct_2-0"));
    expect(orderByGroup(messages).acct_2).toEqual(["acct_2-1", "acct_2-2"]);
  });
});

describe("lost answers: dropResponse and reset (SQS Developer Guide: At-least-once delivery; Exactly-once processing)", () => {
  it("dropResponse on a standard queue: SQS stored the first send, the retry stores a second copy, and the journal flags it", async () => {
    const r = await rig();
    const url = await r.queue("plain");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", dropResponse: true, times: 1 }]);
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("fault.injected")).toEqual([expect.objectContaining({ effect: "dropResponse" })]);
    expect(journal.records("entry.result").filter((e) => !e.ok).map((e) => e.failure)).toEqual([
      expect.objectContaining({ kind: "reset", code: "ECONNRESET", sdkWouldRetry: true }),
    ]);
    expect(journal.records("event.delivered")).toEqual([expect.objectContaining({ attempts: 2, possibleDuplicate: true })]);
    expect(journal.records("message.enqueued")).toHaveLength(2);
    expect(keysOf(await r.drain(url))).toEqual(["acct_1-0", "acct_1-0"]);
  });

  it("dropResponse on FIFO: the retry within 5 minutes is deduplicated by SQS (one message, original MessageId) and not flagged", async () => {
    const r = await rig();
    const url = await r.queue("orders.fifo");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", dropResponse: true, times: 1 }]);
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    const [stored] = journal.records("message.enqueued");
    expect(journal.records("message.enqueued")).toHaveLength(1);
    expect(journal.records("message.dedupHit")).toEqual([expect.objectContaining({ dedupId: "acct_1-0", messageId: stored!.messageId })]);
    const [delivered] = journal.records("event.delivered");
    expect(delivered).toMatchObject({ attempts: 2, messageId: stored!.messageId });
    expect(delivered!.possibleDuplicate).toBeUndefined();
    expect(keysOf(await r.drain(url))).toEqual(["acct_1-0"]);
  });

  it("dropResponse on FIFO with the retry past the 5-minute window: SQS stores it again and the journal flags it", async () => {
    const r = await rig({ retry: { baseMs: 1_000, capMs: 60_000 } });
    const url = await r.queue("orders.fifo");
    await r.destination("orders", url);
    // The answer is lost once; then SQS throttles every retry for five minutes.
    await r.putFaults([
      { on: "SendMessageBatch", dropResponse: true, times: 1 },
      { on: "SendMessageBatch", error: "Throttling", during: { from: 0, to: "5m" } },
    ]);
    const start = r.clock.now();
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    const [delivered] = journal.records("event.delivered");
    expect(delivered!.t - start).toBeGreaterThanOrEqual(5 * 60_000);
    expect(delivered).toMatchObject({ possibleDuplicate: true });
    expect(journal.records("message.dedupHit")).toEqual([]);
    expect(keysOf(await r.drain(url))).toEqual(["acct_1-0", "acct_1-0"]);
  });

  it("reset before the backend on FIFO: retried, exactly one copy, nothing deduplicated, not flagged", async () => {
    const r = await rig();
    const url = await r.queue("orders.fifo");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", reset: true, times: 1 }]);
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("fault.injected")).toEqual([expect.objectContaining({ effect: "reset" })]);
    expect(journal.records("entry.result").filter((e) => !e.ok).map((e) => e.failure?.kind)).toEqual(["reset"]);
    expect(journal.records("message.enqueued")).toHaveLength(1);
    expect(journal.records("message.dedupHit")).toEqual([]);
    const [delivered] = journal.records("event.delivered");
    expect(delivered).toMatchObject({ attempts: 2 });
    expect(delivered!.possibleDuplicate).toBeUndefined();
    expect(keysOf(await r.drain(url))).toEqual(["acct_1-0"]);
  });

  it("reset before the backend on a standard queue: exactly one copy; the flag still says 'possible', as a client cannot tell the two resets apart", async () => {
    const r = await rig();
    const url = await r.queue("plain");
    await r.destination("orders", url);
    await r.putFaults([{ on: "SendMessageBatch", reset: true, times: 1 }]);
    await r.server.engine.ingest([makeEvent("acct_1", 0)]);
    await r.runToIdle();

    const journal = r.server.journal;
    expect(journal.records("message.enqueued")).toHaveLength(1);
    expect(journal.records("event.delivered")).toEqual([expect.objectContaining({ attempts: 2, possibleDuplicate: true })]);
    expect(keysOf(await r.drain(url))).toEqual(["acct_1-0"]);
  });
});
