import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { LIMITS, dictionary } from "../sqs/index.js";
import { FifoDedup, type DedupEntry } from "./fifo-dedup.js";
import { InflightQuota, type QueueLimits } from "./inflight-quota.js";
import { buildStoredMessage, type MessageArrival, type MessageContent, type MessagePlacement, type StoredMessage } from "./message.js";
import { MessageStore, type MessageCounts } from "./message-store.js";
import { PollWaiters } from "./poll-waiters.js";
import { ReceiveAttempts, type Handed } from "./receive-attempts.js";
import type { StateLog } from "./persistence.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./queue-attributes.js";
import {
  expiredReceiptHandle,
  invalidReceiptHandle,
  makeReceiptHandle,
  notChangeableReceiptHandle,
  parseReceiptHandle,
  visibilityBeyondLimit,
} from "./receipts.js";
import { announceDeadLettered, copyToDeadLetterQueue, deadLetterTarget } from "./redrive.js";
import { sendDigests, sentContent, type EnqueueInput, type EnqueueResult } from "./sent-message.js";
import type { IdSource } from "./ids.js";

export type { QueueLimits } from "./inflight-quota.js";
export type { EnqueueInput, EnqueueResult } from "./sent-message.js";

/** What a queue needs from the emulator around it. */
export interface QueueHost {
  readonly clock: Clock;
  readonly journal: Journal;
  /** Persistence hooks (`--data DIR`); a no-op log without a data directory. */
  readonly stateLog: StateLog;
  /** The queue with this ARN, if it exists (dead-letter targets). */
  queueByArn(arn: string): SqsQueue | undefined;
  readonly limits: QueueLimits;
  /** Where new MessageIds come from (random, or seeded for a reproducible run). */
  readonly ids: IdSource;
}

export type Received = Handed;

/** One queue: its settings and its messages in every state. */
export class SqsQueue {
  readonly fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string> = dictionary();
  /** Set once: at construction, or by `restore` after a restart. */
  createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt: number | undefined;

  private readonly messages: MessageStore;
  private readonly dedup: FifoDedup;
  private readonly waiters: PollWaiters;
  private readonly attempts = new ReceiveAttempts(LIMITS.receiveAttemptWindowMs);
  private readonly quota: InflightQuota;
  private nextSeq = 0n;
  private redriveCache: { raw: string; policy: RedrivePolicy | undefined } = { raw: "", policy: undefined };

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    attributes: Record<string, string>,
    private readonly host: QueueHost,
  ) {
    this.fifo = attributes.FifoQueue === "true";
    this.attributes = attributes;
    this.createdAt = host.clock.now();
    this.lastModifiedAt = this.createdAt;
    this.messages = new MessageStore(this.fifo);
    this.waiters = new PollWaiters(host.clock, () => this.messages.nextDueAt(), () => this.tick());
    this.quota = new InflightQuota(this.fifo, host.limits, () => this.messages.inflightCount);
    this.dedup = new FifoDedup(attributes.DeduplicationScope === "messageGroup");
  }

  private get clock(): Clock {
    return this.host.clock;
  }

  intAttribute(name: string): number {
    return Number(this.attributes[name]);
  }

  get redrivePolicy(): RedrivePolicy | undefined {
    const raw = this.attributes.RedrivePolicy ?? "";
    if (raw !== this.redriveCache.raw) {
      this.redriveCache = { raw, policy: raw ? parseRedrivePolicy(raw) : undefined };
    }
    return this.redriveCache.policy;
  }

  /** The DeduplicationScope the queue was created with and deduplicates by (fifo-dedup.ts). */
  get creationDedupScope(): "messageGroup" | "queue" {
    return this.dedup.scope;
  }

  get approximateCounts(): MessageCounts {
    this.tick();
    return this.messages.countsNow;
  }

  /** Adds a message (after the caller validated it), or recognises a FIFO duplicate. */
  enqueue(input: EnqueueInput): EnqueueResult {
    const now = this.clock.now();
    this.tick(now);
    const digests = sendDigests(input);
    let dedupKey: string | undefined;
    if (this.fifo && input.dedupId !== undefined) {
      dedupKey = this.dedup.key(input.groupId, input.dedupId);
      const seen = this.dedup.lookup(dedupKey, now);
      if (seen) {
        this.host.journal.emit({ type: "message.dedupHit", queue: this.name, messageId: seen.messageId, dedupId: input.dedupId, groupId: input.groupId });
        return { messageId: seen.messageId, ...digests, sequenceNumber: seen.sequenceNumber, duplicate: true };
      }
    }
    // FIFO accepts only DelaySeconds=0 per message, and the queue delay still applies (recorded
    // `test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay`).
    const delaySeconds = (this.fifo ? undefined : input.delaySeconds) ?? this.intAttribute("DelaySeconds");
    const msg = this.store(sentContent(input, digests, now, this.host.ids.messageId()), { delaySeconds, receiveCount: 0, receiveSeq: 0 });
    if (dedupKey !== undefined) {
      this.dedup.remember(dedupKey, msg.id, msg.sequenceNumber, now);
      this.host.stateLog.dedupRemembered(this, dedupKey, msg.id, msg.sequenceNumber, now);
    }
    this.host.journal.emit({
      type: "message.enqueued",
      queue: this.name,
      messageId: msg.id,
      bytes: msg.bytes,
      groupId: msg.groupId,
      dedupId: msg.dedupId,
      sequenceNumber: msg.sequenceNumber,
      delaySeconds,
    });
    return { messageId: msg.id, ...digests, sequenceNumber: msg.sequenceNumber, duplicate: false };
  }

  /**
   * Places a message in this queue; shared by sends, redrive and move tasks. Entering a queue starts a
   * new receipt generation, so no receipt handle from before a move names the message any more.
   */
  store(content: MessageContent, arrival: MessageArrival): StoredMessage {
    const now = this.clock.now();
    const seq = this.nextSeq++;
    const msg = buildStoredMessage(content, {
      enqueuedAt: arrival.enqueuedAt ?? now,
      sequenceNumber: this.fifo ? sequenceNumberOf(seq) : undefined,
      seq,
      state: arrival.delaySeconds > 0 ? ("delayed" as const) : ("visible" as const),
      visibleAt: now + arrival.delaySeconds * 1000,
      receiveCount: arrival.receiveCount,
      firstReceiveAt: arrival.firstReceiveAt,
      receiveSeq: arrival.receiveSeq + 1,
      timerVersion: 0,
      deadLetterSourceArn: arrival.deadLetterSourceArn,
    } satisfies Record<keyof MessagePlacement, unknown>);
    // Logged before placing: placing may wake a long poll that receives it at once.
    this.host.stateLog.messageStored(this, msg);
    this.place(msg);
    return msg;
  }

  /**
   * Persistence: puts back what was saved before a restart, messages oldest first. A message that was
   * in flight comes back visible with its receive count, as a restarted broker would redeliver it; one
   * still delayed stays delayed until its saved `visibleAt`.
   */
  restore(saved: {
    createdAt: number;
    dedupScope?: string;
    messages: StoredMessage[];
    dedup: readonly DedupEntry[];
    nextSeq: bigint;
  }): void {
    const now = this.clock.now();
    this.createdAt = saved.createdAt;
    for (const msg of saved.messages) {
      msg.state = msg.visibleAt > now ? "delayed" : "visible";
      this.place(msg);
    }
    this.dedup.restore(saved.dedupScope, saved.dedup);
    this.nextSeq = saved.nextSeq;
  }

  private place(msg: StoredMessage): void {
    this.messages.place(msg);
    if (msg.state === "delayed") this.waiters.arm();
    else this.notify();
  }

  /**
   * Takes up to `max` messages, making them in flight for `visibilityTimeout` seconds. A message that
   * has already been received maxReceiveCount times is moved to the dead-letter queue instead of being
   * returned (the move is lazy: it happens on the receive after the last allowed one). Never more than
   * the in-flight quota allows (inflight-quota.ts).
   *
   * `attemptId` is the ReceiveRequestAttemptId, which "applies only to FIFO queues" (ReceiveMessage API
   * reference), so a standard queue ignores it.
   *
   * Every message is where it belongs (in flight, or in its DLQ) before the first journal record or
   * persistence hook runs: a hook or subscriber that throws must not strand a message half-received.
   */
  receive(max: number, visibilityTimeout: number, attemptId?: string): Received[] {
    const now = this.clock.now();
    this.tick(now);
    const attempt = this.fifo ? attemptId : undefined;
    if (attempt !== undefined) {
      const replayed = this.attempts.replay(attempt, now, visibilityTimeout, this.messages);
      if (replayed) {
        this.visibilityChanged(visibilityTimeout, replayed.map((r) => r.message));
        return replayed;
      }
    }
    const room = this.quota.room;
    if (room <= 0) return [];
    const target = deadLetterTarget(this, this.host);
    const exhausted: StoredMessage[] = [];
    const taken = this.messages.take(Math.min(max, room), (msg) => {
      if (!target || msg.receiveCount < target.maxReceiveCount) return true;
      this.messages.detach(msg);
      exhausted.push(msg);
      return false;
    });
    const received = taken.map((msg) => {
      this.messages.markInflight(msg, now, visibilityTimeout);
      return { message: msg, receiptHandle: makeReceiptHandle(this.name, msg.id, msg.receiveSeq) };
    });
    if (attempt !== undefined) this.attempts.remember(attempt, received, now);
    // Other long-pollers may be served when these messages' visibility runs out.
    if (received.length > 0) this.waiters.arm();
    for (const msg of exhausted) copyToDeadLetterQueue(msg, this, target!.dlq, this.host);
    for (const msg of taken) this.host.stateLog.messageReceived(this, msg);
    if (exhausted.length > 0) announceDeadLettered(exhausted, this, target!.dlq, this.host);
    for (const msg of taken) {
      this.host.journal.emit({
        type: "message.received",
        queue: this.name,
        messageId: msg.id,
        receiveCount: msg.receiveCount,
        groupId: msg.groupId,
        visibleAt: msg.visibleAt,
      });
    }
    return received;
  }

  /** Refuses a short poll of a standard queue at its in-flight quota with OverLimit (inflight-quota.ts). */
  refuseIfInflightFull(): void {
    if (this.fifo) return;
    this.tick();
    this.quota.refuseShortPollIfFull();
  }

  /** Resolves a receipt handle to the message of this queue it names, or throws ReceiptHandleIsInvalid. */
  private resolveReceipt(handle: unknown): { msg: StoredMessage | undefined; current: boolean } {
    const parsed = parseReceiptHandle(handle);
    if (!parsed || parsed.queue !== this.name) throw invalidReceiptHandle(handle);
    const msg = this.messages.get(parsed.messageId);
    return { msg, current: !!msg && msg.receiveSeq === parsed.receiveSeq };
  }

  /**
   * Deletes by receipt handle. A handle from an earlier receive succeeds without deleting (SQS API
   * reference, DeleteMessage: "you must provide the most recently received receipt handle ...
   * otherwise, the request succeeds, but the message will not be deleted"). On a standard queue the
   * latest handle still deletes after the visibility timeout ran out (validated
   * `test_remove_message_with_old_receipt_handle`); on a FIFO queue such a handle has expired
   * (recorded `test_fifo_delete_after_visibility_timeout`). A message already gone is no error
   * (validated `test_delete_message_with_deleted_receipt_handle`).
   */
  deleteByReceipt(handle: unknown): void {
    this.tick();
    const { msg, current } = this.resolveReceipt(handle);
    if (!msg) return;
    if (this.fifo && (!current || msg.state !== "inflight")) throw expiredReceiptHandle(handle);
    if (!current) return;
    this.remove(msg);
    this.host.journal.emit({ type: "message.deleted", queue: this.name, messageId: msg.id });
  }

  /**
   * ChangeMessageVisibility. A message that no longer exists is refused (validated
   * `test_change_visibility_on_deleted_message_raises_invalid_parameter_value`); one that is not in
   * flight is left alone with a plain success (recorded
   * `test_change_message_visibility_after_visibility_timeout_expiration`); a handle from an earlier
   * receive still acts on the in-flight message (validated
   * `test_terminate_visibility_timeout_after_receive`).
   */
  changeVisibility(handle: unknown, timeoutSeconds: number): void {
    const now = this.clock.now();
    this.tick(now);
    const { msg } = this.resolveReceipt(handle);
    if (!msg) throw notChangeableReceiptHandle(handle);
    if (msg.state !== "inflight") return;
    const receivedAt = this.messages.lastReceivedAt(msg.id) ?? now;
    if ((now - receivedAt) / 1000 + timeoutSeconds > LIMITS.visibilityTimeoutMax) throw visibilityBeyondLimit(timeoutSeconds);
    this.messages.setVisibility(msg, now, timeoutSeconds);
    this.visibilityChanged(timeoutSeconds, [msg]);
  }

  /** After in-flight messages got a new visibility timeout: records it and wakes or re-aims long polls. */
  private visibilityChanged(timeoutSeconds: number, changed: readonly StoredMessage[]): void {
    if (timeoutSeconds === 0) this.notify();
    else this.waiters.arm();
    for (const msg of changed) {
      this.host.journal.emit({ type: "message.visibilityChanged", queue: this.name, messageId: msg.id, visibleAt: msg.visibleAt });
    }
  }

  /** PurgeQueue: every message goes, and so does the FIFO dedup cache. */
  purge(): number {
    const n = this.messages.clear();
    this.dedup.clear();
    this.attempts.clear();
    this.lastPurgeAt = this.clock.now();
    this.host.stateLog.queuePurged(this, this.lastPurgeAt);
    return n;
  }

  /** Messages that are visible now, oldest first, without receiving them (for move tasks and peeking). */
  visibleMessages(limit = Infinity): StoredMessage[] {
    this.tick();
    const out: StoredMessage[] = [];
    for (const msg of this.messages.values()) {
      if (out.length >= limit) break;
      if (msg.state === "visible") out.push(msg);
    }
    return out;
  }

  /** Whether `msg` is visible in this queue, so a move task may take it. */
  holdsVisible(msg: StoredMessage): boolean {
    return msg.state === "visible" && this.messages.get(msg.id) === msg;
  }

  /** Takes a visible message out of this queue for a move task, after its copy is in the target. */
  takeForMove(msg: StoredMessage): boolean {
    if (!this.holdsVisible(msg)) return false;
    this.remove(msg);
    return true;
  }

  // --- long polling -------------------------------------------------------------------------------

  /** Calls `wake` whenever something may have become receivable; returns the unsubscribe function. */
  onAvailable(wake: () => void): () => void {
    return this.waiters.add(wake);
  }

  /** Wakes every long-polling receiver (they race for what is there). */
  notify(): void {
    this.waiters.wake();
  }

  /** Drops timers so a deleted queue holds nothing. */
  close(): void {
    this.waiters.close();
  }

  // --- state transitions --------------------------------------------------------------------------

  /** Applies what time has done: delays ended, visibility timeouts ran out, retention expired. */
  tick(now = this.clock.now()): void {
    const retentionMs = this.intAttribute("MessageRetentionPeriod") * 1000;
    let expired = false;
    const woke = this.messages.advance(now, retentionMs, (msg) => {
      expired = true;
      this.host.stateLog.messageRemoved(this, msg.id);
      this.host.journal.emit({ type: "message.expired", queue: this.name, messageId: msg.id });
    });
    // An expired FIFO message may have been the one holding its group.
    if (woke || (expired && this.fifo)) this.notify();
  }

  private remove(msg: StoredMessage): void {
    const previous = this.messages.remove(msg);
    this.host.stateLog.messageRemoved(this, msg.id);
    // Deleting a FIFO group's in-flight message can unlock the rest of the group for waiting
    // long polls; on a queue that was at its in-flight quota it makes room for them.
    if (previous === "inflight" && (this.fifo || this.quota.justFreed)) this.notify();
  }
}

/** FIFO SequenceNumber: a 20-digit decimal string that only grows (SQS API reference, SendMessage). */
function sequenceNumberOf(seq: bigint): string {
  return (18_000_000_000_000_000_000n + seq).toString();
}
