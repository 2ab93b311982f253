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
