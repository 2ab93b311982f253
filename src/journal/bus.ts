import type { JournalEvent, JournalRecord, JournalType, RecordOf } from "./records.js";

export type JournalListener = (record: JournalRecord) => void;

/** What the journal needs of a clock: only the time to stamp (core folders import nothing of ours). */
export interface JournalClock {
  now(): number;
}

export interface JournalOptions {
  /** How many of the newest records stay in memory for late readers. @default 10000 */
  retain?: number;
  /**
   * Called when a subscriber throws. The emitter is in the middle of an operation (a receive, a send), so
   * the error never reaches it; the other subscribers still get the record.
   * @default prints the first such error of each subscriber to stderr
   */
  onListenerError?: (err: unknown, record: JournalRecord) => void;
}

/**
 * The run journal: an append-only sequence of typed records with live subscribers. It keeps the newest
 * `retain` records in memory so late readers (the UI, a check, a test waiting for a record) can look
 * back without every component keeping its own history.
 */
export class Journal {
  private seq = 0;
  private readonly listeners = new Set<JournalListener>();
  private readonly buffer: JournalRecord[] = [];
  private readonly retain: number;
  private readonly onListenerError: (err: unknown, record: JournalRecord, listener: JournalListener) => void;

  constructor(
    private readonly clock: JournalClock,
    options: JournalOptions = {},
  ) {
    this.retain = options.retain ?? 10_000;
    const report = options.onListenerError;
    this.onListenerError = report ? (err, record) => report(err, record) : reportOncePerListener();
  }

  /**
   * Stamps and appends one record, then hands it to every subscriber. The event object itself becomes
   * the record (emitters pass fresh literals), so the hot path of a busy queue copies nothing.
   */
  emit(event: JournalEvent): JournalRecord {
    const record = event as JournalRecord;
    record.seq = ++this.seq;
    record.t = this.clock.now();
    if (this.retain > 0) {
      this.buffer.push(record);
      if (this.buffer.length > this.retain * 2) this.buffer.splice(0, this.buffer.length - this.retain);
    }
    for (const listener of this.listeners) {
      // A subscriber (the UI, a writer, a test) must never break the emitter mid-operation: a receive
      // that already took its messages would otherwise fail with them stuck in flight.
      try {
        listener(record);
      } catch (err) {
        this.onListenerError(err, record, listener);
      }
    }
    return record;
  }

  /** Subscribes to every later record; returns the unsubscribe function. */
  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The records still held in memory, oldest first, optionally of one type. */
  records<T extends JournalType>(type?: T): T extends JournalType ? RecordOf<T>[] : JournalRecord[] {
    const kept = this.buffer.length > this.retain ? this.buffer.slice(-this.retain) : this.buffer.slice();
    return (type ? kept.filter((r) => r.type === type) : kept) as never;
  }

  /** The sequence number of the newest record (0 when empty). */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Resolves with the first record, emitted after this call or still in memory with `seq > afterSeq`,
   * that matches `predicate`. Lets tests wait for an event instead of sleeping.
   */
  waitFor<T extends JournalType>(
    type: T,
    predicate: (record: RecordOf<T>) => boolean = () => true,
    options: { afterSeq?: number; signal?: AbortSignal } = {},
  ): Promise<RecordOf<T>> {
    const afterSeq = options.afterSeq ?? 0;
    const seen = this.records(type).find((r) => r.seq > afterSeq && predicate(r as RecordOf<T>));
    if (seen) return Promise.resolve(seen as RecordOf<T>);
    return new Promise((resolve, reject) => {
      const stop = this.subscribe((record) => {
        if (record.type === type && record.seq > afterSeq && predicate(record as RecordOf<T>)) {
          stop();
          resolve(record as RecordOf<T>);
        }
      });
      options.signal?.addEventListener("abort", () => {
        stop();
        reject(options.signal?.reason ?? new Error("aborted"));
      });
    });
  }
}

/**
 * A journal stamped by `clock`.
 *
 * @example
 * const journal = createJournal(clock, { retain: 1_000 });
 * journal.subscribe((record) => ui.send(record));
 */
export function createJournal(clock: JournalClock, options?: JournalOptions): Journal {
  return new Journal(clock, options);
}

/** The default error report: once per subscriber, so a broken one cannot flood stderr. */
function reportOncePerListener(): (err: unknown, record: JournalRecord, listener: JournalListener) => void {
  const reported = new WeakSet<JournalListener>();
  return (err, record, listener) => {
    if (reported.has(listener)) return;
    reported.add(listener);
    console.error(`sqsrig: a journal subscriber threw on a ${record.type} record (later errors of this subscriber are not shown):`, err);
  };
}
