import { LIMITS } from "../sqs/index.js";
import { MinHeap } from "../clock/index.js";
import { GateLine } from "./gate-line.js";

/** One item the gate holds; `takeReady` hands these out and `resolve` must get the same objects back. */
export interface GateEntry<T> {
  readonly groupId: string;
  readonly item: T;
}

/** What became of one sent entry. `retryAt` is a clock value (ms) before which it must not be re-sent. */
export type GateResult<T> =
  | { entry: GateEntry<T>; outcome: "delivered" }
  | { entry: GateEntry<T>; outcome: "deadLettered" }
  | { entry: GateEntry<T>; outcome: "retry"; retryAt: number };

export interface FifoGateOptions {
  /**
   * FIFO queue: gate per message group. `false` (standard queue): no gate, every item is ready at
   * once and order is not kept (SQS does not keep it either). @default true
   */
  fifo?: boolean;
  /**
   * Entries of one group per request. SQS enqueues one batch's entries of a FIFO queue "in the order
   * they are sent" (SendMessageBatch API reference), but each entry succeeds or fails on its own ("the
   * result of sending each message is reported individually"): if entry 2 of 3 fails and entry 3 is
   * stored, entry 3 is already ahead of the retried entry 2. With 1 (the default) that cannot happen;
   * above 1, `resolve` reports every such overtaking entry so the caller can journal it. @default 1
   */
  maxEntriesPerGroup?: number;
}

/** Whether `item` may join the request built so far; false closes the request (the item stays first). */
export type Fits<T> = (item: T, taken: readonly GateEntry<T>[]) => boolean;

export interface ResolveReport<T> {
  /** Entries SQS stored after an earlier entry of their group in the same request failed: order broken. */
  overtaken: GateEntry<T>[];
}

interface GroupState<T> {
  readonly id: string;
  /** Waiting items; the first `inFlight` of them are in the one unresolved request. */
  readonly line: GateLine<GateEntry<T>>;
  inFlight: number;
  halted: boolean;
  queued: boolean;
}

/**
 * DESIGN "Engine", FIFO: at most one unresolved request per message group; a failed entry halts its
 * group until it is resolved, so later events of the group never overtake it. Standard queues have no
 * gate. Pure and I/O-free: the caller sends what `takeReady` returns and reports back with `resolve`.
 * Ready groups wait in a round-robin line (a group rejoins at the back after each request), so no group
 * starves and no take scans all groups; halted groups wait in a heap keyed by their retry time.
 *
 * @example
 * const gate = new FifoGate<Mapped>();
 * gate.enqueue("acct_1", a); gate.enqueue("acct_1", b);
 * const batch = gate.takeReady(clock.now());            // [a] — b waits for a's request
 * gate.resolve([{ entry: batch[0], outcome: "retry", retryAt: clock.now() + 500 }]);
 */
export class FifoGate<T> {
  readonly fifo: boolean;
  readonly maxEntriesPerGroup: number;
  private readonly groups = new Map<string, GroupState<T>>();
  private readonly ready = new GateLine<GroupState<T>>();
  private readonly halted = new MinHeap<GroupState<T>>();
  /** Standard mode: new items, retried items whose time came (sent first), waiting retries, in flight. */
  private readonly fresh = new GateLine<GateEntry<T>>();
  private readonly retried = new GateLine<GateEntry<T>>();
  private readonly backoff = new MinHeap<GateEntry<T>>();
  private readonly standardInFlight = new Set<GateEntry<T>>();
  private held = 0;

  constructor(options: FifoGateOptions = {}) {
    this.fifo = options.fifo ?? true;
    this.maxEntriesPerGroup = options.maxEntriesPerGroup ?? 1;
    const m = this.maxEntriesPerGroup;
    if (!Number.isInteger(m) || m < 1 || m > LIMITS.maxBatchEntries) {
      throw new RangeError(`FifoGate: maxEntriesPerGroup must be an integer 1–${LIMITS.maxBatchEntries}.`);
    }
  }

  /** Items not yet delivered or dead-lettered (waiting, in flight or backing off). */
  get size(): number {
    return this.held;
  }

  /** The earliest clock value at which a backing-off item may go again, so the sender knows when to wake. */
  nextRetryAt(): number | undefined {
    return this.fifo ? this.halted.peekKey() : this.backoff.peekKey();
  }

  /** Appends an item to its group's line (standard mode ignores the group for ordering). */
  enqueue(groupId: string, item: T): GateEntry<T> {
    const entry: GateEntry<T> = { groupId, item };
    this.held++;
    if (!this.fifo) {
      this.fresh.push(entry);
      return entry;
    }
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = { id: groupId, line: new GateLine(), inFlight: 0, halted: false, queued: false };
      this.groups.set(groupId, group);
    }
    group.line.push(entry);
    this.markReady(group);
    return entry;
  }

  /**
   * Entries that may be sent now as one request, at most `maxEntries`. FIFO: from each ready group in
   * turn, its first entries in order (up to `maxEntriesPerGroup`); never an entry of a group with a
   * request in flight or halted before its retry time. `fits` lets the caller stop at the byte limit;
   * items are size-checked before they are enqueued (oversize is permanent), so a lone item always fits.
   */
  takeReady(now: number, maxEntries: number = LIMITS.maxBatchEntries, fits?: Fits<T>): GateEntry<T>[] {
    const taken: GateEntry<T>[] = [];
    if (!this.fifo) return this.takeStandard(now, maxEntries, fits, taken);
    for (let group = this.halted.popDue(now); group !== undefined; group = this.halted.popDue(now)) {
      group.halted = false;
      this.markReady(group);
    }
    while (taken.length < maxEntries) {
      const group = this.ready.peek();
      if (group === undefined) break;
      let count = 0;
      let closed = false;
      while (count < this.maxEntriesPerGroup && taken.length < maxEntries && count < group.line.length) {
        const entry = group.line.at(count)!;
        if (fits !== undefined && !fits(entry.item, taken)) {
          closed = true;
          break;
        }
        taken.push(entry);
        count++;
      }
      // A group refused at its first item keeps its turn at the front for the next request.
      if (count > 0) {
        this.ready.shift();
        group.queued = false;
        group.inFlight = count;
      }
      if (closed) break;
    }
    return taken;
  }

  /**
   * Reports the outcome of every entry of one request. Delivered and dead-lettered entries leave; a
   * retried entry goes back to the head of its group, which stays halted until the latest `retryAt` of
   * its retried entries. Every entry a group has in flight must be resolved in one call.
   */
  resolve(results: readonly GateResult<T>[]): ResolveReport<T> {
    const overtaken: GateEntry<T>[] = [];
    if (!this.fifo) {
      this.resolveStandard(results);
      return { overtaken };
    }
    const byGroup = new Map<GroupState<T>, GateResult<T>[]>();
    for (const result of results) {
      const group = this.groups.get(result.entry.groupId);
      if (group === undefined || group.inFlight === 0) throw new Error(`FifoGate: group '${result.entry.groupId}' has no request in flight.`);
      const list = byGroup.get(group);
      if (list === undefined) byGroup.set(group, [result]);
      else list.push(result);
    }
    for (const [group, list] of byGroup) {
      if (list.length !== group.inFlight) throw new Error(`FifoGate: group '${group.id}' has ${group.inFlight} entries in flight, ${list.length} resolved.`);
      // Results may come in any order (SQS lists Successful and Failed apart); line order is what counts.
      const position = new Map<GateEntry<T>, GateResult<T>>();
      for (const r of list) position.set(r.entry, r);
      const kept: GateEntry<T>[] = [];
      let retryAt = -Infinity;
      for (let i = 0; i < group.inFlight; i++) {
        const entry = group.line.at(i)!;
        const result = position.get(entry);
        if (result === undefined) throw new Error(`FifoGate: an entry of group '${group.id}' is not one it has in flight.`);
        if (result.outcome === "retry") {
          kept.push(entry);
          retryAt = Math.max(retryAt, result.retryAt);
        } else {
          this.held--;
          if (result.outcome === "delivered" && kept.length > 0) overtaken.push(entry);
        }
      }
      group.line.replaceFront(group.inFlight, kept);
      group.inFlight = 0;
      if (kept.length > 0) {
        group.halted = true;
        this.halted.push(retryAt, group);
      } else if (group.line.length === 0) {
        this.groups.delete(group.id);
      } else {
        this.markReady(group);
      }
    }
    return { overtaken };
  }

  private markReady(group: GroupState<T>): void {
    if (group.queued || group.halted || group.inFlight > 0 || group.line.length === 0) return;
    group.queued = true;
    this.ready.push(group);
  }

  private takeStandard(now: number, maxEntries: number, fits: Fits<T> | undefined, taken: GateEntry<T>[]): GateEntry<T>[] {
    for (let e = this.backoff.popDue(now); e !== undefined; e = this.backoff.popDue(now)) this.retried.push(e);
    while (taken.length < maxEntries) {
      const line = this.retried.length > 0 ? this.retried : this.fresh;
      const entry = line.peek();
      if (entry === undefined || (fits !== undefined && !fits(entry.item, taken))) break;
      line.shift();
      this.standardInFlight.add(entry);
      taken.push(entry);
    }
    return taken;
  }

  private resolveStandard(results: readonly GateResult<T>[]): void {
    for (const result of results) {
      if (!this.standardInFlight.delete(result.entry)) throw new Error("FifoGate: resolved an entry that is not in flight.");
      if (result.outcome === "retry") this.backoff.push(result.retryAt, result.entry);
      else this.held--;
    }
  }
}
