import { ExpiringMap } from "./expiring-map.js";
import type { StoredMessage } from "./message.js";
import type { MessageStore } from "./message-store.js";

/** What a receive handed out: a message and the receipt handle of that receive. */
export interface Handed {
  readonly message: StoredMessage;
  readonly receiptHandle: string;
}

/** One message of a remembered receive, with the state it was left in. */
interface AttemptMessage {
  readonly msg: StoredMessage;
  readonly receiptHandle: string;
  /** The receive that produced `receiptHandle`; a later receive of the message changes it. */
  readonly receiveSeq: number;
  /** `msg.timerVersion` when the attempt last set its visibility; any other visibility change bumps it. */
  timerVersion: number;
}

interface AttemptEntry {
  /** The ReceiveRequestAttemptId. */
  readonly key: string;
  readonly expiresAt: number;
  readonly messages: readonly AttemptMessage[];
}

/**
 * FIFO ReceiveRequestAttemptId: what each receive attempt of the last 5 minutes returned, so a retry
 * with the same id can be answered with the same messages and receipt handles (ReceiveMessage API
 * reference, ReceiveRequestAttemptId: "You can use ReceiveRequestAttemptId only for 5 minutes after a
 * ReceiveMessage action"). The window counts from the receive that took the messages; a replay does
 * not extend it.
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
  private readonly entries = new ExpiringMap<AttemptEntry>();

  constructor(private readonly windowMs: number) {}

  /**
   * Answers a retry of a remembered, unchanged receive: its messages and receipt handles again, with
   * the visibility timeout reset to this request's ("it resets the visibility timeout", ReceiveMessage
   * API reference, ReceiveRequestAttemptId). Undefined when there is nothing to replay; an attempt
   * whose messages changed is forgotten. The caller announces the visibility changes.
   */
  replay(attemptId: string, now: number, visibilityTimeout: number, store: MessageStore): Handed[] | undefined {
    const entry = this.entries.get(attemptId, now);
    if (!entry) return undefined;
    const unchanged = entry.messages.every(
      (m) => store.get(m.msg.id) === m.msg && m.msg.state === "inflight" && m.msg.receiveSeq === m.receiveSeq && m.msg.timerVersion === m.timerVersion,
    );
    if (!unchanged) {
      this.entries.delete(attemptId);
      return undefined;
    }
    for (const m of entry.messages) {
      store.setVisibility(m.msg, now, visibilityTimeout);
      m.timerVersion = m.msg.timerVersion;
    }
    return entry.messages.map((m) => ({ message: m.msg, receiptHandle: m.receiptHandle }));
  }

  /** Remembers what a receive handed out, replacing any earlier attempt with this id. */
  remember(attemptId: string, received: readonly Handed[], now: number): void {
    if (received.length === 0) return;
    const messages = received.map((r) => ({
      msg: r.message,
      receiptHandle: r.receiptHandle,
      receiveSeq: r.message.receiveSeq,
      timerVersion: r.message.timerVersion,
    }));
    this.entries.add({ key: attemptId, expiresAt: now + this.windowMs, messages });
  }

  clear(): void {
    this.entries.clear();
  }
}
