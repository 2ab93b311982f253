import type { JournalRecord } from "../journal/index.js";
import { fail, listNames, ofType, pass } from "./support.js";
import type { CheckResult } from "./types.js";

export interface DlqOptions {
  /** How many deliveries were dead-lettered (`event.deadLettered` records, replayed or not). */
  count?: number;
  /**
   * The final reasons (`oversize`, `invalid`, `maxAttempts`, an error code such as `AccessDenied`). A list:
   * exactly these distinct reasons occurred. A map: exactly these counts per reason, no other reason.
   */
  reasons?: string[] | Record<string, number>;
}

/**
 * `dlq` (DESIGN "Scenarios and checks" and "Engine": permanent errors go straight to the DLQ, each entry
 * keeps its final reason). Counts the engine's dead-letterings, not the queue's redrive (`message.movedToDlq`).
 */
export function dlq(records: readonly JournalRecord[], options: DlqOptions): CheckResult {
  const dead = ofType(records, "event.deadLettered");
  const byReason: Record<string, number> = {};
  for (const d of dead) byReason[d.reason] = (byReason[d.reason] ?? 0) + 1;
  const problems: string[] = [];
  let offending = dead;
  if (options.count !== undefined && dead.length !== options.count) problems.push(`expected ${options.count} dead-lettered, got ${dead.length}`);
  if (options.reasons !== undefined) {
    const want: Record<string, number | undefined> = Array.isArray(options.reasons) ? Object.fromEntries(options.reasons.map((r) => [r, undefined])) : options.reasons;
    const unexpected = Object.keys(byReason).filter((r) => !(r in want));
    const wrong = Object.entries(want).filter(([r, n]) => (n === undefined ? !(r in byReason) : byReason[r] !== n) && !unexpected.includes(r));
    if (unexpected.length > 0 || wrong.length > 0) {
      problems.push(`reasons expected ${JSON.stringify(options.reasons)}, got ${JSON.stringify(byReason)}`);
      if (problems.length === 1 && unexpected.length > 0) offending = dead.filter((d) => unexpected.includes(d.reason));
    }
  }
  const names = listNames(offending.map((d) => `${d.eventId} (${d.reason})`));
  if (problems.length > 0) {
    return fail("dlq", `${problems.join("; ")}${names ? ` — eventId ${names}` : ""}`, { count: options.count, reasons: options.reasons }, { count: dead.length, reasons: byReason }, offending);
  }
  return pass("dlq", `${dead.length} dead-lettered ${JSON.stringify(byReason)}`, { actual: { count: dead.length, reasons: byReason } });
}
