import type { Clock } from "../clock/index.js";
import type { Journal } from "../journal/index.js";
import { LIMITS } from "../sqs/index.js";
import { compileDestination, redactDestination, type SqsDestination } from "./destination.js";
import { DestinationDelivery } from "./destination-delivery.js";
import { DestinationStore } from "./destination-store.js";
import type { DestinationRegistry, DlqEntry, Engine, IngestOptions, IngestReport, IngestResult, PreviewReport, PutDestinationResult, ReplayReport, ReplayRequest } from "./engine-api.js";
import { IngestError } from "./engine-api.js";
import { ENGINE_DEFAULTS, type EngineOptions } from "./engine-options.js";
import { validateEvent, type CanonicalEvent } from "./event.js";
import type { FieldError } from "./field-error.js";
import { mapEvent } from "./mapper.js";
import { Outbox, type PendingDelivery } from "./outbox.js";
import { preflightDestination } from "./preflight.js";
import { buildPreview } from "./preview.js";
import type { QueueClient } from "./queue-client.js";
import { createSeededRandom } from "../clock/index.js";
import { planReplay } from "./replay.js";
import type { RetryPolicy } from "./retry-policy.js";
import { createQueueClientFor } from "./queue-client-for.js";

/**
 * Starts the delivery engine: opens the outbox (recovering what a crash left undelivered), the
 * destination store, and one {@link DestinationDelivery} per destination.
 *
 * @example
 * const engine = await createEngine({ clock, journal, endpoint: emulator.url, stsEndpoint: emulator.url });
 * await engine.destinations.put({ type: "SQS", name: "orders", queueUrl, region: "us-east-1", auth });
 * await engine.ingest([event]);
 * await engine.idle();
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const outbox = await Outbox.open(options.dataDir, { durability: options.durability });
  const store = await DestinationStore.open(options.dataDir);
  const engine = new DeliveryEngine(options, outbox, store);
  for (const input of options.destinations ?? []) {
    const saved = await engine.destinations.put(input);
    if (!saved.ok) {
      await engine.close();
      throw new Error(`sqsrig: destination ${JSON.stringify((input as { name?: unknown })?.name ?? "")} is invalid: ${saved.errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`);
    }
  }
  engine.recover();
  return engine;
}

class DeliveryEngine implements Engine {
  readonly destinations: DestinationRegistry;
  readonly dlq: Engine["dlq"];
  private readonly clock: Clock;
  private readonly journal: Journal;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly deliveries = new Map<string, DestinationDelivery>();
  private pendingCount = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Set by {@link crash}: the engine is dead, as if its process had been killed. */
  private crashed = false;
  private dying: Promise<void> | undefined;
  /** Every delivery started and not yet closed, including one being replaced or deleted (a crash kills them all). */
  private readonly live = new Set<DestinationDelivery>();
  /** Clients of a preview or preflight under way (a crash drops them with their deadlines). */
  private readonly looseClients = new Set<QueueClient>();
  private readonly onInternalError: (err: unknown) => void;

  constructor(
    private readonly options: EngineOptions,
    private readonly outbox: Outbox,
    private readonly store: DestinationStore,
  ) {
    this.clock = options.clock;
    this.journal = options.journal;
    this.retry = { ...ENGINE_DEFAULTS.retry, ...options.retry };
    this.random = createSeededRandom(options.seed ?? 1);
    this.onInternalError = options.onInternalError ?? ((err) => console.error("sqsrig: engine internal error:", err));
    this.destinations = {
      list: () => this.store.list().map(redactDestination),
      get: (name) => {
        const d = this.store.get(name);
        return d && redactDestination(d);
      },
      put: (input) => this.putDestination(input),
      delete: (name) => this.deleteDestination(name),
    };
    this.dlq = {
      list: (filter) => this.outbox.dlqEntries().filter((e) => filter?.destination === undefined || e.destination === filter.destination),
      replay: (request) => this.replay(request),
    };
    for (const destination of this.store.list()) this.startDelivery(destination);
  }

  /** Puts every delivery a previous run left unfinished back on its way. */
  recover(): void {
    for (const delivery of this.outbox.pendingDeliveries()) {
      this.pendingCount++;
      const target = this.deliveries.get(delivery.destination);
      this.journal.emit({ type: "event.recovered", destination: delivery.destination, delivery: delivery.id, eventId: delivery.eventId, possibleDuplicate: delivery.sentAt !== undefined });
      if (target) target.enqueue(delivery, true);
      else this.deadLetterOrphan(delivery);
    }
  }

  async ingest(inputs: readonly unknown[], options: IngestOptions = {}): Promise<IngestReport> {
    if (this.closed) throw this.closedError();
    const targets = this.targetsFor(options.destination);
    const results: IngestResult[] = [];
    const accepted: PendingDelivery[][] = [];
    inputs.forEach((input, index) => {
      const check = validateEvent(input);
      const errors = check.ok ? this.destinationErrors(check.event, targets) : check.errors;
      if (!check.ok || errors.length > 0) {
        results.push({ index, status: "rejected", errors });
        return;
      }
      const eventId = this.outbox.nextEventId();
      const deliveries = targets.map((t) => ({ id: this.outbox.nextDeliveryId(), eventId, destination: t.name, event: check.event }));
      this.outbox.accept(eventId, check.event, deliveries);
      accepted.push(deliveries);
      results.push({ index, status: "accepted", eventId, destinations: targets.map((t) => t.name) });
    });
    // 202 only once on disk; a failed write leaves nothing delivered that was not acknowledged.
    await this.committed();
    for (const r of results) {
      if (r.status === "rejected") this.journal.emit({ type: "event.rejected", index: r.index, errors: r.errors });
    }
    for (const deliveries of accepted) {
      const event = deliveries[0]!.event;
      this.journal.emit({
        type: "event.accepted",
        eventId: deliveries[0]!.eventId,
        eventType: event.eventType,
        idempotencyKey: event.idempotencyKey,
        destinations: deliveries.map((d) => d.destination),
        deliveries: deliveries.map((d) => d.id),
      });
      for (const d of deliveries) this.dispatch(d);
    }
    const acceptedCount = accepted.length;
    return { accepted: acceptedCount, rejected: results.length - acceptedCount, results };
  }

  async preview(input: unknown, destination: string | unknown): Promise<PreviewReport> {
    if (this.crashed) throw this.closedError();
    const check = validateEvent(input);
    if (!check.ok) throw new PreviewInputError("event", check.errors);
    let config: SqsDestination;
    if (typeof destination === "string") {
      const saved = this.store.get(destination);
      if (!saved) throw new IngestError(`Unknown destination '${destination}'.`, "UnknownDestination", 404);
      config = saved;
    } else {
      const compiled = compileDestination(destination);
      if (!compiled.ok) throw new PreviewInputError("destination", compiled.errors);
      config = compiled.destination;
    }
    const { client } = this.clientFor(config);
    this.looseClients.add(client);
    try {
      const queue = await client.getQueueInfo().then(
        (info) => ({ ok: true as const, info }),
        (err: { failure?: { code?: string }; message: string }) => ({ ok: false as const, code: err.failure?.code, message: err.message }),
      );
      if (this.crashed) throw this.closedError();
      return buildPreview(check.event, config, queue, { maxBatchBytes: this.options.maxBatchBytes });
    } finally {
      this.looseClients.delete(client);
      client.close();
    }
  }

  pending(): number {
    return this.pendingCount;
  }

  idle(): Promise<void> {
    if (this.crashed) return Promise.resolve();
    if (this.pendingCount === 0) return this.outcomesWritten();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once every outcome recorded so far is written. Outcomes are flushed soon, not awaited; idle
   * waits for them, so a crash after idle re-sends nothing. A microtask late: the batch that finished the
   * last delivery appends its outcome just after settling it. A write failure is not idle's to report
   * (the next ingest's commit does).
   */
  private outcomesWritten(): Promise<void> {
    return Promise.resolve()
      .then(() => this.outbox.commit())
      .catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A destination change under way finishes first (later ones see `closed` and refuse).
    await this.changing;
    await Promise.all([...this.deliveries.values()].map((d) => this.closeDelivery(d)));
    await this.outbox.close();
  }

  crash(): Promise<void> {
    if (!this.dying) {
      this.crashed = true;
      this.dying = this.die();
    }
    return this.dying;
  }

  /**
   * Everything that could still act is stopped synchronously, before the record, so nothing follows it:
   * deliveries (timers, clients, requests in flight), preview and preflight clients; then the outbox
   * drops what it had not handed to the OS and closes its file.
   */
  private async die(): Promise<void> {
    this.closed = true;
    for (const delivery of this.live) delivery.crash();
    this.live.clear();
    for (const client of this.looseClients) client.close();
    this.looseClients.clear();
    this.journal.emit({ type: "engine.crashed", unfinished: this.pendingCount });
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
    await this.outbox.crash();
  }

  /** The outbox commit a caller is answered on; after a crash nobody is answered (the process is gone). */
  private async committed(): Promise<void> {
    try {
      await this.outbox.commit();
    } catch (err) {
      if (this.crashed) throw this.closedError();
      throw err;
    }
    if (this.crashed) throw this.closedError();
  }

  private closedError(): IngestError {
    return new IngestError(this.crashed ? "The engine crashed." : "The engine is shutting down.", "Closed", 503);
  }

  private async closeDelivery(delivery: DestinationDelivery): Promise<void> {
    await delivery.close();
    this.live.delete(delivery);
  }

  private targetsFor(name: string | undefined): SqsDestination[] {
    if (name !== undefined) {
      const destination = this.store.get(name);
      if (!destination) {
        const known = this.store.list().map((d) => d.name);
        throw new IngestError(`Unknown destination '${name}'${known.length ? ` (known: ${known.join(", ")})` : " (none is configured)"}.`, "UnknownDestination", 404);
      }
      return [destination];
    }
    const enabled = this.store.list().filter((d) => d.enabled !== false);
    if (enabled.length === 0) throw new IngestError("No enabled destination: save one with PUT /v1/destinations/NAME first.", "NoDestination", 409);
    return enabled;
  }

  /**
   * What a destination can never send, reported at ingestion rather than dead-lettered (a FIFO queue
   * needs a group id; ids must use SQS's charset). Size is left to delivery: the queue's limit decides it.
   */
  private destinationErrors(event: CanonicalEvent, targets: SqsDestination[]): FieldError[] {
    const errors: FieldError[] = [];
    for (const destination of targets) {
      for (const r of mapEvent(event, destination, { maxMessageBytes: Infinity }).rejections) {
        errors.push({ field: r.field, rule: r.rule, message: `Destination '${destination.name}': ${r.message}` });
      }
    }
    return errors;
  }

  private dispatch(delivery: PendingDelivery): void {
    this.pendingCount++;
    const target = this.deliveries.get(delivery.destination);
    if (target) target.enqueue(delivery);
    else this.deadLetterOrphan(delivery);
  }

  private finished = (): void => {
    this.pendingCount--;
    if (this.pendingCount === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      void this.outcomesWritten().then(() => {
        for (const w of waiters) w();
      });
    }
  };

  private clientFor(destination: SqsDestination): { client: QueueClient; onExpired: () => boolean } {
    return createQueueClientFor(destination, this.options);
  }

  private startDelivery(destination: SqsDestination, options: { paused?: boolean } = {}): DestinationDelivery {
    const { client, onExpired } = this.clientFor(destination);
    const delivery = new DestinationDelivery(destination, {
      clock: this.clock,
      journal: this.journal,
      outbox: this.outbox,
      client,
      random: this.random,
      retry: this.retry,
      lingerMs: this.options.lingerMs ?? ENGINE_DEFAULTS.lingerMs,
      maxInFlight: this.options.maxInFlight ?? ENGINE_DEFAULTS.maxInFlight,
      maxBatchBytes: this.options.maxBatchBytes ?? LIMITS.maxBatchBytes,
      maxBatchEntries: this.options.maxBatchEntries ?? LIMITS.maxBatchEntries,
      onFinished: this.finished,
      onCredentialsExpired: onExpired,
      onInternalError: this.onInternalError,
    }, options);
    this.deliveries.set(destination.name, delivery);
    this.live.add(delivery);
    return delivery;
  }

  /** Destination changes one at a time: two overlapping saves of one name would each replace the other. */
  private changing: Promise<unknown> = Promise.resolve();

  private serialized<T>(change: () => Promise<T>): Promise<T> {
    const next = this.changing.then(change);
    this.changing = next.catch(() => {});
    return next;
  }

  private putDestination(input: unknown): Promise<PutDestinationResult> {
    const compiled = compileDestination(input);
    if (!compiled.ok) return Promise.resolve(compiled);
    return this.serialized(async () => {
      if (this.closed) throw this.closedError();
      const destination = compiled.destination;
      const { client } = this.clientFor(destination);
      this.looseClients.add(client);
      let preflight;
      try {
        preflight = await preflightDestination(destination, client);
      } finally {
        this.looseClients.delete(client);
        client.close();
      }
      if (this.crashed) throw this.closedError();
      if (!preflight.ok) {
        this.journal.emit({ type: "destination.refused", destination: destination.name, errors: preflight.errors });
        return preflight;
      }
      const { created } = await this.store.put(destination);
      if (this.crashed) throw this.closedError();
      // The replacement takes new events at once but sends nothing until the old delivery's requests
      // have settled; then what the old one left unfinished goes first, as after a restart (a send it
      // made may already be in the queue).
      const previous = this.deliveries.get(destination.name);
      const replacement = this.startDelivery(destination, { paused: previous !== undefined });
      if (previous) {
        await this.closeDelivery(previous);
        if (this.crashed) throw this.closedError();
        replacement.resume(previous.unfinished());
      }
      this.journal.emit({ type: "destination.saved", destination: destination.name, queueUrl: destination.queueUrl, fifo: destination.fifo });
      return { ok: true, destination: redactDestination(destination), queue: preflight.queue, warnings: preflight.warnings, created };
    });
  }

  private deleteDestination(name: string): Promise<boolean> {
    return this.serialized(async () => {
      if (this.closed) throw this.closedError();
      const removed = await this.store.delete(name);
      if (this.crashed) throw this.closedError();
      const delivery = this.deliveries.get(name);
      this.deliveries.delete(name);
      if (delivery) {
        await this.closeDelivery(delivery);
        if (this.crashed) throw this.closedError();
        for (const d of delivery.unfinished()) this.deadLetterOrphan(d);
      }
      if (removed) this.journal.emit({ type: "destination.deleted", destination: name });
      return removed;
    });
  }

  /** A delivery whose destination is gone: kept, replayable, in the DLQ rather than lost. */
  private deadLetterOrphan(delivery: PendingDelivery): void {
    const entry: DlqEntry = {
      id: this.outbox.nextDlqId(),
      destination: delivery.destination,
      eventId: delivery.eventId,
      delivery: delivery.id,
      event: delivery.event,
      entry: { MessageBody: JSON.stringify(delivery.event), MessageAttributes: {} },
      bytes: 0,
      reason: "destinationDeleted",
      attempts: [],
      deadAt: this.clock.now(),
      replays: [],
    };
    this.outbox.dead(entry);
    this.journal.emit({ type: "event.deadLettered", destination: delivery.destination, delivery: delivery.id, eventId: delivery.eventId, dlqId: entry.id, reason: entry.reason, attempts: 0 });
    this.finished();
  }

  private async replay(request: ReplayRequest): Promise<ReplayReport> {
    if (this.closed) throw this.closedError();
    const plan = planReplay(request, {
      now: this.clock.now(),
      entries: this.outbox.dlqEntries(),
      destination: (name) => this.store.get(name),
      nextDeliveryId: () => this.outbox.nextDeliveryId(),
    });
    for (const { delivery, dlqId, asNew } of plan.deliveries) this.outbox.replay(delivery, dlqId, this.clock.now(), asNew);
    await this.committed();
    for (const { delivery, dlqId, asNew, warning } of plan.deliveries) {
      this.journal.emit({ type: "dlq.replayed", dlqId, destination: delivery.destination, eventId: delivery.eventId, delivery: delivery.id, asNew, dedupId: delivery.dedupId, ...(warning ? { warning } : {}) });
      this.dispatch(delivery);
    }
    return plan.report;
  }
}

/** A preview whose event or destination config is invalid; `errors` name the fields. */
export class PreviewInputError extends Error {
  constructor(
    readonly part: "event" | "destination",
    readonly errors: FieldError[],
  ) {
    super(`The ${part} is invalid: ${errors.map((e) => `${e.field || part}: ${e.message}`).join("; ")}`);
    this.name = "PreviewInputError";
  }
}
