/**
 * Every record a run can contain. One discriminated union on `type`: components add a variant here
 * instead of exposing their internals. `seq` and `t` are stamped by the bus.
 */
export type JournalRecord = Stamped<JournalEvent>;

export type Stamped<E> = E & {
  /** Position in the journal, from 1, strictly increasing. */
  seq: number;
  /** Clock time in epoch milliseconds. */
  t: number;
};

/** What a component emits; the bus stamps it into a {@link JournalRecord}. */
export type JournalEvent = EmulatorEvent;

/** Records of the embedded SQS emulator. `queue` is always the queue name. */
export type EmulatorEvent =
  | { type: "queue.created"; queue: string; fifo: boolean; attributes: Record<string, string> }
  | { type: "queue.deleted"; queue: string }
  | { type: "queue.purged"; queue: string; messages: number }
  | { type: "queue.attributesChanged"; queue: string; attributes: Record<string, string> }
  | {
      type: "message.enqueued";
      queue: string;
      messageId: string;
      bytes: number;
      groupId?: string;
      dedupId?: string;
      sequenceNumber?: string;
      delaySeconds: number;
    }
  | { type: "message.dedupHit"; queue: string; messageId: string; dedupId: string; groupId?: string }
  | {
      type: "message.received";
      queue: string;
      messageId: string;
      receiveCount: number;
      groupId?: string;
      visibleAt: number;
    }
  | { type: "message.deleted"; queue: string; messageId: string }
  | { type: "message.visibilityChanged"; queue: string; messageId: string; visibleAt: number }
  | { type: "message.movedToDlq"; queue: string; dlq: string; messageId: string; receiveCount: number }
  | { type: "message.expired"; queue: string; messageId: string }
  | { type: "message.moved"; source: string; destination: string; messageId: string; taskHandle: string }
  | { type: "poll.waiting"; queue: string; waitSeconds: number }
  /** The client of a waiting receive hung up; the receive ended without taking anything. */
  | { type: "poll.abandoned"; queue: string }
  | { type: "moveTask.started"; source: string; destination?: string; taskHandle: string }
  | { type: "moveTask.finished"; source: string; taskHandle: string; status: string; moved: number }
  | { type: "request.failed"; action: string; code: string; httpStatus: number; message: string };

export type JournalType = JournalEvent["type"];

/** The record of one type, e.g. `RecordOf<"message.enqueued">`. */
export type RecordOf<T extends JournalType> = Stamped<Extract<JournalEvent, { type: T }>>;
