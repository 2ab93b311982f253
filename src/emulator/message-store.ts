import { MinHeap } from "../clock/index.js";
import type { MessageState, StoredMessage } from "./message.js";
import { FifoVisibleSet, StandardVisibleSet, type VisibleSet } from "./visible-set.js";

interface TimerEntry {
  msg: StoredMessage;
  version: number;
}

/**
 * Stale heap entries tolerated beyond the number of live ones before a heap is compacted: keeps a
 * small queue from compacting on every delete.
 */
const STALE_ENTRY_SLACK = 1024;

export interface MessageCounts {
  visible: number;
  inflight: number;
  delayed: number;
}

/**
 * One queue's messages and the moves between their states: delayed → visible → in flight → visible
 * again or gone. Time-driven moves are kept in heaps and applied lazily by `advance`, so nothing costs
 * a timer per message and no operation scans the whole queue. Knows nothing of SQS requests; the queue
 * decides what a move means (journal records, persistence, waking long polls).
 */
export class MessageStore {
  /** Every live message; a Map iterates in insertion order, which is age order. */
  private readonly byId = new Map<string, StoredMessage>();
  private readonly visible: VisibleSet;
  private readonly delayed = new MinHeap<TimerEntry>();
  private readonly inflight = new MinHeap<TimerEntry>();
  /** Keyed by retention start (`enqueuedAt`), which a standard DLQ receives out of order. */
  private readonly expiries = new MinHeap<StoredMessage>();
  /** When each in-flight message was last received: the 12-hour visibility limit counts from it. */
  private readonly receivedAt = new Map<string, number>();
  private counts: MessageCounts = { visible: 0, inflight: 0, delayed: 0 };

  constructor(fifo: boolean) {
    this.visible = fifo ? new FifoVisibleSet() : new StandardVisibleSet();
  }

  /** Entries in each timer heap, stale ones included (a diagnostic: they must stay bounded). */
  get heapSizes(): { delayed: number; inflight: number; retention: number } {
    return { delayed: this.delayed.size, inflight: this.inflight.size, retention: this.expiries.size };
  }

  get inflightCount(): number {
    return this.counts.inflight;
  }

  get countsNow(): MessageCounts {
    return { ...this.counts };
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  /** Live messages, oldest first. */
  values(): IterableIterator<StoredMessage> {
    return this.byId.values();
  }

  lastReceivedAt(id: string): number | undefined {
    return this.receivedAt.get(id);
  }

  /** Adds a message in the state it already carries (`visible` or `delayed`). */
  place(msg: StoredMessage): void {
    this.byId.set(msg.id, msg);
    this.expiries.push(msg.enqueuedAt, msg);
    if (msg.state === "delayed") {
      this.counts.delayed++;
      this.delayed.push(msg.visibleAt, { msg, version: msg.timerVersion });
      this.visible.addDelayed(msg);
    } else {
      this.counts.visible++;
      this.visible.addNew(msg);
    }
  }

  /**
   * Applies what the passing of time has done by `now`: delays ended, visibility timeouts ran out,
   * retention expired (each expired message is handed to `onExpired` after it left). Returns whether
   * any message became visible.
   */
  advance(now: number, retentionMs: number, onExpired: (msg: StoredMessage) => void): boolean {
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
      this.makeVisible(msg);
      woke = true;
    }
    while ((this.expiries.peekKey() ?? Infinity) + retentionMs <= now) {
      const oldest = this.expiries.pop()!;
      if (oldest.state === "deleted" || this.byId.get(oldest.id) !== oldest) continue;
      this.remove(oldest);
      onExpired(oldest);
    }
    return woke;
  }

  /**
   * Takes up to `max` visible messages in delivery order. Each leaves the visible set before `accept`
   * sees it; `accept` returning false means the caller took it away (`detach`, e.g. to a DLQ).
   */
  take(max: number, accept: (msg: StoredMessage) => boolean): StoredMessage[] {
    return this.visible.take(max, (msg) => {
      this.counts.visible--;
      return accept(msg);
    });
  }

  /** A taken message goes in flight until `now + visibilityTimeout` seconds. */
  markInflight(msg: StoredMessage, now: number, visibilityTimeout: number): void {
    msg.state = "inflight";
    msg.receiveCount++;
    msg.firstReceiveAt ??= now;
    msg.receiveSeq++;
    msg.timerVersion++;
    msg.visibleAt = now + visibilityTimeout * 1000;
    this.receivedAt.set(msg.id, now);
    this.counts.inflight++;
    this.inflight.push(msg.visibleAt, { msg, version: msg.timerVersion });
  }

  /** Moves an in-flight message's visibility deadline; 0 seconds makes it visible at once. */
  setVisibility(msg: StoredMessage, now: number, timeoutSeconds: number): void {
    msg.timerVersion++;
    msg.visibleAt = now + timeoutSeconds * 1000;
    if (timeoutSeconds === 0) this.makeVisible(msg);
    else this.inflight.push(msg.visibleAt, { msg, version: msg.timerVersion });
    this.dropStaleEntries();
  }

  /** Removes a live message in any state; returns the state it had. */
  remove(msg: StoredMessage): MessageState {
    const previous = msg.state;
    msg.state = "deleted";
    this.forget(msg);
    if (previous === "inflight") {
      this.counts.inflight--;
      this.visible.inflightEnded(msg, false);
    } else {
      if (previous === "visible") this.counts.visible--;
      if (previous === "delayed") this.counts.delayed--;
      this.visible.removed(msg, previous);
    }
    return previous;
  }

  /** Forgets a message `take` handed out and the caller did not accept (it left the visible set already). */
  detach(msg: StoredMessage): void {
    msg.state = "deleted";
    this.forget(msg);
  }

  /** The next moment a delay or a visibility timeout ends, or Infinity. */
  nextDueAt(): number {
    return Math.min(this.delayed.peekKey() ?? Infinity, this.inflight.peekKey() ?? Infinity);
  }

  /** Drops every message (PurgeQueue); returns how many there were. */
  clear(): number {
    const n = this.byId.size;
    for (const msg of this.byId.values()) msg.state = "deleted";
    this.byId.clear();
    this.visible.clear();
    this.delayed.clear();
    this.inflight.clear();
    this.expiries.clear();
    this.receivedAt.clear();
    this.counts = { visible: 0, inflight: 0, delayed: 0 };
    return n;
  }

  private forget(msg: StoredMessage): void {
    this.byId.delete(msg.id);
    this.receivedAt.delete(msg.id);
    this.dropStaleEntries();
  }

  /**
   * A message that leaves early (deleted, moved) or gets a new visibility deadline leaves a stale
   * entry behind, skipped when it comes due: in the retention heap that is days later, in the in-flight
   * heap up to 12 hours, and each entry holds the whole message. Every live message (every delayed,
   * every in-flight one) has exactly one current entry, so a heap's surplus over that count is stale; a
   * heap is compacted once stale entries outnumber current ones (plus slack), which costs O(size)
   * after at least as many stale-making changes.
   */
  private dropStaleEntries(): void {
    const stale = (size: number, live: number) => size - live > live + STALE_ENTRY_SLACK;
    // A message that left the store is always "deleted" (remove, detach and clear all say so).
    if (stale(this.expiries.size, this.byId.size)) this.expiries.retain((msg) => msg.state !== "deleted");
    if (stale(this.inflight.size, this.counts.inflight)) this.inflight.retain(isCurrent("inflight"));
    if (stale(this.delayed.size, this.counts.delayed)) this.delayed.retain(isCurrent("delayed"));
  }

  private makeVisible(msg: StoredMessage): void {
    msg.state = "visible";
    msg.timerVersion++;
    this.counts.inflight--;
    this.counts.visible++;
    this.visible.inflightEnded(msg, true);
  }
}

/** Whether a timer entry is still the one that moves its message out of `state`. */
function isCurrent(state: MessageState): (entry: TimerEntry) => boolean {
  return (entry) => entry.msg.state === state && entry.msg.timerVersion === entry.version;
}
