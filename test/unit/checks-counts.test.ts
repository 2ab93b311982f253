import { describe, expect, it } from "vitest";
import { attempts, dedupHits, delivered, dlq, fifoOrder, noDuplicates, noLoss, EVIDENCE_CAP } from "../../src/checks/index.js";
import { VirtualClock } from "../../src/clock/index.js";
import { createJournal, type JournalEvent, type JournalRecord } from "../../src/journal/index.js";

/** A journal on a virtual clock holding exactly `events`: the checks see what the bus would stamp. */
function journalOf(events: JournalEvent[]): JournalRecord[] {
  const journal = createJournal(new VirtualClock());
  for (const e of events) journal.emit(e);
  return journal.records();
}

const accepted = (id: string, key = `key-${id}`): JournalEvent => ({ type: "event.accepted", eventId: id, eventType: "order.created", idempotencyKey: key, destinations: ["main"], deliveries: [`d-${id}`] });
const deliveredOf = (id: string, attempts = 1, extra: Record<string, unknown> = {}): JournalEvent => ({ type: "event.delivered", destination: "main", delivery: `d-${id}`, eventId: id, messageId: `m-${id}`, attempts, ...extra });
const deadOf = (id: string, reason: string, attempts = 1): JournalEvent => ({ type: "event.deadLettered", destination: "main", delivery: `d-${id}`, eventId: id, dlqId: `dlq-${id}`, reason, attempts });
const hit = (n: number): JournalEvent => ({ type: "message.dedupHit", queue: "orders.fifo", messageId: `m-${n}`, dedupId: `k-${n}` });
const succeeded = (messageId: string, extra: Record<string, unknown> = {}): JournalEvent => ({ type: "consumer.result", consumer: "w", batchId: "b", messageId, outcome: "succeeded", ...extra });

// DESIGN "Scenarios and checks": each check passes on a journal that keeps its guarantee and fails, with
// expected vs actual and the records behind it, on one that breaks it.
describe("noLoss on hand-built journals", () => {
  it("accepts a dead-lettered delivery with a reason and a replayed one that was delivered; rejects an empty reason", () => {
    // DESIGN "Engine" DLQ: each entry keeps the final reason; a replay is a new delivery that must settle too.
    const replay: JournalEvent = { type: "dlq.replayed", dlqId: "dlq-2", destination: "main", eventId: "2", delivery: "d-2r", asNew: false };
    const ok = journalOf([accepted("1"), accepted("2"), deliveredOf("1"), deadOf("2", "AccessDenied"), replay, deliveredOf("2", 1, { delivery: "d-2r" })]);
    expect(noLoss(ok)).toMatchObject({ ok: true, actual: { deliveries: 3, delivered: 2, deadLettered: 1 } });
    const replayLost = journalOf([accepted("2"), deadOf("2", "AccessDenied"), replay]);
    expect(noLoss(replayLost)).toMatchObject({ ok: false, actual: { unsettled: [{ delivery: "d-2r", eventId: "2" }] } });
    const noReason = noLoss(journalOf([accepted("3"), deadOf("3", "")]));
    expect(noReason.ok).toBe(false);
    expect(noReason.summary).toBe("1 dead-lettered without a reason (eventId 3)");
  });
});

describe("noDuplicates at the consumer", () => {
  it("counts successes per idempotencyKey, joins keys through event.delivered, and lets flagged duplicates through", () => {
    const base = [accepted("1", "k-1"), deliveredOf("1")];
    // Developer Guide "Amazon SQS at-least-once delivery": standard queues may deliver twice; an idempotent consumer catches it.
    expect(noDuplicates(journalOf([...base, succeeded("m-1"), succeeded("m-1", { idempotencyKey: "k-1", duplicate: true })]), { at: "consumer" })).toMatchObject({ ok: true, actual: { keys: 1, caught: 1 } });
    const twice = noDuplicates(journalOf([...base, succeeded("m-1"), succeeded("m-1")]), { at: "consumer" });
    expect(twice.ok).toBe(false);
    expect(twice.summary).toContain("k-1 ×2 at w (messageId m-1, m-1)");
    expect(twice.evidence.map((r) => r.type)).toEqual(["consumer.result", "consumer.result"]);
  });
});

describe("fifoOrder ignores replays and events without a group", () => {
  it("passes when a replayed delivery arrives last, fails when an original one overtakes", () => {
    const g = { groupId: "g" };
    const ok = journalOf([accepted("1"), accepted("2"), deliveredOf("2", 1, { ...g, sequenceNumber: "10" }), deliveredOf("1", 1, { ...g, sequenceNumber: "9" }), deliveredOf("1", 1, { ...g, sequenceNumber: "11", delivery: "d-1r" })]);
    expect(fifoOrder(ok).ok).toBe(true);
    // SequenceNumbers compare as numbers, not strings: "9" < "10".
    const bad = fifoOrder(journalOf([accepted("1"), accepted("2"), deliveredOf("1", 1, { ...g, sequenceNumber: "10" }), deliveredOf("2", 1, { ...g, sequenceNumber: "9" })]));
    expect(bad).toMatchObject({ ok: false, actual: [{ view: "queue", group: "main/g", first: "2", then: "1" }] });
  });
});

describe("dedupHits", () => {
  it("compares count and atLeast, and names the dedup ids when off", () => {
    // SQS Developer Guide "Exactly-once processing": a duplicate MessageDeduplicationId within 5 minutes is not delivered.
    const records = journalOf([hit(1), hit(2)]);
    expect(dedupHits(records, { count: 2 })).toMatchObject({ ok: true, actual: 2 });
    expect(dedupHits(records, { atLeast: 1 }).ok).toBe(true);
    expect(dedupHits(records, { count: 2, queue: "other" })).toMatchObject({ ok: false, actual: 0 });
    const three = dedupHits(records, { atLeast: 3 });
    expect(three).toMatchObject({ ok: false, expected: "at least 3", actual: 2 });
    expect(three.summary).toBe("expected at least 3 dedup hits, got 2: k-1 [messageId m-1], k-2 [messageId m-2]");
    expect(three.evidence).toHaveLength(2);
  });
});

describe("dlq", () => {
  const records = journalOf([accepted("1"), accepted("2"), accepted("3"), deadOf("1", "oversize"), deadOf("2", "AccessDenied"), deadOf("3", "AccessDenied"), deliveredOf("1")]);
  it("passes on the right count and reasons, as a list or as counts", () => {
    expect(dlq(records, { count: 3, reasons: ["AccessDenied", "oversize"] }).ok).toBe(true);
    expect(dlq(records, { reasons: { AccessDenied: 2, oversize: 1 } })).toMatchObject({ ok: true, actual: { count: 3, reasons: { AccessDenied: 2, oversize: 1 } } });
  });
  it("fails on a wrong count, a missing reason, or an unexpected one, naming the events", () => {
    expect(dlq(records, { count: 2 })).toMatchObject({ ok: false, expected: { count: 2 }, actual: { count: 3 } });
    expect(dlq(records, { reasons: ["AccessDenied", "maxAttempts", "oversize"] }).ok).toBe(false);
    const unexpected = dlq(records, { reasons: ["AccessDenied"] });
    expect(unexpected.ok).toBe(false);
    expect(unexpected.summary).toContain("eventId 1 (oversize)");
    expect(unexpected.evidence.map((r) => (r as { eventId: string }).eventId)).toEqual(["1"]);
    expect(dlq(records, { reasons: { AccessDenied: 1, oversize: 1 } }).ok).toBe(false);
  });
});

describe("delivered", () => {
  it("counts distinct deliveries and names the undelivered or extra events", () => {
    const records = journalOf([accepted("1"), accepted("2"), accepted("3"), deliveredOf("1"), deliveredOf("2")]);
    expect(delivered(records, { count: 2 }).ok).toBe(true);
    const few = delivered(records, { count: 3 });
    expect(few).toMatchObject({ ok: false, expected: 3, actual: 2 });
    expect(few.summary).toBe("expected 3 delivered, got 2 — not delivered: eventId 3");
    const many = delivered(records, { count: 1 });
    expect(many.summary).toBe("expected 1 delivered, got 2 — past the expected count: eventId 2");
  });
});

describe("attempts", () => {
  it("passes under the max, fails naming the deliveries over it, evidence capped", () => {
    // DESIGN "Engine" Retries: optional max attempts.
    const events: JournalEvent[] = [deliveredOf("a", 2), deadOf("b", "maxAttempts", 5)];
    for (let i = 0; i < 30; i++) events.push(deliveredOf(`x${i}`, 4));
    const records = journalOf(events);
    expect(attempts(records, { max: 5 })).toMatchObject({ ok: true, actual: { max: 5 } });
    const over = attempts(records, { max: 3 });
    expect(over.ok).toBe(false);
    expect(over.summary).toMatch(/^31 deliveries took more than 3 attempts \(max 5\): eventId b ×5, x0 ×4, x1 ×4, x2 ×4, x3 ×4 and 26 more$/);
    expect(over.evidence).toHaveLength(EVIDENCE_CAP);
  });
});

describe("checks across a DLQ redrive", () => {
  // SQS Developer Guide, "Configuring a dead-letter queue redrive": redriven messages are new messages
  // with a new MessageId. The checks follow message.moved back to the delivery, so a key processed both
  // before and after a redrive is a duplicate, and one processed only after it is not.
  const moved: JournalEvent = { type: "message.moved", source: "orders-dlq", destination: "orders", messageId: "m-1", newMessageId: "m-1b", taskHandle: "t" };
  it("joins the redriven message's new MessageId to the event's idempotencyKey", () => {
    const once = noDuplicates(journalOf([accepted("1", "k-1"), deliveredOf("1"), moved, succeeded("m-1b")]), { at: "consumer" });
    expect(once).toMatchObject({ ok: true, actual: { keys: 1 } });
    const twice = noDuplicates(journalOf([accepted("1", "k-1"), deliveredOf("1"), succeeded("m-1"), moved, succeeded("m-1b")]), { at: "consumer" });
    expect(twice.ok).toBe(false);
    expect(twice.summary).toContain("k-1 ×2");
  });
});
