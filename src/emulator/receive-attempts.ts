import { Deque } from "./deque.js";
import type { StoredMessage } from "./message.js";

/** What a receive handed out: a message and the receipt handle of that receive. */
interface Handed {
  readonly message: StoredMessage;
  readonly receiptHandle: string;
}

/** One message of a remembered receive, with the state it was left in. */
export interface AttemptMessage {
  readonly msg: StoredMessage;
  readonly receiptHandle: string;
  /** The receive that produced `receiptHandle`; a later receive of the message changes it. */
  readonly receiveSeq: number;
  /** `msg.timerVersion` when the attempt last set its visibility; any other visibility change bumps it. */
  timerVersion: number;
}

export interface AttemptEntry {
  readonly attemptId: string;
  readonly expiresAt: number;
  readonly messages: readonly AttemptMessage[];
}

/**
 * FIFO ReceiveRequestAttemptId: what each receive attempt of the last 5 minutes returned, so a retry
 * with the same id can be answered with the same messages and receipt handles (ReceiveMessage API
 * reference, ReceiveRequestAttemptId: "You can use ReceiveRequestAttemptId only for 5 minutes after a
 * ReceiveMessage action"). The window counts from the receive that took the messages; a replay does
 * not extend it. Every entry shares one window, so insertion order is expiry order and pruning is a
 * walk from the front, as in DedupWindow.
 *
 * A remembered receive replays only "if none of the messages have been modified (deleted or had their
 * visibility changes)", and the same handles are promised "during a visibility timeout": a message
 * deleted, received again, changed by ChangeMessageVisibility or visible again after its timeout ends
 * the replay. The doc names no error for that case, so the retry is then an ordinary receive,
 * remembered under the same id: what a caller without the id would get. A replay does not raise the
 * receive count, since it answers the same receive again. A receive that got nothing is not
 * remembered: its retry has nothing to get back, so it receives anew.
 *
 * Kept in memory only: after a restart in-flight messages come back visible (persistence.ts), so no
 * remembered receipt handle could be replayed anyway.
 */
export class ReceiveAttempts {
  private readonly byId = new Map<string, AttemptEntry>();
  private readonly order = new Deque<AttemptEntry>();

  constructor(private readonly windowMs: number) {}

  /**
   * The receive remembered under `attemptId` if every message of it is still as that receive (or its
   * last replay) left it; otherwise the id is forgotten. `current` finds a live message by id.
   */
  replayable(attemptId: string, now: number, current: (id: string) => StoredMessage | undefined): AttemptEntry | undefined {
    this.prune(now);
    const entry = this.byId.get(attemptId);
    if (!entry) return undefined;
    const unchanged = entry.messages.every(
      (m) => current(m.msg.id) === m.msg && m.msg.state === "inflight" && m.msg.receiveSeq === m.receiveSeq && m.msg.timerVersion === m.timerVersion,
    );
    if (unchanged) return entry;
    this.byId.delete(attemptId);
    return undefined;
  }

  /** Remembers what a receive handed out, replacing any earlier attempt with this id. */
  remember(attemptId: string, received: readonly Handed[], now: number): void {
    if (received.length === 0) return;
    this.prune(now);
    const messages = received.map((r) => ({
      msg: r.message,
      receiptHandle: r.receiptHandle,
      receiveSeq: r.message.receiveSeq,
      timerVersion: r.message.timerVersion,
    }));
    const entry: AttemptEntry = { attemptId, expiresAt: now + this.windowMs, messages };
    this.byId.set(attemptId, entry);
    this.order.push(entry);
  }

  clear(): void {
    this.byId.clear();
    this.order.clear();
  }

  get size(): number {
    return this.byId.size;
  }

  private prune(now: number): void {
    for (;;) {
      const head = this.order.peek();
      if (!head || head.expiresAt > now) return;
      this.order.shift();
      if (this.byId.get(head.attemptId) === head) this.byId.delete(head.attemptId);
    }
  }
}
