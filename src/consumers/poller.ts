import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Clock, TimerHandle } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { errorText, evaluateBatchResponse, type FailedItem } from "./batch-response.js";
import { createIdempotencyLedger, type IdempotencyLedger } from "./idempotency.js";
import { manyListenerAbort } from "./event-source.js";
import { compilePollerOptions, type PollerOptions } from "./poller-options.js";
import { messageContent } from "./journal-content.js";
import { toLambdaRecord } from "./record.js";
import type { ConsumerHandler, LambdaSqsRecord } from "./types.js";

export type { HeartbeatOptions, PollerOptions } from "./poller-options.js";
export { PollerOptionsError } from "./poller-options.js";

export interface Poller {
  /** Ends the receive loops (aborting their long polls) and resolves once in-flight handlers are done. */
  stop(): Promise<void>;
}

/** Pause after a failed or empty short-poll ReceiveMessage, on the run's clock, so a queue is not hammered. */
const RECEIVE_RETRY_MS = 1_000;

/** One received message on its way through a loop. */
interface Held {
  message: Message;
  record: LambdaSqsRecord;
  /** Clock time at which the message becomes visible again unless extended or deleted. */
  visibleAt: number;
  heartbeat?: TimerHandle;
}

/**
 * A plain SQS worker, as one runs on ECS or EC2: `concurrency` loops, each a ReceiveMessage long poll,
 * then the handler once per message (`{Records: [record]}`, in receive order), then one
 * DeleteMessageBatch for the messages that succeeded (SQS Developer Guide, "Amazon SQS short and long
 * polling", "Amazon SQS visibility timeout"). A failed message is not touched: it comes back when its
 * visibility timeout ends, and SQS moves it to the dead-letter queue after maxReceiveCount. With a
 * heartbeat, ChangeMessageVisibility keeps a message invisible while it waits or its handler runs. On a
 * FIFO queue a failure stops its group for the rest of the batch (later messages are not handled and
 * return with it), so the group's order holds. Setup (queue attributes, options) fails before any
 * message is received.
 *
 * @example
 * const poller = await startPoller({ name: "worker", client, queueUrl, clock, journal, handler, concurrency: 4 });
 * // …
 * await poller.stop();
 */
export async function startPoller(input: PollerOptions): Promise<Poller> {
  const options = compilePollerOptions(input);
  const { client, queueUrl, clock, journal, name } = options;
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn", "VisibilityTimeout"] }),
  );
  const queueArn = Attributes.QueueArn ?? "";
  const queue = queueArn.split(":")[5] ?? queueUrl.split("/").pop() ?? queueUrl;
  const region = queueArn.split(":")[3] ?? "";
  const visibilitySeconds = options.visibilityTimeout ?? Number(Attributes.VisibilityTimeout ?? 30);
  const ledger: IdempotencyLedger | undefined = options.idempotency === true ? createIdempotencyLedger() : options.idempotency || undefined;

  const abort = manyListenerAbort();
  let stopping = false;
  let batchSeq = 0;

  journal.emit({ type: "consumer.started", consumer: name, kind: "poller", queue });

  async function loop(): Promise<void> {
    while (!stopping) {
      let messages: Message[];
      try {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: options.maxMessages,
            WaitTimeSeconds: options.waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
            ...(options.visibilityTimeout !== undefined ? { VisibilityTimeout: options.visibilityTimeout } : {}),
          }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (err) {
        if (stopping) return;
        journal.emit({ type: "consumer.handlerError", consumer: name, message: `ReceiveMessage failed: ${errorText(err)}` });
        await pause(RECEIVE_RETRY_MS);
        continue;
      }
      if (messages.length === 0) {
        // A short-polling worker (WaitTimeSeconds 0) idles between empty receives instead of spinning.
        if (options.waitTimeSeconds === 0) await pause(RECEIVE_RETRY_MS);
        continue;
      }
      try {
        await handleBatch(messages, clock.now());
      } catch (err) {
        // A bug here must not end the loop silently; the batch's messages come back on their own.
        journal.emit({ type: "consumer.handlerError", consumer: name, message: `poller batch failed: ${errorText(err)}` });
      }
    }
  }

  /** Waits on the clock; stop() cuts it short (a manual clock may never get there). */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopping) return resolve();
      // The listener goes when the timer fires, or every pause would leave one on the shared signal.
      const done = () => {
        timer.cancel();
        abort.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = clock.setTimeout(done, ms);
      abort.signal.addEventListener("abort", done, { once: true });
    });
  }

  async function handleBatch(messages: Message[], receivedAt: number): Promise<void> {
    const batchId = `${name}-${++batchSeq}`;
    const held: Held[] = messages.map((message) => ({
      message,
      record: toLambdaRecord(message, queueArn, region),
      visibleAt: receivedAt + visibilitySeconds * 1_000,
    }));
    journal.emit({
      type: "consumer.batch",
      consumer: name,
      queue,
      batchId,
      messages: held.map(({ record, message }) => ({
        messageId: record.messageId,
        ...(record.attributes.MessageGroupId !== undefined ? { groupId: record.attributes.MessageGroupId } : {}),
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        ...(options.journalContents === true ? { content: messageContent(message) } : {}),
      })),
    });
    for (const h of held) startHeartbeat(h);
    try {
      await settleBatch(batchId, held);
    } finally {
      for (const h of held) stopHeartbeat(h);
    }
  }

  async function settleBatch(batchId: string, held: Held[]): Promise<void> {
    const succeeded: Held[] = [];
    const failed: Held[] = [];
    const unstarted: Held[] = [];
    const expired: Held[] = [];
    const stoppedGroups = new Set<string>();
    for (const h of held) {
      const group = h.record.attributes.MessageGroupId;
      if (stopping) {
        unstarted.push(h);
        continue;
      }
      // Without a heartbeat, a message whose visibility ran out while earlier ones were handled is
      // already visible to other workers: running it now would process it twice. Leave it to them.
      if (!options.heartbeat && clock.now() >= h.visibleAt) {
        expired.push(h);
        if (group !== undefined) stoppedGroups.add(group);
        continue;
      }
      if (group !== undefined && stoppedGroups.has(group)) {
        stopHeartbeat(h);
        result(batchId, h, { messageId: h.record.messageId, reason: "fifoStop" });
        failed.push(h);
        continue;
      }
      const failure = await invoke(batchId, h);
      if (failure) {
        stopHeartbeat(h);
        failed.push(h);
        if (group !== undefined) stoppedGroups.add(group);
      } else {
        succeeded.push(h);
      }
    }
    await deleteSucceeded(batchId, succeeded);
    if (failed.length > 0) {
      const visibleIn = Math.max(0, Math.max(...failed.map((h) => h.visibleAt)) - clock.now());
      journal.emit({ type: "consumer.returned", consumer: name, batchId, messageIds: failed.map((h) => h.record.messageId), visibleInSeconds: Math.ceil(visibleIn / 1_000) });
    }
    if (expired.length > 0) {
      journal.emit({ type: "consumer.returned", consumer: name, batchId, messageIds: expired.map((h) => h.record.messageId), visibleInSeconds: 0 });
    }
    if (unstarted.length > 0) await release(batchId, unstarted);
  }

  /** Runs the handler on one record; returns the failure, or undefined when it succeeded. */
  async function invoke(batchId: string, h: Held): Promise<FailedItem | undefined> {
    const item = { messageId: h.record.messageId, ...(h.record.attributes.MessageGroupId !== undefined ? { groupId: h.record.attributes.MessageGroupId } : {}) };
    let outcome: Parameters<typeof evaluateBatchResponse>[1];
    try {
      outcome = { kind: "returned", value: await callHandler(options.handler, h.record) };
    } catch (error) {
      outcome = { kind: "threw", error };
    }
    // The same rules as a Lambda with ReportBatchItemFailures, so one handler module serves both.
    const verdict = evaluateBatchResponse([item], outcome, { reportBatchItemFailures: true });
    const failure = verdict.failed[0];
    result(batchId, h, failure);
    return failure;
  }

  function callHandler(handler: ConsumerHandler, record: LambdaSqsRecord): unknown {
    return handler({ Records: [record] }, { consumer: "poller", name, now: clock.now() });
  }

  function result(batchId: string, h: Held, failure: FailedItem | undefined): void {
    journal.emit({
      type: "consumer.result",
      consumer: name,
      batchId,
      messageId: h.record.messageId,
      outcome: failure ? "failed" : "succeeded",
      ...(failure ? { reason: failure.reason } : {}),
      ...(failure?.error !== undefined ? { error: failure.error } : {}),
      ...(ledger ? ledger.settle(h.record, !failure) : {}),
    });
  }

  async function deleteSucceeded(batchId: string, done: Held[]): Promise<void> {
    if (done.length === 0) return;
    const deleted: string[] = [];
    try {
      const out = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((h, i) => ({ Id: String(i), ReceiptHandle: h.record.receiptHandle })),
        }),
      );
      for (const ok of out.Successful ?? []) deleted.push(done[Number(ok.Id)]!.record.messageId);
      for (const bad of out.Failed ?? []) {
        journal.emit({ type: "consumer.handlerError", consumer: name, message: `DeleteMessageBatch failed for ${done[Number(bad.Id)]?.record.messageId}: ${bad.Code}: ${bad.Message ?? ""}` });
      }
    } catch (err) {
      journal.emit({ type: "consumer.handlerError", consumer: name, message: `DeleteMessageBatch failed: ${errorText(err)}` });
    } finally {
      // Only now: a succeeded message stays invisible until it is gone, or it could be delivered twice.
      for (const h of done) stopHeartbeat(h);
    }
    if (deleted.length > 0) journal.emit({ type: "consumer.deleted", consumer: name, batchId, messageIds: deleted });
  }

  /** Hands back messages a stopping loop did not start: visible again at once, for another worker. */
  async function release(batchId: string, left: Held[]): Promise<void> {
    for (const h of left) stopHeartbeat(h);
    try {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: left.map((h, i) => ({ Id: String(i), ReceiptHandle: h.record.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
      journal.emit({ type: "consumer.returned", consumer: name, batchId, messageIds: left.map((h) => h.record.messageId), visibleInSeconds: 0 });
    } catch (err) {
      journal.emit({ type: "consumer.handlerError", consumer: name, message: `ChangeMessageVisibilityBatch (release on stop) failed: ${errorText(err)}` });
    }
  }

  function startHeartbeat(h: Held): void {
    const beat = options.heartbeat;
    if (!beat) return;
    // The next beat is armed before this one's request goes out, so a slow request cannot skip one.
    const tick = () => {
      h.heartbeat = clock.setTimeout(() => {
        tick();
        void extend(h, beat.extendBy);
      }, beat.everySeconds * 1_000);
    };
    tick();
  }

  function stopHeartbeat(h: Held): void {
    h.heartbeat?.cancel();
    h.heartbeat = undefined;
  }

  async function extend(h: Held, seconds: number): Promise<void> {
    const at = clock.now();
    try {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: h.record.receiptHandle, VisibilityTimeout: seconds }));
      h.visibleAt = at + seconds * 1_000;
      journal.emit({ type: "consumer.visibilityExtended", consumer: name, messageId: h.record.messageId, visibilityTimeout: seconds });
    } catch (err) {
      // A beat that raced the message's deletion is not a problem worth reporting.
      if (!h.heartbeat) return;
      journal.emit({ type: "consumer.handlerError", consumer: name, message: `ChangeMessageVisibility (heartbeat) failed for ${h.record.messageId}: ${errorText(err)}` });
    }
  }

  const loops = Array.from({ length: options.concurrency }, () => loop());
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        abort.abort();
        await Promise.all(loops);
        journal.emit({ type: "consumer.stopped", consumer: name });
      })();
      return stopped;
    },
  };
}
