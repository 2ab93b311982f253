import type { Clock } from "../clock/index.js";
import type { JournalEvent, JournalRecord, JournalType, RecordOf } from "./records.js";

export type JournalListener = (record: JournalRecord) => void;

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

  constructor(
    private readonly clock: Clock,
    options: { retain?: number } = {},
  ) {
    this.retain = options.retain ?? 10_000;
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
    for (const listener of this.listeners) listener(record);
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

export function createJournal(clock: Clock, options?: { retain?: number }): Journal {
  return new Journal(clock, options);
}
