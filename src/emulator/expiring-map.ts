import { Deque } from "./deque.js";

/** An entry of an {@link ExpiringMap}: its key and the epoch ms it stops counting. */
export interface Expiring {
  readonly key: string;
  readonly expiresAt: number;
}

/**
 * A map whose entries stop counting at their `expiresAt`: the FIFO deduplication cache and the
 * ReceiveRequestAttemptId cache, each with one fixed window. With one window per map, insertion order
 * is expiry order, so expired entries are dropped by a walk from the front and nothing needs a timer.
 * Entries must be added in expiry order (a restart restores them sorted).
 */
export class ExpiringMap<E extends Expiring> {
  private readonly byKey = new Map<string, E>();
  private readonly order = new Deque<E>();

  /** The live entry under `key` at `now`. */
  get(key: string, now: number): E | undefined {
    this.prune(now);
    return this.byKey.get(key);
  }

  /** Adds an entry, replacing any under the same key. */
  add(entry: E): void {
    this.byKey.set(entry.key, entry);
    this.order.push(entry);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
    this.order.clear();
  }

  private prune(now: number): void {
    for (;;) {
      const head = this.order.peek();
      if (!head || head.expiresAt > now) return;
      this.order.shift();
      // A replaced or deleted entry leaves its old place in `order` behind; only the live one counts.
      if (this.byKey.get(head.key) === head) this.byKey.delete(head.key);
    }
  }
}
