import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { LIMITS, SqsError, md5OfBody, md5OfMessageAttributes, messageBytes } from "../sqs/index.js";
import type { MessageAttributes } from "../sqs/index.js";
import { DedupWindow } from "./dedup-window.js";
import { newMessageId } from "./ids.js";
import { carriedFields, type MessageFields, type StoredMessage } from "./message.js";
import { MessageStore, type MessageCounts } from "./message-store.js";
import { PollWaiters } from "./poll-waiters.js";
import { ReceiveAttempts } from "./receive-attempts.js";
import type { StateLog } from "./persistence.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./queue-attributes.js";
import { invalidReceiptHandle, makeReceiptHandle, parseReceiptHandle } from "./receipts.js";

/** What a queue needs from the emulator around it. */
export interface QueueHost {
  readonly clock: Clock;
  readonly journal: Journal;
  /** Persistence hooks (`--data DIR`); a no-op log without a data directory. */
  readonly stateLog: StateLog;
  /** The queue with this ARN, if it exists (dead-letter targets). */
  queueByArn(arn: string): SqsQueue | undefined;
  readonly limits: QueueLimits;
}

/** Per-queue quotas an embedder may change: tests lower them, AWS raises them on request. */
export interface QueueLimits {
  /** In-flight messages a standard queue allows. @default 120000 (LIMITS.maxInflightStandard) */
  maxInflightStandard: number;
  /** In-flight messages a FIFO queue allows. @default 120000 (LIMITS.maxInflightFifo) */
  maxInflightFifo: number;
}

/**
 * OverLimit as AWS worded it to a short poll at the in-flight quota (query-protocol answer, HTTP 403,
 * quoted in Cbsoftware/pressureNET-server#74, 2014; the line break is part of the message there).
 */
const INFLIGHT_OVER_LIMIT =
  "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.";

export interface EnqueueInput {
  body: string;
  attributes?: MessageAttributes;
  systemAttributes?: MessageAttributes;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
}

export interface EnqueueResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
  duplicate: boolean;
}

export interface Received {
  message: StoredMessage;
  receiptHandle: string;
}

/** One queue: its settings and its messages in every state. */
export class SqsQueue {
  readonly fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string> = {};
  /** Set once: at construction, or by `restore` after a restart. */
  createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt: number | undefined;

  private readonly messages: MessageStore;
  private readonly dedup = new DedupWindow(LIMITS.dedupWindowMs);
  private readonly waiters: PollWaiters;
  private readonly attempts = new ReceiveAttempts(LIMITS.receiveAttemptWindowMs);
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
    this.dedupPerGroup = attributes.DeduplicationScope === "messageGroup";
  }

  /**
   * DeduplicationScope as it was at creation: AWS reports a later SetQueueAttributes change but keeps
   * deduplicating as before (validated `test_fifo_change_to_high_throughput_after_creation`).
   */
  private readonly dedupPerGroup: boolean;

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

  get approximateCounts(): MessageCounts {
    this.tick();
    return this.messages.countsNow;
  }

  /** Adds a message (after the caller validated it), or recognises a FIFO duplicate. */
  enqueue(input: EnqueueInput): EnqueueResult {
    const now = this.clock.now();
    this.tick(now);
    const md5Body = md5OfBody(input.body);
    const md5Attrs = md5OfMessageAttributes(input.attributes);
    const md5Sys = md5OfMessageAttributes(input.systemAttributes);
    let dedupKey: string | undefined;
    if (this.fifo && input.dedupId !== undefined) {
      dedupKey = this.dedupPerGroup ? `${input.groupId}\u0000${input.dedupId}` : input.dedupId;
      const seen = this.dedup.lookup(dedupKey, now);
      if (seen) {
        this.host.journal.emit({
          type: "message.dedupHit",
          queue: this.name,
          messageId: seen.messageId,
          dedupId: input.dedupId,
          groupId: input.groupId,
        });
        return {
          messageId: seen.messageId,
          md5OfBody: md5Body,
          md5OfMessageAttributes: md5Attrs,
          md5OfMessageSystemAttributes: md5Sys,
          sequenceNumber: seen.sequenceNumber,
          duplicate: true,
        };
      }
    }
    // FIFO accepts only DelaySeconds=0 per message, and the queue delay still applies (recorded
    // `test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay`).
    const delaySeconds = (this.fifo ? undefined : input.delaySeconds) ?? this.intAttribute("DelaySeconds");
    const msg = this.store({
      id: newMessageId(),
      body: input.body,
      md5OfBody: md5Body,
      attributes: input.attributes,
      md5OfMessageAttributes: md5Attrs,
      systemAttributes: input.systemAttributes,
      md5OfMessageSystemAttributes: md5Sys,
      bytes: messageBytes(input.body, input.attributes),
      senderId: input.senderId,
      sentAt: now,
      groupId: input.groupId,
      dedupId: input.dedupId,
      receiveCount: 0,
      delaySeconds,
    });
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
    return {
      messageId: msg.id,
      md5OfBody: md5Body,
      md5OfMessageAttributes: md5Attrs,
      md5OfMessageSystemAttributes: md5Sys,
      sequenceNumber: msg.sequenceNumber,
      duplicate: false,
    };
  }

  /** Places a message in this queue; shared by sends, redrive and move tasks. */
  store(fields: MessageFields): StoredMessage {
    const now = this.clock.now();
    const seq = this.nextSeq++;
    // Every field spelled out in one literal: a spread would give each message a slow, dictionary-mode
    // object, about 600 bytes more per stored message.
    const msg: StoredMessage = {
      id: fields.id,
      body: fields.body,
      md5OfBody: fields.md5OfBody,
      attributes: fields.attributes,
      md5OfMessageAttributes: fields.md5OfMessageAttributes,
      systemAttributes: fields.systemAttributes,
      md5OfMessageSystemAttributes: fields.md5OfMessageSystemAttributes,
      bytes: fields.bytes,
      senderId: fields.senderId,
      sentAt: fields.sentAt,
      enqueuedAt: fields.enqueuedAt ?? now,
      groupId: fields.groupId,
      dedupId: fields.dedupId,
      sequenceNumber: this.fifo ? sequenceNumberOf(seq) : undefined,
      seq,
      state: fields.delaySeconds > 0 ? "delayed" : "visible",
      visibleAt: now + fields.delaySeconds * 1000,
      receiveCount: fields.receiveCount,
      firstReceiveAt: fields.firstReceiveAt,
      receiveSeq: 0,
      timerVersion: 0,
      deadLetterSourceArn: fields.deadLetterSourceArn,
    };
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
    messages: StoredMessage[];
    dedup: readonly { key: string; messageId: string; sequenceNumber?: string; expiresAt: number }[];
    nextSeq: bigint;
  }): void {
    const now = this.clock.now();
    this.createdAt = saved.createdAt;
    for (const msg of saved.messages) {
      msg.state = msg.visibleAt > now ? "delayed" : "visible";
      this.place(msg);
    }
    for (const d of saved.dedup) this.dedup.remember(d.key, d.messageId, d.sequenceNumber, d.expiresAt - LIMITS.dedupWindowMs);
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
   * returned (the move is lazy: it happens on the receive after the last allowed one).
   *
   * Never more than the in-flight quota allows: a FIFO queue at its quota returns fewer messages or
   * none, without an error (SQS developer guide, "Amazon SQS FIFO queue quotas"); for a standard queue
   * the short-poll error is `refuseIfInflightFull`'s.
   *
   * `attemptId` is the ReceiveRequestAttemptId, which "applies only to FIFO queues" (ReceiveMessage API
   * reference), so a standard queue ignores it.
   */
  receive(max: number, visibilityTimeout: number, attemptId?: string): Received[] {
    const now = this.clock.now();
    this.tick(now);
    const attempt = this.fifo ? attemptId : undefined;
    if (attempt !== undefined) {
      const replayed = this.replayAttempt(attempt, now, visibilityTimeout);
      if (replayed) return replayed;
    }
    const room = this.inflightRoom;
    if (room <= 0) return [];
    const policy = this.redrivePolicy;
    const dlq = policy ? this.host.queueByArn(policy.deadLetterTargetArn) : undefined;
    const taken = this.messages.take(Math.min(max, room), (msg) => {
      if (policy && dlq && msg.receiveCount >= policy.maxReceiveCount) {
        this.moveToDeadLetterQueue(msg, dlq);
        return false;
      }
      return true;
    });
    const received = taken.map((msg) => {
      this.messages.markInflight(msg, now, visibilityTimeout);
      this.host.stateLog.messageReceived(this, msg);
      this.host.journal.emit({
        type: "message.received",
        queue: this.name,
        messageId: msg.id,
        receiveCount: msg.receiveCount,
        groupId: msg.groupId,
        visibleAt: msg.visibleAt,
      });
      return { message: msg, receiptHandle: makeReceiptHandle(this.name, msg.id, msg.receiveSeq) };
    });
    // Other long-pollers may be served when these messages' visibility runs out.
    if (received.length > 0) this.waiters.arm();
    if (attempt !== undefined) this.attempts.remember(attempt, received, now);
    return received;
  }

  /**
   * A retry of a remembered, unchanged receive (receive-attempts.ts) gets its messages and receipt
   * handles again, and "it resets the visibility timeout" (ReceiveMessage API reference,
   * ReceiveRequestAttemptId), to this request's. Undefined when there is nothing to replay.
   */
  private replayAttempt(attemptId: string, now: number, visibilityTimeout: number): Received[] | undefined {
    const entry = this.attempts.replayable(attemptId, now, (id) => this.messages.get(id));
    if (!entry) return undefined;
    for (const m of entry.messages) {
      this.messages.setVisibility(m.msg, now, visibilityTimeout);
      m.timerVersion = m.msg.timerVersion;
      this.host.journal.emit({ type: "message.visibilityChanged", queue: this.name, messageId: m.msg.id, visibleAt: m.msg.visibleAt });
    }
    if (visibilityTimeout === 0) this.notify();
    else this.waiters.arm();
    return entry.messages.map((m) => ({ message: m.msg, receiptHandle: m.receiptHandle }));
  }

  /**
   * A short poll of a standard queue with its in-flight quota reached is refused with OverLimit; a long
   * poll gets no error, and a FIFO queue never errs (SQS developer guide, "Amazon SQS standard queue
   * quotas", Messages per queue (in flight): "If you reach this quota while using short polling, Amazon
   * SQS returns the OverLimit error message. If you use long polling, Amazon SQS returns no error").
   */
  refuseIfInflightFull(): void {
    if (this.fifo) return;
    this.tick();
    if (this.inflightRoom <= 0) throw new SqsError("OverLimit", INFLIGHT_OVER_LIMIT);
  }

  private get maxInflight(): number {
    return this.fifo ? this.host.limits.maxInflightFifo : this.host.limits.maxInflightStandard;
  }

  /** How many more messages may go in flight before the quota is reached. */
  private get inflightRoom(): number {
    return this.maxInflight - this.messages.inflightCount;
  }

  /** Resolves a receipt handle to the message of this queue it names, or throws ReceiptHandleIsInvalid. */
  resolveReceipt(handle: unknown): { msg: StoredMessage | undefined; current: boolean } {
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
    if (this.fifo && (!current || msg.state !== "inflight")) {
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      );
    }
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
    if (!msg) {
      throw new SqsError(
        "InvalidParameterValue",
        "Value " + String(handle) + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.",
      );
    }
    if (msg.state !== "inflight") return;
    const receivedAt = this.messages.lastReceivedAt(msg.id) ?? now;
    if ((now - receivedAt) / 1000 + timeoutSeconds > LIMITS.visibilityTimeoutMax) {
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${LIMITS.visibilityTimeoutMax} seconds]`,
      );
    }
    this.messages.setVisibility(msg, now, timeoutSeconds);
    this.host.journal.emit({ type: "message.visibilityChanged", queue: this.name, messageId: msg.id, visibleAt: msg.visibleAt });
    if (timeoutSeconds === 0) this.notify();
    else this.waiters.arm();
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

  /** Every stored message in any state but deleted, oldest first (peeking, persistence). */
  allMessages(): StoredMessage[] {
    this.tick();
    return [...this.messages.values()];
  }

  /** Takes a visible message out of this queue for a move task. */
  takeForMove(msg: StoredMessage): boolean {
    if (msg.state !== "visible" || this.messages.get(msg.id) !== msg) return false;
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
    // long polls (validated `test_fifo_message_group_visibility`); on a queue that was at its
    // in-flight quota it makes room for them.
    if (previous === "inflight" && (this.fifo || this.messages.inflightCount === this.maxInflight - 1)) this.notify();
  }

  private moveToDeadLetterQueue(msg: StoredMessage, dlq: SqsQueue): void {
    this.messages.detach(msg);
    // Kept: MessageId, body, attributes, receive count, first SentTimestamp (SQS developer guide,
    // "Using dead-letter queues"; LocalStack #8234 verified the lazy move against AWS).
    dlq.store(
      carriedFields(msg, {
        receiveCount: msg.receiveCount,
        firstReceiveAt: msg.firstReceiveAt,
        deadLetterSourceArn: this.arn,
        // "For standard queues, the expiration of a message is always based on its original enqueue
        // timestamp"; for FIFO queues it resets (SQS Developer Guide, dead-letter queue retention).
        enqueuedAt: dlq.fifo ? undefined : msg.enqueuedAt,
      }),
    );
    // Logged after the DLQ copy: a crash in between must duplicate the message, never lose it.
    this.host.stateLog.messageRemoved(this, msg.id);
    this.host.journal.emit({
      type: "message.movedToDlq",
      queue: this.name,
      dlq: dlq.name,
      messageId: msg.id,
      receiveCount: msg.receiveCount,
    });
  }
}

/** FIFO SequenceNumber: a 20-digit decimal string that only grows (SQS API reference, SendMessage). */
function sequenceNumberOf(seq: bigint): string {
  return (18_000_000_000_000_000_000n + seq).toString();
}
