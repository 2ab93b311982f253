import { LIMITS, dictionary } from "../sqs/index.js";
import type { SavedMessage } from "./persistence-message.js";

/**
 * The saved state of the emulator as plain data: what the snapshot file holds and what replaying the
 * operation log builds. Every record sets a value (never adds to one), so applying a record twice is
 * harmless; compaction relies on that.
 */

export interface SavedDedup {
  key: string;
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

export interface SavedQueueSettings {
  name: string;
  url: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  /**
   * FIFO: the DeduplicationScope the queue was created with, which it keeps deduplicating by after a
   * SetQueueAttributes change (fifo-dedup.ts). Absent in files saved before it was kept.
   */
  dedupScope?: string;
}

/** A queue as the snapshot saves it: one line per queue, its messages on the lines after it. */
export interface SavedQueue extends SavedQueueSettings {
  lastPurgeAt?: number;
  /** The next internal sequence (decimal bigint): FIFO SequenceNumbers keep growing after a restart. */
  nextSeq: string;
  /** Oldest first (expiry order). */
  dedup: SavedDedup[];
}

export const SNAPSHOT_FORMAT = "sqsrig-state-snapshot";
export const LOG_FORMAT = "sqsrig-state-log";
export const FORMAT_VERSION = 1;

/**
 * The snapshot is NDJSON too, so no state is ever one giant string: this header, then for each queue
 * a `{queue}` line followed by one `{in, message}` line per message, oldest first. The counts let a
 * reader tell a complete snapshot from a damaged one.
 */
export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof FORMAT_VERSION;
  savedAt: number;
  queues: number;
  messages: number;
  /** Recently deleted names: CreateQueue must still refuse them for 60 seconds. */
  deletedAt: Record<string, number>;
}

export type SnapshotLine = { queue: SavedQueue } | { in: string; message: SavedMessage };

/** One line of the operation log. */
export type LogRecord =
  | { op: "log.opened"; format: typeof LOG_FORMAT; version: number; at: number }
  | { op: "queue.created"; queue: SavedQueueSettings }
  | { op: "queue.deleted"; name: string; at: number }
  | { op: "queue.changed"; name: string; attributes: Record<string, string>; tags: Record<string, string>; lastModifiedAt: number }
  | { op: "queue.purged"; name: string; at: number }
  | { op: "message.stored"; queue: string; message: SavedMessage }
  | { op: "message.removed"; queue: string; id: string }
  | { op: "message.received"; queue: string; id: string; receiveCount: number; firstReceiveAt?: number; receiveSeq: number }
  | { op: "dedup.remembered"; queue: string; key: string; messageId: string; sequenceNumber?: string; expiresAt: number };

interface QueueImage extends SavedQueueSettings {
  lastPurgeAt?: number;
  nextSeq: bigint;
  messages: Map<string, SavedMessage>;
  dedup: Map<string, SavedDedup>;
}

/** The state being rebuilt from a snapshot and a log. */
export class StateImage {
  readonly queues = new Map<string, QueueImage>();
  readonly deletedAt = new Map<string, number>();

  /** Takes in one line of a snapshot (after its header). */
  load(line: SnapshotLine): void {
    if ("queue" in line) {
      const { dedup, nextSeq, ...settings } = line.queue;
      this.queues.set(settings.name, {
        ...settings,
        nextSeq: BigInt(nextSeq),
        messages: new Map(),
        dedup: new Map(dedup.map((d) => [d.key, d])),
      });
    } else {
      const q = this.queues.get(line.in);
      if (!q) throw new Error(`a message of queue ${JSON.stringify(line.in)}, which the snapshot does not list`);
      q.messages.set(line.message.id, line.message);
    }
  }

  /** Applies one log record. Records for a queue that no longer exists are ignored. */
  apply(record: LogRecord): void {
    switch (record.op) {
      case "log.opened":
        return;
      case "queue.created":
        this.deletedAt.delete(record.queue.name);
        this.queues.set(record.queue.name, { ...record.queue, nextSeq: 0n, messages: new Map(), dedup: new Map() });
        return;
      case "queue.deleted":
        this.queues.delete(record.name);
        this.deletedAt.set(record.name, record.at);
        return;
      case "queue.changed": {
        const q = this.queues.get(record.name);
        if (q) Object.assign(q, { attributes: record.attributes, tags: record.tags, lastModifiedAt: record.lastModifiedAt });
        return;
      }
      case "queue.purged": {
        const q = this.queues.get(record.name);
        if (!q) return;
        q.messages.clear();
        q.dedup.clear();
        q.lastPurgeAt = record.at;
        return;
      }
      case "message.stored": {
        const q = this.queues.get(record.queue);
        if (!q) return;
        q.messages.set(record.message.id, record.message);
        const next = BigInt(record.message.seq) + 1n;
        if (next > q.nextSeq) q.nextSeq = next;
        return;
      }
      case "message.removed":
        this.queues.get(record.queue)?.messages.delete(record.id);
        return;
      case "message.received": {
        const m = this.queues.get(record.queue)?.messages.get(record.id);
        if (!m) return;
        m.receiveCount = record.receiveCount;
        m.firstReceiveAt = record.firstReceiveAt;
        m.receiveSeq = record.receiveSeq;
        return;
      }
      case "dedup.remembered": {
        const q = this.queues.get(record.queue);
        if (!q) return;
        const { key, messageId, sequenceNumber, expiresAt } = record;
        // Re-inserted so the map's order stays expiry order.
        q.dedup.delete(key);
        q.dedup.set(key, { key, messageId, sequenceNumber, expiresAt });
        return;
      }
    }
  }

  /** The snapshot at `now`, line by line: each queue, then its messages. Expired entries are dropped. */
  *snapshot(now: number): Generator<SnapshotHeader | SnapshotLine> {
    const deletedAt = dictionary<number>();
    for (const [name, at] of this.deletedAt) if (now - at < LIMITS.recreateAfterDeleteMs) deletedAt[name] = at;
    let messages = 0;
    for (const q of this.queues.values()) messages += q.messages.size;
    yield { format: SNAPSHOT_FORMAT, version: FORMAT_VERSION, savedAt: now, queues: this.queues.size, messages, deletedAt };
    for (const { queue, messages } of this.restorable(now)) {
      yield { queue };
      for (const message of messages) yield { in: queue.name, message };
    }
  }

  /** Every queue with its live dedup ids, and its messages oldest first: what a restart puts back. */
  *restorable(now: number): Generator<{ queue: SavedQueue; messages: SavedMessage[] }> {
    for (const q of this.queues.values()) {
      const { messages, dedup, nextSeq, ...settings } = q;
      const live = [...dedup.values()].filter((d) => d.expiresAt > now).sort((a, b) => a.expiresAt - b.expiresAt);
      yield {
        queue: { ...settings, nextSeq: nextSeq.toString(), dedup: live },
        messages: [...messages.values()].sort((a, b) => compareSeq(a.seq, b.seq)),
      };
    }
  }
}

function compareSeq(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const OPS = new Set<string>([
  "log.opened",
  "queue.created",
  "queue.deleted",
  "queue.changed",
  "queue.purged",
  "message.stored",
  "message.removed",
  "message.received",
  "dedup.remembered",
]);

/** Parses one log line; returns why it is not a record, as a string, when it is not. */
export function parseLogLine(line: string): LogRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const op = (value as { op?: unknown }).op;
  if (typeof op !== "string" || !OPS.has(op)) return `unknown operation ${JSON.stringify(op)}`;
  return value as LogRecord;
}

/** Checks a parsed snapshot header; returns what is wrong, or undefined. */
export function snapshotHeaderProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "its first line is not a JSON object";
  const s = value as Partial<SnapshotHeader>;
  if (s.format !== SNAPSHOT_FORMAT) return `its format is ${JSON.stringify(s.format)}, not "${SNAPSHOT_FORMAT}"`;
  if (s.version !== FORMAT_VERSION) return `its version ${JSON.stringify(s.version)} is not supported (expected ${FORMAT_VERSION})`;
  if (typeof s.queues !== "number" || typeof s.messages !== "number" || !s.deletedAt || typeof s.deletedAt !== "object") {
    return "its header lacks the queue and message counts";
  }
  return undefined;
}

/** Checks one parsed snapshot line; returns what is wrong, or undefined. */
export function snapshotLineProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const line = value as Partial<{ queue: Partial<SavedQueue>; in: unknown; message: Partial<SavedMessage> }>;
  if (line.queue) {
    const q = line.queue;
    if (typeof q.name !== "string" || typeof q.nextSeq !== "string" || !Array.isArray(q.dedup) || !q.attributes) return "an incomplete queue";
    return undefined;
  }
  if (typeof line.in === "string" && line.message && typeof line.message.id === "string" && typeof line.message.seq === "string") return undefined;
  return "neither a queue nor a message";
}
