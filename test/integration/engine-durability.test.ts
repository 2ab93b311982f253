import { CreateQueueCommand, DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";
import { waitSettled } from "../support/engine-steps.js";
import { sqsErrorReply, type ProxyReply } from "../support/sqs-proxy.js";
import { useTempDirs } from "../support/temp-dirs.js";

const makeDir = useTempDirs("engine");
const dataDir = async (): Promise<string> => makeDir();

// DESIGN "Engine", Outbox: "an accepted event is on disk before 202 … and is delivered after a crash and
// restart. Journal marks duplicates a crash could cause on standard queues." Seed 000: at-least-once
// delivery; FIFO per-group order (SQS Developer Guide, "Amazon SQS FIFO queues"), dedup within 5 minutes.
describe("engine durability across a restart on the same dataDir", () => {
  it("delivers every accepted event after a restart, FIFO in per-customer order, each delivery once", async () => {
    const dir = await dataDir();
    // The first engine gets 5 requests through, then only 503s: a destination that went down mid-run.
    const rig = await createEngineRig({
      fifo: true,
      engine: { dataDir: dir, retry: { baseMs: 60_000, capMs: 60_000 } },
      proxy: (request, forward) => (request.action === "SendMessageBatch" && request.n > 5 ? sqsErrorReply("ServiceUnavailable") : forward()),
    });
    const journal = rig.target.journal!;
    try {
      const events = [];
      for (let n = 0; n < 30; n++) for (let c = 0; c < 10; c++) events.push(makeEvent(`cust-${c}`, n));
      expect((await rig.engine.ingest(events)).accepted).toBe(300);
      await journal.waitFor("retry.scheduled");
      await waitSettled(journal);
      const deliveredBefore = journal.records("event.delivered").length;
      expect(deliveredBefore).toBeGreaterThan(0);
      expect(deliveredBefore).toBeLessThanOrEqual(50);
      await rig.engine.close();
      const closedAt = journal.lastSeq;

      const restarted = await rig.openEngine({ endpoint: rig.target.endpoint });
      const recovered = journal.records("event.recovered").filter((r) => r.seq > closedAt);
      expect(recovered).toHaveLength(300 - deliveredBefore);
      // The 503'd deliveries had been sent (they may have been stored); the rest never left.
      expect(recovered.some((r) => r.possibleDuplicate)).toBe(true);
      expect(recovered.some((r) => !r.possibleDuplicate)).toBe(true);
      await restarted.idle();
      expect(restarted.pending()).toBe(0);

      const delivered = journal.records("event.delivered");
      expect(delivered).toHaveLength(300);
      expect(new Set(delivered.map((d) => d.delivery)).size).toBe(300);
      // Each delivery is sent successfully by exactly one request after the restart.
      const resent = journal.records("batch.formed").filter((b) => b.seq > closedAt).flatMap((b) => b.entries.map((e) => e.delivery));
      expect(resent).toHaveLength(300 - deliveredBefore);
      expect(new Set(resent).size).toBe(resent.length);

      const perCustomer = new Map<string, number[]>();
      for (const m of await rig.drain()) {
        const body = JSON.parse(m.Body!) as { customerExternalId: string; payload: { n: number } };
        perCustomer.set(body.customerExternalId, [...(perCustomer.get(body.customerExternalId) ?? []), body.payload.n]);
      }
      expect(perCustomer.size).toBe(10);
      for (const [customer, list] of perCustomer) expect(list, customer).toEqual([...Array(30).keys()]);
    } finally {
      await rig.close();
    }
  });

  // Standard queues keep every copy; FIFO drops a re-send with the same MessageDeduplicationId within 5
  // minutes of the first (SQS Developer Guide, "Exactly-once processing"), so only past that is a copy possible.
  it.each([
    { fifo: false, restartAfterMs: 0, duplicate: true },
    { fifo: true, restartAfterMs: 0, duplicate: false },
    { fifo: true, restartAfterMs: 5 * 60_000, duplicate: true },
  ])("flags possibleDuplicate for deliveries sent before the restart without a recorded answer: %o", async ({ fifo, restartAfterMs, duplicate }) => {
    const dir = await dataDir();
    // SQS stores the first batch but its answer never arrives (the connection resets, as in a crash
    // mid-request); until the engine is closed — as if killed then — every later send resets unsent.
    let down = true;
    const rig = await createEngineRig({
      fifo,
      engine: { dataDir: dir },
      proxy: async (request, forward): Promise<ProxyReply | "reset"> => {
        if (request.action !== "SendMessageBatch" || !down) return forward();
        if (request.n === 1) await forward();
        return "reset";
      },
    });
    const journal = rig.target.journal!;
    try {
      // Five customers, so a FIFO queue also gets all five in the first request (one entry per group).
      const events = [1, 2, 3, 4, 5].map((n) => makeEvent(`c${n}`, n));
      await rig.engine.ingest(events);
      await journal.waitFor("retry.scheduled", () => journal.records("retry.scheduled").length === 5);
      await rig.engine.close();
      down = false;
      expect(journal.records("event.delivered")).toHaveLength(0);
      const closedAt = journal.lastSeq;
      await rig.target.advance(restartAfterMs);

      const restarted = await rig.openEngine({ endpoint: rig.target.endpoint });
      const recovered = journal.records("event.recovered").filter((r) => r.seq > closedAt);
      // Recovery says what it knows: each had been sent without a recorded answer.
      expect(recovered.map((r) => r.possibleDuplicate)).toEqual([true, true, true, true, true]);
      await restarted.idle();
      const delivered = journal.records("event.delivered");
      expect(delivered).toHaveLength(5);
      expect(delivered.map((d) => d.possibleDuplicate === true)).toEqual(Array(5).fill(duplicate));
      // What the flag warns of: the queue now holds each event twice exactly when it is set.
      const keys = (await rig.drain()).map((m) => m.MessageAttributes?.idempotencyKey?.StringValue).sort();
      expect(keys).toEqual(events.flatMap((e) => (duplicate ? [e.idempotencyKey, e.idempotencyKey] : [e.idempotencyKey])).sort());
    } finally {
      await rig.close();
    }
  });

  it("keeps the DLQ across a restart, replays from it afterwards and never reuses its ids", async () => {
    const dir = await dataDir();
    const rig = await createEngineRig({ fifo: false, engine: { dataDir: dir } });
    try {
      await rig.target.client.send(new DeleteQueueCommand({ QueueUrl: rig.queueUrl }));
      const lost = makeEvent("c", 1);
      await rig.engine.ingest([lost]);
      await rig.engine.idle();
      const before = rig.engine.dlq.list();
      expect(before).toHaveLength(1);
      await rig.engine.close();

      await rig.target.advance(60_000);
      await rig.target.client.send(new CreateQueueCommand({ QueueName: rig.queueUrl.split("/").pop()! }));
      const restarted = await rig.openEngine();
      expect(restarted.dlq.list()).toEqual(before);
      expect(await restarted.dlq.replay({ all: true })).toMatchObject({ replayed: 1, results: [{ dlqId: before[0]!.id, status: "replayed" }] });
      await restarted.idle();
      const messages = await rig.drain();
      expect(messages.map((m) => JSON.parse(m.Body!))).toEqual([lost]);

      // A new dead letter after the restart gets a fresh id; the replay is remembered on the old one.
      await rig.target.client.send(new DeleteQueueCommand({ QueueUrl: rig.queueUrl }));
      await restarted.ingest([makeEvent("c", 2)]);
      await restarted.idle();
      const after = restarted.dlq.list();
      expect(after).toHaveLength(2);
      expect(new Set(after.map((e) => e.id)).size).toBe(2);
      expect(after[0]!.replays).toHaveLength(1);
      await restarted.close();
      // Restarted from the saved destination alone (the queue is still gone, so re-saving it would fail preflight).
      const third = await rig.openEngine({ destinations: [] });
      expect(third.dlq.list()).toEqual(after);
    } finally {
      await rig.close();
    }
  });
});
