import type { JournalRecord } from "../journal/index.js";
import { compareCount, fail, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface DedupHitsOptions {
  count?: number;
  atLeast?: number;
  /** Only hits on this queue (name). */
  queue?: string;
}

/**
 * `dedupHits` (DESIGN "Scenarios and checks"): how many sends SQS's FIFO deduplication swallowed
 * (`message.dedupHit`; SQS Developer Guide "Exactly-once processing in Amazon SQS": a message with a
 * MessageDeduplicationId seen in the last 5 minutes is accepted but not delivered again).
 */
export function dedupHits(records: readonly JournalRecord[], options: DedupHitsOptions): CheckResult {
  const hits = ofType(records, "message.dedupHit").filter((r) => options.queue === undefined || r.queue === options.queue);
  const { ok, expected } = compareCount(hits.length, options);
  const where = options.queue ? ` on ${options.queue}` : "";
  if (ok) return pass("dedupHits", `${hits.length} dedup hits${where}`, { expected, actual: hits.length });
  const ids = hits.map((h) => `${h.dedupId} [messageId ${h.messageId}]`);
  return fail("dedupHits", `expected ${expected} dedup hits${where}, got ${hits.length}${ids.length > 0 ? `: ${ids.slice(0, 5).join(", ")}` : ""}`, expected, hits.length, hits);
}
