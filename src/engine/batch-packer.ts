import { LIMITS } from "../sqs/index.js";

export interface BatchPackerOptions {
  /** The queue's MaximumMessageSize, which SQS also applies to a whole batch. @default LIMITS.maxBatchBytes */
  maxBytes?: number;
  /** Entries per SendMessageBatch. @default LIMITS.maxBatchEntries (10) */
  maxEntries?: number;
}

export interface Packed<T> {
  batches: T[][];
  /** Items larger than `maxBytes` on their own: they can never be sent (permanent, reason `oversize`). */
  oversize: T[];
}

/**
 * Packs mapped entries into SendMessageBatch requests: ≤ 10 entries and ≤ maxBytes summed (SQS
 * SendMessageBatch API reference: "The maximum allowed individual message size and the maximum total
 * payload size (the sum of the individual lengths of all of the batched messages) are both 1 MiB").
 * Order is kept: a batch closes when the next item does not fit, so no later item overtakes an earlier.
 */
export class BatchPacker<T extends { bytes: number }> {
  readonly maxBytes: number;
  readonly maxEntries: number;
  private current: T[] = [];
  private currentBytes = 0;

  constructor(options: BatchPackerOptions = {}) {
    this.maxBytes = options.maxBytes ?? LIMITS.maxBatchBytes;
    this.maxEntries = options.maxEntries ?? LIMITS.maxBatchEntries;
    if (!(this.maxBytes > 0) || !Number.isInteger(this.maxEntries) || this.maxEntries < 1 || this.maxEntries > LIMITS.maxBatchEntries) {
      throw new RangeError(`BatchPacker: maxBytes must be > 0 and maxEntries 1–${LIMITS.maxBatchEntries}.`);
    }
  }

  /** Adds one item; returns the batches it closed (at most one) and the item itself if it is oversize. */
  add(item: T): Packed<T> {
    if (item.bytes > this.maxBytes) return { batches: [], oversize: [item] };
    const batches: T[][] = [];
    if (this.current.length === this.maxEntries || this.currentBytes + item.bytes > this.maxBytes) {
      batches.push(this.take());
    }
    this.current.push(item);
    this.currentBytes += item.bytes;
    return { batches, oversize: [] };
  }

  /** Closes the open batch, if any. */
  flush(): T[] | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  /** Packs a whole list at once, flushing at the end. */
  pack(items: Iterable<T>): Packed<T> {
    const out: Packed<T> = { batches: [], oversize: [] };
    for (const item of items) {
      const step = this.add(item);
      out.batches.push(...step.batches);
      out.oversize.push(...step.oversize);
    }
    const last = this.flush();
    if (last) out.batches.push(last);
    return out;
  }

  private take(): T[] {
    const batch = this.current;
    this.current = [];
    this.currentBytes = 0;
    return batch;
  }
}
