import { createReadStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DurableLog } from "../journal/index.js";
import type { CanonicalEvent } from "./event.js";
import type { DlqEntry } from "./engine-api.js";

/** One event's delivery to one destination, until it is delivered or dead-lettered. */
export interface PendingDelivery {
  id: string;
  eventId: string;
  destination: string;
  event: CanonicalEvent;
  /** A replay "as new" sends with this instead of the event's idempotencyKey. */
  dedupId?: string;
  /** The DLQ entry this delivery replays. */
  replayOf?: string;
  /** Clock time of the first send that may have reached SQS, once one was made. */
  sentAt?: number;
}

type OutboxLine =
  | { op: "counters"; event: number; delivery: number; dlq: number }
  | { op: "accept"; eventId: string; event: CanonicalEvent; deliveries: { id: string; destination: string }[] }
  | { op: "replay"; delivery: PendingDelivery; dlqId: string; at: number; asNew: boolean }
  | { op: "sent"; ids: string[]; at: number }
  | { op: "done"; ids: string[] }
  | { op: "dead"; entry: DlqEntry };

export const OUTBOX_FILE = "outbox.ndjson";
/** Compact once this many lines were appended since the last snapshot (and most of them are finished). */
const COMPACT_AFTER_LINES = 50_000;

/**
 * The engine's durable outbox (DESIGN "Engine", Outbox): accepted events and their pending deliveries,
 * send markers, outcomes and the DLQ, as one append-only NDJSON log with group commit. Memory holds only
 * what is unfinished plus the DLQ; a restart replays the log and compacts it. Every line is keyed by id,
 * so replaying one twice (a snapshot followed by lines that were pending when it was taken) is harmless.
 * Without a directory it keeps the same state in memory only (scenarios on the virtual clock).
 */
export class Outbox {
  private readonly pending = new Map<string, PendingDelivery>();
  private readonly dlq = new Map<string, DlqEntry>();
  private counters = { event: 0, delivery: 0, dlq: 0 };
  private linesSinceCompact = 0;

  private constructor(private readonly log: DurableLog | undefined) {}

  static async open(dir: string | undefined, options: { durability?: "write" | "fsync" } = {}): Promise<Outbox> {
    if (dir === undefined) return new Outbox(undefined);
    await mkdir(dir, { recursive: true });
    const path = join(dir, OUTBOX_FILE);
    const lines = await readLines(path);
    const log = await DurableLog.open(path, options);
    const outbox = new Outbox(log);
    for (const [index, { line, number }] of lines.entries()) {
      let parsed: OutboxLine;
      try {
        parsed = JSON.parse(line) as OutboxLine;
      } catch {
        // Only the last line can be torn (a crash mid-write); it was never acknowledged, so skipping loses nothing accepted.
        if (index === lines.length - 1) continue;
        throw new Error(`sqsrig: ${path}:${number} is not valid JSON; the outbox is damaged.`);
      }
      outbox.apply(parsed);
    }
    await log.compact(() => outbox.snapshot());
    return outbox;
  }

  /** Unfinished deliveries in acceptance order (recovery after a restart). */
  pendingDeliveries(): PendingDelivery[] {
    return [...this.pending.values()];
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  dlqEntries(): DlqEntry[] {
    return [...this.dlq.values()];
  }

  dlqEntry(id: string): DlqEntry | undefined {
    return this.dlq.get(id);
  }

  nextEventId(): string {
    return `e${++this.counters.event}`;
  }

  nextDeliveryId(): string {
    return `d${++this.counters.delivery}`;
  }

  nextDlqId(): string {
    return `q${++this.counters.dlq}`;
  }

  /** Records an accepted event and its deliveries; durable once {@link commit} resolves. */
  accept(eventId: string, event: CanonicalEvent, deliveries: PendingDelivery[]): void {
    this.write({ op: "accept", eventId, event, deliveries: deliveries.map((d) => ({ id: d.id, destination: d.destination })) });
  }

  replay(delivery: PendingDelivery, dlqId: string, at: number, asNew: boolean): void {
    this.write({ op: "replay", delivery, dlqId, at, asNew });
  }

  /** Marks deliveries as possibly stored by SQS, so a restart can flag duplicates it may cause. */
  sent(ids: string[], at: number): void {
    this.write({ op: "sent", ids, at });
  }

  done(ids: string[]): void {
    if (ids.length === 0) return;
    this.write({ op: "done", ids });
    this.flushSoon();
  }

  dead(entry: DlqEntry): void {
    this.write({ op: "dead", entry });
    this.flushSoon();
  }

  commit(): Promise<void> {
    return this.log?.commit() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    await this.log?.close();
  }

  /** The process died (Engine.crash): lines not yet handed to the OS are lost, see DurableLog.crash. */
  async crash(): Promise<void> {
    await this.log?.crash();
  }

  /**
   * Outcomes are written without anyone waiting (nothing is answered on them), but written now: left
   * pending until the next accept, an idle engine killed later would re-send what it had finished, and
   * on FIFO past the 5-minute dedup window SQS would store it twice. A write failure is kept by the log
   * and fails the next commit that is awaited (an ingest's 202).
   */
  private flushSoon(): void {
    this.log?.commit().catch(() => {});
  }

  private write(line: OutboxLine): void {
    this.apply(line);
    if (!this.log) return;
    this.log.append(JSON.stringify(line));
    this.linesSinceCompact++;
    // Compact when the live state (what a snapshot writes) is a small part of what the file holds.
    if (this.linesSinceCompact >= COMPACT_AFTER_LINES && (this.pending.size + this.dlq.size) * 4 <= this.linesSinceCompact) {
      this.linesSinceCompact = 0;
      void this.log.compact(() => this.snapshot()).catch(() => {});
    }
  }

  private apply(line: OutboxLine): void {
    switch (line.op) {
      case "counters":
        this.counters = { event: Math.max(this.counters.event, line.event), delivery: Math.max(this.counters.delivery, line.delivery), dlq: Math.max(this.counters.dlq, line.dlq) };
        return;
      case "accept":
        this.bump("event", line.eventId);
        for (const d of line.deliveries) {
          this.bump("delivery", d.id);
          if (!this.pending.has(d.id)) this.pending.set(d.id, { id: d.id, eventId: line.eventId, destination: d.destination, event: line.event });
        }
        return;
      case "replay": {
        this.bump("delivery", line.delivery.id);
        if (!this.pending.has(line.delivery.id)) this.pending.set(line.delivery.id, { ...line.delivery });
        const entry = this.dlq.get(line.dlqId);
        if (entry && !entry.replays.some((r) => r.delivery === line.delivery.id)) {
          entry.replays.push({ at: line.at, delivery: line.delivery.id, asNew: line.asNew, dedupId: line.delivery.dedupId });
        }
        return;
      }
      case "sent":
        for (const id of line.ids) {
          const d = this.pending.get(id);
          if (d && d.sentAt === undefined) d.sentAt = line.at;
        }
        return;
      case "done":
        for (const id of line.ids) this.pending.delete(id);
        return;
      case "dead":
        this.bump("dlq", line.entry.id);
        this.pending.delete(line.entry.delivery);
        if (!this.dlq.has(line.entry.id)) this.dlq.set(line.entry.id, line.entry);
        return;
    }
  }

  private bump(kind: "event" | "delivery" | "dlq", id: string): void {
    const n = Number(id.slice(1));
    if (Number.isInteger(n) && n > this.counters[kind]) this.counters[kind] = n;
  }

  /** Lines that rebuild the current state: counters, the DLQ, then pending deliveries grouped by event. */
  private snapshot(): string[] {
    const lines: OutboxLine[] = [{ op: "counters", ...this.counters }];
    for (const entry of this.dlq.values()) lines.push({ op: "dead", entry });
    for (const d of this.pending.values()) {
      if (d.replayOf !== undefined) {
        const replay = this.dlq.get(d.replayOf)?.replays.find((r) => r.delivery === d.id);
        lines.push({ op: "replay", delivery: { ...d, sentAt: undefined }, dlqId: d.replayOf, at: replay?.at ?? 0, asNew: replay?.asNew ?? false });
      } else {
        lines.push({ op: "accept", eventId: d.eventId, event: d.event, deliveries: [{ id: d.id, destination: d.destination }] });
      }
      if (d.sentAt !== undefined) lines.push({ op: "sent", ids: [d.id], at: d.sentAt });
    }
    return lines.map((l) => JSON.stringify(l));
  }
}

async function readLines(path: string): Promise<{ line: string; number: number }[]> {
  const out: { line: string; number: number }[] = [];
  const stream = createReadStream(path, { encoding: "utf8" });
  try {
    let number = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      number++;
      if (line.trim() !== "") out.push({ line, number });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return out;
}
