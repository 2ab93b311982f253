import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { LIMITS, SqsError, md5OfBody, md5OfMessageAttributes, messageBytes } from "../sqs/index.js";
import type { MessageAttributes } from "../sqs/index.js";
import { DedupWindow } from "./dedup-window.js";
import { newMessageId } from "./ids.js";
import { Deque } from "./deque.js";
import { MinHeap } from "./heap.js";
import type { MessageState, StoredMessage } from "./message.js";
import type { StateLog } from "./persistence.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./queue-attributes.js";
import { invalidReceiptHandle, makeReceiptHandle, parseReceiptHandle } from "./receipts.js";
import { FifoVisibleSet, StandardVisibleSet, type VisibleSet } from "./visible-set.js";

/** What a queue needs from the emulator around it. */
export interface QueueHost {
  readonly clock: Clock;
  readonly journal: Journal;
  /** Persistence hooks (`--data DIR`); a no-op log without a data directory. */
  readonly stateLog: StateLog;
  /** The queue with this ARN, if it exists (dead-letter targets). */
  queueByArn(arn: string): SqsQueue | undefined;
}

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

interface TimerEntry {
  msg: StoredMessage;
  version: number;
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

  private readonly byId = new Map<string, StoredMessage>();
  private readonly visible: VisibleSet;
  private readonly delayed = new MinHeap<TimerEntry>();
  private readonly inflight = new MinHeap<TimerEntry>();
  private readonly byAge = new Deque<StoredMessage>();
  /** Messages keyed by retention start (`enqueuedAt`), which a standard DLQ receives out of order. */
  private readonly expiries = new MinHeap<StoredMessage>();
  private readonly dedup = new DedupWindow(LIMITS.dedupWindowMs);
  private readonly waiters = new Set<() => void>();
  private wakeTimer: { cancel(): void; at: number } | undefined;
  private nextSeq = 0n;
  private counts = { visible: 0, inflight: 0, delayed: 0 };
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
    this.visible = this.fifo ? new FifoVisibleSet() : new StandardVisibleSet();
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

  get approximateCounts(): { visible: number; inflight: number; delayed: number } {
    this.tick();
    return { ...this.counts };
  }

  get inflightCount(): number {
    return this.counts.inflight;
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
  store(
    fields: Omit<StoredMessage, "seq" | "state" | "visibleAt" | "receiveSeq" | "timerVersion" | "enqueuedAt"> & {
      delaySeconds: number;
      /** Retention start when it is not now (a standard message keeps it into its DLQ). */
      enqueuedAt?: number;
    },
  ): StoredMessage {
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
    this.byId.set(msg.id, msg);
    this.byAge.push(msg);
    this.expiries.push(msg.enqueuedAt, msg);
    if (msg.state === "delayed") {
      this.counts.delayed++;
      this.delayed.push(msg.visibleAt, { msg, version: 0 });
      this.visible.addDelayed(msg);
      this.armWakeTimer();
    } else {
      this.counts.visible++;
      this.visible.addNew(msg);
      this.notify();
    }
  }

  /**
   * Takes up to `max` messages, making them in flight for `visibilityTimeout` seconds. A message that
   * has already been received maxReceiveCount times is moved to the dead-letter queue instead of being
   * returned (the move is lazy: it happens on the receive after the last allowed one).
   */
  receive(max: number, visibilityTimeout: number): Received[] {
    const now = this.clock.now();
    this.tick(now);
    const policy = this.redrivePolicy;
    const dlq = policy ? this.host.queueByArn(policy.deadLetterTargetArn) : undefined;
    const taken = this.visible.take(max, (msg) => {
      this.counts.visible--;
      if (policy && dlq && msg.receiveCount >= policy.maxReceiveCount) {
        this.moveToDeadLetterQueue(msg, dlq);
        return false;
      }
      return true;
    });
    const received = taken.map((msg) => {
      msg.state = "inflight";
      msg.receiveCount++;
      msg.firstReceiveAt ??= now;
      msg.receiveSeq++;
      msg.timerVersion++;
      msg.visibleAt = now + visibilityTimeout * 1000;
      this.lastReceivedAt.set(msg.id, now);
      this.counts.inflight++;
      this.inflight.push(msg.visibleAt, { msg, version: msg.timerVersion });
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
    if (received.length > 0) this.armWakeTimer();
    return received;
  }

  private readonly lastReceivedAt = new Map<string, number>();

  /** Resolves a receipt handle to the message of this queue it names, or throws ReceiptHandleIsInvalid. */
  resolveReceipt(handle: unknown): { msg: StoredMessage | undefined; current: boolean } {
    const parsed = parseReceiptHandle(handle);
    if (!parsed || parsed.queue !== this.name) throw invalidReceiptHandle(handle);
    const msg = this.byId.get(parsed.messageId);
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
    const receivedAt = this.lastReceivedAt.get(msg.id) ?? now;
    if ((now - receivedAt) / 1000 + timeoutSeconds > LIMITS.visibilityTimeoutMax) {
      throw new SqsError(
        "InvalidParameterValue",
        `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${LIMITS.visibilityTimeoutMax} seconds]`,
      );
    }
    msg.timerVersion++;
    msg.visibleAt = now + timeoutSeconds * 1000;
    this.host.journal.emit({ type: "message.visibilityChanged", queue: this.name, messageId: msg.id, visibleAt: msg.visibleAt });
    if (timeoutSeconds === 0) {
      this.returnToVisible(msg);
    } else {
      this.inflight.push(msg.visibleAt, { msg, version: msg.timerVersion });
      this.armWakeTimer();
    }
  }

  /** PurgeQueue: every message goes, and so does the FIFO dedup cache. */
  purge(): number {
    const n = this.byId.size;
    for (const msg of this.byId.values()) msg.state = "deleted";
    this.byId.clear();
    this.visible.clear();
    this.delayed.clear();
    this.inflight.clear();
    this.byAge.clear();
    this.expiries.clear();
    this.dedup.clear();
    this.lastReceivedAt.clear();
    this.counts = { visible: 0, inflight: 0, delayed: 0 };
    this.lastPurgeAt = this.clock.now();
    this.host.stateLog.queuePurged(this, this.lastPurgeAt);
    return n;
  }

  /** Messages that are visible now, oldest first, without receiving them (for move tasks and peeking). */
  visibleMessages(limit = Infinity): StoredMessage[] {
    this.tick();
    const out: StoredMessage[] = [];
    for (const msg of this.byAge) {
      if (out.length >= limit) break;
      if (msg.state === "visible") out.push(msg);
    }
    return out;
  }

  /** Every stored message in any state but deleted, oldest first (peeking, persistence). */
  allMessages(): StoredMessage[] {
    this.tick();
    return [...this.byAge].filter((m) => m.state !== "deleted");
  }

  /** Takes a visible message out of this queue for a move task. */
  takeForMove(msg: StoredMessage): boolean {
    if (msg.state !== "visible" || this.byId.get(msg.id) !== msg) return false;
    this.remove(msg);
    return true;
  }

  // --- long polling -------------------------------------------------------------------------------

  /** Calls `wake` whenever something may have become receivable; returns the unsubscribe function. */
  onAvailable(wake: () => void): () => void {
    this.waiters.add(wake);
    this.armWakeTimer();
    return () => {
      this.waiters.delete(wake);
    };
  }

  /** Wakes every long-polling receiver (they race for what is there). */
  notify(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }

  /** Drops timers so a deleted queue holds nothing. */
  close(): void {
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
    this.notify();
  }

  // --- state transitions --------------------------------------------------------------------------

  /** Moves due delayed messages to visible, expired in-flight messages back, and old messages out. */
  tick(now = this.clock.now()): void {
    let woke = false;
    while ((this.delayed.peekKey() ?? Infinity) <= now) {
      const { msg, version } = this.delayed.pop()!;
      if (msg.state !== "delayed" || msg.timerVersion !== version) continue;
      msg.state = "visible";
      this.counts.delayed--;
      this.counts.visible++;
      this.visible.delayEnded(msg);
      woke = true;
    }
    while ((this.inflight.peekKey() ?? Infinity) <= now) {
      const { msg, version } = this.inflight.pop()!;
      if (msg.state !== "inflight" || msg.timerVersion !== version) continue;
      this.returnToVisible(msg);
      woke = true;
    }
    while (this.byAge.peek()?.state === "deleted") this.byAge.shift();
    const retentionMs = this.intAttribute("MessageRetentionPeriod") * 1000;
    while ((this.expiries.peekKey() ?? Infinity) + retentionMs <= now) {
      const oldest = this.expiries.pop()!;
      if (oldest.state === "deleted" || this.byId.get(oldest.id) !== oldest) continue;
      this.remove(oldest);
      this.host.journal.emit({ type: "message.expired", queue: this.name, messageId: oldest.id });
    }
    if (woke) this.notify();
  }

  private returnToVisible(msg: StoredMessage): void {
    msg.state = "visible";
    msg.timerVersion++;
    this.counts.inflight--;
    this.counts.visible++;
    this.visible.inflightEnded(msg, true);
    this.notify();
  }

  private remove(msg: StoredMessage): void {
    const previous: MessageState = msg.state;
    msg.state = "deleted";
    this.byId.delete(msg.id);
    this.lastReceivedAt.delete(msg.id);
    this.host.stateLog.messageRemoved(this, msg.id);
    if (previous === "inflight") {
      this.counts.inflight--;
      this.visible.inflightEnded(msg, false);
      // Deleting a FIFO group's in-flight message can unlock the rest of the group for waiting
      // long polls (validated `test_fifo_message_group_visibility`).
      if (this.fifo) this.notify();
    } else {
      if (previous === "visible") this.counts.visible--;
      if (previous === "delayed") this.counts.delayed--;
      this.visible.removed(msg, previous);
    }
  }

  private moveToDeadLetterQueue(msg: StoredMessage, dlq: SqsQueue): void {
    msg.state = "deleted";
    this.byId.delete(msg.id);
    this.lastReceivedAt.delete(msg.id);
    // Kept: MessageId, body, attributes, receive count, first SentTimestamp (SQS developer guide,
    // "Using dead-letter queues"; LocalStack #8234 verified the lazy move against AWS).
    dlq.store({
      id: msg.id,
      body: msg.body,
      md5OfBody: msg.md5OfBody,
      attributes: msg.attributes,
      md5OfMessageAttributes: msg.md5OfMessageAttributes,
      systemAttributes: msg.systemAttributes,
      md5OfMessageSystemAttributes: msg.md5OfMessageSystemAttributes,
      bytes: msg.bytes,
      senderId: msg.senderId,
      sentAt: msg.sentAt,
      groupId: msg.groupId,
      dedupId: msg.dedupId,
      receiveCount: msg.receiveCount,
      firstReceiveAt: msg.firstReceiveAt,
      deadLetterSourceArn: this.arn,
      // "For standard queues, the expiration of a message is always based on its original enqueue
      // timestamp"; for FIFO queues it resets (SQS Developer Guide, dead-letter queue retention).
      enqueuedAt: dlq.fifo ? undefined : msg.enqueuedAt,
      delaySeconds: 0,
    });
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

  /** Keeps one clock timer at the next moment a long-polling receiver could be served. */
  private armWakeTimer(): void {
    if (this.waiters.size === 0) return;
    const next = Math.min(this.delayed.peekKey() ?? Infinity, this.inflight.peekKey() ?? Infinity);
    if (next === Infinity) return;
    if (this.wakeTimer && this.wakeTimer.at <= next) return;
    this.wakeTimer?.cancel();
    const handle = this.clock.setTimeout(() => {
      this.wakeTimer = undefined;
      this.tick();
      this.armWakeTimer();
    }, next - this.clock.now());
    this.wakeTimer = { cancel: () => handle.cancel(), at: next };
  }
}

/** FIFO SequenceNumber: a 20-digit decimal string that only grows (SQS API reference, SendMessage). */
function sequenceNumberOf(seq: bigint): string {
  return (18_000_000_000_000_000_000n + seq).toString();
}
