import { CreateQueueCommand, DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createEngineRig, makeEvent } from "../support/engine-rig.js";
import { sqsErrorReply } from "../support/sqs-proxy.js";

const FIVE_MINUTES = 5 * 60_000;

// SQS Developer Guide, "Exactly-once processing in Amazon SQS" (FIFO): a message sent with a
// MessageDeduplicationId already sent within the 5-minute deduplication interval "is accepted
// successfully but isn't delivered"; SendMessage API reference, MessageDeduplicationId (the duplicate
// gets the original's MessageId). Seed 000: MessageDeduplicationId = idempotencyKey.
describe("engine: FIFO deduplication on idempotencyKey", () => {
  it("delivers the same idempotencyKey once within 5 minutes of virtual time, and again after the window", async () => {
    const rig = await createEngineRig({ fifo: true });
    const journal = rig.target.journal!;
    try {
      const event = makeEvent("cust-1", 1);
      expect((await rig.engine.ingest([event])).accepted).toBe(1);
      await rig.engine.idle();
      await rig.target.advance(FIVE_MINUTES - 1_000);
      // Same key, later payload: SQS decides on the id alone, so this is dropped too.
      expect((await rig.engine.ingest([{ ...event, payload: { changed: true } }])).accepted).toBe(1);
      await rig.engine.idle();

      const delivered = journal.records("event.delivered").filter((d) => d.dedupId === event.idempotencyKey);
      expect(delivered).toHaveLength(2);
      expect(delivered[0]!.delivery).not.toBe(delivered[1]!.delivery);
      expect(delivered[1]!.messageId).toBe(delivered[0]!.messageId);
      const hits = journal.records("message.dedupHit").filter((h) => h.dedupId === event.idempotencyKey);
      expect(hits).toHaveLength(1);
      expect(hits[0]!.messageId).toBe(delivered[0]!.messageId);
      const first = await rig.drain();
      expect(first).toHaveLength(1);
      expect(JSON.parse(first[0]!.Body!)).toMatchObject({ payload: event.payload });

      // Past the window (counted from the first send), the same key is a new message.
      await rig.target.advance(1_001);
      expect((await rig.engine.ingest([event])).accepted).toBe(1);
      await rig.engine.idle();
      const second = await rig.drain();
      expect(second).toHaveLength(1);
      expect(second[0]!.MessageId).not.toBe(first[0]!.MessageId);
      expect(second[0]!.Attributes?.MessageDeduplicationId).toBe(event.idempotencyKey);
      expect(journal.records("message.dedupHit").filter((h) => h.dedupId === event.idempotencyKey)).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });
});

// Seed 000, "Batching, retries, and replay": permanent errors go straight to the DLQ with every attempt;
// "Replay re-sends with the same MessageDeduplicationId on FIFO queues so SQS-side dedup applies".
// DESIGN "Engine": QueueDoesNotExist is permanent and its message must say "or you lack access".
// SQS API reference, DeleteQueue/CreateQueue (QueueDeletedRecently: wait 60 seconds to reuse a name).
describe("engine: DLQ and replay", () => {
  it("dead-letters when the queue is deleted mid-run (QueueDoesNotExist, every attempt recorded) and replays once it is back", async () => {
    const rig = await createEngineRig({ fifo: true });
    const journal = rig.target.journal!;
    try {
      await rig.engine.ingest([makeEvent("cust-1", 1)]);
      await rig.engine.idle();
      expect(await rig.drain()).toHaveLength(1);

      await rig.target.client.send(new DeleteQueueCommand({ QueueUrl: rig.queueUrl }));
      const lost = makeEvent("cust-1", 2);
      await rig.engine.ingest([lost]);
      await rig.engine.idle();
      expect(journal.records("retry.scheduled")).toHaveLength(0);
      const [entry] = rig.engine.dlq.list();
      expect(entry).toMatchObject({
        destination: "main",
        reason: "AWS.SimpleQueueService.NonExistentQueue",
        event: lost,
        entry: { MessageGroupId: "cust-1", MessageDeduplicationId: lost.idempotencyKey },
      });
      expect(entry!.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          kind: "error",
          httpStatus: 400,
          code: "AWS.SimpleQueueService.NonExistentQueue",
          senderFault: true,
          sdkWouldRetry: false,
          decision: "deadLetter",
          message: expect.stringMatching(/does not exist.*lack access/),
        }),
      ]);
      expect(journal.records("event.deadLettered").at(-1)).toMatchObject({ dlqId: entry!.id, reason: entry!.reason, attempts: 1 });

      // A 400 stored nothing, so replay inside the dedup window is safe and goes ahead at once.
      await rig.target.advance(60_000);
      await rig.target.client.send(new CreateQueueCommand({ QueueName: rig.queueUrl.split("/").pop()!, Attributes: { FifoQueue: "true" } }));
      const report = await rig.engine.dlq.replay({ ids: [entry!.id] });
      expect(report).toMatchObject({ replayed: 1, skipped: 0, results: [{ dlqId: entry!.id, status: "replayed", asNew: false }] });
      await rig.engine.idle();
      const messages = await rig.drain();
      expect(messages).toHaveLength(1);
      expect(messages[0]!.Attributes?.MessageDeduplicationId).toBe(lost.idempotencyKey);
      expect(JSON.parse(messages[0]!.Body!)).toEqual(lost);
      expect(rig.engine.dlq.list()[0]!.replays).toEqual([expect.objectContaining({ asNew: false })]);
      expect(journal.records("dlq.replayed")).toEqual([expect.objectContaining({ dlqId: entry!.id, asNew: false })]);
    } finally {
      await rig.close();
    }
  });

  it("on FIFO skips a replay inside the window of a send that may have been stored, sends asNew with a fresh id, and replays plainly after 5 minutes", async () => {
    // The first SendMessageBatch reaches SQS and is stored, but the engine sees a 503: exactly the
    // case where a same-id replay within 5 minutes would be accepted and silently dropped.
    const rig = await createEngineRig({
      fifo: true,
      engine: { retry: { baseMs: 100, capMs: 1_000, maxAttempts: 1 } },
      proxy: async (request, forward) => {
        if (request.action === "SendMessageBatch" && request.n === 1) {
          await forward();
          return sqsErrorReply("ServiceUnavailable");
        }
        return forward();
      },
    });
    const journal = rig.target.journal!;
    try {
      const event = makeEvent("cust-7", 1);
      await rig.engine.ingest([event]);
      await rig.engine.idle();
      const [entry] = rig.engine.dlq.list();
      expect(entry).toMatchObject({ reason: "maxAttempts" });
      expect(entry!.attempts).toEqual([
        expect.objectContaining({ kind: "error", httpStatus: 503, senderFault: false, sdkWouldRetry: true, decision: "deadLetter" }),
      ]);

      const skipped = await rig.engine.dlq.replay({ ids: [entry!.id] });
      expect(skipped).toMatchObject({ replayed: 0, skipped: 1 });
      const outcome = skipped.results[0]!;
      expect(outcome.status).toBe("skipped");
      expect(outcome.status === "skipped" && outcome.warning).toMatch(/silently drop.*cust-7-1.*asNew: true/);

      // force: true shows why: SQS accepts it and returns the stored message's id, enqueuing nothing.
      const stored = journal.records("message.enqueued").filter((m) => m.dedupId === event.idempotencyKey);
      expect(stored).toHaveLength(1);
      const forced = await rig.engine.dlq.replay({ ids: [entry!.id], force: true });
      expect(forced.replayed).toBe(1);
      await rig.engine.idle();
      expect(journal.records("event.delivered").at(-1)).toMatchObject({ messageId: stored[0]!.messageId, dedupId: event.idempotencyKey });
      expect(journal.records("message.dedupHit").filter((h) => h.dedupId === event.idempotencyKey)).toHaveLength(1);

      const asNew = await rig.engine.dlq.replay({ ids: [entry!.id], asNew: true });
      expect(asNew.results[0]).toMatchObject({ status: "replayed", asNew: true, dedupId: expect.stringMatching(/^cust-7-1#replay-d\d+$/) });
      await rig.engine.idle();

      // The forced replay restarted the window; past it the plain replay is sent as it is.
      await rig.target.advance(FIVE_MINUTES);
      const plain = await rig.engine.dlq.replay({ ids: [entry!.id] });
      expect(plain).toMatchObject({ replayed: 1, skipped: 0 });
      await rig.engine.idle();

      const messages = await rig.drain();
      const dedupIds = messages.map((m) => m.Attributes?.MessageDeduplicationId);
      // The stored original, the asNew copy, and the replay after the window: the consumer dedups on idempotencyKey.
      expect(dedupIds).toEqual([event.idempotencyKey, (asNew.results[0] as { dedupId: string }).dedupId, event.idempotencyKey]);
      expect(messages.every((m) => m.MessageAttributes?.idempotencyKey?.StringValue === event.idempotencyKey)).toBe(true);
      expect(rig.engine.dlq.list()[0]!.replays.map((r) => r.asNew)).toEqual([false, true, false]);
    } finally {
      await rig.close();
    }
  });
});
