import type { JournalRecord, RecordOf } from "../journal/index.js";
import { fail, indexDeliveries, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface FifoOrderOptions {
  /**
   * Compare consumer order too (`consumer.result` succeeded, first success per message).
   * @default true when the journal has consumer results
   */
  atConsumer?: boolean;
}

interface Inversion {
  view: "queue" | "consumer";
  group: string;
  /** The event that came out too early … */
  first: string;
  /** … before this one, accepted earlier. */
  then: string;
  records: JournalRecord[];
}

/**
 * `fifoOrder` (DESIGN "Scenarios and checks" and "Engine" FIFO: later events of a group never overtake an
 * earlier one; SQS Developer Guide "Amazon SQS FIFO queues": order is kept within a message group). Per
 * destination and MessageGroupId, the intended order (order of `event.accepted`) is compared with the
 * SequenceNumber order of `event.delivered` and with the order consumers succeeded. Only the deliveries
 * made at acceptance count: a DLQ replay is re-sent later on purpose, and a dead-lettered event is absent.
 */
export function fifoOrder(records: readonly JournalRecord[], options: FifoOrderOptions = {}): CheckResult {
  const check = "fifoOrder";
  const index = indexDeliveries(records);
  const acceptedAt = new Map<string, number>();
  const original = new Set<string>();
  let position = 0;
  for (const a of ofType(records, "event.accepted")) {
    acceptedAt.set(a.eventId, position++);
    for (const d of a.deliveries) original.add(d);
  }
  /** destination/group → delivered records of that group's original deliveries. */
  const groups = new Map<string, RecordOf<"event.delivered">[]>();
  for (const d of index.deliveredByDelivery.values()) {
    if (d.groupId === undefined || !original.has(d.delivery)) continue;
    const k = `${d.destination}/${d.groupId}`;
    pushTo(groups, k, d);
  }
  const inversions: Inversion[] = [];
  for (const [group, delivered] of groups) {
    const bySequence = [...delivered].sort((a, b) => compareSequence(a.sequenceNumber, b.sequenceNumber));
    const inv = firstInversion(bySequence, (d) => d.eventId);
    if (inv) inversions.push({ view: "queue", group, first: inv[0].eventId, then: inv[1].eventId, records: [index.accepted.get(inv[1].eventId)!, ...inv] });
  }
  const results = ofType(records, "consumer.result");
  if (options.atConsumer ?? results.length > 0) {
    const seen = new Set<string>();
    const consumed = new Map<string, { eventId: string; record: RecordOf<"consumer.result"> }[]>();
    for (const r of results) {
      const d = index.deliveredByMessageId.get(r.messageId);
      if (r.outcome !== "succeeded" || !d || d.groupId === undefined || !original.has(d.delivery) || seen.has(r.messageId)) continue;
      seen.add(r.messageId);
      const k = `${r.consumer}: ${d.destination}/${d.groupId}`;
      pushTo(consumed, k, { eventId: d.eventId, record: r });
    }
    for (const [group, list] of consumed) {
      const inv = firstInversion(list, (c) => c.eventId);
      if (inv) inversions.push({ view: "consumer", group, first: inv[0].eventId, then: inv[1].eventId, records: [index.accepted.get(inv[1].eventId)!, inv[0].record, inv[1].record] });
    }
  }
  if (inversions.length > 0) {
    const text = (i: Inversion) => `${i.view === "queue" ? "by SequenceNumber" : "at consumer"} ${i.group}: eventId ${i.first} before ${i.then}, accepted earlier`;
    return fail(check, `${inversions.length} groups out of order — ${listNames(inversions.map(text), 3)}`, "per-group order of event.accepted", inversions.map(({ records: _r, ...rest }) => rest), inversions.flatMap((i) => i.records));
  }
  return pass(check, `${groups.size} message groups kept their accepted order`, { actual: { groups: groups.size } });

  /** The first pair where an event accepted later comes before one accepted earlier. */
  function firstInversion<T>(list: readonly T[], eventOf: (item: T) => string): [T, T] | undefined {
    let latest: T | undefined;
    for (const item of list) {
      const at = acceptedAt.get(eventOf(item)) ?? -1;
      if (latest !== undefined && at < (acceptedAt.get(eventOf(latest)) ?? -1)) return [latest, item];
      if (latest === undefined || at > (acceptedAt.get(eventOf(latest)) ?? -1)) latest = item;
    }
    return undefined;
  }
}

/** SequenceNumbers are up-to-128-bit decimal strings: compare by length, then lexically. */
function compareSequence(a = "", b = ""): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
