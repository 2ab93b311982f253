import { Deque } from "./deque.js";

interface DedupEntry {
  key: string;
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

/**
 * The FIFO deduplication cache: an id seen within the last 5 minutes maps to the message it first
 * produced. Entries survive the message's deletion and are cleared only by PurgeQueue (SQS developer
 * guide, "Exactly-once processing in Amazon SQS"). All entries share one window, so insertion order is
 * expiry order and pruning is a walk from the front.
 */
export class DedupWindow {
  private readonly byKey = new Map<string, DedupEntry>();
  private readonly order = new Deque<DedupEntry>();

  constructor(private readonly windowMs: number) {}

  lookup(key: string, now: number): DedupEntry | undefined {
    this.prune(now);
    return this.byKey.get(key);
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined, now: number): void {
    const entry = { key, messageId, sequenceNumber, expiresAt: now + this.windowMs };
    this.byKey.set(key, entry);
    this.order.push(entry);
  }

  clear(): void {
    this.byKey.clear();
    this.order.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  entries(): DedupEntry[] {
    return [...this.byKey.values()];
  }

  private prune(now: number): void {
    for (;;) {
      const head = this.order.peek();
      if (!head || head.expiresAt > now) return;
      this.order.shift();
      if (this.byKey.get(head.key) === head) this.byKey.delete(head.key);
    }
  }
}
