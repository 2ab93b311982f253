import { DeleteMessageCommand, StartMessageMoveTaskCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createTarget, type SqsTarget } from "../support/target.js";
import { countsOf, createQueue, itVirtual, receive, send } from "./lifecycle-helpers.js";

// DeleteMessage API reference: "you must provide the most recently received receipt handle for the
// message (otherwise, the request succeeds, but the message will not be deleted)"; on a FIFO queue a
// handle that is no longer current has expired (recorded `test_fifo_delete_after_visibility_timeout`).
// A message that went to its DLQ and came back with a move task (StartMessageMoveTask API reference)
// has been received again since, so the handle of its first life is not the latest. Redriven messages
// are new messages with a new MessageId (SQS Developer Guide, "Configuring a dead-letter queue redrive").
describe("receipt handles across a dead-letter round trip", () => {
  let target: SqsTarget;
  beforeAll(async () => {
    target = await createTarget();
  });
  afterAll(() => target.close());

  for (const fifo of [false, true]) {
    itVirtual(`a handle from before the round trip does not delete the message (${fifo ? "FIFO" : "standard"})`, async () => {
      const fifoAttrs: Record<string, string> = fifo ? { ContentBasedDeduplication: "true" } : {};
      const dlq = await createQueue(target, { fifo, prefix: "dlq", attributes: fifoAttrs });
      const src = await createQueue(target, {
        fifo,
        attributes: { ...fifoAttrs, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) },
      });
      const group = fifo ? { MessageGroupId: "g" } : {};
      const sent = await send(target, src.url, "round trip", group);
      const [first] = await receive(target, src.url, { VisibilityTimeout: 0 });
      expect(first?.MessageId).toBe(sent.MessageId);
      expect(await receive(target, src.url)).toEqual([]); // the lazy move into the DLQ
      await target.client.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
      await target.advance(1_000);
      expect((await countsOf(target, dlq.url)).visible).toBe(0);

      const [again] = await receive(target, src.url, { VisibilityTimeout: 300 });
      expect(again?.Body).toBe("round trip");
      expect(again?.MessageId).not.toBe(sent.MessageId);
      // The first life's message left the queue (it came back as a new message), so its handle names a
      // message that is gone: like a deleted message's handle, the call succeeds and deletes nothing.
      // (AWS's answer here is not recorded for FIFO; what matters is that the new message stays.)
      await target.client.send(new DeleteMessageCommand({ QueueUrl: src.url, ReceiptHandle: first!.ReceiptHandle }));
      expect(await countsOf(target, src.url)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
      await target.client.send(new DeleteMessageCommand({ QueueUrl: src.url, ReceiptHandle: again!.ReceiptHandle }));
      expect(await countsOf(target, src.url)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    });
  }
});
