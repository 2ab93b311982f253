import type { FailureInfo } from "./retry-policy.js";
import type { MappedEntry } from "./mapper.js";
import type { SqsDestination } from "./destination.js";

/** What the engine needs to know about the destination queue (preflight, batching, preview). */
export interface QueueInfo {
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** `messageGroup` or `queue`; FIFO only. */
  deduplicationScope?: string;
  /** The queue's MaximumMessageSize in bytes: the per-message and per-batch limit. */
  maximumMessageSize: number;
  /** Set when the queue is encrypted with a KMS key (sends may then fail with KMS errors). */
  kmsMasterKeyId?: string;
  sqsManagedSse?: boolean;
  queueArn?: string;
}

/** One SendMessageBatch entry; `Id` is unique within its request. */
export interface SendEntry extends MappedEntry {
  Id: string;
}

export type EntryOutcome =
  | { ok: true; messageId: string; sequenceNumber?: string; md5Ok: boolean }
  | { ok: false; failure: FailureInfo; message: string };

/**
 * The answer to one SendMessageBatch: either SQS answered (HTTP 200, per-entry results keyed by entry
 * `Id`), or the whole request failed (error response, timeout, reset) and every entry shares `failure`.
 */
export type BatchOutcome =
  | { kind: "response"; httpStatus: number; results: Map<string, EntryOutcome> }
  | { kind: "error"; failure: FailureInfo; message: string };

/** A failed GetQueueAttributes (preflight), carrying what the SDK reported. */
export class QueueLookupError extends Error {
  constructor(
    message: string,
    readonly failure: FailureInfo,
  ) {
    super(message);
    this.name = "QueueLookupError";
  }
}

/** One destination's queue as the engine talks to it; real implementations use the AWS SDK v3. */
export interface QueueClient {
  sendBatch(entries: SendEntry[]): Promise<BatchOutcome>;
  /** GetQueueAttributes(All); throws {@link QueueLookupError}. */
  getQueueInfo(): Promise<QueueInfo>;
  close(): void;
}

export type QueueClientFactory = (destination: SqsDestination) => QueueClient;
