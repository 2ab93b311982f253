import type { AttemptSummary } from "../journal/index.js";
import type { CanonicalEvent } from "./event.js";
import type { FieldError } from "./field-error.js";
import type { SqsDestination } from "./destination.js";
import type { MappedEntry, Rejection } from "./mapper.js";
import type { QueueInfo } from "./queue-client.js";

export interface IngestOptions {
  /** Deliver only to this destination (`POST /v1/events?destination=NAME`). */
  destination?: string;
}

export type IngestResult =
  | { index: number; status: "accepted"; eventId: string; destinations: string[] }
  | { index: number; status: "rejected"; errors: FieldError[] };

export interface IngestReport {
  accepted: number;
  rejected: number;
  /** One per input event, in input order. */
  results: IngestResult[];
}

/** An ingestion request the engine refuses as a whole (nothing accepted): unknown destination, none configured. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly code: "UnknownDestination" | "NoDestination" | "Closed",
    readonly status: number,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

/** A dead-lettered delivery: everything needed to understand it and to replay it. */
export interface DlqEntry {
  id: string;
  destination: string;
  eventId: string;
  delivery: string;
  event: CanonicalEvent;
  /** The entry as it was (or would have been) sent, without its batch `Id`. */
  entry: MappedEntry;
  bytes: number;
  /** `oversize`, `invalid`, or the permanent error code (`AccessDenied`, …), or `maxAttempts`. */
  reason: string;
  /** Every AWS rejection reason known before sending (oversize, invalid ids), when that is the reason. */
  rejections?: Rejection[];
  attempts: AttemptSummary[];
  /** A send made before a restart (or a destination re-save) that may have been stored; its attempts were not kept. */
  sentBeforeAt?: number;
  deadAt: number;
  replays: { at: number; delivery: string; asNew: boolean; dedupId?: string }[];
}

export interface ReplayRequest {
  /** DLQ entry ids; omit with `all: true` to replay every entry (optionally of one destination). */
  ids?: string[];
  all?: boolean;
  destination?: string;
  /** Send with a fresh MessageDeduplicationId so SQS cannot drop it as a duplicate. */
  asNew?: boolean;
  /** Send with the same dedup id even inside the 5-minute window (SQS will likely drop it). */
  force?: boolean;
}

export type ReplayOutcome =
  | { dlqId: string; status: "replayed"; delivery: string; asNew: boolean; dedupId?: string }
  | { dlqId: string; status: "skipped"; warning: string }
  | { dlqId: string; status: "notFound" };

export interface ReplayReport {
  replayed: number;
  skipped: number;
  results: ReplayOutcome[];
}

export interface PreviewReport {
  destination: SqsDestination;
  /** The exact SendMessageBatch entry, `Id` "0". */
  entry: MappedEntry & { Id: string };
  bytes: number;
  maxBytes: number;
  /** What GetQueueAttributes said, or why it could not be read. */
  queue: { ok: true; info: QueueInfo } | { ok: false; code?: string; message: string };
  /** Every reason real AWS would reject the entry (empty: it would be accepted). */
  reasons: { rule: string; field: string; message: string }[];
  wouldReject: boolean;
}

export type PutDestinationResult =
  | { ok: true; destination: SqsDestination; queue: QueueInfo; warnings: string[]; created: boolean }
  | { ok: false; errors: FieldError[] };

/** The destinations the engine delivers to; every value it returns is redacted. */
export interface DestinationRegistry {
  list(): SqsDestination[];
  get(name: string): SqsDestination | undefined;
  /** Validates, preflights the queue (GetQueueAttributes) and saves; errors name the field. */
  put(input: unknown): Promise<PutDestinationResult>;
  delete(name: string): Promise<boolean>;
}

/** The delivery engine (the Pushrail SQS destination), as the server, the CLI and scenarios drive it. */
export interface Engine {
  readonly destinations: DestinationRegistry;
  /** Validates every input; accepted events are durable when this resolves. Throws {@link IngestError}. */
  ingest(inputs: readonly unknown[], options?: IngestOptions): Promise<IngestReport>;
  /** What the engine would send for `event` to a saved destination (by name) or a destination config. */
  preview(event: unknown, destination: string | unknown): Promise<PreviewReport>;
  readonly dlq: {
    list(filter?: { destination?: string }): DlqEntry[];
    replay(request: ReplayRequest): Promise<ReplayReport>;
  };
  /** Deliveries not yet delivered or dead-lettered. */
  pending(): number;
  /**
   * Resolves once nothing is pending and every outcome is written to the outbox (tests, scenario end):
   * a {@link crash} after it re-sends nothing.
   */
  idle(): Promise<void>;
  close(): Promise<void>;
  /**
   * For harnesses (a scenario's `restartEngine`): the engine dies as if its process were killed, not
   * politely stopped. Its timers (linger, retry backoff, request deadlines) are cancelled; answers of
   * requests in flight are never read (no journal record, no outbox write after the crash), though SQS
   * may still store what was handed to it; requests not yet sent are never sent; outbox lines buffered in
   * memory and not yet handed to the OS are dropped (none was acknowledged: a 202 waits for its commit)
   * while a write already handed over completes, as the kernel would finish it; file handles are closed.
   * It emits one `engine.crashed` record (`unfinished`: deliveries pending) just before dying. Once this
   * resolves nothing of the engine touches the journal, the clock or the disk again, and a new engine on
   * the same `dataDir` recovers what the outbox holds (`event.recovered`, `possibleDuplicate` where a send
   * had started). Afterwards ingest, preview, replay and destination changes throw {@link IngestError}
   * `Closed`; `idle()` resolves (nothing will ever change again); `close()` does nothing more. Call it
   * from outside the engine, not from a journal listener of its own records (a step under way would go on).
   */
  crash(): Promise<void>;
}
