import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { setMaxListeners } from "node:events";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { errorText, evaluateBatchResponse, type InvocationOutcome } from "./batch-response.js";
import { recordMatchesAny, type CompiledPattern } from "./filter-pattern.js";
import type { IdempotencyLedger } from "./idempotency.js";
import { invokeWithTimeout } from "./invoke.js";
import { recordContent } from "./journal-content.js";
import { toLambdaRecord } from "./record.js";
import { deleteMessages, type SourceQueue } from "./source-queue.js";
import type { HandlerContext, LambdaSqsRecord } from "./types.js";

/** What a Lambda or Pipes SQS source is, once its options are checked (see `lambda.ts`, `pipe.ts`). */
export interface EventSourceSettings {
  kind: "lambda" | "pipe";
  name: string;
  client: SQSClient;
  queueUrl: string;
  clock: Clock;
  journal: Journal;
  batchSize: number;
  windowSeconds: number;
  /** Batches processed at once: one poller each, so never more invocations than this. */
  concurrency: number;
  reportBatchItemFailures: boolean;
  fifoStopOnFailure: boolean;
  /** Invocations still running after this long count as failed (Lambda's function timeout). */
  timeoutSeconds: number | undefined;
  filters: readonly CompiledPattern[];
  /** Records each processed message's idempotency key in its `consumer.result`. */
  idempotency: IdempotencyLedger | undefined;
  /** Journal each record (minus its receipt handle) in `consumer.batch` (`content`). */
  journalContents: boolean;
  /** Largest invocation payload: 6 MB (6,291,456 bytes), Lambda's synchronous invocation quota. */
  maxPayloadBytes: number;
  /** JSON bytes the invocation adds around the records (`{"Records":[]}` or `[]`). */
  envelopeBytes: number;
  /** Calls the handler with the records in its shape. */
  invoke(records: LambdaSqsRecord[], context: HandlerContext): unknown;
}

/** A started consumer. */
export interface RunningConsumer {
  readonly name: string;
  readonly queue: SourceQueue;
  /** Handler invocations running now. */
  readonly invocationsInFlight: number;
  /** Stops polling, lets running invocations finish and settle, then records `consumer.stopped`. */
  stop(): Promise<void>;
}

/** 6 MB (6,291,456 bytes), the synchronous invocation payload quota (Lambda Developer Guide, "Lambda quotas"). */
export const INVOCATION_PAYLOAD_MAX_BYTES = 6 * 1024 * 1024;
const RECEIVE_WAIT_SECONDS = 20;
/** Pause after a failed SQS call before the poller tries again. */
const RETRY_PAUSE_MS = 1_000;

interface Received {
  record: LambdaSqsRecord;
  groupId?: string;
  receiveCount: number;
  receivedAt: number;
  bytes: number;
}

/**
 * The poll → batch → invoke → settle loop shared by the Lambda event source mapping and the Pipes SQS
 * source. Each of `concurrency` pollers long-polls ReceiveMessage (≤ 10 a call), gathers up to
 * `batchSize` records until the batching window (started by the batch's first message) ends or the
 * payload would pass 6 MB, invokes, then deletes what succeeded and leaves the rest in flight, so they
 * come back after the visibility timeout and a RedrivePolicy moves them to the DLQ in the end.
 */
export class EventSource implements RunningConsumer {
  private running = true;
  private readonly abort = manyListenerAbort();
  private readonly loops: Promise<void>[] = [];
  private batchSeq = 0;
  private inFlight = 0;
  private stopping: Promise<void> | undefined;
  /** Receives ask for this visibility timeout; undefined keeps the queue's. */
  private readonly receiveVisibility: number | undefined;

  constructor(
    private readonly s: EventSourceSettings,
    readonly queue: SourceQueue,
  ) {
    // "If your batch window is greater than 0, and (batch window) + (function timeout) > (queue
    // visibility timeout), then your effective queue visibility timeout is (batch window) + (function
    // timeout) + 30s" (Lambda Developer Guide, "Using Lambda with Amazon SQS", Batch window).
    const held = s.windowSeconds + (s.timeoutSeconds ?? 0);
    this.receiveVisibility = s.windowSeconds > 0 && held > queue.visibilityTimeout ? held + 30 : undefined;
  }

  get name(): string {
    return this.s.name;
  }

  get invocationsInFlight(): number {
    return this.inFlight;
  }

  start(): void {
    this.s.journal.emit({ type: "consumer.started", consumer: this.s.name, kind: this.s.kind, queue: this.queue.name });
    for (let i = 0; i < this.s.concurrency; i++) this.loops.push(this.pollLoop());
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.running = false;
      this.abort.abort();
      await Promise.all(this.loops);
      this.s.journal.emit({ type: "consumer.stopped", consumer: this.s.name });
    })();
    return this.stopping;
  }

  private async pollLoop(): Promise<void> {
    const carry: Received[] = [];
    while (this.running) {
      try {
        const batch = await this.collect(carry);
        if (batch.length > 0) await this.process(batch, carry);
      } catch (err) {
        // A bug or an unreadable message must not end the run with an unhandled rejection.
        this.s.journal.emit({ type: "consumer.handlerError", consumer: this.s.name, message: `poll loop: ${errorText(err)}` });
        await this.pause(RETRY_PAUSE_MS);
      }
    }
    if (carry.length > 0) this.returned(`${this.s.name}#held`, carry.splice(0));
  }

  /**
   * Whether a held message's visibility would end before its invocation could: it was received with one
   * invocation's worth of visibility, and it would be processed twice if it ran past that.
   */
  private outlivesVisibility(r: Received, now: number): boolean {
    const visibleAt = r.receivedAt + (this.receiveVisibility ?? this.queue.visibilityTimeout) * 1000;
    return now + (this.s.windowSeconds + (this.s.timeoutSeconds ?? 0)) * 1000 >= visibleAt;
  }

  /** One batch: what `carry` held over, then receives until full, out of window, or out of payload. */
  private async collect(carry: Received[]): Promise<Received[]> {
    // Held messages first, one at a time under the same limits; any that could outlive their
    // visibility are let go (they reappear) rather than risk a second copy running alongside.
    const batch: Received[] = [];
    let bytes = this.s.envelopeBytes;
    const now = this.s.clock.now();
    const stale: Received[] = [];
    while (carry.length > 0) {
      const r = carry[0]!;
      if (this.outlivesVisibility(r, now)) {
        stale.push(carry.shift()!);
        continue;
      }
      if (batch.length > 0 && (batch.length >= this.s.batchSize || bytes + r.bytes + 1 > this.s.maxPayloadBytes)) break;
      batch.push(carry.shift()!);
      bytes += r.bytes + 1;
    }
    if (stale.length > 0) this.returned(`${this.s.name}#held`, stale);
    let deadline = batch.length > 0 ? this.s.clock.now() + this.s.windowSeconds * 1000 : undefined;
    while (this.running && batch.length < this.s.batchSize && carry.length === 0) {
      let wait = RECEIVE_WAIT_SECONDS;
      let last = false;
      if (deadline !== undefined) {
        const remaining = deadline - this.s.clock.now();
        if (remaining <= 0) break;
        if (remaining >= 1000) wait = Math.min(RECEIVE_WAIT_SECONDS, Math.floor(remaining / 1000));
        else {
          // WaitTimeSeconds counts whole seconds: sit out the last fraction on the clock, then take
          // what has arrived with one short poll, so the window ends on time, not up to a second late.
          await this.pause(remaining);
          wait = 0;
          last = true;
        }
      }
      const got = await this.receive(Math.min(10, this.s.batchSize - batch.length), wait);
      for (const r of got) {
        // Past the payload quota the rest waits, in order, for this poller's next batch.
        if (carry.length > 0 || (batch.length > 0 && bytes + r.bytes + 1 > this.s.maxPayloadBytes)) carry.push(r);
        else {
          batch.push(r);
          bytes += r.bytes + 1;
        }
      }
      if (batch.length > 0) deadline ??= this.s.clock.now() + this.s.windowSeconds * 1000;
      if (last) break;
    }
    return batch;
  }

  private async receive(max: number, waitSeconds: number): Promise<Received[]> {
    let messages: Message[];
    try {
      const out = await this.s.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.s.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          VisibilityTimeout: this.receiveVisibility,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: this.abort.signal },
      );
      messages = out.Messages ?? [];
    } catch (err) {
      if (!this.running) return [];
      this.s.journal.emit({ type: "consumer.handlerError", consumer: this.s.name, message: `ReceiveMessage failed: ${errorText(err)}` });
      await this.pause(RETRY_PAUSE_MS);
      return [];
    }
    const now = this.s.clock.now();
    return messages.map((m) => {
      const record = toLambdaRecord(m, this.queue.arn, this.queue.region);
      return {
        record,
        groupId: record.attributes.MessageGroupId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        receivedAt: now,
        bytes: Buffer.byteLength(JSON.stringify(record)),
      };
    });
  }

  private async process(batch: Received[], carry: Received[]): Promise<void> {
    const batchId = `${this.s.name}#${++this.batchSeq}`;
    const journal = this.s.journal;
    const consumer = this.s.name;
    journal.emit({
      type: "consumer.batch",
      consumer,
      queue: this.queue.name,
      batchId,
      messages: batch.map((r) => ({
        messageId: r.record.messageId,
        ...(r.groupId !== undefined ? { groupId: r.groupId } : {}),
        receiveCount: r.receiveCount,
        ...(this.s.journalContents ? { content: recordContent(r.record) } : {}),
      })),
    });
    let invoked = batch;
    if (this.s.filters.length > 0) {
      invoked = batch.filter((r) => recordMatchesAny(this.s.filters, r.record));
      const dropped = batch.filter((r) => !invoked.includes(r));
      // "If none of your filters are satisfied, Lambda discards the record": SQS records are deleted.
      if (dropped.length > 0) {
        await this.delete(dropped);
        journal.emit({ type: "consumer.filtered", consumer, batchId, messageIds: dropped.map((r) => r.record.messageId) });
      }
      if (invoked.length === 0) return;
    }
    const outcome = await this.invoke(invoked.map((r) => r.record));
    if (outcome.kind === "threw") journal.emit({ type: "consumer.handlerError", consumer, message: errorText(outcome.error) });
    const verdict = evaluateBatchResponse(
      invoked.map((r) => ({ messageId: r.record.messageId, ...(r.groupId !== undefined ? { groupId: r.groupId } : {}) })),
      outcome,
      { reportBatchItemFailures: this.s.reportBatchItemFailures, fifoStopOnFailure: this.s.fifoStopOnFailure },
    );
    const byId = new Map(invoked.map((r) => [r.record.messageId, r]));
    const failed = new Map(verdict.failed.map((f) => [f.messageId, f]));
    for (const r of invoked) {
      const f = failed.get(r.record.messageId);
      journal.emit({
        type: "consumer.result",
        consumer,
        batchId,
        messageId: r.record.messageId,
        outcome: f ? "failed" : "succeeded",
        ...(f ? { reason: f.reason } : {}),
        ...(f?.error !== undefined ? { error: f.error } : {}),
        ...(this.s.idempotency?.settle(r.record, !f) ?? {}),
      });
    }
    const succeeded = verdict.succeeded.map((id) => byId.get(id)!);
    if (succeeded.length > 0) {
      const deleted = await this.delete(succeeded);
      if (deleted.length > 0) journal.emit({ type: "consumer.deleted", consumer, batchId, messageIds: deleted });
    }
    if (failed.size > 0) this.returned(batchId, verdict.failed.map((f) => byId.get(f.messageId)!));
    // FIFO: held messages of a group that just failed must not overtake the failure; they go back too.
    if (this.queue.fifo && failed.size > 0 && carry.length > 0) {
      const failedGroups = new Set(verdict.failed.map((f) => byId.get(f.messageId)!.groupId));
      const behind = carry.filter((r) => failedGroups.has(r.groupId));
      if (behind.length > 0) {
        for (const r of behind) carry.splice(carry.indexOf(r), 1);
        this.returned(`${batchId}#held`, behind);
      }
    }
  }

  /** Failed messages are left alone: they reappear when the visibility timeout they were received with ends. */
  private returned(batchId: string, items: Received[]): void {
    const visibility = (this.receiveVisibility ?? this.queue.visibilityTimeout) * 1000;
    const now = this.s.clock.now();
    const lastBack = Math.max(...items.map((r) => r.receivedAt + visibility));
    this.s.journal.emit({
      type: "consumer.returned",
      consumer: this.s.name,
      batchId,
      messageIds: items.map((r) => r.record.messageId),
      visibleInSeconds: Math.max(0, Math.ceil((lastBack - now) / 1000)),
    });
  }

  private async invoke(records: LambdaSqsRecord[]): Promise<InvocationOutcome> {
    const context: HandlerContext = { consumer: this.s.kind, name: this.s.name, now: this.s.clock.now() };
    this.inFlight++;
    try {
      return await invokeWithTimeout(() => this.s.invoke(records, context), this.s.clock, this.s.timeoutSeconds);
    } finally {
      this.inFlight--;
    }
  }

  /** Deletes `items`, reporting refused entries; returns the ids SQS confirmed. */
  private delete(items: Received[]): Promise<string[]> {
    return deleteMessages(this.s.client, this.s.queueUrl, items.map((r) => r.record), (message) =>
      this.s.journal.emit({ type: "consumer.handlerError", consumer: this.s.name, message }),
    );
  }

  /** A clock pause that `stop()` cuts short. */
  private pause(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        timer.cancel();
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = this.s.clock.setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * One abort for every long poll of a consumer: each request in flight adds (and later removes) a
 * listener, and a mapping with 5–1,000 concurrent batches is not a leak.
 */
export function manyListenerAbort(): AbortController {
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  return abort;
}
