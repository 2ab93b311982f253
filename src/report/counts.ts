import type { JournalRecord } from "../journal/index.js";
import type { RunCounts } from "./types.js";

/** All counts at zero: where a scenario starts. */
export function emptyCounts(): RunCounts {
  return { accepted: 0, rejected: 0, delivered: 0, deadLettered: 0, consumed: 0, dedupHits: 0, retries: 0, faults: 0 };
}

/**
 * Adds one record to running counts, so a runner that sees records one by one (the journal bus) can keep
 * progress lines current without recounting the whole journal.
 *
 * @example
 * const counts = emptyCounts();
 * journal.subscribe((r) => addToCounts(counts, r));
 */
export function addToCounts(counts: RunCounts, record: JournalRecord): RunCounts {
  switch (record.type) {
    case "event.accepted":
      counts.accepted++;
      break;
    case "event.rejected":
      counts.rejected++;
      break;
    case "event.delivered":
      counts.delivered++;
      break;
    case "event.deadLettered":
      counts.deadLettered++;
      break;
    case "consumer.result":
      // A failed handling comes back and is counted again when it finally succeeds; only successes count.
      if (record.outcome === "succeeded") counts.consumed++;
      break;
    case "message.dedupHit":
      counts.dedupHits++;
      break;
    case "retry.scheduled":
      counts.retries++;
      break;
    case "fault.injected":
      counts.faults++;
      break;
    default:
      break;
  }
  return counts;
}

/**
 * What a run counted, from its journal (the record types each {@link RunCounts} field documents).
 *
 * @example
 * countsOf(journal.records()).delivered // number of `event.delivered` records
 */
export function countsOf(records: readonly JournalRecord[]): RunCounts {
  const counts = emptyCounts();
  for (const r of records) addToCounts(counts, r);
  return counts;
}
