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
export type JournalEvent = EmulatorEvent | EngineEvent | FaultEvent | ConsumerEvent | RunEvent;

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
  /** A move task (DLQ redrive) moved a message; it arrives as a new message (`newMessageId`). */
  | { type: "message.moved"; source: string; destination: string; messageId: string; newMessageId: string; taskHandle: string }
  | { type: "poll.waiting"; queue: string; waitSeconds: number }
  /** The client of a waiting receive hung up; the receive ended without taking anything. */
  | { type: "poll.abandoned"; queue: string }
  | { type: "moveTask.started"; source: string; destination?: string; taskHandle: string }
  | { type: "moveTask.finished"; source: string; taskHandle: string; status: string; moved: number }
  | { type: "request.failed"; action: string; code: string; httpStatus: number; message: string };

export type JournalType = JournalEvent["type"];

/**
 * Every record type, at run time (a scenario's `waitUntil: { record: { type } }` is checked against it);
 * `satisfies` keeps it complete when a variant is added.
 */
export const JOURNAL_TYPES: readonly JournalType[] = Object.keys({
  "attempt.sent": true,
  "batch.formed": true,
  "check.result": true,
  "consumer.batch": true,
  "consumer.deleted": true,
  "consumer.filtered": true,
  "consumer.handlerError": true,
  "consumer.result": true,
  "consumer.returned": true,
  "consumer.started": true,
  "consumer.stopped": true,
  "consumer.visibilityExtended": true,
  "destination.deleted": true,
  "destination.refused": true,
  "destination.saved": true,
  "dlq.replayed": true,
  "engine.crashed": true,
  "entry.result": true,
  "event.accepted": true,
  "event.deadLettered": true,
  "event.delivered": true,
  "event.recovered": true,
  "event.rejected": true,
  "fault.injected": true,
  "faults.changed": true,
  "message.dedupHit": true,
  "message.deleted": true,
  "message.enqueued": true,
  "message.expired": true,
  "message.moved": true,
  "message.movedToDlq": true,
  "message.received": true,
  "message.visibilityChanged": true,
  "moveTask.finished": true,
  "moveTask.started": true,
  "poll.abandoned": true,
  "poll.waiting": true,
  "queue.attributesChanged": true,
  "queue.created": true,
  "queue.deleted": true,
  "queue.purged": true,
  "request.failed": true,
  "retry.scheduled": true,
  "run.clockForced": true,
  "run.finished": true,
  "run.settled": true,
  "run.started": true,
  "run.step": true,
} satisfies Record<JournalType, true>) as JournalType[];

/** The record of one type, e.g. `RecordOf<"message.enqueued">`. */
export type RecordOf<T extends JournalType> = Stamped<Extract<JournalEvent, { type: T }>>;

/** A field-level problem, as the engine reports it for events and destinations. */
export interface RecordFieldError {
  field: string;
  rule: string;
  message: string;
}

/** One failed send of an entry, as kept with a dead-lettered event and shown in the UI. */
export interface AttemptSummary {
  /** 1-based attempt number of this delivery. */
  attempt: number;
  at: number;
  kind: "error" | "entry" | "timeout" | "reset";
  httpStatus?: number;
  code?: string;
  senderFault?: boolean;
  message: string;
  /** What the engine did next. */
  decision: "retry" | "deadLetter";
  /** Whether AWS SDK v3's own retry strategy would have retried this failure (DESIGN "Details"). */
  sdkWouldRetry: boolean;
}

/**
 * Records of the delivery engine. `delivery` identifies one event's delivery to one destination
 * (a replay is a new delivery); `eventId` the accepted event.
 */
export type EngineEvent =
  | { type: "event.accepted"; eventId: string; eventType: string; idempotencyKey: string; destinations: string[]; deliveries: string[] }
  | { type: "event.rejected"; index: number; errors: RecordFieldError[] }
  | {
      type: "batch.formed";
      destination: string;
      batchId: string;
      bytes: number;
      entries: {
        delivery: string;
        eventId: string;
        entryId: string;
        bytes: number;
        groupId?: string;
        dedupId?: string;
        /** Names of the entry's message attributes, in the order sent (the `accepted` check judges them). */
        attributeNames?: string[];
      }[];
    }
  | { type: "attempt.sent"; destination: string; batchId: string; entries: number }
  | {
      type: "entry.result";
      destination: string;
      batchId: string;
      delivery: string;
      eventId: string;
      ok: boolean;
      messageId?: string;
      sequenceNumber?: string;
      /** Whether MD5OfMessageBody and MD5OfMessageAttributes matched what was sent. */
      md5Ok?: boolean;
      failure?: Omit<AttemptSummary, "decision" | "attempt" | "at">;
    }
  | { type: "retry.scheduled"; destination: string; delivery: string; eventId: string; attempt: number; delayMs: number; retryAt: number; code?: string }
  | {
      type: "event.delivered";
      destination: string;
      delivery: string;
      eventId: string;
      messageId: string;
      sequenceNumber?: string;
      groupId?: string;
      dedupId?: string;
      attempts: number;
      /** A crash interrupted an earlier send of this delivery: a standard queue may now hold it twice. */
      possibleDuplicate?: boolean;
    }
  | { type: "event.deadLettered"; destination: string; delivery: string; eventId: string; dlqId: string; reason: string; attempts: number }
  | {
      type: "event.recovered";
      destination: string;
      delivery: string;
      eventId: string;
      /** It had been sent before the crash without a recorded answer. */
      possibleDuplicate: boolean;
    }
  | { type: "dlq.replayed"; dlqId: string; destination: string; eventId: string; delivery: string; asNew: boolean; dedupId?: string; warning?: string }
  | { type: "destination.saved"; destination: string; queueUrl: string; fifo: boolean }
  | { type: "destination.deleted"; destination: string }
  /** A save the preflight refused (queue missing, access denied, AssumeRole refused, FIFO mismatch). */
  | { type: "destination.refused"; destination: string; errors: RecordFieldError[] }
  /**
   * The engine was killed the way a process is (scenario `restartEngine`): timers dropped, answers of
   * requests in flight never read, nothing flushed. `unfinished` deliveries are left to the outbox.
   */
  | { type: "engine.crashed"; unfinished: number };

/** Records of the fault injector: each decision names its rule, the request and the effect. */
export type FaultEvent =
  | { type: "faults.changed"; rules: number }
  | {
      type: "fault.injected";
      /** Index of the rule in the list (0-based). */
      rule: number;
      name?: string;
      action: string;
      queue?: string;
      effect: "error" | "delay" | "dropResponse" | "reset" | "partial" | "throttle";
      /** The error name (for `error`, and for `throttle` the error a request over the rate got). */
      error?: string;
      code?: string;
      senderFault?: boolean;
      delayMs?: number;
      /** Batch entry Ids a `partial` failed. */
      entries?: string[];
    };

/** Records of the consumers (lambda, pipe, poller). `consumer` is the consumer's name in the run. */
export type ConsumerEvent =
  | { type: "consumer.started"; consumer: string; kind: "lambda" | "pipe" | "poller"; queue: string }
  | { type: "consumer.stopped"; consumer: string }
  | {
      type: "consumer.batch";
      consumer: string;
      queue: string;
      batchId: string;
      messages: {
        messageId: string;
        groupId?: string;
        receiveCount: number;
        /**
         * The record exactly as the handler got it (Lambda/Pipes record shape, or the API's Message for a
         * poller), without its receipt handle; only when the consumer runs with `journalContents: true`.
         */
        content?: Record<string, unknown>;
      }[];
    }
  /** Messages a pipe's filter pattern dropped: deleted without reaching the handler (Pipes deletes them too). */
  | { type: "consumer.filtered"; consumer: string; batchId: string; messageIds: string[] }
  | {
      type: "consumer.result";
      consumer: string;
      batchId: string;
      messageId: string;
      outcome: "succeeded" | "failed";
      /** Why it counts as failed: `error` (thrown), `reported` (batchItemFailures), `invalidResponse`, `fifoStop`. */
      reason?: string;
      error?: string;
      idempotencyKey?: string;
      /** The consumer's idempotency helper had already seen this key. */
      duplicate?: boolean;
    }
  | { type: "consumer.deleted"; consumer: string; batchId: string; messageIds: string[] }
  /** Failed messages left to reappear after their visibility timeout (or made visible at once). */
  | { type: "consumer.returned"; consumer: string; batchId: string; messageIds: string[]; visibleInSeconds: number }
  | { type: "consumer.visibilityExtended"; consumer: string; messageId: string; visibilityTimeout: number }
  | { type: "consumer.handlerError"; consumer: string; message: string };

/**
 * Records of the scenario runner: what the timeline did and how the run was judged, so the UI and the
 * saved journal tell the whole story without the report.
 */
export type RunEvent =
  | { type: "run.started"; scenario: string; file: string; seed: number; timeScale: string; backend: string }
  /** One timeline step, when it ran (`t`) against when it was due (`atMs` from the run's start). */
  | { type: "run.step"; index: number; action: string; atMs: number; line: number; summary: string }
  /** The run stopped waiting: everything settled (`idle`) or the settle deadline passed (`deadline`). */
  | { type: "run.settled"; reason: "idle" | "deadline"; enginePending: number }
  /**
   * A `max` clock stopped waiting for real work still under way (about a second of it) and jumped from
   * `from` to `to`: from here the run's order may depend on real timing, not only on its seed.
   */
  | { type: "run.clockForced"; from: number; to: number }
  | { type: "check.result"; check: string; ok: boolean; summary: string; line: number }
  | { type: "run.finished"; status: "passed" | "failed" | "error"; message?: string };
