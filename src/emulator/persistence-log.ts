import type { FileHandle } from "node:fs/promises";
import { LIMITS } from "../sqs/index.js";
import type { StoredMessage } from "./message.js";
import { saveMessage } from "./persistence-message.js";
import type { StateLog } from "./persistence.js";
import type { LogRecord } from "./persistence-image.js";
import type { SqsQueue } from "./queue.js";

/**
 * The append-only operation log (NDJSON, one record per line) behind `--data DIR`. Hooks turn state
 * changes into lines synchronously (a message is mutable, so it is serialised the moment it changes);
 * {@link FileStateLog.commit} writes every pending line in one `write` (and one `fdatasync` with
 * `durability: "fsync"`). Requests that arrive while a write is under way share the next one: a
 * group commit, so a burst of concurrent sends costs a few writes, not one each.
 */
export class FileStateLog implements StateLog {
  readonly enabled = true;
  private pending: string[] = [];
  private waiters: { resolve(): void; reject(err: Error): void }[] = [];
  private writing = false;
  private flushScheduled = false;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly file: FileHandle,
    readonly path: string,
    private readonly fsync: boolean,
  ) {}

  queueCreated(queue: SqsQueue): void {
    this.append({
      op: "queue.created",
      queue: {
        name: queue.name,
        url: queue.url,
        attributes: { ...queue.attributes },
        tags: { ...queue.tags },
        createdAt: queue.createdAt,
        lastModifiedAt: queue.lastModifiedAt,
        dedupScope: queue.fifo ? queue.creationDedupScope : undefined,
      },
    });
  }

  queueDeleted(name: string, at: number): void {
    this.append({ op: "queue.deleted", name, at });
  }

  queueChanged(queue: SqsQueue): void {
    this.append({ op: "queue.changed", name: queue.name, attributes: queue.attributes, tags: queue.tags, lastModifiedAt: queue.lastModifiedAt });
  }

  queuePurged(queue: SqsQueue, at: number): void {
    this.append({ op: "queue.purged", name: queue.name, at });
  }

  messageStored(queue: SqsQueue, msg: StoredMessage): void {
    this.append({ op: "message.stored", queue: queue.name, message: saveMessage(msg) });
  }

  messageRemoved(queue: SqsQueue, messageId: string): void {
    this.append({ op: "message.removed", queue: queue.name, id: messageId });
  }

  messageReceived(queue: SqsQueue, msg: StoredMessage): void {
    this.append({
      op: "message.received",
      queue: queue.name,
      id: msg.id,
      receiveCount: msg.receiveCount,
      firstReceiveAt: msg.firstReceiveAt,
      receiveSeq: msg.receiveSeq,
    });
  }

  dedupRemembered(queue: SqsQueue, key: string, messageId: string, sequenceNumber: string | undefined, at: number): void {
    this.append({ op: "dedup.remembered", queue: queue.name, key, messageId, sequenceNumber, expiresAt: at + LIMITS.dedupWindowMs });
  }

  append(record: LogRecord): void {
    // After close (the server is shutting down) nothing can be answered any more; drop quietly.
    if (this.closed) return;
    this.pending.push(JSON.stringify(record));
    // Changes made by timers (move tasks, retention) have no request to commit them.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.commit().catch(() => {});
      });
    }
  }

  commit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0 && !this.writing) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Writes what is pending, then closes the file; later records are dropped. */
  async close(): Promise<void> {
    try {
      await this.commit();
    } finally {
      this.closed = true;
      await this.file.close();
    }
  }

  /**
   * Each round writes every line pending when it starts and resolves the callers that were waiting
   * then; a caller that commits during a write waits for the next round, which carries its lines.
   */
  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiters.length > 0 && !this.failure) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        if (lines.length > 0) {
          await this.file.write(lines.join("\n") + "\n");
          if (this.fsync) await this.file.datasync();
        }
        for (const w of waiters) w.resolve();
      } catch (err) {
        // Sticky: memory and disk now disagree, so no later answer may claim durability.
        this.failure = new Error(`sqsrig: cannot write the state log ${this.path}: ${(err as Error).message}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
        this.waiters = [];
      }
    }
    this.writing = false;
  }
}
