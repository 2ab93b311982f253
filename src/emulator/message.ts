import type { MessageAttributes } from "../sqs/index.js";

export type MessageState = "delayed" | "visible" | "inflight" | "deleted";

/** What a message is, whichever queue holds it: a move (redrive, move task) carries all of it. */
export interface MessageContent {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes?: MessageAttributes;
  readonly md5OfMessageAttributes?: string;
  /** System attributes sent with the message (AWSTraceHeader). */
  readonly systemAttributes?: MessageAttributes;
  readonly md5OfMessageSystemAttributes?: string;
  readonly bytes: number;
  readonly senderId: string;
  /** Epoch ms the message first entered a queue; kept across redrive (standard-queue retention). */
  readonly sentAt: number;
  readonly groupId?: string;
  readonly dedupId?: string;
}

/** One stored message. Mutable: the queue moves it between states instead of copying it. */
export interface StoredMessage extends MessageContent {
  /** Epoch ms it entered this queue (retention clock). */
  enqueuedAt: number;
  /** FIFO: 20-digit decimal; compared as bigint. */
  sequenceNumber?: string;
  seq: bigint;
  state: MessageState;
  /** When a delayed or in-flight message becomes visible. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /**
   * The receipt generation: bumped on every receive and when the message enters a queue, so a receipt
   * handle names one receive of one life of the message (receipts.ts).
   */
  receiveSeq: number;
  /** Bumped whenever `visibleAt` changes, so stale heap entries are ignored. */
  timerVersion: number;
  deadLetterSourceArn?: string;
}

/** The queue-held part of a stored message: everything that is not {@link MessageContent}. */
export type MessagePlacement = Omit<StoredMessage, keyof MessageContent>;

/**
 * The one place a StoredMessage is built. Every field is spelled out in one literal of fixed shape: a
 * spread would give each message a slow, dictionary-mode object, about 600 bytes more per stored
 * message. `satisfies` makes a field added to StoredMessage a compile error here until it is listed.
 */
export function buildStoredMessage(c: MessageContent, p: MessagePlacement): StoredMessage {
  return {
    id: c.id,
    body: c.body,
    md5OfBody: c.md5OfBody,
    attributes: c.attributes,
    md5OfMessageAttributes: c.md5OfMessageAttributes,
    systemAttributes: c.systemAttributes,
    md5OfMessageSystemAttributes: c.md5OfMessageSystemAttributes,
    bytes: c.bytes,
    senderId: c.senderId,
    sentAt: c.sentAt,
    groupId: c.groupId,
    dedupId: c.dedupId,
    enqueuedAt: p.enqueuedAt,
    sequenceNumber: p.sequenceNumber,
    seq: p.seq,
    state: p.state,
    visibleAt: p.visibleAt,
    receiveCount: p.receiveCount,
    firstReceiveAt: p.firstReceiveAt,
    receiveSeq: p.receiveSeq,
    timerVersion: p.timerVersion,
    deadLetterSourceArn: p.deadLetterSourceArn,
  } satisfies Record<keyof StoredMessage, unknown>;
}

/** What a queue is told about a message it takes in, besides its content (`SqsQueue.store`). */
export interface MessageArrival {
  delaySeconds: number;
  /** Retention start when it is not now (a standard message keeps it into its DLQ). */
  enqueuedAt?: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The receipt generation it had before (0 for a new message); entering the queue starts the next. */
  receiveSeq: number;
  deadLetterSourceArn?: string;
}
