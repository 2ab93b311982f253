import type { Journal, RecordOf } from "../../src/journal/index.js";

/**
 * Resolves once every entry of every `batch.formed` so far has its `entry.result`: no SendMessageBatch
 * of the engine is in flight. The engine forms follow-up batches synchronously when a result settles,
 * so a batch formed in reaction is already counted when this checks again.
 */
export async function waitSettled(journal: Journal, afterSeq = 0): Promise<void> {
  for (;;) {
    const formed = journal.records("batch.formed").filter((b) => b.seq > afterSeq);
    const results = new Set(journal.records("entry.result").filter((r) => r.seq > afterSeq).map((r) => `${r.batchId}/${r.delivery}`));
    const open = formed.some((b) => b.entries.some((e) => !results.has(`${b.batchId}/${e.delivery}`)));
    if (!open) return;
    await journal.waitFor("entry.result", () => true, { afterSeq: journal.lastSeq });
  }
}

/** Deliveries (ids) named in `batch.formed` records after `afterSeq`. */
export function sentDeliveries(journal: Journal, afterSeq = 0): string[] {
  return journal
    .records("batch.formed")
    .filter((b) => b.seq > afterSeq)
    .flatMap((b) => b.entries.map((e) => e.delivery));
}

/** The retry still waiting: the latest `retry.scheduled` of each delivery not sent again since. */
export function waitingRetries(journal: Journal): RecordOf<"retry.scheduled">[] {
  const latest = new Map<string, RecordOf<"retry.scheduled">>();
  for (const r of journal.records("retry.scheduled")) latest.set(r.delivery, r);
  const lastSent = new Map<string, number>();
  for (const b of journal.records("batch.formed")) for (const e of b.entries) lastSent.set(e.delivery, b.seq);
  return [...latest.values()].filter((r) => (lastSent.get(r.delivery) ?? 0) < r.seq);
}
