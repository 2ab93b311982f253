import type { Clock, TimerHandle } from "../clock/index.js";
import type { AttemptSummary, Journal } from "../journal/index.js";
import { LIMITS } from "../sqs/index.js";
import type { SqsDestination } from "./destination.js";
import type { DlqEntry } from "./engine-api.js";
import { FifoGate, type GateEntry, type GateResult } from "./fifo-gate.js";
import { mapEvent, type MappedEvent, type Rejection } from "./mapper.js";
import type { Outbox, PendingDelivery } from "./outbox.js";
import type { BatchOutcome, EntryOutcome, QueueClient, QueueInfo } from "./queue-client.js";
import { mayHaveBeenStored } from "./replay.js";
import { backoffDelay, classifyFailure, mayRetry, sdkWouldRetry, type FailureInfo, type RetryPolicy } from "./retry-policy.js";

export interface DeliveryDeps {
  clock: Clock;
  journal: Journal;
  outbox: Outbox;
  client: QueueClient;
  random: () => number;
  retry: RetryPolicy;
  /** Wait this long for more events before sending a batch that is not full; 0 sends at once. */
  lingerMs: number;
  /** SendMessageBatch requests in flight at once for this destination. */
  maxInFlight: number;
  /** Byte cap per batch, applied below the queue's MaximumMessageSize. */
  maxBatchBytes: number;
  /** Entries per SendMessageBatch (1–10). */
  maxBatchEntries: number;
  /** Called once per delivery when it is delivered or dead-lettered. */
  onFinished(delivery: PendingDelivery): void;
  /**
   * An entry failed with expired credentials. Returns true when fresh ones can be fetched (AssumeRole),
   * which makes the failure transient; static keys stay expired, so it is then permanent.
   */
  onCredentialsExpired(): boolean;
  /** Where a failure with no one to answer goes (a bug, not an SQS error); the delivery carries on. */
  onInternalError(err: unknown): void;
}

interface Item {
  readonly delivery: PendingDelivery;
  readonly mapped: MappedEvent;
  readonly bytes: number;
  readonly attempts: AttemptSummary[];
  readonly possibleDuplicate: boolean;
  /** When a send before a restart or carry-over may have stored it (its attempts were not kept). */
  readonly sentBeforeAt?: number;
}

/** Codes meaning "the session credentials ran out", which a new AssumeRole fixes. */
const EXPIRED_CREDENTIALS = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"]);
const FIVE_MINUTES = LIMITS.dedupWindowMs;
/** How long a failed GetQueueAttributes is trusted before the queue is read again. */
const QUEUE_LOOKUP_RETRY_MS = 60_000;

/**
 * Delivers one destination's pending deliveries (DESIGN "Engine"): maps each event (oversize or
 * otherwise unacceptable entries go straight to the DLQ, never sent), packs SendMessageBatch requests
 * through the FIFO gate (≤ 10 entries, ≤ the queue's MaximumMessageSize bytes), sends them with at most
 * `maxInFlight` unresolved at once, and settles every entry: delivered, retried after a seeded
 * full-jitter backoff on the Clock, or dead-lettered with every attempt. Each step is a journal record.
 */
export class DestinationDelivery {
  private readonly gate: FifoGate<Item>;
  private incoming: { delivery: PendingDelivery; recovered: boolean }[] = [];
  private queueInfo: QueueInfo | undefined;
  private lookup: Promise<void> | undefined;
  /** Clock time after which a queue that could not be read is read again (the default size applies until then). */
  private lookupAgainAt: number | undefined;
  private inFlight = 0;
  private readonly requests = new Set<Promise<void>>();
  private lingerTimer: TimerHandle | undefined;
  private retryTimer: { handle: TimerHandle; at: number } | undefined;
  private pumpQueued = false;
  private closed = false;
  /** Set by {@link crash}: nothing this delivery started may reach the journal, the outbox or SQS again. */
  private dead = false;
  /** Until {@link resume}: a replacement waiting for the delivery it replaces to finish its requests. */
  private paused: boolean;
  private batchSeq = 0;
  /** Every delivery taken and not yet finished, in the order taken (what a replacement carries over). */
  private readonly held = new Map<string, PendingDelivery>();

  constructor(
    readonly destination: SqsDestination,
    private readonly deps: DeliveryDeps,
    options: { paused?: boolean } = {},
  ) {
    this.gate = new FifoGate<Item>({ fifo: destination.fifo });
    this.paused = options.paused ?? false;
  }

  /** Takes a delivery to send; `recovered` marks one restored from the outbox after a restart. */
  enqueue(delivery: PendingDelivery, recovered = false): void {
    if (this.closed) return;
    this.held.set(delivery.id, delivery);
    this.incoming.push({ delivery, recovered });
    this.schedule();
  }

  /**
   * Starts a paused replacement with what the delivery it replaces left unfinished, ahead of anything
   * taken meanwhile, so no later event of a FIFO group overtakes an earlier one.
   */
  resume(carried: PendingDelivery[]): void {
    const taken = [...this.held.values()];
    this.held.clear();
    for (const d of [...carried, ...taken]) this.held.set(d.id, d);
    this.incoming = [...carried.map((delivery) => ({ delivery, recovered: true })), ...this.incoming];
    this.paused = false;
    if (this.incoming.length > 0) this.pumpSoon();
  }

  /** Deliveries taken and not finished, in the order taken. */
  unfinished(): PendingDelivery[] {
    return [...this.held.values()];
  }

  private schedule(): void {
    if (this.deps.lingerMs <= 0 || this.incoming.length >= this.deps.maxBatchEntries * this.deps.maxInFlight) this.pumpSoon();
    else this.lingerTimer ??= this.deps.clock.setTimeout(() => {
      this.lingerTimer = undefined;
      this.pump();
    }, this.deps.lingerMs);
  }

  /** Stops sending; resolves once requests in flight have settled. What is unfinished stays in the outbox. */
  async close(): Promise<void> {
    this.closed = true;
    this.lingerTimer?.cancel();
    this.retryTimer?.handle.cancel();
    await Promise.allSettled([...this.requests]);
    this.deps.client.close();
  }

  /**
   * Dies with its process (Engine.crash): timers cancelled, the client dropped, requests in flight
   * abandoned; a request whose "sent" mark is still being written is never sent, and answers that still
   * arrive are never read. SQS may have stored what was already handed over; the outbox says so on recovery.
   */
  crash(): void {
    this.closed = true;
    this.dead = true;
    this.lingerTimer?.cancel();
    this.retryTimer?.handle.cancel();
    this.deps.client.close();
  }

  private pumpSoon(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    try {
      this.pumpOnce();
    } catch (err) {
      this.deps.onInternalError(err);
    }
  }

  private pumpOnce(): void {
    if (this.closed || this.paused) return;
    if (this.lookupAgainAt !== undefined && this.deps.clock.now() >= this.lookupAgainAt) {
      this.lookupAgainAt = undefined;
      this.lookUpQueue();
    }
    if (this.incoming.length > 0) {
      if (this.queueInfo === undefined) {
        this.lookUpQueue();
        return;
      }
      this.admit();
    }
    const maxBytes = this.maxBytes();
    // A lone item always goes: one admitted under a larger limit read earlier must not block its line;
    // SQS's own answer then decides it.
    const fits = (item: Item, taken: readonly GateEntry<Item>[]) =>
      taken.length === 0 || taken.reduce((sum, e) => sum + e.item.bytes, item.bytes) <= maxBytes;
    while (this.inFlight < this.deps.maxInFlight) {
      const taken = this.gate.takeReady(this.deps.clock.now(), this.deps.maxBatchEntries, fits);
      if (taken.length === 0) break;
      this.track(this.send(taken));
    }
    this.armRetryTimer();
  }

  private maxBytes(): number {
    return Math.min(this.deps.maxBatchBytes, this.queueInfo?.maximumMessageSize ?? LIMITS.maxMessageSizeDefault);
  }

  /**
   * Reads MaximumMessageSize before the first send. If the queue cannot be read (missing, access denied,
   * throttled) the default applies and the queue is read again a minute later; meanwhile the sends
   * themselves fail with the error that decides each entry.
   */
  private lookUpQueue(): void {
    this.lookup ??= this.deps.client
      .getQueueInfo()
      .then(
        (info) => void (this.queueInfo = info),
        () => {
          this.queueInfo ??= { fifo: this.destination.fifo, contentBasedDeduplication: false, maximumMessageSize: LIMITS.maxMessageSizeDefault };
          this.lookupAgainAt = this.deps.clock.now() + QUEUE_LOOKUP_RETRY_MS;
        },
      )
      .finally(() => {
        this.lookup = undefined;
        this.pump();
      });
  }

  private admit(): void {
    const now = this.deps.clock.now();
    const maxBytes = this.maxBytes();
    for (const { delivery, recovered } of this.incoming) {
      const mapped = mapEvent(delivery.event, this.destination, { maxMessageBytes: maxBytes });
      if (delivery.dedupId !== undefined && this.destination.fifo) mapped.entry.MessageDeduplicationId = delivery.dedupId;
      const possibleDuplicate =
        recovered && delivery.sentAt !== undefined && (!this.destination.fifo || now - delivery.sentAt >= FIVE_MINUTES);
      const sentBeforeAt = recovered ? delivery.sentAt : undefined;
      const item: Item = { delivery, mapped, bytes: mapped.bytes, attempts: [], possibleDuplicate, ...(sentBeforeAt !== undefined ? { sentBeforeAt } : {}) };
      if (mapped.rejections.length > 0) {
        const oversize = mapped.rejections.some((r) => r.rule === "oversize");
        this.deadLetter(item, oversize ? "oversize" : "invalid", mapped.rejections);
      } else {
        this.gate.enqueue(mapped.entry.MessageGroupId ?? "", item);
      }
    }
    this.incoming = [];
  }

  private track(request: Promise<void>): void {
    const tracked = request.catch((err: unknown) => this.deps.onInternalError(err));
    this.requests.add(tracked);
    void tracked.finally(() => this.requests.delete(tracked));
  }

  private async send(taken: GateEntry<Item>[]): Promise<void> {
    this.inFlight++;
    const { clock, journal, outbox } = this.deps;
    const batchId = `${this.destination.name}#${++this.batchSeq}`;
    const entries = taken.map((g, i) => ({ Id: String(i), ...g.item.mapped.entry }));
    journal.emit({
      type: "batch.formed",
      destination: this.destination.name,
      batchId,
      bytes: taken.reduce((sum, g) => sum + g.item.bytes, 0),
      entries: taken.map((g, i) => ({
        delivery: g.item.delivery.id,
        eventId: g.item.delivery.eventId,
        entryId: String(i),
        bytes: g.item.bytes,
        groupId: g.item.mapped.entry.MessageGroupId,
        dedupId: g.item.mapped.entry.MessageDeduplicationId,
        attributeNames: Object.keys(g.item.mapped.entry.MessageAttributes),
      })),
    });
    let outcome: BatchOutcome;
    try {
      // The "sent" mark is durable before the request leaves, so a restart knows a duplicate is possible.
      const firstSends = taken.filter((g) => g.item.delivery.sentAt === undefined);
      if (firstSends.length > 0) {
        const at = clock.now();
        for (const g of firstSends) g.item.delivery.sentAt = at;
        outbox.sent(firstSends.map((g) => g.item.delivery.id), at);
        await outbox.commit();
      }
      if (this.dead) return;
      journal.emit({ type: "attempt.sent", destination: this.destination.name, batchId, entries: entries.length });
      outcome = await this.deps.client.sendBatch(entries);
    } catch (err) {
      outcome = { kind: "error", failure: { kind: "error", code: "InternalError" }, message: (err as Error).message };
    }
    this.inFlight--;
    if (this.dead) return;
    if (this.closed) {
      // What SQS stored is finished even now; the rest stays unfinished for whoever carries it over.
      const stored = taken.filter((g, i) => {
        const result = entryOutcome(outcome, String(i));
        return result.ok && result.md5Ok && this.settle(g, outcome, String(i), batchId).outcome === "delivered";
      });
      outbox.done(stored.map((g) => g.item.delivery.id));
      return;
    }
    const results = taken.map((g, i) => this.settle(g, outcome, String(i), batchId));
    outbox.done(results.filter((r) => r.outcome === "delivered").map((r) => r.entry.item.delivery.id));
    this.gate.resolve(results);
    this.pump();
  }

  private settle(g: GateEntry<Item>, outcome: BatchOutcome, entryId: string, batchId: string): GateResult<Item> {
    const { clock, journal } = this.deps;
    const item = g.item;
    const base = { destination: this.destination.name, batchId, delivery: item.delivery.id, eventId: item.delivery.eventId };
    const result = entryOutcome(outcome, entryId);
    if (result.ok && result.md5Ok) {
      journal.emit({ type: "entry.result", ...base, ok: true, messageId: result.messageId, sequenceNumber: result.sequenceNumber, md5Ok: true });
      journal.emit({
        type: "event.delivered",
        destination: this.destination.name,
        delivery: item.delivery.id,
        eventId: item.delivery.eventId,
        messageId: result.messageId,
        sequenceNumber: result.sequenceNumber,
        groupId: item.mapped.entry.MessageGroupId,
        dedupId: item.mapped.entry.MessageDeduplicationId,
        attempts: item.attempts.length + 1,
        ...(item.possibleDuplicate || this.earlierCopyPossible(item) ? { possibleDuplicate: true } : {}),
      });
      this.finish(item.delivery);
      return { entry: g, outcome: "delivered" };
    }
    const { failure, message } = result.ok
      ? { failure: { kind: "entry", code: "MD5Mismatch", senderFault: false } as FailureInfo, message: "The MD5 digests SQS returned do not match what was sent." }
      : result;
    const httpStatus = failure.httpStatus ?? (outcome.kind === "response" ? outcome.httpStatus : undefined);
    const summary = { kind: failure.kind, httpStatus, code: failure.code, senderFault: failure.senderFault, message, sdkWouldRetry: sdkWouldRetry(failure) };
    journal.emit({ type: "entry.result", ...base, ok: false, ...(result.ok ? { messageId: result.messageId, md5Ok: false } : {}), failure: summary });

    const attempt = item.attempts.length + 1;
    const expired = failure.code !== undefined && EXPIRED_CREDENTIALS.has(failure.code);
    const transient = expired ? this.deps.onCredentialsExpired() : classifyFailure(failure) === "transient";
    const retry = transient && mayRetry(this.deps.retry, attempt);
    const now = clock.now();
    item.attempts.push({ attempt, at: now, ...summary, decision: retry ? "retry" : "deadLetter" });
    if (!retry) {
      this.deadLetter(item, transient ? "maxAttempts" : (failure.code ?? `HTTP ${httpStatus ?? "error"}`));
      return { entry: g, outcome: "deadLettered" };
    }
    const delayMs = backoffDelay(this.deps.retry, attempt, this.deps.random);
    journal.emit({ type: "retry.scheduled", destination: this.destination.name, delivery: item.delivery.id, eventId: item.delivery.eventId, attempt, delayMs, retryAt: now + delayMs, code: failure.code });
    return { entry: g, outcome: "retry", retryAt: now + delayMs };
  }

  /**
   * An earlier attempt SQS may have stored (a reset, timeout or 5xx after the request left) means this
   * success can be a second copy: always on a standard queue; on FIFO only once the first such attempt is
   * 5 minutes old, past the deduplication interval (SQS Developer Guide, "Exactly-once processing").
   */
  private earlierCopyPossible(item: Item): boolean {
    const first = item.attempts.find(mayHaveBeenStored);
    if (!first) return false;
    return !this.destination.fifo || this.deps.clock.now() - first.at >= FIVE_MINUTES;
  }

  private deadLetter(item: Item, reason: string, rejections?: Rejection[]): void {
    const { outbox, journal, clock } = this.deps;
    const entry: DlqEntry = {
      id: outbox.nextDlqId(),
      destination: this.destination.name,
      eventId: item.delivery.eventId,
      delivery: item.delivery.id,
      event: item.delivery.event,
      entry: item.mapped.entry,
      bytes: item.bytes,
      reason,
      ...(rejections ? { rejections } : {}),
      ...(item.sentBeforeAt !== undefined ? { sentBeforeAt: item.sentBeforeAt } : {}),
      attempts: item.attempts,
      deadAt: clock.now(),
      replays: [],
    };
    outbox.dead(entry);
    journal.emit({
      type: "event.deadLettered",
      destination: this.destination.name,
      delivery: item.delivery.id,
      eventId: item.delivery.eventId,
      dlqId: entry.id,
      reason,
      attempts: item.attempts.length,
    });
    this.finish(item.delivery);
  }

  private finish(delivery: PendingDelivery): void {
    this.held.delete(delivery.id);
    this.deps.onFinished(delivery);
  }

  private armRetryTimer(): void {
    // With every slot busy a due retry waits for a request to finish (which pumps); a timer would spin.
    if (this.inFlight >= this.deps.maxInFlight) return;
    const next = this.gate.nextRetryAt();
    if (next === undefined || (this.retryTimer && this.retryTimer.at <= next)) return;
    this.retryTimer?.handle.cancel();
    const handle = this.deps.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, next - this.deps.clock.now());
    this.retryTimer = { handle, at: next };
  }
}

function entryOutcome(outcome: BatchOutcome, entryId: string): EntryOutcome {
  if (outcome.kind === "error") return { ok: false, failure: outcome.failure, message: outcome.message };
  return (
    outcome.results.get(entryId) ?? {
      ok: false,
      failure: { kind: "entry", code: "MissingResult", senderFault: false },
      message: `SQS listed entry ${entryId} neither in Successful nor in Failed.`,
    }
  );
}
