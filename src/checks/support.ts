import type { JournalRecord, JournalType, RecordOf } from "../journal/index.js";
import { EVIDENCE_CAP, type CheckResult } from "./types.js";

/** The records of one type, in journal order. */
export function ofType<T extends JournalType>(records: readonly JournalRecord[], type: T): RecordOf<T>[] {
  return records.filter((r) => r.type === type) as RecordOf<T>[];
}

/** Evidence as a reader wants it: each record once, in journal order, capped. */
export function evidenceOf(records: Iterable<JournalRecord | undefined>): JournalRecord[] {
  const unique = new Map<number, JournalRecord>();
  for (const r of records) if (r) unique.set(r.seq, r);
  return [...unique.values()].sort((a, b) => a.seq - b.seq).slice(0, EVIDENCE_CAP);
}

/** "a, b, c and 4 more": names for a one-line summary without flooding it. */
export function listNames(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export function pass(check: string, summary: string, extra: Pick<CheckResult, "expected" | "actual"> = {}): CheckResult {
  return { check, ok: true, summary, ...extra, evidence: [] };
}

export function fail(check: string, summary: string, expected: unknown, actual: unknown, evidence: Iterable<JournalRecord | undefined>): CheckResult {
  return { check, ok: false, summary, expected, actual, evidence: evidenceOf(evidence) };
}

/** `{ count }` or `{ atLeast }` against an actual number; the text says which was asked. */
export function compareCount(actual: number, want: { count?: number; atLeast?: number }): { ok: boolean; expected: string } {
  if (want.count !== undefined) return { ok: actual === want.count, expected: `exactly ${want.count}` };
  if (want.atLeast !== undefined) return { ok: actual >= want.atLeast, expected: `at least ${want.atLeast}` };
  return { ok: true, expected: "any" };
}

/**
 * Index of a run's engine records by delivery and event: which event and key a delivery carries and what
 * SQS MessageId it got (and the new MessageIds a DLQ redrive gave it). Several checks join consumer records (by messageId) back to accepted events.
 */
export interface DeliveryIndex {
  accepted: Map<string, RecordOf<"event.accepted">>;
  deliveredByDelivery: Map<string, RecordOf<"event.delivered">>;
  deliveredByMessageId: Map<string, RecordOf<"event.delivered">>;
}

/**
 * The index last built for a records array. A run hands every check the same array, and three of them
 * (noDuplicates, fifoOrder, delivered) each rebuilt it: ~0.4 s apiece over a 100k-event journal. The
 * length guards a caller that appends to its array between two checks.
 */
const indexCache = new WeakMap<readonly JournalRecord[], { length: number; index: DeliveryIndex }>();

export function indexDeliveries(records: readonly JournalRecord[]): DeliveryIndex {
  const cached = indexCache.get(records);
  if (cached && cached.length === records.length) return cached.index;
  const index = buildIndex(records);
  indexCache.set(records, { length: records.length, index });
  return index;
}

function buildIndex(records: readonly JournalRecord[]): DeliveryIndex {
  const accepted = new Map<string, RecordOf<"event.accepted">>();
  const deliveredByDelivery = new Map<string, RecordOf<"event.delivered">>();
  const deliveredByMessageId = new Map<string, RecordOf<"event.delivered">>();
  for (const r of records) {
    if (r.type === "event.accepted") accepted.set(r.eventId, r);
    else if (r.type === "event.delivered") {
      if (!deliveredByDelivery.has(r.delivery)) deliveredByDelivery.set(r.delivery, r);
      if (!deliveredByMessageId.has(r.messageId)) deliveredByMessageId.set(r.messageId, r);
    } else if (r.type === "message.moved") {
      // A DLQ redrive makes a new message (new MessageId) of the same delivery: follow it.
      const delivered = deliveredByMessageId.get(r.messageId);
      if (delivered && !deliveredByMessageId.has(r.newMessageId)) deliveredByMessageId.set(r.newMessageId, delivered);
    }
  }
  return { accepted, deliveredByDelivery, deliveredByMessageId };
}
