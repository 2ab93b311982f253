import { LIMITS } from "../sqs/index.js";
import { ExpiringMap } from "./expiring-map.js";

/** A FIFO deduplication id seen within the window, and the message it first produced. */
export interface DedupEntry {
  readonly key: string;
  readonly messageId: string;
  readonly sequenceNumber?: string;
  readonly expiresAt: number;
}

/**
 * The FIFO deduplication cache: an id seen within the last 5 minutes maps to the message it first
 * produced. Entries survive the message's deletion and are cleared only by PurgeQueue (SQS developer
 * guide, "Exactly-once processing in Amazon SQS").
 *
 * The scope is the DeduplicationScope the queue was created with: AWS reports a later
 * SetQueueAttributes change but keeps deduplicating as before (validated
 * `test_fifo_change_to_high_throughput_after_creation`), so persistence saves it with the queue.
 */
export class FifoDedup {
  private readonly seen = new ExpiringMap<DedupEntry>();

  constructor(private perGroup: boolean) {}

  get scope(): "messageGroup" | "queue" {
    return this.perGroup ? "messageGroup" : "queue";
  }

  /** The cache key of a send: its deduplication id, within its group when the scope is messageGroup. */
  key(groupId: string | undefined, dedupId: string): string {
    return this.perGroup ? `${groupId}\u0000${dedupId}` : dedupId;
  }

  lookup(key: string, now: number): DedupEntry | undefined {
    return this.seen.get(key, now);
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined, now: number): void {
    this.seen.add({ key, messageId, sequenceNumber, expiresAt: now + LIMITS.dedupWindowMs });
  }

  /**
   * Persistence: the saved scope and live entries, oldest first. A file saved before the scope was
   * kept lacks it; the scope derived from the current attributes then stands.
   */
  restore(scope: string | undefined, entries: readonly DedupEntry[]): void {
    if (scope !== undefined) this.perGroup = scope === "messageGroup";
    for (const e of entries) this.seen.add({ key: e.key, messageId: e.messageId, sequenceNumber: e.sequenceNumber, expiresAt: e.expiresAt });
  }

  clear(): void {
    this.seen.clear();
  }
}
