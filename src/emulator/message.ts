import type { MessageAttributes } from "../sqs/index.js";

export type MessageState = "delayed" | "visible" | "inflight" | "deleted";

/** One stored message. Mutable: the queue moves it between states instead of copying it. */
export interface StoredMessage {
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
  /** Epoch ms it entered this queue (retention clock). */
  enqueuedAt: number;
  groupId?: string;
  dedupId?: string;
  /** FIFO: 20-digit decimal; compared as bigint. */
  sequenceNumber?: string;
  seq: bigint;
  state: MessageState;
  /** When a delayed or in-flight message becomes visible. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** Bumped on every receive; a receipt handle names the receive it came from. */
  receiveSeq: number;
  /** Bumped whenever `visibleAt` changes, so stale heap entries are ignored. */
  timerVersion: number;
  deadLetterSourceArn?: string;
}

/** What `SqsQueue.store` needs to place a message; the queue fills in sequence, state and timers. */
export type MessageFields = Omit<StoredMessage, "seq" | "state" | "visibleAt" | "receiveSeq" | "timerVersion" | "enqueuedAt"> & {
  delaySeconds: number;
  /** Retention start when it is not now (a standard message keeps it into its DLQ). */
  enqueuedAt?: number;
};

/**
 * The fields a message keeps when it moves to another queue (redrive to a DLQ, a move task): its id,
 * body, attributes, sender and first send time. What the move changes is passed in `changes`.
 */
export function carriedFields(
  msg: StoredMessage,
  changes: Pick<MessageFields, "receiveCount"> & Partial<Pick<MessageFields, "firstReceiveAt" | "deadLetterSourceArn" | "enqueuedAt">>,
): MessageFields {
  return {
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
    delaySeconds: 0,
    ...changes,
  };
}
