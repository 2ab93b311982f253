import type { StoredMessage } from "./message.js";
import type { SqsQueue } from "./queue.js";

/**
 * The hooks through which the emulator tells persistence (`--data DIR`) what changed. SqsQueue and
 * Emulator call them at their mutation points; without a data directory they call
 * {@link NULL_STATE_LOG}, whose methods do nothing, so the in-memory path pays one empty call.
 *
 * Each hook records a fact, never a diff: replaying the same records twice gives the same state, which
 * is what makes compaction crash-safe (see persistence-store.ts).
 */
export interface StateLog {
  /** False for the null log: the emulator skips the commit step entirely. */
  readonly enabled: boolean;
  queueCreated(queue: SqsQueue): void;
  queueDeleted(name: string, at: number): void;
  /** Attributes (Policy included), tags or LastModifiedTimestamp changed. */
  queueChanged(queue: SqsQueue): void;
  queuePurged(queue: SqsQueue, at: number): void;
  /** A message entered `queue`: a send, a dead-letter move or a move task. */
  messageStored(queue: SqsQueue, msg: StoredMessage): void;
  /** A message left `queue`: deleted, expired, dead-lettered or moved. */
  messageRemoved(queue: SqsQueue, messageId: string): void;
  /** A receive: the receive count, first-receive time and receipt generation changed. */
  messageReceived(queue: SqsQueue, msg: StoredMessage): void;
  /** A FIFO deduplication id was remembered at `at` (it expires one dedup window later). */
  dedupRemembered(queue: SqsQueue, key: string, messageId: string, sequenceNumber: string | undefined, at: number): void;
  /**
   * Resolves once every record logged so far is written (group commit: one write carries every
   * request that is waiting). The emulator awaits it before an answer leaves, so a 200 means durable.
   */
  commit(): Promise<void>;
}

const RESOLVED = Promise.resolve();

/** The log of an emulator without a data directory: every hook is a no-op. */
export const NULL_STATE_LOG: StateLog = {
  enabled: false,
  queueCreated() {},
  queueDeleted() {},
  queueChanged() {},
  queuePurged() {},
  messageStored() {},
  messageRemoved() {},
  messageReceived() {},
  dedupRemembered() {},
  commit: () => RESOLVED,
};

/** How persistence behaves; every field is optional. */
export interface PersistenceOptions {
  /**
   * `"write"`: the record is handed to the OS before the answer is sent, which survives a crash or
   * SIGKILL of sqsrig. `"fsync"`: it is also on the disk (fdatasync), which survives a power cut, at
   * roughly 0.3–0.6 ms per group commit.
   * @default "write"
   */
  durability?: "write" | "fsync";
  /** Where recoverable problems (a truncated last record) are reported. @default console.warn */
  onWarning?: (message: string) => void;
}
