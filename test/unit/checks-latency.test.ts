import { describe, expect, it } from "vitest";
import { latency, nearestRank } from "../../src/checks/index.js";
import { createJournal, type JournalEvent, type JournalRecord } from "../../src/journal/index.js";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";

/** A journal whose records carry the virtual times given: `[t, event]` pairs, in order. */
function timed(events: [number, JournalEvent][]): JournalRecord[] {
  let now = 0;
  const journal = createJournal({ now: () => now });
  for (const [t, e] of events) {
    now = t;
    journal.emit(e);
  }
  return journal.records();
}

const accepted = (id: string): JournalEvent => ({ type: "event.accepted", eventId: id, eventType: "order.created", idempotencyKey: `k-${id}`, destinations: ["main"], deliveries: [`d-${id}`] });
const delivered = (id: string): JournalEvent => ({ type: "event.delivered", destination: "main", delivery: `d-${id}`, eventId: id, messageId: `m-${id}`, attempts: 1 });
const consumed = (id: string): JournalEvent => ({ type: "consumer.result", consumer: "w", batchId: "b", messageId: `m-${id}`, outcome: "succeeded" });

/** Ten events accepted at 0 and enqueued after 10, 20, … 100 ms; each consumed 1 s after it was enqueued. */
function tenEvents(): [number, JournalEvent][] {
  const out: [number, JournalEvent][] = [];
  for (let i = 1; i <= 10; i++) out.push([0, accepted(`e${i}`)]);
  for (let i = 1; i <= 10; i++) out.push([i * 10, delivered(`e${i}`)]);
  for (let i = 1; i <= 10; i++) out.push([1_000 + i * 10, consumed(`e${i}`)]);
  return out;
}

// DESIGN "Scenarios and checks" (latency expectations) and "Budgets" (engine p99 from POST /v1/events to
// enqueued). Percentiles are nearest-rank: the value at rank ⌈p/100·N⌉, always a latency some event had.
describe("latency on hand-built journals", () => {
  it("computes nearest-rank percentiles", () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect([50, 95, 99, 100].map((p) => nearestRank(sorted, p))).toEqual([50, 100, 100, 100]);
    expect(nearestRank([7], 50)).toBe(7);
    // 20 samples: p95 is rank 19, not an interpolation between 19 and 20.
    expect(nearestRank(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
  });

  it("passes under its bounds, reports both phases, and takes durations or milliseconds", () => {
    const result = latency(timed(tenEvents()), { enqueue: { p50: 50, p99: "100ms" }, consumed: { p95: "1.1s", max: "2s" } });
    expect(result.ok, result.summary).toBe(true);
    expect(result.actual).toMatchObject({ enqueue: { n: 10, p50: 50, p95: 100, p99: 100, max: 100 }, consumed: { n: 10, p50: 1_050, max: 1_100 }, undelivered: 0, unconsumed: 0 });
    expect(result.expected).toEqual({ enqueue: { p50: 50, p99: 100 }, consumed: { p95: 1_100, max: 2_000 } });
    expect(result.summary).toBe("enqueue p50 50ms p95 100ms p99 100ms max 100ms (n=10); consumed p50 1050ms p95 1100ms p99 1100ms max 1100ms (n=10)");
  });

  it("fails over a bound, naming the slowest events first, with their accepted and delivered records as evidence", () => {
    const records = timed(tenEvents());
    const result = latency(records, { enqueue: { p95: "80ms" } });
    expect(result.ok).toBe(false);
    expect(result.summary).toBe("enqueue p95 100ms > 80ms (n=10); slowest: eventId e10 100ms, e9 90ms");
    const ids = result.evidence.map((r) => `${r.type}:${(r as { eventId?: string }).eventId}`);
    expect(ids).toEqual(["event.accepted:e9", "event.accepted:e10", "event.delivered:e9", "event.delivered:e10"]);
  });

  it("measures consumed from the first successful consumer result, and fails naming the slow consumer", () => {
    // e3's first try failed at 500 ms; it succeeded only at 9 s.
    const events = tenEvents().filter(([, e]) => !(e.type === "consumer.result" && e.messageId === "m-e3"));
    events.push([500, { ...consumed("e3"), outcome: "failed", reason: "error" } as JournalEvent], [9_000, consumed("e3")]);
    const result = latency(timed(events), { consumed: { max: "5s" } });
    expect(result.ok).toBe(false);
    expect(result.summary).toBe("consumed max 9000ms > 5000ms (n=10); slowest: eventId e3 9000ms");
    expect(result.evidence.map((r) => r.type)).toEqual(["event.accepted", "event.delivered", "consumer.result"]);
    expect(result.evidence[2]).toMatchObject({ outcome: "succeeded", t: 9_000 });
  });

  it("leaves undelivered deliveries and replays out of the samples, and fails a bound with nothing to measure", () => {
    const replay: JournalEvent = { type: "dlq.replayed", dlqId: "x", destination: "main", eventId: "e1", delivery: "d-e1r", asNew: false };
    const records = timed([[0, accepted("e1")], [0, accepted("e2")], [10, delivered("e2")], [50_000, replay], [60_000, { ...delivered("e1"), delivery: "d-e1r" } as JournalEvent]]);
    const result = latency(records, { enqueue: { max: 20 } });
    expect(result).toMatchObject({ ok: true, actual: { enqueue: { n: 1, max: 10 }, undelivered: 1 } });
    expect(latency(records, { consumed: { p99: "1s" } })).toMatchObject({ ok: false, summary: "consumed: no samples to measure p99 on (no consumer succeeded on a delivered message)" });
  });
});

// A real engine run on the embedded emulator's manual clock: nothing waits on virtual time (lingerMs 0),
// so every enqueue latency is 0 virtual ms, and a clock jump before the engine sends shows up exactly.
describe("latency over a real engine journal", () => {
  it("reports 0 ms when the engine sent at once, and names the event held back by a clock jump", async () => {
    const rig = await createEngineRig();
    try {
      await rig.engine.ingest([makeEvent("cust-a", 0), makeEvent("cust-b", 1)]);
      await rig.engine.idle();
      const records = rig.target.journal!.records();
      expect(latency(records, { enqueue: { p99: 0 } })).toMatchObject({ ok: true, actual: { enqueue: { n: 2, max: 0 } } });
      // Shift one delivery's record 3 s later, as if SQS had answered late.
      const [first] = records.filter((r) => r.type === "event.delivered");
      const late = records.map((r) => (r === first ? { ...r, t: r.t + 3_000 } : r));
      const result = latency(late, { enqueue: { max: "2s" } });
      expect(result.ok).toBe(false);
      expect(result.summary).toContain(`eventId ${(first as { eventId: string }).eventId} 3000ms`);
    } finally {
      await rig.close();
    }
  });
});
