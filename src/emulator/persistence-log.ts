import { DurableLog } from "../journal/index.js";
import { LIMITS } from "../sqs/index.js";
import type { StoredMessage } from "./message.js";
import { saveMessage } from "./persistence-message.js";
import type { StateLog } from "./persistence.js";
import type { LogRecord } from "./persistence-image.js";
import type { SqsQueue } from "./queue.js";

/**
 * The append-only operation log (NDJSON, one record per line) behind `--data DIR`. Hooks turn state
 * changes into lines synchronously (a message is mutable, so it is serialised the moment it changes);
 * {@link FileStateLog.commit} writes them with group commit (see {@link DurableLog}): a burst of
 * concurrent sends costs a few writes, not one each.
 */
export class FileStateLog implements StateLog {
  readonly enabled = true;
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly log: DurableLog) {}

  get path(): string {
    return this.log.path;
  }

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
    this.log.append(JSON.stringify(record));
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
    return this.log.commit();
  }

  /** Writes what is pending, then closes the file; later records are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.log.close();
  }
}
