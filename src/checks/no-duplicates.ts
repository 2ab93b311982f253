import type { JournalRecord } from "../journal/index.js";
import { fail, indexDeliveries, listNames, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface NoDuplicatesOptions {
  /**
   * `queue`: each idempotencyKey became at most one SQS message per destination (distinct MessageIds of
   * `event.delivered`). `consumer`: each consumer processed each key at most once (`consumer.result`
   * succeeded; a result its idempotency helper flagged `duplicate` was caught, not processed).
   * @default "queue"
   */
  at?: "queue" | "consumer";
}

/**
 * `noDuplicates` (DESIGN "Scenarios and checks"; issue 7), by idempotencyKey. On FIFO queues SQS's
 * deduplication (MessageDeduplicationId = idempotencyKey, DESIGN "Engine") answers a re-send with the
 * first MessageId, so only a real second message counts; standard queues have no such net.
 */
export function noDuplicates(records: readonly JournalRecord[], options: NoDuplicatesOptions = {}): CheckResult {
  const at = options.at ?? "queue";
  const check = "noDuplicates";
  const index = indexDeliveries(records);
  /** group (destination or consumer) + key → the records that count, one per distinct message. */
  const groups = new Map<string, { owner: string; key: string; ids: Map<string, JournalRecord> }>();
  const add = (owner: string, key: string, id: string, r: JournalRecord) => {
    const k = `${owner}\u0000${key}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { owner, key, ids: new Map() }));
    if (!g.ids.has(id)) g.ids.set(id, r);
  };
  let caught = 0;
  for (const r of records) {
    if (at === "queue" && r.type === "event.delivered") {
      const key = index.accepted.get(r.eventId)?.idempotencyKey ?? `eventId:${r.eventId}`;
      add(r.destination, key, r.messageId, r);
    } else if (at === "consumer" && r.type === "consumer.result" && r.outcome === "succeeded") {
      if (r.duplicate) {
        caught++;
        continue;
      }
      // Without the consumer's own key, join through the engine: MessageId → delivery → accepted event.
      const eventId = index.deliveredByMessageId.get(r.messageId)?.eventId;
      const key = r.idempotencyKey ?? (eventId ? index.accepted.get(eventId)?.idempotencyKey : undefined) ?? `messageId:${r.messageId}`;
      // Each success is one processing, even of the same MessageId redelivered: key it by its seq.
      add(r.consumer, key, String(r.seq), r);
    }
  }
  const dupes = [...groups.values()].filter((g) => g.ids.size > 1);
  const where = at === "queue" ? "messages in the queue" : "successful consumer results";
  if (dupes.length > 0) {
    const describe = (g: (typeof dupes)[number]) =>
      `${g.key} ×${g.ids.size} at ${g.owner}` + (at === "queue" ? ` (messageId ${[...g.ids.keys()].join(", ")})` : ` (messageId ${[...g.ids.values()].map((r) => (r as { messageId: string }).messageId).join(", ")})`);
    return fail(
      check,
      `${dupes.length} idempotencyKeys with more than one of the ${where}: ${listNames(dupes.map(describe), 3)}`,
      { perKey: 1 },
      { duplicates: dupes.map((g) => ({ owner: g.owner, idempotencyKey: g.key, count: g.ids.size })) },
      dupes.flatMap((g) => [...g.ids.values()]),
    );
  }
  return pass(check, `${groups.size} idempotencyKeys, each once among the ${where}${caught > 0 ? ` (${caught} duplicates caught by the consumer's idempotency helper)` : ""}`, {
    actual: { keys: groups.size, caught },
  });
}
